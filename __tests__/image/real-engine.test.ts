// The action's own image stage on a real Docker engine and registry (scripts/test-engine.sh):
// `sagemaker-yolo image` builds training-container/Dockerfile on the local base image, logs in
// with --password-stdin (htpasswd on the registry, the credentials from ECR's API on the AWS
// emulator), pushes the content-hash tag and reports the digest the registry holds. A second run
// builds nothing; a train.py change gives a new tag and rebuilds only the layers after the
// dependencies. Durations are printed for the README.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  appendFile,
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAwsClients, createS3Client } from '../../src/aws.js';
import { runCli, type CliDeps } from '../../src/cli/program.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import type { DatasetInput } from '../../src/pipeline.js';
import { createLocalBackend, type LocalBackend } from '../../src/training/local.js';
import type { Hyperparameters } from '../../src/types.js';
import { docker, startEngine, testBaseImage, type Engine } from '../helpers/docker-engine.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeConfig, quietLog, uploadSnapshot } from '../training-local/fixtures.js';

const REGION = 'us-east-1';
const REPOSITORY = 'yolo-training-engine-test';
const BUCKET = 'engine-test';
const PREFIX = 'yolo-training';
/** Baked from the build context's weights/ (a real ultralytics checkpoint, made offline below). */
const START_WEIGHTS = 'floorplans-start.pt';
const PYTHON = path.join(process.cwd(), '.venv', 'bin', 'python');
const METRIC_DEFS = JSON.parse(
  readFileSync(path.join(process.cwd(), 'training-container', 'metric-definitions.json'), 'utf8'),
) as {
  linePrefix: string;
  definitions: { Name: string; Regex: string; key: string; column: string }[];
};

let engine: Engine;
let moto: Moto;
let base: string;
let work: string;
let context: string;
const savedEnv = { ...process.env };

interface ImageJson {
  imageUri: string;
  digest: string | null;
  tag: string;
  built: boolean;
}

async function imageCommand(extra: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const json: string[] = [];
  const deps: CliDeps = {
    env: { ...process.env, ...moto.env },
    cwd: process.cwd(),
    actionRoot: process.cwd(),
    sinks: { out: (l) => out.push(l), err: (l) => err.push(l) },
    stdout: (t) => json.push(t),
    clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
  };
  const started = Date.now();
  const code = await runCli(
    [
      'image',
      '--ecr-repository',
      REPOSITORY,
      '--container-context',
      context,
      '--base-image',
      base,
      '--registry',
      engine.registry,
      '--aws-region',
      REGION,
      '--pretrained-weights',
      START_WEIGHTS,
      '--json',
      ...extra,
    ],
    deps,
  );
  const seconds = (Date.now() - started) / 1000;
  if (code !== 0) throw new Error(`image exited ${code}:\n${err.slice(-40).join('\n')}`);
  return { result: JSON.parse(json.join('')) as ImageJson, log: err, seconds };
}

