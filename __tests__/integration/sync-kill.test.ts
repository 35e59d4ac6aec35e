// A sync killed mid-way (SIGKILL: no cleanup runs) leaves no snapshot, and the rerun uploads only
// what is missing, then commits the snapshot. Driven through the bundled CLI, as a user would.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createS3Client } from '../../src/aws.js';
import { jpeg, removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { distEntry } from './action-harness.js';

const BUCKET = 'kill-bucket';
const IMAGES = 240;

let moto: Moto;
let s3: S3Client;
let dataset: string;

async function keys(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    found.push(...(page.Contents ?? []).map((o) => o.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  return found;
}

function sync(): {
  done: Promise<{ code: number | null; signal: string | null; stdout: string }>;
  kill: () => void;
} {
  const child = spawn(
    process.execPath,
    [
      distEntry('index.js').replace(/index\.js$/, 'cli.js'),
      'sync',
      '--dataset',
      dataset,
      '--bucket',
      BUCKET,
      '--concurrency',
      '2',
      '--json',
    ],
    { env: { ...process.env, ...moto.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.resume();
  return {
    done: new Promise((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, stdout })),
    ),
    kill: () => child.kill('SIGKILL'),
  };
}

beforeAll(async () => {
  moto = await startMoto();
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  dataset = await tempDir('kill-ds-');
  const files: Record<string, Buffer | string> = {
    'data.yaml': 'path: .\ntrain: images/train\nval: images/val\nnames: [room]\n',
  };
  for (let i = 0; i < IMAGES; i++) {
    const split = i % 5 === 0 ? 'val' : 'train';
    // ~48 KB each: enough bytes that the upload is still running when it is killed.
    files[`images/${split}/p${i}.jpg`] = jpeg(640, 480, randomBytes(48 * 1024));
    files[`labels/${split}/p${i}.txt`] = `0 0.5 0.5 0.3 0.${100 + i}\n`; // unique: one blob per file
  }
  await writeTree(dataset, files);
}, 60_000);

afterAll(async () => {
  await removeDir(dataset);
  await moto.stop();
});

describe('sync killed mid-way', () => {
  it('leaves no snapshot; the rerun uploads only the rest and commits the snapshot', async () => {
    const first = sync();
    const deadline = Date.now() + 60_000;
    let partial: string[] = [];
    while (Date.now() < deadline) {
      partial = await keys('yolo-training/datasets/objects/');
      if (partial.length >= 20) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    first.kill();
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');

    const before = await keys('yolo-training/datasets/objects/');
    expect(before.length).toBeGreaterThanOrEqual(20);
    expect(before.length).toBeLessThan(2 * IMAGES + 1);
    expect(
      (await keys('yolo-training/datasets/snapshots/')).filter((k) =>
        /\/[0-9a-f]{64}\.json(\.gz)?$/.test(k),
      ),
    ).toEqual([]);

    const rerun = await sync().done;
    expect(rerun.code).toBe(0);
    const result = JSON.parse(rerun.stdout) as {
      sync: {
        fingerprint: string;
        uploadedFiles: number;
        skippedFiles: number;
        alreadyComplete: boolean;
      };
    };
    const total = 2 * IMAGES + 1;
    expect(result.sync.alreadyComplete).toBe(false);
    expect(result.sync.uploadedFiles).toBe(total - before.length);
    expect(result.sync.skippedFiles).toBe(before.length);
    expect(await keys(`yolo-training/datasets/snapshots/${result.sync.fingerprint}.json`)).toEqual([
      `yolo-training/datasets/snapshots/${result.sync.fingerprint}.json.gz`,
    ]);
    expect(await keys('yolo-training/datasets/objects/')).toHaveLength(total);

    const again = JSON.parse((await sync().done).stdout) as {
      sync: { alreadyComplete: boolean; requests: number };
    };
    expect(again.sync).toMatchObject({ alreadyComplete: true, requests: 1 });
  }, 120_000);
});
