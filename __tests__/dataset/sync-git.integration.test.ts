// The git shortcut through the pipeline's dataset stages against moto (issue 16): a branch run
// records git blob id -> sha256 in its sync cache; the next run takes every file git vouches for
// from the index unread (proved by a planted record, which only an unread file could carry into
// the snapshot), and each way a file can differ from its recorded blob is read and uploaded: a
// same-size edit with an older mtime, an uncommitted change, an untracked generated file, an LFS
// image. A shallow clone and a dataset outside git sync correctly too.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cp, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client, type AwsClients } from '../../src/aws.js';
import { walkDataset } from '../../src/dataset/files.js';
import { datasetKeys } from '../../src/dataset/keys.js';
import type { SnapshotDocument } from '../../src/dataset/snapshot.js';
import { readStoredSnapshot } from '../../src/dataset/stored-snapshot.js';
import { decodeSyncCache, encodeSyncCache } from '../../src/dataset/sync-cache.js';
import { createStages, type StageDeps } from '../../src/stages.js';
import { hashFileSync } from '../../src/hash.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { PR_CONTEXT, testConfig } from '../helpers/config.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from './fixtures.js';

const BUCKET = 'git-shortcut-bucket';
let moto: Moto;
let s3: S3Client;
const dirs: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 30000);
afterAll(async () => {
  await moto?.stop();
  await Promise.all(dirs.map(removeDir));
});

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });

async function newDir(prefix: string): Promise<string> {
  const dir = await tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** A committed repository holding basicDataset; each test uses its own S3 prefix. */
async function repo(): Promise<string> {
  const top = await newDir('yolo-gitsync-');
  git(top, 'init', '-q', '-b', 'main');
  await writeTree(top, basicDataset());
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'dataset');
  return top;
}

/** A fresh checkout, as actions/checkout gives each workflow run. */
async function checkout(top: string, ...options: string[]): Promise<string> {
  const parent = await newDir('yolo-gitclone-');
  git(parent, 'clone', '-q', ...options, `file://${top}`, 'c');
  return path.join(parent, 'c');
}

interface Run {
  log: string;
  fingerprint: string;
  document: SnapshotDocument;
  uploaded: number;
  unread: number;
}

