// instance-count 2 through the local backend, for real: two processes of training-container/
// train.py, each with its own /opt/ml tree and resourceconfig.json (algo-1, algo-2), joined by
// torchrun over 127.0.0.1 with gloo on CPU. Tiny on purpose (16 plans at 64 px, yolov8n from its
// yaml): the machine has 2 cores.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import type { DatasetInput } from '../../src/pipeline.js';
import { createLocalBackend, type LocalBackend } from '../../src/training/local.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  extractFromS3,
  makeConfig,
  quietLog,
  readTree,
  uploadSnapshot,
  useEnv,
} from './fixtures.js';

const ROOT = process.cwd();
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const ready = existsSync(PYTHON);
const BUCKET = 'multihost-bucket';
const PREFIX = 'yolo-training';
const NO_IMAGE = { imageUri: '', tag: '', built: false };

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const read = (file: string) => fs.readFile(file, 'utf8').catch(() => '');

/** The host's process and every descendant (torchrun starts its workers in their own sessions). */
function processTree(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number]);
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of rows) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

/** Every process of the host at once, as when its machine goes away. */
function killHost(pid: number): void {
  for (const p of processTree(pid)) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

(ready ? describe : describe.skip)('instance-count 2 through the local backend', () => {
  let moto: Moto;
  let s3: S3Client;
  let tmp: string;
  let input: Extract<DatasetInput, { kind: 'snapshot' }>;
  let restoreEnv = () => {};

  beforeAll(async () => {
    moto = await startMoto();
    restoreEnv = useEnv(moto.env);
    s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'local-multihost-'));
    const data = path.join(tmp, 'plans');
    const gen = spawnSync(
      PYTHON,
      [
        path.join(ROOT, 'scripts', 'make_floorplans.py'),
        ...['--count', '16', '--imgsz', '64', '--seed', '0', '--out', data],
      ],
      { encoding: 'utf8' },
    );
    if (gen.status !== 0) throw new Error(`make_floorplans.py failed: ${gen.stderr}`);
    ({ input } = await uploadSnapshot(s3, BUCKET, PREFIX, await readTree(data), 'dataset.yaml'));
  }, 60_000);

  afterAll(async () => {
    restoreEnv();
    await moto?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  function backendAndConfig(jobName: string, epochs: number) {
    const log = quietLog();
    const backend: LocalBackend = createLocalBackend({
      s3,
      log,
      actionRoot: ROOT,
      workRoot: path.join(tmp, 'jobs'),
      runtime: 'python',
      env: { OMP_NUM_THREADS: '1', YOLO_JOB_COLLECTIVE_TIMEOUT: '120' },
      pollMs: 300,
      stopGraceMs: 60_000,
    });
    const config = makeConfig({
      jobName,
      bucket: BUCKET,
      prefix: PREFIX,
      instanceCount: 2,
      hyperparameters: {
        model: 'yolov8n.yaml',
        epochs,
        imgsz: 64,
        batch: 4,
        nbs: 4,
        workers: 0,
        mosaic: 0,
        warmup_epochs: 0,
        plots: false,
      },
    });
    const dir = backend.jobDir(jobName);
    return { backend, config, log, dir, other: path.join(dir, 'hosts', 'algo-2') };
  }

  it('trains with world size 2; one model comes out, its metrics equal a re-validation', async () => {
    const { backend, config, log, dir, other } = backendAndConfig('multihost-train', 2);
    await backend.launch(config, NO_IMAGE, { ref: { uri: input.manifestUri }, input });
    const outcome = await backend.wait('multihost-train');
    if (outcome.status !== 'Completed') console.log(log.lines.slice(-60).join('\n'));
    expect(outcome.status).toBe('Completed');

    // two processes, two trees, one group of two ranks
    const leaderLog = await read(path.join(dir, 'train.log'));
    const otherLog = await read(path.join(other, 'train.log'));
    expect(leaderLog).toContain(
      'host algo-1: rank 0 of world size 2 (gloo), batch 2 of the global 4',
    );
    expect(otherLog).toContain(
      'host algo-2: rank 1 of world size 2 (gloo), batch 2 of the global 4',
    );
    expect(
      JSON.parse(await read(path.join(other, 'input', 'config', 'resourceconfig.json'))),
    ).toEqual({
      current_host: 'algo-2',
      hosts: ['algo-1', 'algo-2'],
      network_interface_name: 'lo',
    });
    expect(await fs.readdir(path.join(other, 'model'))).toEqual([]);
    expect(outcome.finalMetrics.epoch).toBe(2);

    // the job's model is rank 0's; re-validating it gives the metrics the job reported
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics).toMatchObject({ source: 'metrics.json', epochsCompleted: 2, imgsz: 64 });
    const model = await extractFromS3(s3, outcome.modelArtifactsUri!, tmp);
    expect((await fs.readdir(model)).sort()).toEqual([
      'best.pt',
      'last.pt',
      'training_metrics.json',
    ]);
    const [yaml] = (await fs.readdir(path.join(dir, 'input', 'yolo-job', 'datasets'))).map((fp) =>
      path.join(dir, 'input', 'yolo-job', 'datasets', fp, 'dataset.yaml'),
    );
    const check = spawnSync(
      PYTHON,
      [
        '-c',
        [
          'import json, sys',
          'from ultralytics import YOLO',
          'm = YOLO(sys.argv[1]).val(data=sys.argv[2], split=sys.argv[3], imgsz=64, batch=4,',
          '    device="cpu", workers=0, plots=False, project=sys.argv[4], name="v", exist_ok=True)',
          'print("RESULT " + json.dumps([m.box.map50, m.box.map, m.box.mp, m.box.mr]))',
        ].join('\n'),
        path.join(model, 'best.pt'),
        yaml as string,
        metrics.split as string,
        path.join(tmp, 'revalidate'),
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          YOLO_OFFLINE: 'true',
          YOLO_CONFIG_DIR: path.join(dir, 'yolo-config'),
        },
      },
    );
    const line = check.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`re-validation failed: ${check.stderr.slice(-2000)}`);
    const [map50, map5095, precision, recall] = JSON.parse(line.slice(7)) as number[];
    expect(metrics.map50).toBeCloseTo(map50 as number, 12);
    expect(metrics.map50_95).toBeCloseTo(map5095 as number, 12);
    expect(metrics.precision).toBeCloseTo(precision as number, 12);
    expect(metrics.recall).toBeCloseTo(recall as number, 12);
  }, 600_000);

  it('a killed algo-2 fails the job within a minute, naming algo-2', async () => {
    const { backend, config, log, dir, other } = backendAndConfig('multihost-kill', 6);
    await backend.launch(config, NO_IMAGE, { ref: { uri: input.manifestUri }, input });
    const leaderLog = path.join(dir, 'train.log');
    await until('epoch 1 on algo-1', 300_000, async () =>
      (await read(leaderLog)).includes('[yolo-metrics] epoch=1 '),
    );
    const pid = Number((await read(path.join(other, 'host.pid'))).trim());
    expect(pid).toBeGreaterThan(0);
    killHost(pid);
    const killedAt = Date.now();
    const outcome = await backend.wait('multihost-kill');
    const took = Date.now() - killedAt;
    if (outcome.status !== 'Failed') console.log(log.lines.slice(-60).join('\n'));
    expect(outcome.status).toBe('Failed');
    expect(took).toBeLessThan(60_000);
    expect(outcome.failureReason).toMatch(/^host algo-2 was killed by SIGKILL; algo-1: /);
    expect(outcome.failureReason).toContain(
      'distributed training failed on host algo-1 (1 of 2): lost contact with host algo-2',
    );
    expect(outcome.modelArtifactsUri).toBeUndefined();
    console.log(`algo-1 failed the job ${took} ms after algo-2 was killed`);
  }, 600_000);

  it('SIGTERM to both hosts stops the job; the next run resumes at the next epoch', async () => {
    const { backend, config, log, dir } = backendAndConfig('multihost-spot', 3);
    const source = { ref: { uri: input.manifestUri }, input };
    await backend.launch(config, NO_IMAGE, source);
    const leaderLog = path.join(dir, 'train.log');
    const last = path.join(dir, 'checkpoints', 'train', 'weights', 'last.pt');
    await until(
      'epoch 1 and its checkpoint',
      300_000,
      async () => (await read(leaderLog)).includes('[yolo-metrics] epoch=1 ') && existsSync(last),
    );
    const stopped = await backend.stop('multihost-spot');
    expect(stopped.status).toBe('Stopped');
    const firstRun = await read(leaderLog);
    expect(firstRun).toContain('SIGTERM received');
    const done = (firstRun.match(/^\[yolo-metrics\] epoch=\d+ /gm) ?? []).length;
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThan(3);

    // a new attempt of the same job: both hosts resume from the job's checkpoint
    await backend.launch(config, NO_IMAGE, source);
    const outcome = await backend.wait('multihost-spot');
    if (outcome.status !== 'Completed') console.log(log.lines.slice(-60).join('\n'));
    expect(outcome.status).toBe('Completed');
    const secondRun = (await read(leaderLog)).slice(firstRun.length);
    expect(secondRun).toContain(`from epoch ${done + 1} to 3 total epochs`);
    const epochs = (secondRun.match(/^\[yolo-metrics\] epoch=(\d+) /gm) ?? []).map((l) =>
      Number(/epoch=(\d+)/.exec(l)![1]),
    );
    expect(epochs[0]).toBe(done + 1);
    expect(epochs.at(-1)).toBe(3);
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics.epochsCompleted).toBe(3);
  }, 900_000);
});
