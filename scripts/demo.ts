// The whole pipeline on this machine with no AWS account: a generated floor-plan sample, an
// embedded AWS emulator (moto on 127.0.0.1), and the real CLI (dist/cli.js) with the local
// training backend. Knobs (environment): DEMO_DIR, DEMO_IMAGES, DEMO_IMGSZ, DEMO_EPOCHS,
// DEMO_BATCH, DEMO_MAP50_THRESHOLD, DEMO_PRECISION_THRESHOLD, DEMO_RECALL_THRESHOLD, and
// DEMO_QUICK=1 (the test suite's setting: a tiny sample, 2 epochs, gates at 0; any knob above
// still wins). DEMO_DOCKER=1 trains in the training image when a Docker daemon answers (built
// first: the CUDA PyTorch base is gigabytes; DEMO_BASE_IMAGE names another base, and the weights
// it bakes must be in training-container/weights/ when the build has no network).
// At the end it says which way the job ran.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createS3Client } from '../src/aws.js';
import { startMoto } from '../src/local/emulator.js';

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..',
);
const demoDir = path.resolve(process.env.DEMO_DIR ?? path.join(root, '.demo'));
// 120 plans at 160 px, 30 epochs from scratch, batch 16: enough for a small YOLO to learn rooms
// on two CPU cores, so the default gate is the original team's targets (README, "Try it").
const quick = process.env.DEMO_QUICK === '1';
const env = (name: string, full: string, fast: string) =>
  process.env[name] ?? (quick ? fast : full);
const images = env('DEMO_IMAGES', '120', '16');
const imgsz = env('DEMO_IMGSZ', '160', '64');
const epochs = env('DEMO_EPOCHS', '30', '2');
const batch = env('DEMO_BATCH', '16', '8');
// Two epochs on 16 tiny images learn nothing yet: the quick setting proves the plumbing only.
const map50Threshold = env('DEMO_MAP50_THRESHOLD', '0.85', '0');
const precisionThreshold = env('DEMO_PRECISION_THRESHOLD', '0.90', '0');
const recallThreshold = env('DEMO_RECALL_THRESHOLD', '0.85', '0');
const bucket = 'demo-training';
const useDocker = process.env.DEMO_DOCKER === '1';
const baseImage = process.env.DEMO_BASE_IMAGE;
const jobDir = path.join(demoDir, 'runner', 'sagemaker-yolo-local', 'demo-floorplans');

/** Which way the local backend ran the job, from its record (job.json). */
async function howItRan(dir: string): Promise<string> {
  const record = await readFile(path.join(dir, 'job.json'), 'utf8')
    .then((text) => JSON.parse(text) as { runtime?: string })
    .catch(() => undefined);
  if (record?.runtime === 'docker') return 'Trained in the training image (docker, no network).';
  if (record?.runtime === 'python') {
    return useDocker
      ? 'Trained with training-container/train.py in .venv: no Docker daemon answered.'
      : 'Trained with training-container/train.py in .venv (DEMO_DOCKER=1: in the training image).';
  }
  return 'The training job did not start.';
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(demoDir, { recursive: true });
  const dataset = path.join(demoDir, 'floorplans');
  console.log(`== Generating ${images} synthetic floor plans (${imgsz} px) in ${dataset}`);
  const python = path.join(root, '.venv/bin/python');
  const generated = await run(python, [
    'scripts/make_floorplans.py',
    '--count',
    images,
    '--imgsz',
    imgsz,
    '--seed',
    '7',
    '--out',
    dataset,
  ]);
  if (generated !== 0) return generated;

  console.log('== Starting the local AWS emulator (moto server on 127.0.0.1)');
  const moto = await startMoto(root);
  try {
    const env = {
      ...process.env,
      ...moto.env,
      YOLO_OFFLINE: 'true',
      RUNNER_TEMP: path.join(demoDir, 'runner'),
      // By default the demo trains in .venv: with a Docker daemon, the local backend would first
      // build the CUDA training image (gigabytes, minutes). A socket that does not exist turns
      // that off; DEMO_DOCKER=1 keeps the caller's daemon.
      ...(useDocker ? {} : { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }),
    };
    await createS3Client({ region: 'us-east-1', env }).send(
      new CreateBucketCommand({ Bucket: bucket }),
    );
    console.log(`   ${moto.endpoint}, bucket s3://${bucket}`);

    const comment = path.join(demoDir, 'comment.md');
    const models = path.join(demoDir, 'models');
    const code = await run(
      process.execPath,
      [
        'dist/cli.js',
        'train',
        '--instance-type',
        'local',
        '--bucket',
        bucket,
        '--dataset',
        dataset,
        '--model',
        'yolov8n.yaml',
        '--epochs',
        epochs,
        '--imgsz',
        imgsz,
        '--batch-size',
        batch,
        '--workers',
        '0',
        '--map50-threshold',
        map50Threshold,
        '--precision-threshold',
        precisionThreshold,
        '--recall-threshold',
        recallThreshold,
        '--job-name',
        'demo-floorplans',
        '--comment-file',
        comment,
        '--model-dir',
        models,
        ...(baseImage ? ['--build-args', `BASE_IMAGE=${baseImage}`] : []),
      ],
      env,
    );
    console.log(`\n== Done (exit ${code}). ${await howItRan(jobDir)}`);
    console.log(`   Everything is under ${demoDir}:`);
    console.log(`   dataset         ${dataset}`);
    console.log(`   PR comment      ${comment}`);
    console.log(`   model, plots    ${models}`);
    console.log(`   job (/opt/ml)   ${jobDir}`);
    return code;
  } finally {
    await moto.stop();
  }
}

process.exitCode = await main();
