// Workflow-command injection end to end: hostile class names, file names, job status messages,
// FailureReason and training-log lines go through the real call sites (validation findings and
// summary, sync table, dataset diff, status transitions, formatOutcome, the CloudWatch log tail),
// and the real output of the bundled CLI and action processes (or, where the job is a client mock,
// the real process.stdout/stderr) is read the way the runner reads it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { coreLog } from '../../src/action-log.js';
import { createAwsClients } from '../../src/aws.js';
import { runCli } from '../../src/cli/program.js';
import { recordBranchSnapshot } from '../../src/dataset/branches.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { syncSnapshot } from '../../src/dataset/sync.js';
import { createStages } from '../../src/stages.js';
import { createSageMakerBackend } from '../../src/training/sagemaker-backend.js';
import { TRAINING_LOG_GROUP } from '../../src/training/logs.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { bundleEntry, type Bundle } from '../helpers/bundle.js';
import { PR_CONTEXT, testConfig } from '../helpers/config.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { captureProcessOutput, HOSTILE, smuggledCommands } from '../helpers/runner-commands.js';
import { describeResponse, transition } from '../training/fixtures.js';
import { webhookExample } from './action-harness.js';

let moto: Moto;
let cli: Bundle;
let action: Bundle;
let dataset: string;
const dirs: string[] = [];

