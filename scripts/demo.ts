// The whole pipeline on this machine with no AWS account: a generated floor-plan sample, an
// embedded AWS emulator (moto on 127.0.0.1), and the real CLI (dist/cli.js) with the local
// training backend. Knobs (environment): DEMO_DIR, DEMO_IMAGES, DEMO_IMGSZ, DEMO_EPOCHS,
// DEMO_MAP50_THRESHOLD.
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createS3Client } from '../src/aws.js';
import { startMoto } from '../src/local/emulator.js';

const root = path.resolve(
  import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname),
  '..',
);
const demoDir = path.resolve(process.env.DEMO_DIR ?? path.join(root, '.demo'));
const images = process.env.DEMO_IMAGES ?? '48';
const imgsz = process.env.DEMO_IMGSZ ?? '160';
const epochs = process.env.DEMO_EPOCHS ?? '3';
// A few CPU epochs from scratch reach only a low mAP: the demo's default gate reflects that.
const map50Threshold = process.env.DEMO_MAP50_THRESHOLD ?? '0.0';
const bucket = 'demo-training';

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
      // The demo always trains in .venv: with a Docker daemon, the local backend would first build
      // the CUDA training image (gigabytes, minutes). A socket that does not exist turns that off.
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    };
    await createS3Client({ region: 'us-east-1', env }).send(
      new CreateBucketCommand({ Bucket: bucket }),
    );
    console.log(`   ${moto.endpoint}, bucket s3://${bucket}`);

    const comment = path.join(demoDir, 'comment.md');
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
        '8',
        '--workers',
        '0',
        '--map50-threshold',
        map50Threshold,
        '--job-name',
        'demo-floorplans',
        '--comment-file',
        comment,
      ],
      env,
    );
    console.log(`\n== Done (exit ${code}). Everything is under ${demoDir}:`);
    console.log(`   dataset         ${dataset}`);
    console.log(`   PR comment      ${comment}`);
    console.log(
      `   job (/opt/ml)   ${path.join(demoDir, 'runner', 'sagemaker-yolo-local', 'demo-floorplans')}`,
    );
    return code;
  } finally {
    await moto.stop();
  }
}

process.exitCode = await main();
