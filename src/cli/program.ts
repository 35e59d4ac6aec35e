// `sagemaker-yolo`: the action's pipeline from a terminal. Flags are the action's inputs (one
// catalogue, one validation) plus the old launcher's spellings. Exit codes: 0 passed, 1 gate failed
// or error, 2 bad usage.
import { Command, CommanderError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import type { AwsClients } from '../aws.js';
import { ConfigError, optionsInputReader, readConfig } from '../config.js';
import { storedSnapshotKey } from '../dataset/sync.js';
import { errorMessage } from '../errors.js';
import { buildSnapshot } from '../dataset/snapshot.js';
import { datasetKeys, s3Uri } from '../dataset/keys.js';
import { INPUTS } from '../inputs.js';
import type { Stages, TrainingBackend } from '../pipeline.js';
import type { ReportInput } from '../pipeline.js';
import type { renderTerminalReport } from '../report/terminal.js';
import type { Config, RunContext } from '../types.js';
import { runnerSafeJson } from '../untrusted.js';
import {
  consoleIO,
  consoleLog,
  processSinks,
  processStdout,
  type ConsoleSinks,
} from './console-log.js';
import { registerDatasetCommands } from './dataset-commands.js';
import {
  addImageOptions,
  checkRegistry,
  imageJson,
  ImageUsageError,
  runImageStage,
  withBaseImage,
} from './image-command.js';
import { runContextFromGit } from './git-context.js';

export interface CliDeps {
  env: NodeJS.ProcessEnv;
  cwd: string;
  actionRoot: string;
  sinks?: ConsoleSinks;
  /** Machine-readable results (--json) go here; default stdout. */
  stdout?: (text: string) => void;
  context?: RunContext;
  clients?: (config: { region: string }) => AwsClients;
  /** Replaces the training backend (tests). */
  training?: TrainingBackend;
  /** Registers the Ctrl-C (SIGINT) handler of `train`. */
  onSignal?: (handler: () => void) => void;
  /** Ends the process after Ctrl-C (default process.exit; tests stub it). */
  exit?: (code: number) => void;
}

class UsageError extends Error {}

/**
 * What train, report, image, status, stop and logs need beyond the dataset commands (SageMaker,
 * ECR, Logs, Pricing, GitHub, tar): loaded when one of them runs, so that `validate`, `sync` and
 * `--help` start without them. ncc makes it a chunk file beside dist/cli.js (see
 * scripts/package.mjs): measured, `--help` peaks at 60 MiB instead of 101 MiB.
 */
const loadPipeline = () => import('./pipeline-modules.js');

interface RegionOptions {
  region?: string;
  awsRegion?: string;
}

/** status/stop/logs: `--region`, and `--aws-region` as train and report spell it. */
function addRegionOptions(command: Command): Command {
  return command
    .option('--region <region>', 'AWS region (default: AWS_REGION or AWS_DEFAULT_REGION)')
    .option('--aws-region <region>', 'same as --region (the spelling of train and report)');
}

const BOOLEAN_INPUTS = new Set([
  'spot',
  'wait',
  'push',
  'comment',
  'download-model',
  'force-retrain',
  'approve-model',
]);

/** Exit code after Ctrl-C: 128 + SIGINT, as shells report it. */
const INTERRUPTED = 130;

/** Descriptions that differ from the action's: what the flag does in a terminal. */
const CLI_DESCRIPTIONS: Readonly<Record<string, string>> = {
  comment:
    '`report --pr`: post (or update) the sticky PR comment; false prints it instead. `train` never posts: it prints the report as text (and writes the comment to --comment-file)',
};

const GITHUB_TOKEN_HELP = `
Environment:
  AWS_REGION, AWS_DEFAULT_REGION  region when --aws-region is not given
  GITHUB_TOKEN                    the action's github-token input. Deliberately not a flag (it would
                                  end up in shell history): export it instead. Only \`report --pr\`
                                  uses it, to post the sticky PR comment.
  GITHUB_API_URL                  GitHub API base for \`report --pr\` (default https://api.github.com)`;

/** The old launcher's `--model-size n` meant `yolov8n.pt`. */
const MODEL_SIZES = ['n', 's', 'm', 'l', 'x'];

function addInputOptions(command: Command): Command {
  for (const spec of INPUTS) {
    if (spec.name === 'github-token') continue; // from GITHUB_TOKEN: never a flag (shell history)
    const defaultNote = spec.default ? ` (default: ${spec.default})` : '';
    const description = `${CLI_DESCRIPTIONS[spec.name] ?? spec.description}${defaultNote}`;
    if (BOOLEAN_INPUTS.has(spec.name)) {
      command.addOption(new Option(`--${spec.name} [true|false]`, description));
      command.addOption(new Option(`--no-${spec.name}`, `same as --${spec.name} false`).hideHelp());
    } else {
      command.addOption(new Option(`--${spec.name} <value>`, description));
    }
    for (const alias of spec.aliases ?? []) {
      const flag = BOOLEAN_INPUTS.has(spec.name) ? `--${alias} [true|false]` : `--${alias} <value>`;
      command.addOption(new Option(flag, `alias of --${spec.name}`));
    }
  }
  command.addOption(
    new Option(
      '--model-size <size>',
      'old launcher spelling: n|s|m|l|x means --model yolov8<size>.pt',
    ).choices(MODEL_SIZES),
  );
  command.option(
    '--skip-upload',
    'do not upload: the dataset snapshot must already be in S3 (or give --dataset-s3-uri)',
  );
  command.option('--no-download', 'do not download the model (same as --download-model false)');
  command.option('--comment-file <path>', 'also write the PR comment markdown to this file');
  command.option('--json', 'print the result as JSON on stdout');
  command.addHelpText('after', GITHUB_TOKEN_HELP);
  return command;
}

/** Folds aliases and the old launcher's spellings into the catalogue names. Pure. */
export function normalizeOptions(raw: Record<string, unknown>): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...raw };
  const camel = (name: string) => name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const spec of INPUTS) {
    for (const alias of spec.aliases ?? []) {
      const value = opts[camel(alias)];
      if (value === undefined) continue;
      if (opts[camel(spec.name)] !== undefined && opts[camel(spec.name)] !== value) {
        throw new UsageError(`--${alias} and --${spec.name} disagree; give one of them`);
      }
      opts[camel(spec.name)] = value;
    }
  }
  // `--no-download` (the old launcher's spelling): commander sets download to false.
  if (opts.download === false) {
    if (opts.downloadModel !== undefined && String(opts.downloadModel) !== 'false') {
      throw new UsageError('--no-download and --download-model disagree; give one of them');
    }
    opts.downloadModel = 'false';
  }
  delete opts.download;
  // `--spot` alone means true (commander gives `true`); `--no-spot` gives false.
  for (const name of BOOLEAN_INPUTS) if (opts[camel(name)] === true) opts[camel(name)] = 'true';
  if (typeof opts.modelSize === 'string') {
    if (opts.model !== undefined) throw new UsageError('give --model or --model-size, not both');
    opts.model = `yolov8${opts.modelSize}.pt`;
  }
  return opts;
}

