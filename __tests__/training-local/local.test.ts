// The local backend against a real moto S3, with a fake entrypoint (fake_train.py) that records the
// /opt/ml tree it was given and plays success, failure, crash and SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import type { ImageResult } from '../../src/pipeline.js';
import { createLocalBackend, type LocalBackendDeps } from '../../src/training/local.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  extractFromS3,
  getBuffer,
  makeConfig,
  put,
  quietLog,
  sha256,
  uploadSnapshot,
  useEnv,
} from './fixtures.js';

const FAKE = fileURLToPath(new URL('./fake_train.py', import.meta.url));
const FAKE_DOCKER = fileURLToPath(new URL('./fake_docker.py', import.meta.url));
const PYTHON = existsSync('.venv/bin/python') ? path.resolve('.venv/bin/python') : 'python3';
const BUCKET = 'local-bucket';
const PREFIX = 'yolo-training';
const IMAGE: ImageResult = { imageUri: '', tag: '', built: false };

let moto: Moto;
let s3: S3Client;
let workRoot: string;
let scratch: string;
let restoreEnv = () => {};
const started: { pid?: number }[] = [];

function backend(mode: string, extra: Partial<LocalBackendDeps> = {}) {
  const log = quietLog();
  const b = createLocalBackend({
    s3,
    log,
    actionRoot: process.cwd(),
    workRoot,
    python: PYTHON,
    entrypoint: FAKE,
    runtime: 'python',
    env: { FAKE_MODE: mode },
    pollMs: 50,
    ...extra,
  });
  return { b, log };
}

async function readJson(file: string) {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

async function until(check: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  restoreEnv = useEnv(moto.env);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  workRoot = mkdtempSync(path.join(os.tmpdir(), 'local-backend-'));
  scratch = mkdtempSync(path.join(os.tmpdir(), 'local-backend-archives-'));
}, 30_000);