/** The digest the registry itself holds for a tag (its HTTP API, with the registry's password). */
async function registryDigest(tag: string): Promise<string | null> {
  const auth = Buffer.from(`${engine.username}:${engine.password}`).toString('base64');
  const res = await fetch(`http://${engine.registry}/v2/${REPOSITORY}/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      Authorization: `Basic ${auth}`,
      Accept: 'application/vnd.docker.distribution.manifest.v2+json',
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

beforeAll(async () => {
  engine = await startEngine();
  // The stage runs `docker` from PATH with this process's environment, as in the action.
  Object.assign(process.env, engine.env);
  work = await mkdtemp(path.join(os.tmpdir(), 'image-engine-'));
  process.env.DOCKER_CONFIG = path.join(work, 'docker-config');
  base = await testBaseImage(engine);
  moto = await startMoto();
  // A copy of the build context, so the train.py change below leaves the checkout alone.
  context = path.join(work, 'training-container');
  await cp(path.join(process.cwd(), 'training-container'), context, {
    recursive: true,
    filter: (src) => !/(__pycache__|\.pytest_cache|[/\\]tests)$/.test(src),
  });
  // The weights the build bakes, made here without any download: yolo26n.pt (always baked, for
  // ultralytics' AMP check) and the pretrained file the jobs start from.
  const weights = path.join(context, 'weights');
  await mkdir(weights, { recursive: true });
  execFileSync(
    PYTHON,
    [
      '-c',
      'import sys\nfrom ultralytics import YOLO\nfor cfg, out in zip(sys.argv[1::2], sys.argv[2::2]):\n    YOLO(cfg).save(out)',
      'yolo26n.yaml',
      path.join(weights, 'yolo26n.pt'),
      'yolov8n.yaml',
      path.join(weights, START_WEIGHTS),
    ],
    { env: { ...process.env, YOLO_OFFLINE: 'true', YOLO_CONFIG_DIR: path.join(work, 'yolo') } },
  );
}, 1_800_000);

afterAll(async () => {
  process.env = savedEnv;
  await moto?.stop();
  await engine?.stop();
  if (work) await rm(work, { recursive: true, force: true });
}, 300_000);

describe('the image stage on a real engine and registry', () => {
  let first: ImageJson;

  it('builds on the local base, logs in with the password on stdin, pushes the hash tag and reports its digest', async () => {
    const { result, log, seconds } = await imageCommand();
    console.log(`image stage, first build (base cached): ${seconds.toFixed(0)} s`);
    first = result;
    expect(result.built).toBe(true);
    expect(result.tag).toMatch(/^src-[0-9a-f]{12}$/);
    expect(result.imageUri).toBe(`${engine.registry}/${REPOSITORY}:${result.tag}`);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // The digest is the one the registry serves for the tag.
    expect(await registryDigest(result.tag)).toBe(result.digest);
    // The password went in on stdin: never in an argument list that the log echoes.
    expect(log.join('\n')).toContain('--password-stdin');
    expect(log.join('\n')).not.toContain(engine.password);
    expect(log.join('\n')).toContain('docker buildx is not available');
    // ECR's API (the emulator) holds the repository.
    const ecr = createAwsClients({ region: REGION, env: moto.env }).ecr;
    const repos = await ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] }),
    );
    expect(repos.repositories?.[0]?.repositoryName).toBe(REPOSITORY);
    // Logged out again: no credential left behind in the docker config.
    const config = await readFile(
      path.join(process.env.DOCKER_CONFIG as string, 'config.json'),
      'utf8',
    ).catch(() => '{}');
    expect(JSON.stringify(JSON.parse(config).auths ?? {})).not.toContain(engine.registry);
    const size = (
      await docker(engine, ['image', 'inspect', '--format', '{{.Size}}', result.imageUri])
    ).stdout.trim();
    console.log(`training image size: ${(Number(size) / 1e9).toFixed(2)} GB`);
  }, 1_800_000);

  it('a second run with the same source builds nothing', async () => {
    const { result, log, seconds } = await imageCommand();
    console.log(`image stage, unchanged source: ${seconds.toFixed(1)} s`);
    expect(result).toEqual({ ...first, built: false });
    expect(log.join('\n')).not.toMatch(/docker build|docker push/);
  }, 600_000);

  it('a train.py change gives a new tag and rebuilds only the layers after the dependencies', async () => {
    await appendFile(path.join(context, 'train.py'), '\n# changed by the engine test\n');
    const { result, log, seconds } = await imageCommand();
    console.log(`image stage, train.py changed: ${seconds.toFixed(0)} s`);
    expect(result.built).toBe(true);
    expect(result.tag).not.toBe(first.tag);
    expect(result.digest).not.toBe(first.digest);
    expect(await registryDigest(result.tag)).toBe(result.digest);
    const text = log.join('\n');
    // BuildKit's plain progress: `#N [k/n] RUN ...` then `#N CACHED` for a reused step.
    const step = (pattern: RegExp) => {
      const line = log.find((l) => pattern.test(l) && /^#\d+ \[/.test(l));
      const id = line?.match(/^#(\d+) /)?.[1];
      if (!id) throw new Error(`no build step ${pattern} in the log:\n${text}`);
      return { id, cached: log.some((l) => l === `#${id} CACHED`) };
    };
    expect(step(/pip install/).cached).toBe(true);
    expect(step(/bake_assets\.py --weights/).cached).toBe(true);
    expect(step(/COPY metric-definitions\.json/).cached).toBe(false);
    // Only the changed layer travels: the base and dependency layers are already in the registry.
    expect(text).toMatch(/Layer already exists/);
  }, 1_800_000);
});

/** Every `[yolo-metrics]` line of a log, with what each metric definition captures from it. */
function metricLines(text: string): Record<string, number>[] {
  return text
    .split('\n')
    .filter((l) => l.includes(METRIC_DEFS.linePrefix))
    .map((line) => {
      const values: Record<string, number> = {};
      for (const d of METRIC_DEFS.definitions) {
        const m = new RegExp(d.Regex).exec(line);
        if (m?.[1] !== undefined) values[d.Name] = Number(m[1]);
      }
      return values;
    });
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).map(String).sort();
}

