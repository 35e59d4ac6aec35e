// The sync stage against a real moto S3 server on 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { cp, readdir, readFile, readlink, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import {
  branchBlobsLoader,
  loadBranchSnapshot,
  recordBranchSnapshot,
} from '../../src/dataset/branches.js';
import { diffSnapshots } from '../../src/dataset/diff.js';
import { FileSplits } from '../../src/dataset/file-splits.js';
import { walkFiles } from '../../src/dataset/files.js';
import { datasetStats } from '../../src/dataset/report.js';
import { buildSnapshot, type Snapshot } from '../../src/dataset/snapshot.js';
import { formatSyncTable, syncSnapshot, type SyncOptions } from '../../src/dataset/sync.js';
import { inspectDataset } from '../../src/dataset/validate.js';
import { readSnapshotDocument } from '../../src/model/store.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from './fixtures.js';

let moto: Moto;
let savedEnv: NodeJS.ProcessEnv = process.env;
let s3: S3Client;
const dirs: string[] = [];
const PREFIX = 'yolo-training';
let bucketCount = 0;

beforeAll(async () => {
  moto = await startMoto();
  savedEnv = { ...process.env };
  Object.assign(process.env, moto.env);
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
}, 30000);

afterAll(async () => {
  process.env = savedEnv;
  await moto?.stop();
  await Promise.all(dirs.map(removeDir));
});