/** One push run of `main`: validate, then sync. */
async function branchRun(dataset: string, prefix: string): Promise<Run> {
  const config = testConfig({
    dataset,
    bucket: BUCKET,
    prefix,
    context: { ...PR_CONTEXT, eventName: 'push', ref: 'refs/heads/main', prNumber: undefined },
  });
  const lines: string[] = [];
  const deps: StageDeps = {
    clients: { s3 } as unknown as AwsClients,
    log: {
      info: (m: string) => lines.push(m),
      warning: (m: string) => lines.push(`warning: ${m}`),
      error: (m: string) => lines.push(m),
      annotate: () => undefined,
    },
    actionRoot: process.cwd(),
    report: async () => ({}),
  };
  const stages = createStages(config, deps);
  await stages.validateDataset(config);
  const fingerprint = (await stages.prepareDataset(config)).ref.snapshot!;
  const log = lines.join('\n');
  expect(log).not.toMatch(/^warning:/m);
  const stored = await readStoredSnapshot(s3, { bucket: BUCKET, prefix }, fingerprint);
  expect(stored?.form).toBe('gzip');
  const document = stored!.document;
  const total = /^total .*?(\d+) \(/m.exec(log.replace(/\|/g, ' '));
  return {
    log,
    fingerprint,
    document,
    uploaded: /Snapshot \w+ already in S3/.test(log) ? 0 : Number(total?.[1] ?? NaN),
    unread: Number(/git: (\d+) of \d+ files taken from the index unread/.exec(log)?.[1] ?? 0),
  };
}

/** Every file of the dataset, hashed now: what the snapshot must say. */
async function actualFiles(
  dataset: string,
): Promise<Record<string, { sha256: string; size: number }>> {
  const { files } = await walkDataset(dataset);
  return Object.fromEntries(files.map((f) => [f.rel, hashFileSync(f.abs)]));
}

const LABEL = 'labels/train/a.txt';
/** a.txt with its first class changed: the same size, other content. */
const EDIT = '1 0.5 0.5 0.2 0.2\n0 0.3 0.3 0.1 0.1\n';
const FILES = Object.keys(basicDataset()).length;

describe('git shortcut in the sync (moto)', () => {
  it('takes unchanged files from the index on the next checkout, unread', async () => {
    const top = await repo();
    const first = await branchRun(await checkout(top), 'planted');
    expect(first.uploaded).toBe(FILES);
    expect(first.unread).toBe(0);

    // A fresh checkout of the same commit: a no-op, every file vouched for by git.
    const second = await branchRun(await checkout(top), 'planted');
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(second.unread).toBe(FILES);

    // Plant a wrong sha256 for the label's blob: only a file taken unread can carry it.
    const keys = datasetKeys('planted');
    const cacheKey = keys.syncCache(first.fingerprint);
    const obj = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: cacheKey }));
    const cache = decodeSyncCache(await obj.Body!.transformToByteArray())!;
    const blob = git(top, 'rev-parse', `HEAD:${LABEL}`).trim();
    expect(cache.gitBlobs.get(blob)).toEqual(hashFileSync(path.join(top, LABEL)));
    const real = cache.gitBlobs.get(blob)!;
    const planted = { sha256: 'e'.repeat(64), size: real.size };
    cache.gitBlobs.set(blob, planted);
    // ... judged clean already, so validation does not read it either.
    const results = new Map(cache.validation!.results);
    results.set(planted.sha256, results.get(real.sha256)!);
    cache.validation = { ...cache.validation!, results };
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: cacheKey, Body: encodeSyncCache(cache) }),
    );
    const third = await checkout(top);
    // The run fails at the upload's own check (the bytes do not hash to the planted sha256):
    // a wrong record can cost a run, never store wrong content under a key.
    await expect(branchRun(third, 'planted')).rejects.toThrow(/a\.txt changed while/);
  });

  it('reads and uploads each kind of change git reports, and only those', async () => {
    const top = await repo();
    const work = await checkout(top);
    await branchRun(work, 'changes');

    // A same-size edit, its mtime set an hour back, not committed.
    const abs = path.join(work, LABEL);
    const before = await stat(abs);
    await writeFile(abs, EDIT);
    await utimes(abs, before.atime, new Date(before.mtimeMs - 3_600_000));
    let run = await branchRun(work, 'changes');
    expect(run.uploaded).toBe(1);
    expect(run.unread).toBe(FILES - 1);
    expect(run.document.files).toEqual(await actualFiles(work));

    // Committed since: git now vouches for the blob of the bytes the last run read, which that
    // run recorded, so the file is taken unread (and its content is stored: nothing to upload).
    git(work, 'commit', '-q', '-am', 'edit');
    run = await branchRun(work, 'changes');
    expect(run.uploaded).toBe(0);
    expect(run.unread).toBe(FILES);
    expect(run.document.files).toEqual(await actualFiles(work));
    // Another file edited: read and uploaded, the committed edit still taken unread.
    await writeFile(path.join(work, 'labels/val/v2.txt'), '1 0.5 0.5 0.2 0.4\n');
    run = await branchRun(work, 'changes');
    expect(run.uploaded).toBe(1);
    expect(run.unread).toBe(FILES - 1);

    // A label generated by an earlier workflow step: untracked, read, uploaded.
    await writeTree(work, {
      'images/train/gen.png': png(24, 24, 9),
      'labels/train/gen.txt': '0 0.4 0.4 0.2 0.2\n',
    });
    run = await branchRun(work, 'changes');
    expect(run.uploaded).toBe(2);
    expect(run.document.files).toEqual(await actualFiles(work));
  });

  it('takes an LFS image from its pointer and uploads it once its content changes', async () => {
    const top = await newDir('yolo-gitsync-lfs-');
    git(top, 'init', '-q', '-b', 'main');
    git(top, 'lfs', 'install', '--local');
    git(top, 'lfs', 'track', '*.png');
    await writeTree(top, basicDataset());
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'lfs dataset');
    const first = await branchRun(top, 'lfs');
    // Three PNGs (train a, c; val v1) come from their pointers even on the first sync.
    expect(first.unread).toBe(3);
    expect(first.document.files).toEqual(await actualFiles(top));
    await writeFile(path.join(top, 'images/val/v1.png'), png(20, 20, 4));
    const second = await branchRun(top, 'lfs');
    expect(second.uploaded).toBe(1);
    expect(second.document.files).toEqual(await actualFiles(top));
  });

  it('syncs a shallow clone and a copy outside git to the same snapshot', async () => {
    const top = await repo();
    const full = await branchRun(await checkout(top), 'shallow');
    const shallow = await branchRun(await checkout(top, '--depth', '1'), 'shallow');
    expect(shallow.fingerprint).toBe(full.fingerprint);
    expect(shallow.unread).toBe(FILES);
    const outside = await newDir('yolo-nogit-');
    await cp(await checkout(top), outside, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.git`),
    });
    const copy = await branchRun(outside, 'shallow');
    expect(copy.log).toMatch(/not in a git work tree; every file is read/);
    expect(copy.fingerprint).toBe(full.fingerprint);
    // Outside git the file is read, so a same-size edit is found whatever its mtime.
    const abs = path.join(outside, LABEL);
    const before = await stat(abs);
    await writeFile(abs, EDIT);
    await utimes(abs, before.atime, before.mtime);
    const edited = await branchRun(outside, 'shallow');
    expect(edited.uploaded).toBe(1);
    expect(edited.document.files).toEqual(await actualFiles(outside));
  });
});