afterAll(async () => {
  // Leave no fake running, whatever a failed test left behind.
  for (const name of await fs.readdir(workRoot).catch(() => [] as string[])) {
    const rec = await readJson(path.join(workRoot, name, 'job.json')).catch(() => undefined);
    if (rec?.pid) started.push({ pid: rec.pid });
  }
  for (const { pid } of started) {
    try {
      if (pid) process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  restoreEnv();
  await moto?.stop();
  await fs.rm(workRoot, { recursive: true, force: true });
  await fs.rm(scratch, { recursive: true, force: true });
});

describe('a snapshot job that succeeds', () => {
  const files = {
    'data.yaml': 'names: [room]\ntrain: images/train\nval: images/val\n',
    'images/train/a.jpg': 'jpeg-a',
    'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n',
    'images/val/b.jpg': 'jpeg-b',
    // Same content as a.txt: one blob, two snapshot paths.
    'labels/val/b.txt': '0 0.5 0.5 0.2 0.2\n',
  };

  it('emulates /opt/ml, runs the entrypoint, uploads the archives and reports the outcome', async () => {
    const { input, blobs } = await uploadSnapshot(s3, BUCKET, PREFIX, files);
    const config = makeConfig({ jobName: 'snap-ok' });
    const { b, log } = backend('ok');

    const launch = await b.launch(config, IMAGE, { ref: { uri: input.manifestUri }, input });
    expect(launch).toEqual({ jobName: 'snap-ok', attached: false });
    const outcome = await b.wait('snap-ok');

    const dir = b.jobDir('snap-ok');
    expect(outcome).toMatchObject({
      jobName: 'snap-ok',
      status: 'Completed',
      secondaryStatus: 'Completed',
      instanceType: 'local',
      instanceCount: 1,
      spot: false,
      region: 'us-east-1',
      consoleUrl: `file://${dir}`,
      modelArtifactsUri: `s3://${BUCKET}/${PREFIX}/output/snap-ok/output/model.tar.gz`,
      outputDataUri: `s3://${BUCKET}/${PREFIX}/output/snap-ok/output/output.tar.gz`,
      finalMetrics: {
        epoch: 2,
        precision: 0.8,
        recall: 0.6,
        map50: 0.5,
        map50_95: 0.25,
        'train:box_loss': 1,
      },
    });
    expect(outcome.failureReason).toBeUndefined();
    expect(outcome.trainingSeconds).toBe(outcome.billableSeconds);
    expect(outcome.trainingSeconds).toBeGreaterThanOrEqual(0);

    // What the entrypoint saw, recorded by it and shipped back in output.tar.gz.
    const out = await extractFromS3(s3, outcome.outputDataUri!, scratch);
    expect((await fs.readdir(out)).sort()).toEqual(['metrics.json', 'results.csv', 'seen.json']);
    const seen = await readJson(path.join(out, 'seen.json'));
    expect(seen.argv).toEqual(['train']);
    expect(seen.env).toEqual({
      OPT_ML_ROOT: dir,
      YOLO_OFFLINE: 'true',
      YOLO_CONFIG_DIR: path.join(dir, 'yolo-config'),
    });
    expect(seen.config['hyperparameters.json']).toEqual({
      cos_lr: 'true',
      epochs: '2',
      imgsz: '64',
      lr0: '0.01',
      model: 'yolov8n.yaml',
    });
    expect(seen.config['resourceconfig.json']).toEqual({
      current_host: 'algo-1',
      hosts: ['algo-1'],
      network_interface_name: 'eth0',
    });
    expect(Object.keys(seen.config['inputdataconfig.json']).sort()).toEqual([
      'snapshot',
      'training',
    ]);
    // Every blob once, named by its hash, with its content; the gzip'd snapshot JSON under its
    // name, byte for byte as stored (the container gunzips it, as on SageMaker).
    const expected: Record<string, string> = {};
    for (const hash of Object.keys(blobs)) expected[`training/${hash}`] = hash;
    const snapshotKey = `${PREFIX}/datasets/snapshots/${input.fingerprint}.json.gz`;
    expected[`snapshot/${input.fingerprint}.json.gz`] = sha256(
      await getBuffer(s3, BUCKET, snapshotKey),
    );
    expect(seen.data).toEqual(expected);
    expect(Object.keys(blobs)).toHaveLength(4);
    expect(seen.dirs).toEqual({ model: true, 'output/data': true, checkpoints: true });

    const model = await extractFromS3(s3, outcome.modelArtifactsUri!, scratch);
    expect((await fs.readdir(model)).sort()).toEqual([
      'best.pt',
      'last.pt',
      'training_metrics.json',
    ]);
    expect(readFileSync(path.join(model, 'best.pt'), 'utf8')).toBe('best weights');

    // Output streamed to the log, metric lines included.
    // The job's log arrives in blocks (one per poll): look at its lines.
    const lines = log.lines.flatMap((block) => block.split('\n'));
    expect(lines).toContain("fake-start mode=ok argv=['train']");
    expect(lines.some((l) => l.startsWith('[yolo-metrics] epoch=2'))).toBe(true);

    expect(await b.describe('snap-ok')).toEqual(outcome);

    // The metrics reader used for SageMaker jobs reads the local job's archive as is.
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics).toMatchObject({ source: 'metrics.json', map50: 0.5, split: 'val' });
    expect(metrics.epochs.map((e) => e.epoch)).toEqual([1, 2]);
  });

  it('does not train a completed job again, and restores archives that went missing', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, files);
    const config = makeConfig({ jobName: 'snap-ok' });
    const { b } = backend('crash');
    const first = await b.describe('snap-ok');
    await s3.send(
      new DeleteObjectCommand({
        Bucket: BUCKET,
        Key: `${PREFIX}/output/snap-ok/output/output.tar.gz`,
      }),
    );

    const launch = await b.launch(config, IMAGE, { ref: { uri: input.manifestUri }, input });
    expect(launch.alreadyEnded).toEqual(first);
    const log = await fs.readFile(path.join(b.jobDir('snap-ok'), 'train.log'), 'utf8');
    expect(log.match(/fake-start/g)).toHaveLength(1);
    const out = await extractFromS3(s3, first.outputDataUri!, scratch);
    expect(await fs.readdir(out)).toContain('metrics.json');
  });
});