async function newBucket(): Promise<string> {
  const bucket = `ds-sync-${++bucketCount}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** basicDataset plus `extra` train images with labels (distinct content each). */
function bigger(extra: number): Record<string, string | Buffer> {
  const files = basicDataset();
  for (let i = 0; i < extra; i++) {
    files[`images/train/x${i}.png`] = png(24, 24, 100 + i);
    files[`labels/train/x${i}.txt`] = `0 0.5 0.5 0.1 0.${String(10 + i).padStart(2, '0')}\n`;
  }
  return files;
}

async function dataset(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await tempDir('yolo-sync-');
  dirs.push(dir);
  await writeTree(dir, files);
  return dir;
}

async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key as string).sort();
}

async function getText(bucket: string, key: string): Promise<string> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await res.Body?.transformToString()) as string;
}

async function getBytes(bucket: string, key: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await res.Body?.transformToByteArray()) as Uint8Array);
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const uniqueBlobs = (snap: Snapshot) =>
  new Set(Object.values(snap.document.files).map((f) => f.sha256));

async function sync(bucket: string, snapshot: Snapshot, extra: Partial<SyncOptions> = {}) {
  return syncSnapshot(s3, { bucket, prefix: PREFIX, snapshot, ...extra });
}

/** The stored snapshot JSON: gzip'd at <fp>.json.gz, nothing at the plain <fp>.json. */
async function storedSnapshotJson(bucket: string, fp: string): Promise<string> {
  const keys = await listKeys(bucket, `${PREFIX}/datasets/snapshots/${fp}.json`);
  expect(keys).toEqual([`${PREFIX}/datasets/snapshots/${fp}.json.gz`]);
  return gunzipSync(await getBytes(bucket, keys[0] as string)).toString('utf8');
}

/** Every blob the stored snapshot names exists and hashes to its key. */
async function expectStoredSnapshotMatches(bucket: string, dir: string): Promise<void> {
  const snap = await buildSnapshot(dir);
  const stored = await storedSnapshotJson(bucket, snap.fingerprint);
  expect(stored).toBe(snap.json);
  expect(sha(stored)).toBe(snap.fingerprint); // the fingerprint is still that of the plain JSON
  for (const sha256 of uniqueBlobs(snap)) {
    expect(sha(await getBytes(bucket, `${PREFIX}/datasets/objects/${sha256}`))).toBe(sha256);
  }
}

describe('syncSnapshot on moto', () => {
  it('first sync uploads everything; then one request and nothing; a fresh copy: nothing; a same-size edit: one blob', async () => {
    const bucket = await newBucket();
    const dir = await dataset(basicDataset());
    const { report, membership } = await inspectDataset(dir);
    expect(report.errors).toBe(0);
    const snap = await buildSnapshot(dir);
    const blobs = uniqueBlobs(snap);
    const fileCount = Object.keys(snap.document.files).length;

    const first = await sync(bucket, snap, {
      splits: FileSplits.from(snap.files, membership),
      stats: datasetStats(report),
    });
    expect(first).toMatchObject({
      fingerprint: snap.fingerprint,
      alreadyComplete: false,
      uploadedFiles: blobs.size,
      skippedFiles: fileCount - blobs.size,
      datasetUri: `s3://${bucket}/${PREFIX}/datasets/snapshots/${snap.fingerprint}.manifest`,
      snapshotUri: `s3://${bucket}/${PREFIX}/datasets/snapshots/${snap.fingerprint}.json.gz`,
    });
    expect(first.uploadedBytes + first.skippedBytes).toBe(snap.totalBytes);
    // HEAD + LIST + one PUT per blob + manifest + stats + snapshot.
    expect(first.requests).toBe(2 + blobs.size + 3);
    expect(await listKeys(bucket, `${PREFIX}/datasets/objects/`)).toEqual(
      [...blobs].sort().map((b) => `${PREFIX}/datasets/objects/${b}`),
    );
    expect(
      JSON.parse(
        await getText(bucket, `${PREFIX}/datasets/snapshots/${snap.fingerprint}.manifest`),
      ),
    ).toEqual([{ prefix: `s3://${bucket}/${PREFIX}/datasets/objects/` }, ...[...blobs].sort()]);
    await expectStoredSnapshotMatches(bucket, dir);
    expect(first.perSplit.map((r) => [r.split, r.images, r.labels, r.files])).toEqual([
      ['train', 3, 2, 5],
      ['val', 2, 2, 4],
      ['other', 0, 0, 1],
    ]);
    expect(formatSyncTable(first)).toMatch(
      /^split\s+images\s+labels\s+files\s+uploaded\s+skipped\n/,
    );

    const second = await sync(bucket, snap);
    expect(second).toMatchObject({
      alreadyComplete: true,
      requests: 1,
      uploadedFiles: 0,
      uploadedBytes: 0,
      skippedFiles: fileCount,
    });

    const copy = await tempDir('yolo-sync-copy-');
    dirs.push(copy);
    await cp(dir, copy, { recursive: true });
    const later = new Date(Date.now() + 3600_000);
    for (const f of await walkFiles(copy)) await utimes(f.abs, later, later);
    const fresh = await sync(bucket, await buildSnapshot(copy));
    expect(fresh).toMatchObject({ fingerprint: snap.fingerprint, requests: 1, uploadedBytes: 0 });

    const label = path.join(copy, 'labels/val/v2.txt');
    const before = await readFile(label, 'utf8');
    const after = before.replace(/^1 /, '0 ');
    expect(after.length).toBe(before.length);
    await writeFile(label, after);
    const edited = await buildSnapshot(copy);
    const third = await sync(bucket, edited, {
      splits: FileSplits.from(edited.files, (await inspectDataset(copy)).membership),
    });
    expect(third).toMatchObject({
      uploadedFiles: 1,
      uploadedBytes: Buffer.byteLength(after),
      alreadyComplete: false,
    });
    expect(third.requests).toBe(1 + 1 + 1 + 2); // HEAD, LIST, the blob, manifest, snapshot
    expect(third.perSplit.find((r) => r.split === 'val')).toMatchObject({
      uploadedFiles: 1,
      skippedFiles: 3,
    });
    await expectStoredSnapshotMatches(bucket, copy);
  });

  it('an aborted sync leaves no snapshot; the rerun uploads only the rest and the snapshot matches', async () => {
    const bucket = await newBucket();
    const dir = await dataset(bigger(20));
    const snap = await buildSnapshot(dir);
    const controller = new AbortController();
    let uploadedBeforeAbort = 0;
    await expect(
      sync(bucket, snap, {
        concurrency: 2,
        signal: controller.signal,
        onProgress: (p) => {
          uploadedBeforeAbort = p.files;
          if (p.files === 6) controller.abort();
        },
      }),
    ).rejects.toThrow();
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
    const stored = await listKeys(bucket, `${PREFIX}/datasets/objects/`);
    expect(stored.length).toBeGreaterThanOrEqual(6);
    expect(stored.length).toBeLessThan(uniqueBlobs(snap).size);

    const rerun = await sync(bucket, snap);
    expect(uploadedBeforeAbort).toBe(6);
    expect(rerun.uploadedFiles).toBe(uniqueBlobs(snap).size - stored.length);
    await expectStoredSnapshotMatches(bucket, dir);
  });

  it('a sync killed by a failing request resumes without re-uploading finished blobs', async () => {
    const bucket = await newBucket();
    const dir = await dataset(bigger(12));
    const snap = await buildSnapshot(dir);
    const client = createS3Client({ region: 'us-east-1', env: moto.env });
    let puts = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand' && ++puts > 5) {
          throw Object.assign(new Error('Access Denied'), {
            name: 'AccessDenied',
            $metadata: { httpStatusCode: 403 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'killer', priority: 'low' },
    );
    await expect(
      syncSnapshot(client, { bucket, prefix: PREFIX, snapshot: snap, concurrency: 1 }),
    ).rejects.toThrow('Access Denied');
    // A 403 is not worth retrying: exactly one failed attempt after the 5 that went through.
    expect(puts).toBe(6);
    expect(await listKeys(bucket, `${PREFIX}/datasets/objects/`)).toHaveLength(5);
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
    const rerun = await sync(bucket, snap);
    expect(rerun.uploadedFiles).toBe(uniqueBlobs(snap).size - 5);
    await expectStoredSnapshotMatches(bucket, dir);
  });

  it('retries transient failures with jittered backoff through the injected sleep', async () => {
    const bucket = await newBucket();
    const dir = await dataset(basicDataset());
    const snap = await buildSnapshot(dir);
    const client = createS3Client({ region: 'us-east-1', env: moto.env, maxAttempts: 1 });
    let failures = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key =
          (context as { commandName?: string }).commandName === 'PutObjectCommand'
            ? (args.input as { Key?: string }).Key
            : undefined;
        if (
          key?.endsWith(snap.document.files['labels/val/v1.txt']?.sha256 as string) &&
          failures < 2
        ) {
          failures++;
          throw Object.assign(new Error('We encountered an internal error'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'flaky', priority: 'low' },
    );
    const sleeps: number[] = [];
    const retried: number[] = [];
    const result = await syncSnapshot(client, {
      bucket,
      prefix: PREFIX,
      snapshot: snap,
      sleep: async (ms) => void sleeps.push(ms),
      random: () => 0.5,
      onRetry: ({ attempt }) => void retried.push(attempt),
    });
    expect(sleeps).toEqual([125, 250]);
    expect(retried).toEqual([1, 2]);
    expect(result.requests).toBe(2 + uniqueBlobs(snap).size + 2 + 2); // two failed attempts counted
    await expectStoredSnapshotMatches(bucket, dir);
  });

  /** A 6 MiB file: multipart with 5 MiB thresholds and parts. */
  const bigFile = (seed = 0) => {
    const big = Buffer.alloc(6 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 997) big[i] = ((i / 997) ^ seed) & 0xff;
    return big;
  };
  const MULTIPART = { multipartThreshold: 5 * 1024 * 1024, partSize: 5 * 1024 * 1024 };

  /** Records the command name and Key of every request a client sends. */
  function recorded(): { client: S3Client; calls: [string, string][] } {
    const client = createS3Client({ region: 'us-east-1', env: moto.env });
    const calls: [string, string][] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push([context.commandName ?? '', (args.input as { Key?: string }).Key ?? '']);
        return next(args);
      },
      { step: 'initialize', name: 'recorder' },
    );
    return { client, calls };
  }

  /** File descriptors of this process open on files under `dir` (Linux). */
  async function openFilesUnder(dir: string): Promise<string[]> {
    const fds = await readdir('/proc/self/fd').catch(() => [] as string[]);
    const targets = await Promise.all(
      fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
    );
    return targets.filter((t) => t.startsWith(dir));
  }

  /** Closing a destroyed stream's file finishes asynchronously: allow it a moment, not forever. */
  async function settledOpenFilesUnder(dir: string): Promise<string[]> {
    const deadline = Date.now() + 3000;
    let open = await openFilesUnder(dir);
    while (open.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      open = await openFilesUnder(dir);
    }
    return open;
  }

  it('uploads large files in parts to a temporary key, then copies the checked blob to its content key', async () => {
    const bucket = await newBucket();
    const big = bigFile();
    const dir = await dataset({ ...basicDataset(), 'extra/weights.bin': big });
    const snap = await buildSnapshot(dir);
    const { client, calls } = recorded();
    const result = await syncSnapshot(client, {
      bucket,
      prefix: PREFIX,
      snapshot: snap,
      ...MULTIPART,
    });
    // The big blob: CreateMultipartUpload + 2 UploadPart + CompleteMultipartUpload to
    // datasets/uploads/<random>, CopyObject to datasets/objects/<sha256>, DeleteObject of the upload,
    // after one HEAD of the content key (a concurrent sync may have stored it since the LIST).
    expect(result.requests).toBe(2 + (uniqueBlobs(snap).size - 1) + 1 + 6 + 2);
    const upload = calls.find(([name]) => name === 'CreateMultipartUploadCommand')?.[1] as string;
    expect(upload).toMatch(new RegExp(`^${PREFIX}/datasets/uploads/[0-9a-f-]{36}$`));
    expect(calls.filter(([name]) => /Multipart|UploadPart|Copy|Delete/.test(name))).toEqual([
      ['CreateMultipartUploadCommand', upload],
      ['UploadPartCommand', upload],
      ['UploadPartCommand', upload],
      ['CompleteMultipartUploadCommand', upload],
      ['CopyObjectCommand', `${PREFIX}/datasets/objects/${sha(big)}`],
      ['DeleteObjectCommand', upload],
    ]);
    expect(sha(await getBytes(bucket, `${PREFIX}/datasets/objects/${sha(big)}`))).toBe(sha(big));
    expect(await listKeys(bucket, `${PREFIX}/datasets/uploads/`)).toEqual([]);
    await expectStoredSnapshotMatches(bucket, dir);
  });

  it('copies blobs above copyPartSize with UploadPartCopy', async () => {
    const bucket = await newBucket();
    const big = bigFile(7);
    const dir = await dataset({ ...basicDataset(), 'extra/weights.bin': big });
    const snap = await buildSnapshot(dir);
    const { client, calls } = recorded();
    await syncSnapshot(client, {
      bucket,
      prefix: PREFIX,
      snapshot: snap,
      ...MULTIPART,
      copyPartSize: 5 * 1024 * 1024,
    });
    expect(calls.filter(([name]) => name === 'UploadPartCopyCommand')).toEqual([
      ['UploadPartCopyCommand', `${PREFIX}/datasets/objects/${sha(big)}`],
      ['UploadPartCopyCommand', `${PREFIX}/datasets/objects/${sha(big)}`],
    ]);
    expect(sha(await getBytes(bucket, `${PREFIX}/datasets/objects/${sha(big)}`))).toBe(sha(big));
    expect(await listKeys(bucket, `${PREFIX}/datasets/uploads/`)).toEqual([]);
  });

  it('a large file that disappears before its upload fails the sync with a clear error, not a crash', async () => {
    const bucket = await newBucket();
    const dir = await dataset({ ...basicDataset(), 'extra/weights.bin': bigFile() });
    const snap = await buildSnapshot(dir);
    await rm(path.join(dir, 'extra/weights.bin'));
    const retried: number[] = [];
    const error = (await sync(bucket, snap, {
      ...MULTIPART,
      onRetry: ({ attempt }) => void retried.push(attempt),
    }).catch((e: unknown) => e)) as Error & { code?: string };
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(
      /^extra\/weights\.bin could not be read while it was being uploaded \(ENOENT: .*\): run the sync again once the dataset is stable$/,
    );
    expect(error.code).toBe('ENOENT');
    expect(retried).toEqual([]); // a missing file does not come back by waiting
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
    expect(await listKeys(bucket, `${PREFIX}/datasets/uploads/`)).toEqual([]);
    expect(await settledOpenFilesUnder(dir)).toEqual([]);
  });

  it('a large file that changes before its upload never reaches its content key; only the temporary upload is removed', async () => {
    const bucket = await newBucket();
    const original = bigFile();
    const dir = await dataset({ ...basicDataset(), 'extra/weights.bin': original });
    const snap = await buildSnapshot(dir);
    await writeFile(path.join(dir, 'extra/weights.bin'), bigFile(3)); // same size, other bytes
    const { client, calls } = recorded();
    await expect(
      syncSnapshot(client, { bucket, prefix: PREFIX, snapshot: snap, ...MULTIPART }),
    ).rejects.toThrow(
      'extra/weights.bin changed while the dataset was being synced: run the sync again once it is stable',
    );
    expect(calls.filter(([name]) => /Complete|Copy/.test(name))).toEqual([]);
    expect(
      calls.filter(([name]) => name === 'DeleteObjectCommand').map(([, key]) => key),
    ).not.toContain(`${PREFIX}/datasets/objects/${sha(original)}`);
    expect(await listKeys(bucket, `${PREFIX}/datasets/objects/${sha(original)}`)).toEqual([]);
    expect(await listKeys(bucket, `${PREFIX}/datasets/uploads/`)).toEqual([]);
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
    expect(await settledOpenFilesUnder(dir)).toEqual([]);
  });

  it('closes the file of a large upload whose attempt failed, and the retry succeeds', async () => {
    const bucket = await newBucket();
    const big = bigFile(5);
    const dir = await dataset({ ...basicDataset(), 'extra/weights.bin': big });
    const snap = await buildSnapshot(dir);
    const client = createS3Client({ region: 'us-east-1', env: moto.env, maxAttempts: 1 });
    let failures = 0;
    let openDuringRetry: string[] | undefined;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand' && failures === 0) {
          failures++;
          throw Object.assign(new Error('We encountered an internal error'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        }
        return next(args);
      },
      { step: 'deserialize', name: 'flakyPart', priority: 'low' },
    );
    await syncSnapshot(client, {
      bucket,
      prefix: PREFIX,
      snapshot: snap,
      ...MULTIPART,
      sleep: async () => void (openDuringRetry = await openFilesUnder(dir)),
    });
    expect(failures).toBe(1);
    expect(openDuringRetry).toEqual([]); // the failed attempt's read stream is closed
    expect(await settledOpenFilesUnder(dir)).toEqual([]);
    expect(sha(await getBytes(bucket, `${PREFIX}/datasets/objects/${sha(big)}`))).toBe(sha(big));
    expect(await listKeys(bucket, `${PREFIX}/datasets/uploads/`)).toEqual([]);
  });

  it('closes the file of a large upload that is aborted mid-way', async () => {
    const bucket = await newBucket();
    const dir = await dataset({ ...basicDataset(), 'extra/big.bin': Buffer.alloc(40 << 20, 1) });
    const snap = await buildSnapshot(dir);
    const client = createS3Client({ region: 'us-east-1', env: moto.env });
    const controller = new AbortController();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'UploadPartCommand') controller.abort();
        return next(args);
      },
      { step: 'initialize', name: 'abortOnFirstPart' },
    );
    await expect(
      syncSnapshot(client, {
        bucket,
        prefix: PREFIX,
        snapshot: snap,
        ...MULTIPART,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
    expect(await settledOpenFilesUnder(dir)).toEqual([]);
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
  });

  it('a label edited after validation hashed it is refused by the upload: no snapshot is written', async () => {
    const bucket = await newBucket();
    const dir = await dataset(basicDataset());
    const { hashes } = await inspectDataset(dir);
    const label = path.join(dir, 'labels/val/v2.txt');
    await writeFile(label, (await readFile(label, 'utf8')).replace(/^1 /, '0 '));
    const snap = await buildSnapshot(dir, { hashes });
    await expect(sync(bucket, snap)).rejects.toThrow(
      'labels/val/v2.txt changed while the dataset was being synced',
    );
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toEqual([]);
  });

  it('many blobs in flight through the reused body buffers each store their own bytes, signed with their sha256', async () => {
    const bucket = await newBucket();
    const dir = await dataset(bigger(60));
    const snap = await buildSnapshot(dir);
    const signed = new Map<string, string>();
    const name = 'recordPayloadHash';
    s3.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path?: string; headers?: Record<string, string> };
        const key = request.path?.split('/datasets/objects/')[1];
        if (key) signed.set(key, request.headers?.['x-amz-content-sha256'] ?? '');
        return next(args);
      },
      // Before the signer: the header is the sync's own, not one the SDK computed from the body.
      { step: 'build', priority: 'low', name },
    );
    try {
      await sync(bucket, snap, { concurrency: 8 });
    } finally {
      s3.middlewareStack.remove(name);
    }
    const blobs = uniqueBlobs(snap);
    expect(signed.size).toBe(blobs.size);
    for (const [key, payloadHash] of signed) expect(payloadHash).toBe(key);
    await expectStoredSnapshotMatches(bucket, dir); // every stored blob hashes to its key
  });

  it('deleting a file gives a new snapshot without it and uploads nothing', async () => {
    const bucket = await newBucket();
    const dir = await dataset(basicDataset());
    const first = await sync(bucket, await buildSnapshot(dir));
    await rm(path.join(dir, 'images/val/v2.jpg'));
    const snap = await buildSnapshot(dir);
    expect(snap.fingerprint).not.toBe(first.fingerprint);
    expect(snap.document.files['images/val/v2.jpg']).toBeUndefined();
    const second = await sync(bucket, snap);
    expect(second).toMatchObject({ uploadedFiles: 0, uploadedBytes: 0, requests: 4 }); // HEAD, LIST, manifest, snapshot
    const stored = JSON.parse(await storedSnapshotJson(bucket, snap.fingerprint));
    expect(Object.keys(stored.files)).not.toContain('images/val/v2.jpg');
    expect(await listKeys(bucket, `${PREFIX}/datasets/snapshots/`)).toHaveLength(4);
  });

  it('a snapshot stored plain by a sync before issue 16 is still read, and completed again uploading no blob', async () => {
    const bucket = await newBucket();
    const dir = await dataset(basicDataset());
    const { report } = await inspectDataset(dir);
    const snap = await buildSnapshot(dir);
    const fp = snap.fingerprint;
    await sync(bucket, snap, { stats: datasetStats(report) });
    const gzKey = `${PREFIX}/datasets/snapshots/${fp}.json.gz`;
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: gzKey }));
    expect(head.ContentType).toBe('application/gzip');
    // What an older sync left: the same blobs, manifest and stats, the snapshot JSON plain.
    const plainKey = `${PREFIX}/datasets/snapshots/${fp}.json`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: plainKey, Body: snap.json }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: gzKey }));
    await recordBranchSnapshot(s3, { bucket, prefix: PREFIX, branch: 'main', fingerprint: fp });

    // Readers: the PR diff's base, with its stats, and the model report's snapshot reader.
    const base = await loadBranchSnapshot(s3, { bucket, prefix: PREFIX, branch: 'main' });
    expect(base?.document).toEqual(snap.document);
    expect(base?.stats).toEqual(JSON.parse(JSON.stringify(datasetStats(report))));
    expect(await readSnapshotDocument(s3, { bucket, prefix: PREFIX }, fp)).toEqual(snap.document);

    // A PR changing one label: the old snapshot's blobs are known, only that label is sent.
    const copy = await tempDir('yolo-sync-legacy-');
    dirs.push(copy);
    await cp(dir, copy, { recursive: true });
    await writeFile(path.join(copy, 'labels/val/v2.txt'), '0 0.5 0.5 0.2 0.3\n');
    const pr = await sync(bucket, await buildSnapshot(copy), {
      knownBlobs: branchBlobsLoader(s3, { bucket, prefix: PREFIX, branch: 'main' }, (m) => {
        throw new Error(m);
      }),
    });
    expect(pr).toMatchObject({ storedBlobsFrom: 'known snapshot', uploadedFiles: 1 });

    // The old fingerprint synced again: no blob sent, only its metadata, now gzip'd; then a no-op.
    const again = await sync(bucket, snap);
    expect(again).toMatchObject({ alreadyComplete: false, uploadedFiles: 0, uploadedBytes: 0 });
    expect(again.requests).toBe(4); // HEAD, LIST, manifest, snapshot
    expect(gunzipSync(await getBytes(bucket, gzKey)).toString('utf8')).toBe(snap.json);
    expect(await getText(bucket, plainKey)).toBe(snap.json); // left as it was
    expect(await sync(bucket, snap)).toMatchObject({ alreadyComplete: true, requests: 1 });
  });

  it('names a missing bucket', async () => {
    const snap = await buildSnapshot(await dataset(basicDataset()));
    await expect(sync('no-such-bucket', snap)).rejects.toThrow(
      "bucket 'no-such-bucket' does not exist",
    );
    await expect(sync('Bad_Bucket', snap)).rejects.toThrow(
      "bucket 'Bad_Bucket' is not a valid S3 bucket name",
    );
  });
});

