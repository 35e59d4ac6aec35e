// The terminal front end: flags (the action's inputs plus the old launcher's spellings), exit codes,
// and a whole `train` run on the emulator with a stand-in training backend.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createAwsClients } from '../../src/aws.js';
import { normalizeOptions, runCli, type CliDeps } from '../../src/cli/program.js';
import { repositoryFromRemote } from '../../src/cli/git-context.js';
import { datasetKeys } from '../../src/dataset/keys.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { syncSnapshot } from '../../src/dataset/sync.js';
import type { TrainingBackend } from '../../src/pipeline.js';
import type { Config, JobOutcome, RunContext } from '../../src/types.js';
import { basicDataset, removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from '../metrics/archive.js';

const context: RunContext = {
  repository: 'acme/floorplans',
  eventName: 'cli',
  ref: 'refs/heads/main',
  sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  runId: '1700000000',
  runAttempt: '1',
  serverUrl: 'https://github.com',
  isForkPullRequest: false,
};

function harness(extra: Partial<CliDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const json: string[] = [];
  const deps: CliDeps = {
    env: { AWS_REGION: 'us-east-1' },
    cwd: process.cwd(),
    actionRoot: process.cwd(),
    context,
    sinks: { out: (l) => out.push(l), err: (l) => err.push(l) },
    stdout: (t) => json.push(t),
    ...extra,
  };
  return { deps, out, err, json };
}

describe('flags', () => {
  it('folds the old launcher spellings into the action inputs', () => {
    expect(
      normalizeOptions({ useSpotInstances: 'false', maxWaitTime: '7200', modelSize: 's' }),
    ).toMatchObject({
      spot: 'false',
      maxWait: '7200',
      model: 'yolov8s.pt',
    });
    expect(normalizeOptions({ spot: true, wait: false })).toMatchObject({
      spot: 'true',
      wait: false,
    });
    expect(() => normalizeOptions({ spot: 'true', useSpotInstances: 'false' })).toThrow(/disagree/);
    expect(() => normalizeOptions({ model: 'yolov8m.pt', modelSize: 'n' })).toThrow(
      /--model or --model-size/,
    );
  });

  it('reads owner/name from https and ssh remotes', () => {
    expect(repositoryFromRemote('https://github.com/acme/floorplans.git')).toBe('acme/floorplans');
    expect(repositoryFromRemote('git@github.com:acme/floorplans.git')).toBe('acme/floorplans');
    expect(repositoryFromRemote('')).toBeUndefined();
  });
});

describe('exit codes', () => {
  it('0 for --help', async () => {
    const { deps } = harness();
    const write = process.stdout.write;
    process.stdout.write = () => true;
    try {
      expect(await runCli(['--help'], deps)).toBe(0);
    } finally {
      process.stdout.write = write;
    }
  });

  it('2 for an unknown flag', async () => {
    const { deps } = harness();
    const write = process.stderr.write;
    process.stderr.write = () => true;
    try {
      expect(await runCli(['train', '--no-such-flag'], deps)).toBe(2);
    } finally {
      process.stderr.write = write;
    }
  });

  it('2 for bad values, with every problem named before any AWS call', async () => {
    const { deps, err } = harness({
      clients: () => {
        throw new Error('no AWS client may be made for bad input');
      },
    });
    const code = await runCli(
      [
        'train',
        '--bucket',
        'Bad_Bucket',
        '--role',
        'arn:aws:iam::123:role/x',
        '--epochs',
        '0',
        '--use-spot-instances',
        'false',
        '--max-wait-time',
        '9000',
      ],
      deps,
    );
    expect(code).toBe(2);
    const text = err.join('\n');
    expect(text).toMatch(/bucket: "Bad_Bucket"/);
    expect(text).toMatch(/role: "arn:aws:iam::123:role\/x"/);
    expect(text).toMatch(/epochs: "0"/);
    expect(text).toMatch(/max-wait: "9000".*spot/);
  });

  it('2 for a --task the --model name contradicts, naming both', async () => {
    const { deps, err } = harness({
      clients: () => {
        throw new Error('no AWS client may be made for bad input');
      },
    });
    const args = ['train', '--bucket', 'b-1', '--role', 'arn:aws:iam::123456789012:role/x'];
    const code = await runCli([...args, '--model', 'yolov8n-seg.pt', '--task', 'pose'], deps);
    expect(code).toBe(2);
    expect(err.join('\n')).toMatch(
      /task: "pose" disagrees with model "yolov8n-seg\.pt", a segment model by its name .*use model "yolov8n-pose\.pt"/,
    );
  });
});

describe('train on the emulator', () => {
  let moto: Moto;
  let dataset: string;
  beforeAll(async () => {
    moto = await startMoto();
    dataset = await tempDir('cli-ds-');
    await writeTree(dataset, basicDataset());
    const clients = createAwsClients({ region: 'us-east-1', env: moto.env });
    await clients.s3.send(new CreateBucketCommand({ Bucket: 'cli-bucket' }));
  }, 60_000);
  afterAll(async () => {
    await removeDir(dataset);
    await moto.stop();
  });

  /** Completes at once and leaves output.tar.gz where SageMaker would. */
  function fakeBackend(map50: number): TrainingBackend & { launched: Config[] } {
    const launched: Config[] = [];
    const outcome = (jobName: string): JobOutcome => ({
      jobName,
      status: 'Completed',
      finalMetrics: {},
      instanceType: 'ml.g5.xlarge',
      instanceCount: 1,
      spot: true,
      consoleUrl: 'https://example.invalid',
      region: 'us-east-1',
      trainingSeconds: 100,
      billableSeconds: 30,
      outputDataUri: `s3://cli-bucket/yolo-training/output/${jobName}/output/output.tar.gz`,
      modelArtifactsUri: `s3://cli-bucket/yolo-training/output/${jobName}/output/model.tar.gz`,
    });
    return {
      kind: 'sagemaker',
      launched,
      async launch(config) {
        launched.push(config);
        const clients = createAwsClients({ region: 'us-east-1', env: moto.env });
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: 'cli-bucket',
            Key: `yolo-training/output/${config.jobName}/output/output.tar.gz`,
            Body: makeOutputArchive({
              'metrics.json': JSON.stringify({ ...METRICS_JSON, map50 }),
              'results.csv': RESULTS_CSV,
              'plots/results.png': 'PNG',
            }),
          }),
        );
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: 'cli-bucket',
            Key: `yolo-training/output/${config.jobName}/output/model.tar.gz`,
            Body: makeOutputArchive({
              'best.pt': 'BEST',
              'last.pt': 'LAST',
              'training_metrics.json': '{}',
            }),
          }),
        );
        return { jobName: config.jobName, attached: false };
      },
      wait: async (jobName) => outcome(jobName),
      describe: async (jobName) => outcome(jobName),
    };
  }

  const flags = () => [
    'train',
    '--bucket',
    'cli-bucket',
    '--role',
    'arn:aws:iam::123456789012:role/SageMakerRole',
    '--image-uri',
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
    '--dataset',
    dataset,
    '--instance-type',
    'ml.g5.xlarge',
    '--epochs',
    '7',
    '--json',
    // Every test trains anew: identical inputs would otherwise reuse the first test's job.
    '--force-retrain',
  ];

  it('exit 0 when the gate passes; --json carries the outputs', async () => {
    const backend = fakeBackend(0.9);
    const { deps, json } = harness({
      env: { ...moto.env },
      clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
      training: backend,
    });
    const modelDir = path.join(dataset, '..', `${path.basename(dataset)}-models`);
    expect(await runCli([...flags(), '--model-dir', modelDir], deps)).toBe(0);
    const result = JSON.parse(json.join('\n')) as {
      passed: boolean;
      outputs: Record<string, string>;
      epochs: { epoch: number; values: Record<string, number | null> }[];
    };
    expect(result.passed).toBe(true);
    // The per-epoch series from results.csv, every column.
    expect(result.epochs.length).toBeGreaterThan(1);
    expect(result.epochs[0]).toMatchObject({
      epoch: 1,
      values: { 'metrics/mAP50(B)': expect.any(Number) },
    });
    expect(result.outputs.map50).toBe('0.9');
    expect(result.outputs.snapshot).toMatch(/^[0-9a-f]{64}$/);
    // --wait (the default) downloads the model as the old launcher did, plots beside it.
    expect(result.outputs['model-path']).toBe(path.resolve(modelDir));
    expect(readFileSync(path.join(modelDir, 'best.pt'), 'utf8')).toBe('BEST');
    expect(readdirSync(modelDir).sort()).toEqual([
      'best.pt',
      'last.pt',
      'plots',
      'training_metrics.json',
    ]);
    expect(readdirSync(path.join(modelDir, 'plots'))).toEqual(['results.png']);
    await removeDir(modelDir);
    expect(backend.launched[0]?.hyperparameters.epochs).toBe(7);
    expect(backend.launched[0]?.jobName).toMatch(/^floorplans-cli-1700000000-ec26c3e/);
  });

  it('--instance-count (the old launcher flag) trains on several spot instances', async () => {
    const backend = fakeBackend(0.9);
    const { deps } = harness({
      env: { ...moto.env },
      clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
      training: backend,
    });
    const args = [
      ...flags(),
      ...['--instance-count', '4', '--use-spot-instances', 'true', '--no-download'],
    ];
    expect(await runCli(args, deps)).toBe(0);
    expect(backend.launched[0]).toMatchObject({ instanceCount: 4, spot: true });
  });

  it('exit 1 when the gate fails, with every check in the message', async () => {
    const { deps, err, out } = harness({
      env: { ...moto.env },
      clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
      training: fakeBackend(0.5),
    });
    const textFlags = flags().filter((f) => f !== '--json');
    const cwdModels = path.resolve('models');
    const before = existsSync(cwdModels);
    expect(await runCli([...textFlags, '--recall-threshold', '0.99', '--no-download'], deps)).toBe(
      1,
    );
    expect(existsSync(cwdModels)).toBe(before);
    expect(out.join('\n')).not.toContain('Downloaded');
    const text = err.join('\n');
    // Without --json the terminal gets the report as text: verdict, metrics, a text chart.
    const report = out.join('\n');
    expect(report).toMatch(/== FAILED the quality gate: /);
    expect(report).toMatch(/^ {2}mAP@0\.5 +[▁▂▃▄▅▆▇█]+ {2}/m);
    expect(report).not.toContain('<!-- sagemaker-yolo-action:');
    expect(text).toMatch(/Quality gate failed/);
    expect(text).toMatch(/map50 0\.5000? < 0\.85/);
    expect(text).toMatch(/recall .* < 0\.99/);
  });

  describe('Ctrl-C', () => {
    /** A backend with `stop`, a captured SIGINT handler and a stubbed exit. */
    function interruptible(signalIn: 'launch' | 'wait' | 'describe') {
      const base = fakeBackend(0.9);
      const stopped: string[] = [];
      const exits: number[] = [];
      let exitsAtSignal: number[] = [];
      let handler: (() => void) | undefined;
      let exited: () => void = () => undefined;
      const exitDone = new Promise<void>((resolve) => (exited = resolve));
      let release: (outcome: JobOutcome) => void = () => undefined;
      const signal = () => {
        handler?.();
        exitsAtSignal = [...exits];
      };
      const backend: TrainingBackend & { stop: (job: string) => Promise<void> } = {
        ...base,
        async launch(config, image, dataset) {
          const result = await base.launch(config, image, dataset);
          if (signalIn === 'launch') signal();
          return result;
        },
        wait: (jobName) =>
          new Promise<JobOutcome>((resolve) => {
            release = resolve;
            if (signalIn === 'wait') signal();
            else void base.wait(jobName).then(resolve);
          }),
        async describe(jobName) {
          if (signalIn === 'describe') signal();
          return base.describe(jobName);
        },
        async stop(jobName) {
          stopped.push(jobName);
          release({ ...(await base.describe(jobName)), status: 'Stopped' });
        },
      };
      const h = harness({
        env: { ...moto.env },
        clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
        training: backend,
        onSignal: (fn) => void (handler = fn),
        exit: (code) => {
          exits.push(code);
          exited();
        },
      });
      return { ...h, stopped, exits, exitDone, atSignal: () => exitsAtSignal };
    }

    it('while waiting stops the running job, then exits 130', async () => {
      const t = interruptible('wait');
      expect(await runCli(flags(), t.deps)).toBe(1); // the job ended Stopped: no gate
      await t.exitDone;
      expect(t.stopped).toEqual([expect.stringMatching(/^floorplans-cli-1700000000/)]);
      expect(t.atSignal()).toEqual([]); // not before the stop was requested
      expect(t.exits).toEqual([130]);
      expect(t.err.join('\n')).toMatch(/Stopping floorplans-cli-1700000000/);
    });

    it('with no job running (validate, sync, build) exits 130 at once, stopping nothing', async () => {
      const t = interruptible('launch');
      await runCli([...flags(), '--no-download'], t.deps); // the stubbed exit lets the run go on
      expect(t.atSignal()).toEqual([130]);
      expect(t.stopped).toEqual([]);
    });

    it('with wait false exits 130 at once and leaves the job running', async () => {
      const t = interruptible('describe');
      await runCli([...flags(), '--wait', 'false'], t.deps);
      expect(t.atSignal()).toEqual([130]);
      expect(t.stopped).toEqual([]);
      expect(t.err.join('\n')).toMatch(/keeps running: wait is false/);
    });
  });

  it('--skip-upload trains from a snapshot an older sync stored plain (<fp>.json), naming that key', async () => {
    const other = await tempDir('cli-plain-');
    try {
      await writeTree(other, { ...basicDataset(), 'labels/val/v1.txt': '0 0.3 0.3 0.2 0.2\n' });
      const { s3 } = createAwsClients({ region: 'us-east-1', env: moto.env });
      const snapshot = await buildSnapshot(other);
      await syncSnapshot(s3, { bucket: 'cli-bucket', prefix: 'yolo-training', snapshot });
      const keys = datasetKeys('yolo-training');
      const fp = snapshot.fingerprint;
      await s3.send(
        new PutObjectCommand({
          Bucket: 'cli-bucket',
          Key: keys.plainSnapshot(fp),
          Body: snapshot.json,
        }),
      );
      await s3.send(new DeleteObjectCommand({ Bucket: 'cli-bucket', Key: keys.snapshot(fp) }));
      const backend = fakeBackend(0.9);
      const inputs: unknown[] = [];
      const launch = backend.launch.bind(backend);
      backend.launch = async (config, image, data) => (
        inputs.push(data.input),
        launch(config, image, data)
      );
      const { deps } = harness({
        env: { ...moto.env },
        clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
        training: backend,
      });
      const args = flags().map((a) => (a === dataset ? other : a));
      expect(await runCli([...args, '--skip-upload', '--no-download'], deps)).toBe(0);
      expect(inputs).toEqual([
        {
          kind: 'snapshot',
          fingerprint: fp,
          manifestUri: `s3://cli-bucket/${keys.manifest(fp)}`,
          snapshotUri: `s3://cli-bucket/${keys.plainSnapshot(fp)}`,
        },
      ]);
    } finally {
      await removeDir(other);
    }
  });

  it('--skip-upload refuses a dataset whose snapshot is not in S3, uploading nothing', async () => {
    const other = await tempDir('cli-other-');
    try {
      await writeTree(other, { ...basicDataset(), 'labels/val/v1.txt': '0 0.4 0.4 0.5 0.5\n' });
      const { deps, err } = harness({
        env: { ...moto.env },
        clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
        training: fakeBackend(0.9),
      });
      const args = flags().map((a) => (a === dataset ? other : a));
      expect(await runCli([...args, '--skip-upload'], deps)).toBe(1);
      expect(err.join('\n')).toMatch(
        /--skip-upload: snapshot [0-9a-f]{12} .* is not in s3:\/\/cli-bucket/,
      );
    } finally {
      await removeDir(other);
    }
  });
});