/** YAML double-quoted scalars (JSON is valid YAML) with every exotic break as an escape. */
const yamlList = (values: readonly string[]) =>
  JSON.stringify(values).replace(
    /[\u0085\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/** Hostile class names, and file names that carry the hostile strings (images and orphan labels). */
function hostileDataset(
  classNames: readonly string[] = ['room', ...HOSTILE],
): Record<string, string | Buffer> {
  const tree = basicDataset();
  tree['data.yaml'] =
    `path: .\ntrain: images/train\nval: images/val\nnames: ${yamlList(classNames)}\n`;
  HOSTILE.forEach((h, i) => {
    const name = h.replace(/\//g, '_');
    tree[`images/train/${name}.png`] = png(8, 8, 10 + i);
    tree[`labels/train/${name}.txt`] = `${i + 1} 0.5 0.5 0.2 0.2\n`;
    tree[`labels/val/orphan ${name}.txt`] = '0 0.5 0.5 0.2 0.2\n';
  });
  return tree;
}

function runProcess(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  [moto, cli, action] = await Promise.all([
    startMoto(),
    bundleEntry('src/cli.ts'),
    bundleEntry('src/index.ts'),
  ]);
  dataset = await tempDir('hostile-ds-');
  dirs.push(dataset);
  await writeTree(dataset, hostileDataset());
}, 120_000);

afterAll(async () => {
  await moto?.stop();
  cli?.dispose();
  action?.dispose();
  await Promise.all(dirs.map(removeDir));
});

describe('the CLI process', () => {
  it('validate: findings and summary name hostile files and classes, never as commands', async () => {
    const run = await runProcess(cli.file, ['validate', '--dataset', dataset], {});
    expect(run.code).toBe(1);
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain('INJECTED');
    expect(smuggledCommands(run.stdout)).toEqual([]);
    expect(smuggledCommands(run.stderr)).toEqual([]);
  });

  it('validate --json: still JSON; a class name with a line break is an error naming it', async () => {
    const run = await runProcess(cli.file, ['validate', '--dataset', dataset, '--json'], {});
    expect(run.code).toBe(1);
    expect(smuggledCommands(run.stdout)).toEqual([]);
    const report = JSON.parse(run.stdout) as {
      findings: { severity: string; message: string; line?: number }[];
    };
    // eslint-disable-next-line no-control-regex -- the characters the validator refuses
    const broken = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
    const expected = HOSTILE.flatMap((name, i) => (broken.test(name) ? [`names[${i + 1}]`] : []));
    const refused = report.findings
      .filter((f) => f.severity === 'error' && /contains a control character/.test(f.message))
      .map((f) => f.message.split(' ')[0]);
    expect(expected.length).toBeGreaterThan(5);
    expect(refused).toEqual(expected);
  });

  it('validate --json: still JSON, with hostile file names exactly as on disk', async () => {
    const plain = await tempDir('hostile-files-');
    dirs.push(plain);
    const classNames = ['room', ...HOSTILE.map((_, i) => `class${i + 1}`)];
    await writeTree(plain, hostileDataset(classNames));
    const run = await runProcess(cli.file, ['validate', '--dataset', plain, '--json'], {});
    expect(smuggledCommands(run.stdout)).toEqual([]);
    const report = JSON.parse(run.stdout) as { names: string[]; findings: { file: string }[] };
    expect(report.names).toEqual(classNames);
    const files = report.findings.map((f) => f.file).join('\n');
    for (const h of HOSTILE) expect(files).toContain(h.replace(/\//g, '_'));
  });

  it('logs: a training log full of commands comes out fenced, one fence for the page', async () => {
    const job = 'hostile-log-job';
    const logs = createAwsClients({ region: 'us-east-1', env: moto.env }).logs;
    const stream = `${job}/algo-1-1700000000`;
    await logs
      .send(new CreateLogGroupCommand({ logGroupName: TRAINING_LOG_GROUP }))
      .catch(() => undefined);
    await logs.send(
      new CreateLogStreamCommand({ logGroupName: TRAINING_LOG_GROUP, logStreamName: stream }),
    );
    const t0 = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: TRAINING_LOG_GROUP,
        logStreamName: stream,
        logEvents: HOSTILE.map((message, i) => ({ message, timestamp: t0 + i })),
      }),
    );
    const run = await runProcess(cli.file, ['logs', job, '--region', 'us-east-1'], moto.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('INJECTED');
    expect(smuggledCommands(run.stdout)).toEqual([]);
    expect(run.stdout.match(/^::stop-commands::[0-9a-f]{32}$/gm)).toHaveLength(1);
  });
});

describe('the action process', () => {
  it('a fork pull request with a hostile dataset: validation output never becomes a command', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-run-'));
    dirs.push(dir);
    const payload = webhookExample('pull_request', 'opened') as {
      pull_request: { head: { repo: { full_name: string } | null } };
    };
    if (payload.pull_request.head.repo)
      payload.pull_request.head.repo.full_name = 'fork/floorplans';
    const event = path.join(dir, 'event.json');
    writeFileSync(event, JSON.stringify(payload));
    for (const f of ['output', 'summary.md', 'state']) writeFileSync(path.join(dir, f), '');
    const run = await runProcess(action.file, [], {
      ...moto.env,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event,
      GITHUB_REPOSITORY: 'acme/floorplans',
      GITHUB_REF: 'refs/pull/1/merge',
      GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      GITHUB_OUTPUT: path.join(dir, 'output'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
      GITHUB_STATE: path.join(dir, 'state'),
      GITHUB_RUN_ID: '1',
      GITHUB_RUN_ATTEMPT: '1',
      RUNNER_TEMP: dir,
      INPUT_ROLE: 'arn:aws:iam::123456789012:role/SageMakerYoloExecutionRole',
      INPUT_BUCKET: 'hostile-bucket',
      INPUT_DATASET: dataset,
      'INPUT_AWS-REGION': 'us-east-1',
      'INPUT_INSTANCE-TYPE': 'ml.g5.xlarge',
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain('INJECTED');
    expect(output).toMatch(/::error::dataset .* error\(s\)/); // it failed, and said so once
    expect(smuggledCommands(run.stdout)).toEqual([]);
    expect(smuggledCommands(run.stderr)).toEqual([]);
  });
});

describe('the action log, in process, at the call sites that need an emulator or a mock', () => {
  it('sync table and the dataset diff against a base whose class names are hostile', async () => {
    const env = moto.env;
    const clients = createAwsClients({ region: 'us-east-1', env });
    const bucket = 'hostile-diff';
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // main's snapshot, recorded with hostile class names in its stats.
    const base = await tempDir('hostile-base-');
    dirs.push(base);
    await writeTree(base, { ...basicDataset(), 'extra.txt': 'main only\n' });
    const baseSnapshot = await buildSnapshot(base);
    const synced = await syncSnapshot(clients.s3, {
      bucket,
      prefix: 'p',
      snapshot: baseSnapshot,
      stats: {
        version: 1,
        names: [...HOSTILE],
        splits: [
          { split: 'train', images: 1, labels: 1, backgrounds: 0, instances: HOSTILE.map(() => 2) },
        ],
      },
    });
    await recordBranchSnapshot(clients.s3, {
      bucket,
      prefix: 'p',
      branch: 'main',
      fingerprint: synced.fingerprint,
    });
    const head = await tempDir('hostile-head-');
    dirs.push(head);
    await writeTree(head, basicDataset());
    const config = testConfig({ bucket, prefix: 'p', dataset: head, context: PR_CONTEXT });
    const stages = createStages(config, {
      clients,
      log: coreLog,
      actionRoot: process.cwd(),
      report: async () => ({}),
    });
    const output = await captureProcessOutput(async () => {
      await stages.validateDataset(config);
      await stages.prepareDataset(config);
    });
    expect(output).toContain('vs base');
    expect(output).toContain('INJECTED');
    expect(smuggledCommands(output)).toEqual([]);
  });

  it('status messages, FailureReason and the tailed log of a SageMaker job', async () => {
    const sagemaker = new SageMakerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const logs = new CloudWatchLogsClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    const sm = mockClient(sagemaker);
    const cw = mockClient(logs);
    const hostileTransitions = HOSTILE.map((h, i) => transition('Training', 10 + i, h));
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [transition('Starting', 0, HOSTILE[0])]))
      .resolves(
        describeResponse('Failed', hostileTransitions, {
          FailureReason: `AlgorithmError: ${HOSTILE.join(' ')}`,
        }),
      );
    cw.on(DescribeLogStreamsCommand).resolves({
      logStreams: [{ logStreamName: 'job-1/algo-1-1700000000' }],
    });
    cw.on(GetLogEventsCommand)
      .resolvesOnce({
        events: HOSTILE.map((message, i) => ({ message, timestamp: i })),
        nextForwardToken: 'f1',
      })
      .resolves({ events: [], nextForwardToken: 'f1' });
    let t = 0;
    const backend = createSageMakerBackend({
      sagemaker,
      logs,
      region: 'eu-west-1',
      log: coreLog,
      timeoutMs: 3_600_000,
      sleep: async (ms) => void (t += ms),
      now: () => t,
    });
    let outcome: Awaited<ReturnType<typeof backend.wait>> | undefined;
    const output = await captureProcessOutput(async () => {
      outcome = await backend.wait('job-1');
    });
    expect(outcome?.status).toBe('Failed');
    expect(output).toContain('AlgorithmError');
    expect(smuggledCommands(output)).toEqual([]);
    // The page of log lines is one block: one fence, not one per line.
    const fence = output.indexOf(`\n${HOSTILE.join('\n')}\n::`);
    expect(fence).toBeGreaterThan(0);
    expect(output.slice(0, fence)).toMatch(/::stop-commands::[0-9a-f]{32}$/);
  });

  it('sagemaker-yolo status: formatOutcome of a hostile FailureReason on the real stderr', async () => {
    const sagemaker = new SageMakerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    mockClient(sagemaker)
      .on(DescribeTrainingJobCommand)
      .resolves(
        describeResponse('Failed', [transition('Failed', 5, HOSTILE[0])], {
          FailureReason: HOSTILE.join('\n'),
        }),
      );
    let code = -1;
    const output = await captureProcessOutput(async () => {
      code = await runCli(['status', 'job-1', '--region', 'eu-west-1'], {
        env: {},
        cwd: process.cwd(),
        actionRoot: process.cwd(),
        clients: () => ({ sagemaker }) as unknown as ReturnType<typeof createAwsClients>,
      });
    });
    expect(code).toBe(1);
    expect(output).toContain('INJECTED');
    expect(smuggledCommands(output)).toEqual([]);
  });
});