describe('base-branch snapshots and diffs on moto', () => {
  it('records a branch pointer and diffs a PR snapshot against it, per class', async () => {
    const bucket = await newBucket();
    expect(
      await loadBranchSnapshot(s3, { bucket, prefix: PREFIX, branch: 'main' }),
    ).toBeUndefined();

    const dir = await dataset(basicDataset());
    const base = await inspectDataset(dir);
    const baseSnap = await buildSnapshot(dir);
    await sync(bucket, baseSnap, { stats: datasetStats(base.report) });
    const { uri, pointer } = await recordBranchSnapshot(s3, {
      bucket,
      prefix: PREFIX,
      branch: 'refs/heads/main',
      fingerprint: baseSnap.fingerprint,
      sha: 'abc123',
      now: () => new Date('2024-05-01T00:00:00Z'),
    });
    expect(uri).toBe(`s3://${bucket}/${PREFIX}/datasets/branches/main.json`);
    expect(pointer).toEqual({
      version: 1,
      branch: 'main',
      fingerprint: baseSnap.fingerprint,
      updatedAt: '2024-05-01T00:00:00.000Z',
      sha: 'abc123',
    });

    // The PR: one label changed (door -> room), one image+label added, one background removed.
    await writeFile(path.join(dir, 'labels/val/v2.txt'), '0 0.5 0.5 0.2 0.3\n');
    await writeTree(dir, {
      'images/train/new.png': png(30, 30, 9),
      'labels/train/new.txt': '1 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n',
    });
    await rm(path.join(dir, 'images/train/c.png'));
    const head = await inspectDataset(dir);
    expect(head.report.errors).toBe(0);
    const headSnap = await buildSnapshot(dir);

    const loaded = await loadBranchSnapshot(s3, { bucket, prefix: PREFIX, branch: 'main' });
    expect(loaded?.fingerprint).toBe(baseSnap.fingerprint);
    expect(loaded?.document).toEqual(baseSnap.document);
    const diff = diffSnapshots(loaded!, {
      files: headSnap.files,
      stats: datasetStats(head.report),
    });
    expect(diff).toEqual({
      baseSnapshot: baseSnap.fingerprint,
      added: 2,
      removed: 1,
      changed: 1,
      instancesPerClass: [
        { name: 'room', before: 4, after: 5 },
        { name: 'door', before: 2, after: 3 },
      ],
    });
  });
});