// Enough epochs that a stop sent after the first metric line lands mid-training: on an idle
// machine a tiny epoch takes about 2 s, and three epochs could all finish before SIGTERM arrives.
const SPOT_EPOCHS = 8;
const CONTRACT_JOB = 'engine-2-epochs';

describe('the pushed image, pulled back by digest, runs as SageMaker runs it', () => {
  let image: string;
  let s3: S3Client;
  let input: Extract<DatasetInput, { kind: 'snapshot' }>;
  let backend: LocalBackend;
  const log = quietLog();

  beforeAll(async () => {
    const { result } = await imageCommand();
    expect(result.digest).toBeTruthy();
    // Pull it back by digest: drop the local tag first, so the pull has to come from the registry.
    await docker(engine, ['image', 'rm', result.imageUri]);
    const login = spawnSync(
      'docker',
      ['login', '--username', engine.username, '--password-stdin', engine.registry],
      { input: engine.password, env: process.env, encoding: 'utf8' },
    );
    expect(login.status).toBe(0);
    image = `${engine.registry}/${REPOSITORY}@${result.digest}`;
    await docker(engine, ['pull', image]);
    await docker(engine, ['logout', engine.registry]);

    s3 = createS3Client({ region: REGION, env: moto.env });
    Object.assign(process.env, moto.env); // the backend's S3 client reads credentials from here
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const data = path.join(work, 'plans');
    execFileSync(PYTHON, [
      path.join(process.cwd(), 'scripts', 'make_floorplans.py'),
      ...['--count', '16', '--imgsz', '64', '--seed', '0', '--out', data],
    ]);
    const tree: Record<string, Buffer> = {};
    for (const rel of await files(data)) {
      const abs = path.join(data, rel);
      if ((await stat(abs)).isFile()) tree[rel.split(path.sep).join('/')] = await readFile(abs);
    }
    ({ input } = await uploadSnapshot(s3, BUCKET, PREFIX, tree, 'dataset.yaml'));
    backend = createLocalBackend({
      s3,
      log,
      actionRoot: process.cwd(),
      workRoot: path.join(work, 'jobs'),
      // runtime left at `auto`: a daemon answers, so the backend runs the image.
      env: { OMP_NUM_THREADS: '2' },
      pollMs: 500,
    });
  }, 1_800_000);

  async function train(jobName: string, hyperparameters: Hyperparameters) {
    const config = makeConfig({ jobName, bucket: BUCKET, prefix: PREFIX, hyperparameters });
    await backend.launch(
      config,
      { imageUri: image, tag: '', built: false },
      { ref: { uri: input.manifestUri }, input },
    );
    return config;
  }

  const base = { imgsz: 64, batch: 8, workers: 0 };

  // One run answers two questions (each container run costs a CPU training): the output contract,
  // and that the pretrained file baked from the build context is where a job offline finds it.
  it('trains 2 CPU epochs from the baked pretrained file with no network and writes the model and output contract', async () => {
    const listed = await docker(engine, [
      'run',
      '--rm',
      '--network',
      'none',
      '--entrypoint',
      'ls',
      image,
      '/opt/ultralytics/weights',
    ]);
    expect(listed.stdout.split('\n')).toEqual(
      expect.arrayContaining([START_WEIGHTS, 'yolo26n.pt']),
    );
    const started = Date.now();
    await train(CONTRACT_JOB, { ...base, model: START_WEIGHTS, epochs: 2 });
    const outcome = await backend.wait(CONTRACT_JOB);
    console.log(`2-epoch container run: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const dir = backend.jobDir(CONTRACT_JOB);
    const text = await readFile(path.join(dir, 'train.log'), 'utf8');
    if (outcome.status !== 'Completed') console.log(text.slice(-4000));
    expect(outcome.status).toBe('Completed');
    expect(log.lines.join('\n')).toContain(`Running ${image} with docker`);
    // The request's tree: the three config files and both snapshot channels.
    expect(await files(path.join(dir, 'input', 'config'))).toEqual([
      'hyperparameters.json',
      'inputdataconfig.json',
      'resourceconfig.json',
    ]);
    expect(await readdir(path.join(dir, 'input', 'data'))).toEqual(['snapshot', 'training']);
    expect(await readdir(path.join(dir, 'model'))).toEqual(
      expect.arrayContaining(['best.pt', 'last.pt', 'training_metrics.json']),
    );
    expect(await readdir(path.join(dir, 'output', 'data'))).toEqual(
      expect.arrayContaining(['metrics.json', 'results.csv']),
    );
    // One metric line per epoch, and every definition of a column this detect run's results.csv
    // has captures a number from each (the other tasks' definitions match nothing here).
    const header = (await readFile(path.join(dir, 'output', 'data', 'results.csv'), 'utf8'))
      .split('\n')[0]
      ?.split(',')
      .map((c) => c.trim());
    const expected = METRIC_DEFS.definitions.filter((d) => header?.includes(d.column));
    expect(expected.map((d) => d.Name)).toEqual(
      expect.arrayContaining(['epoch', 'map50', 'precision', 'recall', 'train:box_loss']),
    );
    const lines = metricLines(text);
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(expected.map((d) => d.Name).sort());
      for (const value of Object.values(line)) expect(Number.isFinite(value)).toBe(true);
    }
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics).toMatchObject({ source: 'metrics.json', epochsCompleted: 2, imgsz: 64 });
    expect(metrics.model).toContain(START_WEIGHTS);
  }, 900_000);

  it('spot reclaim: docker stop --time 120 mid-epoch checkpoints and exits in the grace; the next run resumes at the next epoch', async () => {
    const job = 'engine-spot';
    await train(job, { ...base, model: 'yolov8n.yaml', epochs: SPOT_EPOCHS });
    const dir = backend.jobDir(job);
    const logFile = path.join(dir, 'train.log');
    // Stop as soon as the first epoch's metric line is out: the second epoch is under way.
    for (let i = 0; ; i++) {
      const text = await readFile(logFile, 'utf8').catch(() => '');
      if (metricLines(text).length >= 1) break;
      if (i > 1200) throw new Error(`no metric line after 10 minutes:\n${text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const stopStarted = Date.now();
    await docker(engine, ['stop', '--time', '120', `sagemaker-yolo-${job}`], 200_000);
    const stopSeconds = (Date.now() - stopStarted) / 1000;
    console.log(`docker stop --time 120 returned after ${stopSeconds.toFixed(1)} s`);
    expect(stopSeconds).toBeLessThan(120); // it exited by itself, not by the SIGKILL at the end
    const stopped = await backend.wait(job);
    expect(stopped.status).not.toBe('Completed');
    const first = await readFile(logFile, 'utf8');
    const done = metricLines(first).map((l) => l.epoch);
    expect(done.length).toBeLessThan(SPOT_EPOCHS);
    expect((await files(path.join(dir, 'checkpoints'))).some((f) => f.endsWith('last.pt'))).toBe(
      true,
    );

    await train(job, { ...base, model: 'yolov8n.yaml', epochs: SPOT_EPOCHS });
    const resumed = await backend.wait(job);
    const second = (await readFile(logFile, 'utf8')).slice(first.length);
    if (resumed.status !== 'Completed') console.log(second.slice(-4000));
    expect(resumed.status).toBe('Completed');
    expect(second).toMatch(/resuming/);
    const next = metricLines(second).map((l) => l.epoch);
    expect(next[0]).toBe((done[done.length - 1] ?? 0) + 1);
    expect(next[next.length - 1]).toBe(SPOT_EPOCHS);
  }, 1_200_000);

  it('an unknown hyperparameter writes /opt/ml/output/failure naming it and exits non-zero', async () => {
    // The action refuses unknown names before any job starts, so this tree is written here: the
    // 2-epoch job's request, plus one name ultralytics does not have.
    const dir = path.join(work, 'unknown-hyperparameter');
    await cp(path.join(backend.jobDir(CONTRACT_JOB), 'input'), path.join(dir, 'input'), {
      recursive: true,
    });
    for (const sub of ['model', 'output/data', 'checkpoints']) {
      await mkdir(path.join(dir, sub), { recursive: true });
    }
    const hpFile = path.join(dir, 'input', 'config', 'hyperparameters.json');
    const hp = JSON.parse(await readFile(hpFile, 'utf8')) as Record<string, string>;
    await writeFile(hpFile, JSON.stringify({ ...hp, lr_zero: '0.1' }));
    const run = spawnSync(
      'docker',
      ['run', '--rm', '--network', 'none', '-v', `${dir}:/opt/ml`, image, 'train'],
      { env: process.env, encoding: 'utf8', timeout: 600_000 },
    );
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    const failure = await readFile(path.join(dir, 'output', 'failure'), 'utf8');
    expect(failure).toContain('lr_zero');
  }, 600_000);
});
