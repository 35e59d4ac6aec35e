// The stored form of a snapshot: gzip'd bytes whose plain text is the canonical JSON (the
// fingerprint is unchanged), read from <fp>.json.gz or, for older syncs, <fp>.json. moto for S3.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import { datasetKeys } from '../../src/dataset/keys.js';
import { encodeSnapshotJson, snapshotFromFiles } from '../../src/dataset/snapshot.js';
import { decodeSnapshotJson, readStoredSnapshot } from '../../src/dataset/stored-snapshot.js';
import { storedSnapshotKey } from '../../src/dataset/sync.js';
import { sha256Hex } from '../../src/hash.js';
import { readSnapshotDocument } from '../../src/model/store.js';
import { startMoto, type Moto } from '../helpers/moto.js';

// Non-ASCII paths: the bytes, not the UTF-16 string, are what the fingerprint hashes.
const SNAP = snapshotFromFiles(
  [
    ['data.yaml', { sha256: 'a'.repeat(64), size: 60 }],
    ['images/train/plan é.jpg', { sha256: 'b'.repeat(64), size: 51234 }],
    ['labels/train/plan é.txt', { sha256: 'c'.repeat(64), size: 36 }],
    ['images/val/😀.jpg', { sha256: 'd'.repeat(64), size: 40000 }],
  ],
  'data.yaml',
  '/x',
);

describe('encodeSnapshotJson / decodeSnapshotJson', () => {
  it('round-trips the canonical JSON exactly, so it still hashes to the fingerprint', () => {
    const stored = encodeSnapshotJson(SNAP.json);
    expect(stored.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // a gzip stream
    const back = decodeSnapshotJson(stored, 'mem');
    expect(back).toBe(SNAP.json);
    expect(sha256Hex(back)).toBe(SNAP.fingerprint);
  });

  it('is deterministic: the same snapshot gives the same bytes (no timestamp in the header)', () => {
    expect(encodeSnapshotJson(SNAP.json).equals(encodeSnapshotJson(SNAP.json))).toBe(true);
  });

  it('names the object when it is not gzip, or is cut short', () => {
    expect(() => decodeSnapshotJson(Buffer.from(SNAP.json), 's3://b/k.json.gz')).toThrow(
      /^s3:\/\/b\/k\.json\.gz is not a gzip'd snapshot JSON: /,
    );
    const cut = encodeSnapshotJson(SNAP.json).subarray(0, 20);
    expect(() => decodeSnapshotJson(cut, 's3://b/k.json.gz')).toThrow(
      /^s3:\/\/b\/k\.json\.gz is not a gzip'd snapshot JSON: /,
    );
  });

  it('refuses to inflate past the cap instead of filling memory', () => {
    const bomb = gzipSync(Buffer.alloc(4096, 0x20));
    expect(bomb.length).toBeLessThan(100);
    expect(() => decodeSnapshotJson(bomb, 'bomb', 1024)).toThrow(
      /^bomb is not a gzip'd snapshot JSON: .*(buffer|length)/i,
    );
    expect(decodeSnapshotJson(bomb, 'bomb', 4096)).toHaveLength(4096);
  });
});

describe('readStoredSnapshot / storedSnapshotKey on moto', () => {
  let moto: Moto;
  let s3: S3Client;
  const bucket = 'stored-snapshot';
  const prefix = 'yolo-training';
  const keys = datasetKeys(prefix);
  const put = (key: string, body: string | Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

  beforeAll(async () => {
    moto = await startMoto();
    s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }, 30000);
  afterAll(async () => {
    await moto?.stop();
  });

  it("reads the gzip'd key, else the plain one of older syncs, else says there is none", async () => {
    const at = { bucket, prefix };
    const fp = SNAP.fingerprint;
    expect(await readStoredSnapshot(s3, at, fp)).toBeUndefined();
    expect(await storedSnapshotKey(s3, bucket, prefix, fp)).toBeUndefined();

    await put(keys.plainSnapshot(fp), SNAP.json);
    expect(await readStoredSnapshot(s3, at, fp)).toEqual({
      uri: `s3://${bucket}/${keys.plainSnapshot(fp)}`,
      form: 'plain',
      json: SNAP.json,
      document: SNAP.document,
    });
    expect(await storedSnapshotKey(s3, bucket, prefix, fp)).toBe(keys.plainSnapshot(fp));

    await put(keys.snapshot(fp), encodeSnapshotJson(SNAP.json));
    expect(await readStoredSnapshot(s3, at, fp)).toEqual({
      uri: `s3://${bucket}/${keys.snapshot(fp)}`,
      form: 'gzip',
      json: SNAP.json,
      document: SNAP.document,
    });
    expect(await storedSnapshotKey(s3, bucket, prefix, fp)).toBe(keys.snapshot(fp));
    // The model report's reader (champion's vs this run's splits) goes through the same path.
    expect(await readSnapshotDocument(s3, at, fp)).toEqual(SNAP.document);
    expect(await readSnapshotDocument(s3, at, 'e'.repeat(64))).toBeUndefined();
  });

  it('refuses an object that does not hash to its fingerprint, in either form', async () => {
    const at = { bucket, prefix: 'damaged' };
    const k = datasetKeys('damaged');
    const fp = SNAP.fingerprint;
    const other = SNAP.json.replace('"size":36', '"size":37');
    await put(k.plainSnapshot(fp), other);
    await expect(readStoredSnapshot(s3, at, fp)).rejects.toThrow(
      `s3://${bucket}/${k.plainSnapshot(fp)} does not hash to its fingerprint`,
    );
    await put(k.snapshot(fp), encodeSnapshotJson(other));
    await expect(readStoredSnapshot(s3, at, fp)).rejects.toThrow(
      `s3://${bucket}/${k.snapshot(fp)} does not hash to its fingerprint`,
    );
    // A plain JSON stored under the gzip'd key (not what any sync writes) is named, not parsed.
    await put(k.snapshot(fp), SNAP.json);
    await expect(readStoredSnapshot(s3, at, fp)).rejects.toThrow(
      `s3://${bucket}/${k.snapshot(fp)} is not a gzip'd snapshot JSON`,
    );
  });
});