function readCliConfig(
  opts: Record<string, unknown>,
  deps: CliDeps,
  purpose: 'train' | 'report' | 'image' = 'train',
): Config {
  return readConfig(optionsInputReader(normalizeOptions(opts)), {
    context: deps.context ?? runContextFromGit(deps.cwd),
    env: deps.env,
    actionRoot: deps.actionRoot,
    purpose,
  });
}

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number >= 1, got '${value}'`);
  }
  return n;
}

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

interface CommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  token: string;
  baseUrl: string;
}

/** Where `report --pr` posts (undefined: nowhere), checked before any AWS call. */
function commentTarget(
  opts: { pr?: unknown; repository?: unknown },
  config: Config,
  env: NodeJS.ProcessEnv,
): CommentTarget | undefined {
  if (opts.repository !== undefined && opts.pr === undefined) {
    throw new UsageError('--repository is only used with --pr');
  }
  if (opts.pr === undefined) return undefined;
  const issueNumber = positiveInt(String(opts.pr), '--pr');
  const given = typeof opts.repository === 'string' ? opts.repository.trim() : undefined;
  const repository = given ?? config.context.repository;
  const m = REPOSITORY.exec(repository);
  if (!m || (given === undefined && repository.startsWith('local/'))) {
    throw new UsageError(
      given !== undefined
        ? `--repository must be owner/name, got '${given}'`
        : 'no GitHub repository for --pr: the git remote "origin" is not on GitHub; give --repository owner/name',
    );
  }
  if (!config.comment) return undefined; // --comment false: print the comment instead
  if (!config.githubToken) {
    throw new UsageError(
      '--pr needs GITHUB_TOKEN in the environment (a token allowed to write pull request comments)',
    );
  }
  return {
    owner: m[1] as string,
    repo: m[2] as string,
    issueNumber,
    token: config.githubToken,
    baseUrl: (env.GITHUB_API_URL?.trim() || 'https://api.github.com').replace(/\/+$/, ''),
  };
}

/** --skip-upload: hash locally, upload nothing, and insist the snapshot is already complete in S3. */
function skipUploadStages(stages: Stages, clients: AwsClients): Stages {
  return {
    ...stages,
    async prepareDataset(config) {
      const snapshot = await buildSnapshot(config.dataset, { task: config.task });
      const keys = datasetKeys(config.prefix);
      const fp = snapshot.fingerprint;
      // gzip'd, or plain when a sync before issue 16 stored it: the job reads either form.
      const stored = await storedSnapshotKey(clients.s3, config.bucket, config.prefix, fp);
      if (!stored) {
        throw new Error(
          `--skip-upload: snapshot ${fp.slice(0, 12)} of ${config.dataset} is not in s3://${config.bucket}/${config.prefix}; run without --skip-upload once`,
        );
      }
      const manifestUri = s3Uri(config.bucket, keys.manifest(fp));
      const snapshotUri = s3Uri(config.bucket, stored);
      return {
        ref: { uri: manifestUri, snapshot: fp },
        input: { kind: 'snapshot', manifestUri, snapshotUri, fingerprint: fp },
      };
    },
  };
}