describe('an S3 prefix job', () => {
  it('downloads every object under the prefix, keeping relative paths', async () => {
    await put(s3, BUCKET, 'user/data/data.yaml', 'names: [room]\n');
    await put(s3, BUCKET, 'user/data/images/train/x.jpg', 'x');
    await put(s3, BUCKET, 'user/data/empty-folder/', '');
    await put(s3, BUCKET, 'user/data2/not-mine.txt', 'sibling prefix');
    const { b } = backend('ok');
    const input = { kind: 's3-prefix' as const, uri: `s3://${BUCKET}/user/data` };
    await b.launch(makeConfig({ jobName: 'prefix-ok' }), IMAGE, { ref: { uri: input.uri }, input });
    const outcome = await b.wait('prefix-ok');
    expect(outcome.status).toBe('Completed');
    const seen = await readJson(path.join(b.jobDir('prefix-ok'), 'output', 'data', 'seen.json'));
    expect(seen.data).toEqual({
      'training/data.yaml': sha256('names: [room]\n'),
      'training/images/train/x.jpg': sha256('x'),
    });
    expect(Object.keys(seen.config['inputdataconfig.json'])).toEqual(['training']);
  });
});

describe('failures', () => {
  it('a failing entrypoint is Failed with its failure reason; a re-run resumes from checkpoints', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'names: [room]\n' });
    const dataset = { ref: { uri: input.manifestUri }, input };
    const config = makeConfig({ jobName: 'fails-once' });
    const failing = backend('fail').b;
    await failing.launch(config, IMAGE, dataset);
    const failed = await failing.wait('fails-once');
    expect(failed).toMatchObject({
      status: 'Failed',
      failureReason: 'CUDA out of memory: reduce batch-size, now 16',
      outputDataUri: `s3://${BUCKET}/${PREFIX}/output/fails-once/output/output.tar.gz`,
    });
    expect(failed.modelArtifactsUri).toBeUndefined();

    // Same job name again: no stale failure, the checkpoint is still there for the container.
    const ok = backend('ok').b;
    expect((await ok.launch(config, IMAGE, dataset)).alreadyEnded).toBeUndefined();
    expect(existsSync(path.join(ok.jobDir('fails-once'), 'output', 'failure'))).toBe(false);
    const outcome = await ok.wait('fails-once');
    expect(outcome.status).toBe('Completed');
    const seen = await readJson(path.join(ok.jobDir('fails-once'), 'output', 'data', 'seen.json'));
    expect(seen.checkpoints).toEqual(['last.pt']);
  });

  it('a crash without a failure file names the exit code and the last output line', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('crash');
    await b.launch(makeConfig({ jobName: 'crashes' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    const outcome = await b.wait('crashes');
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toBe(
      'AlgorithmError: the training process exited with code 3; last output: Traceback (most recent call last): boom',
    );
  });

  it('an interpreter that cannot be started fails the job with the reason', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('ok', { python: path.join(workRoot, 'no-such-python') });
    const dataset = { ref: { uri: input.manifestUri }, input };
    await b.launch(makeConfig({ jobName: 'no-python' }), IMAGE, dataset);
    const outcome = await b.wait('no-python');
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toMatch(
      /^AlgorithmError: could not start the training entrypoint: .*ENOENT/,
    );
  });

  it('a Python without ultralytics fails the job with how to set one up', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    // The real entrypoint (no override) with an interpreter that has no ultralytics: node.
    const { b } = backend('ok', { python: process.execPath, entrypoint: undefined });
    await b.launch(makeConfig({ jobName: 'no-ultralytics' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    const outcome = await b.wait('no-ultralytics');
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toMatch(
      /cannot import ultralytics and torch: run scripts\/setup-python\.sh/,
    );
  });

  it('missing data fails the job in Downloading, without starting the entrypoint', async () => {
    const { b } = backend('ok');
    const input = {
      kind: 'snapshot' as const,
      manifestUri: `s3://${BUCKET}/${PREFIX}/datasets/snapshots/nope.manifest`,
      snapshotUri: `s3://${BUCKET}/${PREFIX}/datasets/snapshots/nope.json`,
      fingerprint: 'nope',
    };
    const launch = await b.launch(makeConfig({ jobName: 'no-data' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    expect(launch.attached).toBe(false);
    const outcome = await b.wait('no-data');
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toMatch(/^ClientError: Data download failed: /);
    expect(existsSync(path.join(b.jobDir('no-data'), 'train.log'))).toBe(false);
  });

  it('a blob whose content does not match its hash fails the download', async () => {
    const { input, blobs } = await uploadSnapshot(s3, BUCKET, 'tampered', { 'a.txt': 'original' });
    const [hash] = Object.keys(blobs);
    await put(s3, BUCKET, `tampered/datasets/objects/${hash}`, 'tampered');
    const { b } = backend('ok');
    await b.launch(makeConfig({ jobName: 'tampered' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    const outcome = await b.wait('tampered');
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toContain(`has sha256 ${sha256('tampered')}, not its name`);
  });
});

describe('stopping', () => {
  it('stop() sends SIGTERM and waits for the checkpoint; the job ends Stopped', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('sigterm');
    await b.launch(makeConfig({ jobName: 'stop-me' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    const dir = b.jobDir('stop-me');
    const logFile = path.join(dir, 'train.log');
    await until(async () => (await fs.readFile(logFile, 'utf8')).includes('ready'));
    expect((await b.describe('stop-me')).status).toBe('InProgress');

    const outcome = await b.stop('stop-me');
    expect(outcome.status).toBe('Stopped');
    expect(outcome.failureReason).toBeUndefined();
    expect(await fs.readFile(logFile, 'utf8')).toContain('SIGTERM received: saving checkpoint');
    expect(readFileSync(path.join(dir, 'checkpoints', 'last.pt'), 'utf8')).toBe(
      'saved after SIGTERM',
    );
    // SageMaker keeps a stopped job's model.
    const model = await extractFromS3(s3, outcome.modelArtifactsUri!, scratch);
    expect(await fs.readdir(model)).toEqual(['last.pt']);
    expect(await b.describe('stop-me')).toEqual(outcome);
  });

  it('kills a job that ignores SIGTERM after the grace period', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b, log } = backend('stubborn', { stopGraceMs: 300 });
    await b.launch(makeConfig({ jobName: 'stubborn' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    const logFile = path.join(b.jobDir('stubborn'), 'train.log');
    await until(async () => (await fs.readFile(logFile, 'utf8')).includes('ready'));
    const t0 = Date.now();
    const outcome = await b.stop('stubborn');
    expect(outcome.status).toBe('Stopped');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(log.lines.some((l) => /ignored SIGTERM; killing it/.test(l))).toBe(true);
  });

  it('stops a job past max-runtime as MaxRuntimeExceeded', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('sigterm');
    const config = makeConfig({ jobName: 'too-long', maxRuntimeSeconds: 1 });
    await b.launch(config, IMAGE, { ref: { uri: input.manifestUri }, input });
    const outcome = await b.wait('too-long');
    expect(outcome).toMatchObject({
      status: 'Stopped',
      secondaryStatus: 'MaxRuntimeExceeded',
      limitExceeded: 'MaxRuntimeExceeded',
    });
  });

  it('gives up waiting at the wait timeout and leaves the job running', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('sigterm');
    const config = makeConfig({ jobName: 'slow', waitTimeoutSeconds: 1 });
    await b.launch(config, IMAGE, { ref: { uri: input.manifestUri }, input });
    const outcome = await b.wait('slow');
    expect(outcome).toMatchObject({ status: 'InProgress', timedOut: true });
    expect((await b.describe('slow')).status).toBe('InProgress');
    expect((await b.stop('slow')).status).toBe('Stopped');
  });
});

describe('docker runtime', () => {
  it('runs `docker run -v <job dir>:/opt/ml <image> train`, with GPUs when docker has nvidia', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'fake-docker-'));
    const docker = path.join(bin, 'docker');
    await fs.writeFile(docker, `#!${PYTHON}\n${await fs.readFile(FAKE_DOCKER, 'utf8')}`, {
      mode: 0o755,
    });
    const argsFile = path.join(bin, 'args.json');
    const restore = useEnv({
      PATH: `${bin}${path.delimiter}${process.env.PATH}`,
      FAKE_DOCKER_ARGS: argsFile,
      FAKE_TRAIN: FAKE,
    });
    try {
      const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
      const { b } = backend('ok', { runtime: 'auto' });
      const image = {
        imageUri: '123.dkr.ecr.us-east-1.amazonaws.com/yolo:abc',
        tag: 'abc',
        built: true,
      };
      await b.launch(makeConfig({ jobName: 'in-docker' }), image, {
        ref: { uri: input.manifestUri },
        input,
      });
      const outcome = await b.wait('in-docker');
      expect(outcome.status).toBe('Completed');
      const dir = b.jobDir('in-docker');
      const args: string[] = await readJson(argsFile);
      expect(args.slice(0, 8)).toEqual([
        'run',
        '--rm',
        '--name',
        'sagemaker-yolo-in-docker',
        '--network',
        'none',
        '-v',
        `${dir}:/opt/ml`,
      ]);
      expect(args.slice(-2)).toEqual([image.imageUri, 'train']);
      expect(args).toEqual(expect.arrayContaining(['--gpus', 'all', 'FAKE_MODE=ok']));
      const seen = await readJson(path.join(dir, 'output', 'data', 'seen.json'));
      expect(seen.env.YOLO_CONFIG_DIR).toBe('/opt/ml/yolo-config');
      expect(seen.config['resourceconfig.json'].current_host).toBe('algo-1');
    } finally {
      restore();
      await fs.rm(bin, { recursive: true, force: true });
    }
  });
});

describe('another process', () => {
  it('attaches to a running job and finalizes it once it ends', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const dataset = { ref: { uri: input.manifestUri }, input };
    const config = makeConfig({ jobName: 'detached' });
    const launcher = backend('sigterm').b;
    await launcher.launch(config, IMAGE, dataset);
    const logFile = path.join(launcher.jobDir('detached'), 'train.log');
    await until(async () => (await fs.readFile(logFile, 'utf8')).includes('ready'));

    // A second backend knows the job only from job.json (like the post step or the CLI).
    const other = backend('ok').b;
    expect(await other.launch(config, IMAGE, dataset)).toEqual({
      jobName: 'detached',
      attached: true,
    });
    expect((await other.describe('detached')).status).toBe('InProgress');
    const outcome = await other.stop('detached');
    expect(outcome.status).toBe('Stopped');
    expect(outcome.modelArtifactsUri).toBe(
      `s3://${BUCKET}/${PREFIX}/output/detached/output/model.tar.gz`,
    );
    // The launcher sees the finished record.
    expect(await launcher.wait('detached')).toEqual(outcome);
  });

  it('settles a job whose launcher died before starting it, then starts it again', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    const { b } = backend('ok');
    const dir = b.jobDir('orphan');
    await fs.mkdir(dir, { recursive: true });
    const deadPid = spawnSync(PYTHON, ['-c', 'pass']).pid;
    await fs.writeFile(
      path.join(dir, 'job.json'),
      JSON.stringify({
        version: 1,
        jobName: 'orphan',
        status: 'InProgress',
        startedAt: Date.now(),
        launcherPid: deadPid,
        logOffset: 0,
        bucket: BUCKET,
        prefix: PREFIX,
        region: 'us-east-1',
        maxRuntimeSeconds: 60,
        waitTimeoutSeconds: 60,
      }),
    );
    const settled = await b.describe('orphan');
    expect(settled.status).toBe('Failed');
    expect(settled.failureReason).toMatch(/without writing a model or a failure reason/);
    // Its output.tar.gz is an empty but valid archive: the reader falls back, it does not throw.
    expect((await readJobMetrics(s3, settled)).source).toBe('none');

    await b.launch(makeConfig({ jobName: 'orphan' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    expect((await b.wait('orphan')).status).toBe('Completed');
  });

  it('a stop that arrives while the channels download ends the job before it starts', async () => {
    const { input } = await uploadSnapshot(s3, BUCKET, PREFIX, { 'data.yaml': 'x' });
    // An S3 client whose downloads take a while, so the stop lands mid-download.
    const slowS3 = {
      send: async (command: Parameters<S3Client['send']>[0]) => {
        await new Promise((r) => setTimeout(r, 400));
        return s3.send(command);
      },
    } as unknown as S3Client;
    const launcher = backend('ok', { s3: slowS3 }).b;
    const launching = launcher.launch(makeConfig({ jobName: 'stop-early' }), IMAGE, {
      ref: { uri: input.manifestUri },
      input,
    });
    await until(() => existsSync(path.join(launcher.jobDir('stop-early'), 'job.json')));
    const outcome = await backend('ok').b.stop('stop-early');
    await launching;
    expect(outcome.status).toBe('Stopped');
    expect(existsSync(path.join(launcher.jobDir('stop-early'), 'train.log'))).toBe(false);
    expect(await launcher.wait('stop-early')).toEqual(outcome);
  });

  it('describe() of an unknown job says so', async () => {
    const { b } = backend('ok');
    await expect(b.describe('never-launched')).rejects.toThrow(
      /no local training job "never-launched"/,
    );
    await expect(b.describe('../escape')).rejects.toThrow(/invalid training job name/);
  });
});
