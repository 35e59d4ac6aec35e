// Champion pointers and run records on the S3 emulator: history before pointer, conditional
// replace (a concurrent promotion is detected, not overwritten), records read back by key.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import type { Champion } from '../../src/model/champion.js';
import {
  ChampionRaceError,
  readChampion,
  readRunRecord,
  writeChampion,
  writeRunRecord,
} from '../../src/model/store.js';
import { startMoto, type Moto } from '../helpers/moto.js';

const BUCKET = 'champions';
const at = { bucket: BUCKET, prefix: 'yolo-training' };
let moto: Moto;
let s3: S3Client;

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);
afterAll(() => moto?.stop());

function champion(jobName: string, branch = 'feature/rooms', map50 = 0.9): Champion {
  return {
    version: 1,
    branch,
    jobName,
    consoleUrl: `https://console/${jobName}`,
    metrics: { map50, perClass: [] },
    image: 'repo:tag',
    modelUri: `s3://${BUCKET}/yolo-training/output/${jobName}/output/model.tar.gz`,
    promotedAt: `2026-12-02T09:00:0${jobName.slice(-1)}.000Z`,
  };
}

describe('champion store', () => {
  it('writes history then the pointer, and reads the pointer back with its ETag', async () => {
    expect(await readChampion(s3, at, 'feature/rooms')).toBeUndefined();
    const written = await writeChampion(s3, at, champion('job-1'), undefined);
    expect(written.uri).toBe(`s3://${BUCKET}/yolo-training/models/feature%2Frooms/champion.json`);
    const stored = await readChampion(s3, at, 'feature/rooms');
    expect(stored?.champion.jobName).toBe('job-1');
    expect(stored?.etag).toMatch(/^"[0-9a-f]+"$/);
    const history = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'yolo-training/models/feature%2Frooms/history/',
      }),
    );
    expect(history.Contents?.map((o) => o.Key)).toEqual([
      'yolo-training/models/feature%2Frooms/history/2026-12-02T09-00-01-000Z-job-1.json',
    ]);
  });

  it('refuses to replace a champion another run replaced after we read it', async () => {
    const read = await readChampion(s3, at, 'feature/rooms');
    // Run A and run B both read job-1; A promotes first.
    await writeChampion(s3, at, champion('job-2'), read);
    await expect(writeChampion(s3, at, champion('job-3'), read)).rejects.toThrow(ChampionRaceError);
    expect((await readChampion(s3, at, 'feature/rooms'))?.champion.jobName).toBe('job-2');
    // Both attempts left their history entry; only the winner is the pointer.
    const history = await s3.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: 'yolo-training/models/feature%2Frooms/history/',
      }),
    );
    expect(history.KeyCount).toBe(3);
  });

  it('refuses to create a first champion when another run created one meanwhile', async () => {
    await writeChampion(s3, at, champion('job-4', 'dev'), undefined);
    await expect(writeChampion(s3, at, champion('job-5', 'dev'), undefined)).rejects.toThrow(
      /changed while this run was promoting job-5/,
    );
  });

  it('names a damaged champion object instead of comparing with it', async () => {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'yolo-training/models/broken/champion.json',
        Body: '{"version":1}',
      }),
    );
    await expect(readChampion(s3, at, 'broken')).rejects.toThrow(
      `s3://${BUCKET}/yolo-training/models/broken/champion.json is not a champion record`,
    );
  });
});

describe('run records', () => {
  const key = 'e'.repeat(64);
  it('reads back what was recorded under the run key; nothing for an unknown key', async () => {
    expect(await readRunRecord(s3, at, key)).toBeUndefined();
    const uri = await writeRunRecord(s3, at, {
      version: 1,
      key,
      jobName: 'job-1',
      consoleUrl: 'https://console/job-1',
      passed: true,
      recordedAt: '2026-12-02T09:00:00.000Z',
    });
    expect(uri).toBe(`s3://${BUCKET}/yolo-training/runs/${key}.json`);
    expect((await readRunRecord(s3, at, key))?.jobName).toBe('job-1');
  });

  it('rejects a record stored under another key', async () => {
    const other = 'f'.repeat(64);
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `yolo-training/runs/${other}.json`,
        Body: JSON.stringify({
          version: 1,
          key,
          jobName: 'job-1',
          consoleUrl: 'x',
          passed: true,
          recordedAt: 't',
        }),
      }),
    );
    await expect(readRunRecord(s3, at, other)).rejects.toThrow(/records run key e+, not f+/);
  });
});