export function buildProgram(deps: CliDeps): { program: Command; exitCode: () => number } {
  // Kept here, not in process.exitCode, so an in-process caller (tests) is not made to fail.
  let exitCode = 0;
  const sinks = deps.sinks ?? processSinks;
  const stdout = deps.stdout ?? processStdout;
  const log = consoleLog(sinks);
  const makeClients = async (c: { region: string }): Promise<AwsClients> =>
    deps.clients
      ? deps.clients(c)
      : (await loadPipeline()).createAwsClients({ region: c.region, env: deps.env });
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const regionOf = (opts: RegionOptions) => {
    if (
      opts.region !== undefined &&
      opts.awsRegion !== undefined &&
      opts.region !== opts.awsRegion
    ) {
      throw new UsageError('--region and --aws-region disagree; give one of them');
    }
    const region =
      opts.region ?? opts.awsRegion ?? deps.env.AWS_REGION ?? deps.env.AWS_DEFAULT_REGION;
    if (!region) throw new UsageError('--region (or AWS_REGION) is required');
    return region;
  };

  const program = new Command('sagemaker-yolo')
    .description(
      'Validate a YOLO dataset, snapshot it to S3, train on SageMaker (or locally), gate on mAP and report.',
    )
    .showHelpAfterError()
    // Commander's help and usage errors echo argv: they go through the same fenced writers.
    .configureOutput({
      writeOut: (text) => stdout(text.replace(/\n$/, '')),
      writeErr: (text) => sinks.err(text.replace(/\n$/, '')),
    })
    .exitOverride();

  const guarded =
    <A extends unknown[]>(fn: (...args: A) => Promise<number>) =>
    async (...args: A) => {
      try {
        // eslint-disable-next-line no-restricted-syntax -- commander passes a fixed handful of arguments
        exitCode = await fn(...args);
      } catch (error) {
        const usage =
          error instanceof UsageError ||
          error instanceof ConfigError ||
          error instanceof ImageUsageError;
        sinks.err(`error: ${errorMessage(error)}`);
        exitCode = usage ? 2 : 1;
      }
    };

  addInputOptions(
    program
      .command('train')
      .description('run the whole pipeline: validate, sync, build, train, wait, gate, report'),
  ).action(
    guarded(async (opts: Record<string, unknown>) => {
      const config = readCliConfig(opts, deps);
      const m = await loadPipeline();
      const clients = await makeClients(config);
      let comment = '';
      let reported: ReportInput | undefined;
      const stages0 = m.createStages(config, {
        clients,
        log,
        actionRoot: deps.actionRoot,
        ...(deps.training ? { training: deps.training } : {}),
        report: async (input) => {
          reported = input;
          comment = m.renderPipelineReport(input);
          if (typeof opts.commentFile === 'string') await writeFile(opts.commentFile, comment);
          return {};
        },
      });
      const stages = opts.skipUpload ? skipUploadStages(stages0, clients) : stages0;

      // Ctrl-C while waiting stops the job (SageMaker or local) instead of leaving it to bill on;
      // at any other moment (validate, sync, build, metrics) it ends the run at once.
      let running: string | undefined;
      let stopping = false;
      deps.onSignal?.(() => {
        if (!running || !config.wait || stopping) {
          const left = running && !stopping ? ` (${running} keeps running: wait is false)` : '';
          sinks.err(`\nInterrupted${left}.`);
          exit(INTERRUPTED);
          return;
        }
        stopping = true;
        sinks.err(`\nStopping ${running}... (Ctrl-C again to leave it running)`);
        const backend = stages.training as TrainingBackend & {
          stop?: (job: string) => Promise<unknown>;
        };
        const stop = backend.stop
          ? backend.stop(running)
          : m.stopTrainingJob(clients.sagemaker, running, log); // it says what it did
        void stop
          .catch((error: unknown) => sinks.err(`error: ${errorMessage(error)}`))
          .finally(() => exit(INTERRUPTED));
      });

      const outputs: Record<string, string> = {};
      const io = consoleIO(sinks, outputs, (job, ended) => {
        running = ended ? undefined : job;
      });
      const result = await m.runPipeline(config, stages, io);
      // The terminal gets the report as text (the PR comment's markdown goes to --comment-file).
      if (reported && !opts.json)
        sinks.out(`\n${terminalReport(m.renderTerminalReport, reported)}`);
      if (result.failure) sinks.err(`\n${result.failure}`);
      if (opts.json)
        stdout(
          runnerSafeJson({
            passed: result.passed ?? null,
            outputs,
            gate: result.gate ?? null,
            cost: result.outcome?.cost ?? null,
            // Per-epoch series from results.csv (every column, NaN as null).
            epochs: result.metrics?.epochs ?? [],
          }),
        );
      return result.passed === false ? 1 : 0;
    }),
  );

  addImageOptions(
    program
      .command('image')
      .description(
        "build and push the training image only (the action's image stage): skipped when its content-hash tag exists",
      ),
  ).action(
    guarded(async (opts: Record<string, unknown>) => {
      const { baseImage, registry, region, json, ...inputs } = opts;
      if (region !== undefined && inputs.awsRegion !== undefined && region !== inputs.awsRegion) {
        throw new UsageError('--region and --aws-region disagree; give one of them');
      }
      const config = withBaseImage(
        readCliConfig({ ...inputs, awsRegion: inputs.awsRegion ?? region }, deps, 'image'),
        baseImage as string | undefined,
      );
      const target = checkRegistry(registry as string | undefined);
      // With --json, stdout carries only the JSON: progress goes to stderr.
      const imageLog = json ? consoleLog({ ...sinks, out: sinks.err }) : log;
      const result = await runImageStage(config, target ? { registry: target } : {}, {
        clients: await makeClients(config),
        log: imageLog,
      });
      if (json) stdout(JSON.stringify(imageJson(result), null, 2));
      else
        sinks.out(
          `${result.built ? 'Built' : 'Found'} ${result.imageUri}${result.imageDigest ? ` (${result.imageDigest})` : ''}`,
        );
      return 0;
    }),
  );

  registerDatasetCommands(program, {
    setExitCode: (code) => void (exitCode = code),
    stdout,
    stderr: sinks.err,
    env: deps.env,
    cwd: deps.cwd,
    // Their usage errors are thrown as CommanderErrors, which runCli turns into exit codes.
    exit: () => undefined,
  });

  addRegionOptions(
    program
      .command('status <job>')
      .description(
        'show a SageMaker training job: status, secondary status, times, final metrics (exit 1 when Failed)',
      ),
  )
    .option('--json', 'print the job outcome as JSON')
    .action(
      guarded(async (job: string, opts: RegionOptions & { json?: boolean }) => {
        const region = regionOf(opts);
        const m = await loadPipeline();
        const { sagemaker } = await makeClients({ region });
        const outcome = m.describeToOutcome(
          await sagemaker.send(new m.DescribeTrainingJobCommand({ TrainingJobName: job })),
          region,
        );
        if (opts.json) stdout(runnerSafeJson(outcome));
        else sinks.out(m.formatOutcome(outcome));
        return outcome.status === 'Failed' ? 1 : 0;
      }),
    );

  addRegionOptions(
    program
      .command('stop <job>')
      .description(
        'stop a running SageMaker training job (it saves its checkpoint first; exit 1 when not found)',
      ),
  ).action(
    guarded(async (job: string, opts: RegionOptions) => {
      const region = regionOf(opts);
      const m = await loadPipeline();
      const { sagemaker } = await makeClients({ region });
      // stopTrainingJob logs its one line (info or warning); printing result.message again doubled it.
      const result = await m.stopTrainingJob(sagemaker, job, log);
      return result.action === 'failed' || result.action === 'not-found' ? 1 : 0;
    }),
  );

  addRegionOptions(
    program.command('logs <job>').description("print a training job's CloudWatch log"),
  ).action(
    guarded(async (job: string, opts: RegionOptions) => {
      const region = regionOf(opts);
      const m = await loadPipeline();
      const { logs } = await makeClients({ region });
      // One block for the whole log: one fence when any line needs it, not three lines per line.
      const batch = m.lineBatch(stdout);
      const tailer = new m.TrainingLogTailer(logs, job, {
        write: batch.add,
        maxPagesPerStream: 1000,
      });
      const lines = await tailer.poll().finally(batch.flush);
      if (lines === 0)
        sinks.err(`no log lines for ${job} yet (streams appear once the container starts)`);
      return 0;
    }),
  );

  addInputOptions(
    program
      .command('report <job>')
      .description(
        'gate and render the report for a job that already ended (the flags of train; no --role needed). Exit 0 passed, 1 gate failed or the job did not complete',
      )
      .option(
        '--pr <number>',
        'post (or update) the sticky comment on this pull request, with GITHUB_TOKEN from the environment',
      )
      .option(
        '--repository <owner/name>',
        'the GitHub repository of --pr (default: from the git remote "origin")',
      ),
  ).action(
    guarded(async (job: string, opts: Record<string, unknown>) => {
      const { pr, repository, ...inputs } = opts;
      const config = readCliConfig({ ...inputs, jobName: job }, deps, 'report');
      const target = commentTarget({ pr, repository }, config, deps.env);
      if (target) config.context = { ...config.context, prNumber: target.issueNumber };
      const m = await loadPipeline();
      const clients = await makeClients(config);
      const outcome = await m.withJobCost(
        m.describeToOutcome(
          await clients.sagemaker.send(new m.DescribeTrainingJobCommand({ TrainingJobName: job })),
          config.region,
        ),
        {
          ...(config.instancePriceUsd !== undefined ? { override: config.instancePriceUsd } : {}),
          ...(clients.pricing ? { live: m.priceListLookup(clients.pricing) } : {}),
          note: (m) => log.info(m),
        },
      );
      if (outcome.status !== 'Completed') {
        sinks.err(
          `${job} is ${outcome.status}: nothing to gate${outcome.failureReason ? ` (${outcome.failureReason})` : ''}`,
        );
        return 1;
      }
      const metrics = await m.readJobMetrics(clients.s3, outcome, {
        log: (m) => log.info(m),
        task: config.task,
      });
      const gate = m.evaluateGate(metrics, config.thresholds);
      const model = config.modelDelivery.download
        ? await m.deliverModel({ s3: clients.s3, log }, config, outcome)
        : undefined;
      const comment = m.renderPipelineReport({
        config,
        outcome,
        metrics,
        gate,
        dataset: { uri: config.datasetS3Uri ?? '' },
        image: { imageUri: config.imageUri ?? '', built: false, tag: '' },
        ...(model ? { model } : {}),
      });
      if (typeof opts.commentFile === 'string') await writeFile(opts.commentFile, comment);

      let posted: { action: string; url?: string } | undefined;
      if (target) {
        posted = await m.upsertStickyComment(
          m.getOctokit(target.token, { baseUrl: target.baseUrl }),
          {
            owner: target.owner,
            repo: target.repo,
            issueNumber: target.issueNumber,
            marker: m.commentMarker(),
            body: comment,
            log,
          },
        );
        if (posted.action === 'skipped') {
          sinks.err(
            `error: the comment was not posted on ${target.owner}/${target.repo}#${target.issueNumber}`,
          );
        }
      }
      const commentFailed = posted?.action === 'skipped';

      if (opts.json) {
        stdout(
          runnerSafeJson({
            passed: gate.passed,
            gate,
            metrics,
            cost: outcome.cost ?? null,
            model: model ? { path: model.dir, files: model.files } : null,
            ...(posted ? { comment: posted } : {}),
          }),
        );
      } else if (posted && !commentFailed) sinks.out(gate.message);
      else sinks.out(`${comment}\n\n${gate.message}`);
      return gate.passed && !commentFailed ? 0 : 1;
    }),
  );

  return { program, exitCode: () => exitCode };
}

function terminalReport(render: typeof renderTerminalReport, input: ReportInput): string {
  return render({
    job: input.outcome,
    metrics: input.metrics,
    ...(input.gate ? { gate: input.gate } : {}),
    hyperparameters: input.config.hyperparameters,
  });
}

/** Parses and runs; returns the exit code (commander usage errors -> 2). */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const { program, exitCode } = buildProgram(deps);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
  return exitCode();
}
