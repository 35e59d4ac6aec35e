// The sync under S3 faults: through a seeded proxy that resets 15% of the connections (half of them
// after the emulator applied the request) and throttles 15% with 503 SlowDown, a dataset with small
// files and one multipart blob syncs completely, with every stored object's sha256 equal to its key
// and to the snapshot. Also: overlapping syncs do not re-send a big blob another sync stored after
// our LIST, and a sync that cannot get through names the operation and the key.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { createS3Client } from '../../src/aws.js';
import { datasetKeys } from '../../src/dataset/keys.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { readStoredSnapshot } from '../../src/dataset/stored-snapshot.js';
import { syncSnapshot } from '../../src/dataset/sync.js';
import { removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { startMoto, type Moto } from '../helpers/moto.js';

let moto: Moto;
let direct: S3Client;
const dirs: string[] = [];
let buckets = 0;

beforeAll(async () => {
  moto = await startMoto();
  direct = createS3Client({ region: 'us-east-1', env: moto.env });
}, 30_000);

afterAll(async () => {
  await moto?.stop();
  await Promise.all(dirs.map(removeDir));
});

async function newBucket(): Promise<string> {
  const bucket = `faults-${++buckets}`;
  await direct.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

/** `images` files of a few KB, their labels, and optionally one file big enough for multipart. */
async function dataset(images: number, bigBytes = 0): Promise<string> {
  const dir = await tempDir('faults-ds-');
  dirs.push(dir);
  const tree: Record<string, string | Buffer> = {
    'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnames: [room]\n',
  };
  for (let i = 0; i < images; i++) {
    tree[`images/train/${i}.bin`] = randomBytes(1024 + (i % 7) * 512);
    tree[`labels/train/${i}.txt`] = `0 0.5 0.5 0.${(i % 9) + 1} 0.1\n`;
  }
  if (bigBytes) tree['images/val/big.bin'] = randomBytes(bigBytes);
  await writeTree(dir, tree);
  return dir;
}

async function text(bucket: string, key: string): Promise<string> {
  const res = await direct.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return res.Body!.transformToString();
}

/** Every object under objects/ read back straight from the emulator: its sha256 must be its key. */
async function verifyStore(bucket: string, prefix: string, expected: Set<string>): Promise<void> {
  const keys = datasetKeys(prefix);
  const stored: string[] = [];
  let token: string | undefined;
  do {
    const page = await direct.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: keys.objectsPrefix,
        ContinuationToken: token,
      }),
    );
    stored.push(...(page.Contents ?? []).map((o) => o.Key!.slice(keys.objectsPrefix.length)));
    token = page.NextContinuationToken;
  } while (token);
  const corrupt: string[] = [];
  await Promise.all(
    stored.map(async (sha) => {
      const res = await direct.send(
        new GetObjectCommand({ Bucket: bucket, Key: keys.object(sha) }),
      );
      const bytes = Buffer.from(await res.Body!.transformToByteArray());
      if (createHash('sha256').update(bytes).digest('hex') !== sha) corrupt.push(sha);
    }),
  );
  expect(corrupt).toEqual([]);
  expect([...expected].filter((sha) => !stored.includes(sha))).toEqual([]); // none lost
}

describe('sync through a faulty network', () => {
  let proxy: FaultProxy;
  afterAll(async () => proxy?.close());

  it('30% faults (resets and 503 SlowDown): complete, 0 lost, 0 corrupt, in under a minute', async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, rate: 0.3, seed: 20261202 });
    const s3 = createS3Client({
      region: 'us-east-1',
      env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint },
    });
    const bucket = await newBucket();
    const dir = await dataset(120, 11 * 1024 * 1024);
    const snapshot = await buildSnapshot(dir);
    const started = Date.now();
    const result = await syncSnapshot(s3, {
      bucket,
      prefix: 'faults',
      snapshot,
      multipartThreshold: 6 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
    });
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);

    // The faults really happened, at about the share asked for.
    const { requests, resetsBefore, resetsAfter, throttles } = proxy.stats;
    expect(resetsBefore).toBeGreaterThan(5);
    expect(resetsAfter).toBeGreaterThan(5);
    expect(throttles).toBeGreaterThan(10);
    expect((resetsBefore + resetsAfter + throttles) / requests).toBeGreaterThan(0.2);

    const blobs = new Set(Object.values(snapshot.document.files).map((f) => f.sha256));
    expect(result.alreadyComplete).toBe(false);
    expect(result.uploadedFiles).toBe(blobs.size);
    await verifyStore(bucket, 'faults', blobs);
    const keys = datasetKeys('faults');
    // read straight from the emulator: the gzip'd snapshot decodes to the canonical JSON
    const stored = await readStoredSnapshot(
      direct,
      { bucket, prefix: 'faults' },
      snapshot.fingerprint,
    );
    expect(stored).toMatchObject({ form: 'gzip', json: snapshot.json });
    const manifest = JSON.parse(
      await text(bucket, keys.manifest(snapshot.fingerprint)),
    ) as unknown[];
    expect(new Set(manifest.slice(1))).toEqual(blobs);
  }, 90_000);

  it('a sync that cannot get through says which request failed, on which key', async () => {
    const dead = await startFaultProxy({ target: moto.endpoint, rate: 1, seed: 7 });
    try {
      const s3 = createS3Client({
        region: 'us-east-1',
        env: { ...moto.env, AWS_ENDPOINT_URL: dead.endpoint },
        s3RetryDeadlineMs: 1_500,
      });
      const dir = await dataset(2);
      const snapshot = await buildSnapshot(dir);
      const failure = syncSnapshot(s3, { bucket: await newBucket(), prefix: 'dead', snapshot });
      await expect(failure).rejects.toThrow(
        new RegExp(
          `^HeadObject s3://faults-\\d+/dead/datasets/snapshots/${snapshot.fingerprint}\\.json\\.gz failed after \\d+ attempts`,
        ),
      );
      expect(dead.stats.requests).toBeGreaterThan(1); // it was retried, then gave up at the deadline
    } finally {
      await dead.close();
    }
  }, 30_000);
});

describe('overlapping syncs', () => {
  it('a big blob another sync stored after our LIST is not sent again (HEAD just before PUT)', async () => {
    const bucket = await newBucket();
    const dir = await dataset(3, 600 * 1024);
    const snapshot = await buildSnapshot(dir);
    const big = snapshot.document.files['images/val/big.bin']!;
    const keys = datasetKeys('overlap');
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    const puts: string[] = [];
    // The other sync: stores the big blob right after our LIST has answered.
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const input = args.input as { Key?: string };
        if (context.commandName === 'ListObjectsV2Command') {
          await direct.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keys.object(big.sha256),
              Body: await import('node:fs/promises').then((fs) =>
                fs.readFile(`${dir}/images/val/big.bin`),
              ),
            }),
          );
        }
        if (context.commandName === 'PutObjectCommand' && input.Key) puts.push(input.Key);
        return out;
      },
      { step: 'initialize', name: 'otherSync' },
    );
    const result = await syncSnapshot(s3, { bucket, prefix: 'overlap', snapshot });
    expect(puts).not.toContain(keys.object(big.sha256));
    expect(result.skippedFiles).toBe(1);
    expect(result.uploadedFiles).toBe(Object.keys(snapshot.document.files).length - 1);
    await verifyStore(
      bucket,
      'overlap',
      new Set(Object.values(snapshot.document.files).map((f) => f.sha256)),
    );
  }, 30_000);
});
