// The requests of a sync follow the change, not the bucket's history: with the branch's last
// snapshot as the set of stored blobs, nothing is listed. Counted on the wire (recording proxy
// in front of moto).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import { branchBlobsLoader, recordBranchSnapshot } from '../../src/dataset/branches.js';
import { mapLimit } from '../../src/dataset/concurrency.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { syncSnapshot, type SyncResult } from '../../src/dataset/sync.js';
import { sha256Hex } from '../../src/hash.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { basicDataset, removeDir, tempDir, writeTree } from './fixtures.js';

const PREFIX = 'yolo-training';
/** Other blobs in the crowded bucket: with the dataset's, two LIST pages of 1,000 keys. */
const OTHER_BLOBS = 1001;

let moto: Moto;
let proxy: RecordingProxy;
let s3: S3Client;
const dirs: string[] = [];

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startRecordingProxy(moto.endpoint);
  s3 = createS3Client({
    region: 'us-east-1',
    env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint },
  });
}, 30000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  await Promise.all(dirs.map(removeDir));
});

async function bucketWith(name: string, otherBlobs: number): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: name }));
  await mapLimit(
    Array.from({ length: otherBlobs }, (_, i) => `other blob ${i}`),
    16,
    async (body) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: name,
          Key: `${PREFIX}/datasets/objects/${sha256Hex(body)}`,
          Body: body,
        }),
      );
    },
  );
  return name;
}

/** The dataset synced and recorded as main's, then one label edited in place (same size). */
async function mainThenOneEdit(bucket: string): Promise<string> {
  const dir = await tempDir('yolo-known-');
  dirs.push(dir);
  await writeTree(dir, basicDataset());
  const base = await buildSnapshot(dir);
  await syncSnapshot(s3, { bucket, prefix: PREFIX, snapshot: base });
  await recordBranchSnapshot(s3, {
    bucket,
    prefix: PREFIX,
    branch: 'main',
    fingerprint: base.fingerprint,
  });
  const label = path.join(dir, 'labels/val/v2.txt');
  const before = await readFile(label, 'utf8');
  const after = before.replace(/^1 /, '0 ');
  expect(after).not.toBe(before);
  expect(after.length).toBe(before.length);
  await writeFile(label, after);
  return dir;
}

/** Syncs `dir` and returns the result with the requests it sent, as `METHOD path?query` lines. */
async function recorded(
  bucket: string,
  dir: string,
  withKnown: boolean,
  warn: (m: string) => void = () => {},
): Promise<{ result: SyncResult; wire: string[] }> {
  const snapshot = await buildSnapshot(dir);
  const from = proxy.requests.length;
  const result = await syncSnapshot(s3, {
    bucket,
    prefix: PREFIX,
    snapshot,
    ...(withKnown
      ? { knownBlobs: branchBlobsLoader(s3, { bucket, prefix: PREFIX, branch: 'main' }, warn) }
      : {}),
  });
  const wire = proxy.requests
    .slice(from)
    .map((r) => `${r.method} ${r.url.replace(`/${bucket}/`, '/B/').replace(/[0-9a-f]{64}/g, 'H')}`)
    .map((line) => line.replace(/\?x-id=\w+$/, ''))
    .sort();
  return { result, wire };
}

describe('sync with the branch snapshot as the stored blobs', () => {
  it(`one changed file costs the same requests with 0 or ${OTHER_BLOBS} other blobs in the bucket, and lists nothing`, async () => {
    const quiet = await bucketWith('known-quiet', 0);
    const crowded = await bucketWith('known-crowded', OTHER_BLOBS);
    const a = await recorded(quiet, await mainThenOneEdit(quiet), true);
    const b = await recorded(crowded, await mainThenOneEdit(crowded), true);

    expect(a.wire).toEqual(b.wire);
    expect(a.wire).toEqual([
      `GET /B/${PREFIX}/datasets/branches/main.json`, // the pointer
      `GET /B/${PREFIX}/datasets/snapshots/H.json.gz`, // main's snapshot: the known blobs
      `HEAD /B/${PREFIX}/datasets/snapshots/H.json.gz`, // is this snapshot complete already?
      `PUT /B/${PREFIX}/datasets/objects/H`, // the edited label, the only new blob
      `PUT /B/${PREFIX}/datasets/snapshots/H.json.gz`,
      `PUT /B/${PREFIX}/datasets/snapshots/H.manifest`,
    ]);
    for (const { result } of [a, b]) {
      expect(result).toMatchObject({
        storedBlobsFrom: 'known snapshot',
        uploadedFiles: 1,
        requests: 6,
      });
    }
  }, 120000);

  it('without a known snapshot the same change lists the whole objects prefix (two pages when crowded)', async () => {
    const quiet = await bucketWith('listed-quiet', 0);
    const crowded = await bucketWith('listed-crowded', OTHER_BLOBS);
    const a = await recorded(quiet, await mainThenOneEdit(quiet), false);
    const b = await recorded(crowded, await mainThenOneEdit(crowded), false);
    const lists = (wire: string[]) => wire.filter((l) => l.includes('list-type=2')).length;
    expect(lists(a.wire)).toBe(1);
    expect(lists(b.wire)).toBe(2); // 1,001 + 9 keys: pages of 1,000
    expect(a.result).toMatchObject({ storedBlobsFrom: 'listing', uploadedFiles: 1 });
    expect(b.result).toMatchObject({ storedBlobsFrom: 'listing', uploadedFiles: 1 });
  }, 120000);

  it('a branch pointer to a missing snapshot is a warning, and the sync lists instead', async () => {
    const bucket = await bucketWith('known-broken', 0);
    const dir = await mainThenOneEdit(bucket);
    await recordBranchSnapshot(s3, {
      bucket,
      prefix: PREFIX,
      branch: 'main',
      fingerprint: 'f'.repeat(64),
    });
    const warnings: string[] = [];
    const { result, wire } = await recorded(bucket, dir, true, (m) => warnings.push(m));
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not read main's last snapshot .*does not exist.*listing the stored blobs instead$/,
      ),
    ]);
    expect(result).toMatchObject({ storedBlobsFrom: 'listing', uploadedFiles: 1 });
    expect(wire.filter((l) => l.includes('list-type=2'))).toHaveLength(1);
  }, 60000);

  it('a complete snapshot is still one request: the known blobs are not even read', async () => {
    const bucket = await bucketWith('known-noop', 0);
    const dir = await mainThenOneEdit(bucket);
    await recorded(bucket, dir, true);
    const again = await recorded(bucket, dir, true);
    expect(again.wire).toEqual([`HEAD /B/${PREFIX}/datasets/snapshots/H.json.gz`]);
    expect(again.result).toMatchObject({ alreadyComplete: true, storedBlobsFrom: 'complete' });
  }, 60000);
});
