// The validation cache through the pipeline's stages against moto: a branch run stores its clean
// results beside the snapshot, and the next run of that branch takes them from S3 instead of
// parsing those files (proved with a planted result parsing would never give), while a label
// edited since is parsed.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client, type AwsClients } from '../../src/aws.js';
import { createStages, type StageDeps } from '../../src/stages.js';
import { datasetKeys } from '../../src/dataset/keys.js';
import { decodeSyncCache, encodeSyncCache } from '../../src/dataset/sync-cache.js';
import { hashFileSync } from '../../src/hash.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { PR_CONTEXT, testConfig } from '../helpers/config.js';
import { basicDataset, removeDir, tempDir, writeTree } from './fixtures.js';

const BUCKET = 'vcache-bucket';
const PREFIX = 'yolo-training';
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

function deps(lines: string[]): StageDeps {
  const log: StageDeps['log'] = {
    info: (m: string) => lines.push(m),
    warning: (m: string) => lines.push(`warning: ${m}`),
    error: (m: string) => lines.push(m),
    annotate: () => undefined,
  };
  return {
    clients: { s3 } as unknown as AwsClients,
    log,
    actionRoot: process.cwd(),
    report: async () => ({}),
  };
}

/** One branch run's dataset stages; returns the log and the snapshot fingerprint. */
async function branchRun(dataset: string): Promise<{ log: string; fingerprint: string }> {
  const config = testConfig({
    dataset,
    bucket: BUCKET,
    prefix: PREFIX,
    context: { ...PR_CONTEXT, eventName: 'push', ref: 'refs/heads/main', prNumber: undefined },
  });
  const lines: string[] = [];
  const stages = createStages(config, deps(lines));
  await stages.validateDataset(config);
  const prepared = await stages.prepareDataset(config);
  const fingerprint = prepared.ref.snapshot;
  expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
  return { log: lines.join('\n'), fingerprint: fingerprint! };
}

const classRow = (log: string, name: string) =>
  log
    .split('\n')
    .find((line) => line.includes(name))
    ?.match(/\d+/g)
    ?.map(Number);

describe('validation cache across branch runs (moto)', () => {
  it('stores clean results, reuses them on the next run, and re-checks an edited label', async () => {
    const dir = await tempDir('yolo-vcache-int-');
    dirs.push(dir);
    await writeTree(dir, basicDataset());
    const first = await branchRun(dir);
    expect(first.log).not.toMatch(/^warning:/m);
    // val holds one room (v1.txt) and one door.
    expect(classRow(first.log, '0 room')).toEqual([0, 3, 1, 4]);

    const key = datasetKeys(PREFIX).syncCache(first.fingerprint);
    const stored = decodeSyncCache(
      await (
        await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body!.transformToByteArray(),
    )!;
    const v1 = hashFileSync(path.join(dir, 'labels/val/v1.txt')).sha256;
    expect(stored.validation!.results.get(v1)).toEqual({
      kind: 'label',
      rows: 1,
      instances: [[0, 1]],
      segments: false,
    });

    // Plant a result parsing never gives: the next run reports it only if it used the cache.
    const results = new Map(stored.validation!.results);
    results.set(v1, { kind: 'label', rows: 7, instances: [[0, 7]], segments: false });
    stored.validation = { ...stored.validation!, results };
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: encodeSyncCache(stored) }),
    );
    const second = await branchRun(dir);
    expect(classRow(second.log, '0 room')).toEqual([0, 3, 7, 10]);

    // An edit to that label: its new content has no cached result, so it is parsed (2 rooms).
    await writeFile(path.join(dir, 'labels/val/v1.txt'), '0 0.5 0.5 0.5 0.5\n0 0.2 0.2 0.1 0.1\n');
    const third = await branchRun(dir);
    expect(classRow(third.log, '0 room')).toEqual([0, 3, 2, 5]);
  });
});
