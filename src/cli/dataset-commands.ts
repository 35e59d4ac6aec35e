// `sagemaker-yolo validate` and `sagemaker-yolo sync`: the dataset stages from a terminal.
// Exit codes: 0 ok, 1 validation errors or a failed sync, 2 bad usage.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { CommanderError, type Command } from 'commander';
import { returnFreedHeap } from '../heap.js';
import { createS3Client } from '../s3-client.js';
import { branchBlobsLoader, recordBranchSnapshot } from '../dataset/branches.js';
import { checkBucketName, checkPrefix } from '../dataset/keys.js';
import { hashProgressLogger, progressLogger } from '../dataset/progress.js';
import { datasetStats, formatFindings, formatValidationSummary } from '../dataset/report.js';
import { storeSyncCache } from '../dataset/sync-cache.js';
import { loadSyncShortcuts, prepareSync } from '../dataset/sync-shortcuts.js';
import { formatSyncTable, syncSnapshot } from '../dataset/sync.js';
import { parseDropLimit, type DropLimit } from '../dataset/dropped.js';
import { fixLabels } from '../dataset/fix-files.js';
import { inspectDataset } from '../dataset/validate.js';
import { inputSpec } from '../inputs.js';
import { isYoloTask, taskFromModel, TASKS, type YoloTask } from '../task.js';
import { runnerSafeJson } from '../untrusted.js';
import { processSinks, processStdout } from './console-log.js';

export interface DatasetCommandDeps {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where a command's exit code goes (default: process.exitCode, so output is flushed). */
  setExitCode?: (code: number) => void;
  /** Usage errors found by commander (default: process.exit, as commander itself does). */
  exit?: (code: number) => void;
  createS3?: (region: string, env: NodeJS.ProcessEnv) => S3Client;
}

class UsageError extends Error {}

const FINDINGS_SHOWN = 200;

function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be an integer >= 1, got '${value}'`);
  }
  return n;
}

/** --task, else the task --model names (as ultralytics guesses it), else detect. */
function taskOption(opts: { task?: string; model?: string }): YoloTask {
  if (opts.task !== undefined) {
    if (!isYoloTask(opts.task)) {
      throw new UsageError(`--task must be one of ${TASKS.join(', ')}, got '${opts.task}'`);
    }
    return opts.task;
  }
  return opts.model ? taskFromModel(opts.model) : 'detect';
}

function dropLimitOption(value: string): DropLimit {
  try {
    return parseDropLimit(value, '--max-dropped-images');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The flags that decide how validation reads the dataset: the same for validate and sync. */
function withValidationOptions(command: Command): Command {
  return command
    .option(
      '--task <task>',
      `how the model reads labels: ${TASKS.join(', ')} (default: from --model, else detect)`,
    )
    .option('--model <model>', 'the model to train (e.g. yolov8n-seg.pt): its name sets the task')
    .option(
      '--max-dropped-images <n|%>',
      'fail when ultralytics would drop more images (a count, or a percentage of all images)',
      inputSpec('max-dropped-images').default,
    );
}

export function registerDatasetCommands(program: Command, deps: DatasetCommandDeps = {}): void {
  const stdout = deps.stdout ?? processStdout;
  const stderr = deps.stderr ?? processSinks.err;
  const env = deps.env ?? process.env;
  const cwd = deps.cwd ?? process.cwd();
  const setExitCode = deps.setExitCode ?? ((code: number) => void (process.exitCode = code));
  const exit = deps.exit ?? ((code: number) => process.exit(code));
  const createS3 =
    deps.createS3 ?? ((region: string, e: NodeJS.ProcessEnv) => createS3Client({ region, env: e }));

  // Commander's own usage errors (missing or unknown options) exit 2 instead of its default 1.
  const usageExit = (err: CommanderError) => {
    const code = err.exitCode === 0 ? 0 : 2;
    exit(code);
    throw new CommanderError(code, err.code, err.message); // only reached when exit is stubbed
  };

  const guarded = (fn: () => Promise<number>) => async () => {
    try {
      setExitCode(await fn());
    } catch (error) {
      stderr(`error: ${(error as Error).message}`);
      setExitCode(error instanceof UsageError ? 2 : 1);
    }
  };

  const requireDataset = (dataset: string) => {
    if (!existsSync(path.resolve(cwd, dataset))) {
      throw new UsageError(
        `--dataset '${dataset}' does not exist (a dataset directory or its yaml file)`,
      );
    }
  };

  withValidationOptions(program.command('validate'))
    .description('check a YOLO dataset (yaml, images, labels) before training on it')
    .requiredOption('--dataset <dir>', 'dataset directory or its yaml file')
    .option('--fix', 'rewrite label files so ultralytics keeps their images (never touches images)')
    .option('--dry-run', 'with --fix: show what would change, write nothing')
    .option('--json', 'print the report as JSON')
    .exitOverride(usageExit)
    .action(function (this: Command) {
      const opts = this.opts<{
        dataset: string;
        task?: string;
        model?: string;
        maxDroppedImages: string;
        fix?: boolean;
        dryRun?: boolean;
        json?: boolean;
      }>();
      return guarded(async () => {
        requireDataset(opts.dataset);
        const task = taskOption(opts);
        const maxDropped = dropLimitOption(opts.maxDroppedImages);
        if (opts.dryRun && !opts.fix) throw new UsageError('--dry-run only goes with --fix');
        let inspection = await inspectDataset(opts.dataset, { cwd, task, maxDropped });
        let refused = 0;
        if (opts.fix) {
          const fixed = await fixLabels(inspection, { cwd, task, write: !opts.dryRun });
          for (const line of fixed.lines) stdout(line);
          refused = fixed.refused;
          if (!opts.dryRun && fixed.written > 0) {
            inspection = await inspectDataset(opts.dataset, { cwd, task, maxDropped });
          }
        }
        const { report } = inspection;
        if (opts.json) stdout(runnerSafeJson(report));
        else {
          const findings = formatFindings(report, FINDINGS_SHOWN);
          if (findings) stdout(findings);
          stdout(formatValidationSummary(report));
        }
        return report.errors > 0 || refused > 0 ? 1 : 0;
      })();
    });

  withValidationOptions(program.command('sync'))
    .description('validate a dataset and sync it to S3 as a content-addressed snapshot')
    .requiredOption('--dataset <dir>', 'dataset directory or its yaml file')
    .requiredOption('--bucket <bucket>', 'S3 bucket')
    .option(
      '--prefix <prefix>',
      'key prefix in the bucket (no leading or trailing slash)',
      inputSpec('prefix').default,
    )
    .option('--region <region>', 'AWS region (default: AWS_REGION or AWS_DEFAULT_REGION)')
    .option('--aws-region <region>', 'same as --region (the spelling of train and report)')
    .option('--concurrency <n>', 'uploads at once', '16')
    .option(
      '--branch <name>',
      "record the snapshot as this branch's latest (for PR diffs); its last snapshot's blobs are not checked again",
    )
    .option('--json', 'print the validation report and the sync result as JSON')
    .exitOverride(usageExit)
    .action(function (this: Command) {
      const opts = this.opts<{
        dataset: string;
        bucket: string;
        prefix: string;
        region?: string;
        awsRegion?: string;
        concurrency: string;
        branch?: string;
        task?: string;
        model?: string;
        maxDroppedImages: string;
        json?: boolean;
      }>();
      return guarded(async () => {
        let bucket: string;
        let prefix: string;
        try {
          bucket = checkBucketName(opts.bucket, '--bucket');
          prefix = checkPrefix(opts.prefix, '--prefix');
        } catch (error) {
          throw new UsageError((error as Error).message);
        }
        const concurrency = positiveInt(opts.concurrency, '--concurrency');
        if (opts.region && opts.awsRegion && opts.region !== opts.awsRegion) {
          throw new UsageError('--region and --aws-region disagree; give one of them');
        }
        const region = opts.region || opts.awsRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION;
        if (!region) throw new UsageError('--region is required (or set AWS_REGION)');
        requireDataset(opts.dataset);

        const task = taskOption(opts);
        const maxDropped = dropLimitOption(opts.maxDroppedImages);
        const s3 = createS3(region, env);
        const datasetPath = path.resolve(cwd, opts.dataset);
        // With --branch, that branch's last sync cache; in a git work tree, git's index: files
        // vouched for and already judged are neither read nor parsed again. The inspection and the
        // shortcuts stay in here: only what the upload needs comes out (see prepareSync).
        const validateAndSnapshot = async () => {
          const shortcuts = await loadSyncShortcuts(s3, {
            datasetPath,
            ...(opts.branch ? { branch: { bucket, prefix, branch: opts.branch } } : {}),
            warn: (m) => stderr(`warning: ${m}`),
          });
          const inspection = await inspectDataset(opts.dataset, {
            cwd,
            task,
            maxDropped,
            ...(shortcuts.cache ? { cache: shortcuts.cache } : {}),
            knownHashes: shortcuts.knownHashes,
            ...(shortcuts.gitFormat ? { gitFormat: shortcuts.gitFormat } : {}),
          });
          const { report } = inspection;
          if (report.errors > 0) return { report };
          if (!opts.json) stdout(formatValidationSummary(report));
          const prepared = await prepareSync(datasetPath, inspection, shortcuts, {
            task,
            onProgress: hashProgressLogger(stderr),
          });
          return { report, prepared };
        };
        const { report, prepared } = await validateAndSnapshot();
        // Validation's maps are garbage now: their pages go back before thousands of requests.
        returnFreedHeap();
        if (!prepared) {
          if (opts.json) stdout(runnerSafeJson({ validation: report, sync: null }));
          else
            stdout(`${formatFindings(report, FINDINGS_SHOWN)}\n${formatValidationSummary(report)}`);
          stderr(`error: the dataset has ${report.errors} error(s): nothing was synced`);
          return 1;
        }
        const { snapshot } = prepared;
        const result = await syncSnapshot(s3, {
          bucket,
          prefix,
          snapshot,
          concurrency,
          ...(opts.branch
            ? {
                knownBlobs: branchBlobsLoader(s3, { bucket, prefix, branch: opts.branch }, (m) =>
                  stderr(`warning: ${m}`),
                ),
              }
            : {}),
          splits: prepared.splits,
          stats: datasetStats(report),
          onProgress: progressLogger(stderr),
        });
        if (!opts.json) stderr(prepared.shortcutsLine);
        if (prepared.cacheToStore) {
          try {
            await storeSyncCache(s3, {
              bucket,
              prefix,
              fingerprint: result.fingerprint,
              encoded: prepared.cacheToStore,
            });
          } catch (error) {
            stderr(`warning: could not store the sync cache: ${(error as Error).message}`);
          }
        }
        if (opts.branch) {
          await recordBranchSnapshot(s3, {
            bucket,
            prefix,
            branch: opts.branch,
            fingerprint: result.fingerprint,
          });
        }
        if (opts.json) stdout(runnerSafeJson({ validation: report, sync: result }));
        else stdout(formatSyncTable(result));
        return 0;
      })();
    });
}
