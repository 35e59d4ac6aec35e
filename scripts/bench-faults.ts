// Benchmark: the sync through a seeded fault-injecting proxy (__tests__/helpers/fault-proxy.ts) in
// front of a local moto S3 server. A dataset of BENCH_FILES files (half ~30 KB images, half labels)
// is synced to a fresh bucket per run, at 0%, 10% and 30% faults (half connection resets, half 503
// SlowDown); after each run every stored object is read back and its sha256 checked against its
// key, and every blob of the snapshot must be there. Prints one line per run and a summary.
//
//   npx tsx scripts/bench-faults.ts  (defaults: BENCH_FILES=1500, BENCH_RUNS=5 at 30% faults,
//                                    BENCH_TIMING_RUNS=3 at 0% and 10%)
import { randomBytes, createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../src/aws.js';
import { datasetKeys } from '../src/dataset/keys.js';
import { buildSnapshot, type Snapshot } from '../src/dataset/snapshot.js';
import { syncSnapshot } from '../src/dataset/sync.js';
import { startFaultProxy } from '../__tests__/helpers/fault-proxy.js';
import { startMoto } from '../__tests__/helpers/moto.js';

const FILES = Number(process.env.BENCH_FILES ?? 1500);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Runs at 0% and 10% for the timing comparison. */
const TIMING_RUNS = Number(process.env.BENCH_TIMING_RUNS ?? 3);
const WORK = path.resolve('.bench/faults');
const log = (line: string) => process.stderr.write(`${line}\n`);

async function generate(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const d of ['images/train', 'labels/train'])
    await mkdir(path.join(dir, d), { recursive: true });
  await writeFile(
    path.join(dir, 'data.yaml'),
    'path: .\ntrain: images/train\nval: images/train\nnames: [room]\n',
  );
  for (let i = 0; i < Math.floor((FILES - 1) / 2); i++) {
    await writeFile(
      path.join(dir, `images/train/${i}.jpg`),
      randomBytes(24 * 1024 + (i % 13) * 1024),
    );
    await writeFile(
      path.join(dir, `labels/train/${i}.txt`),
      // Unique per image, as real labels are: every file is its own blob.
      `0 0.5 0.5 ${(0.1 + (i % 800) / 1000).toFixed(3)} 0.${String(i).padStart(6, '0')}\n`,
    );
  }
}

/** Lost = snapshot blobs missing from the store; corrupt = stored objects whose sha256 is not their key. */
async function verify(s3: S3Client, bucket: string, snapshot: Snapshot) {
  const keys = datasetKeys('bench');
  const stored = new Set<string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: keys.objectsPrefix,
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) stored.add(o.Key!.slice(keys.objectsPrefix.length));
    token = page.NextContinuationToken;
  } while (token);
  let corrupt = 0;
  const all = [...stored];
  for (let i = 0; i < all.length; i += 32) {
    await Promise.all(
      all.slice(i, i + 32).map(async (sha) => {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: keys.object(sha) }));
        const bytes = Buffer.from(await res.Body!.transformToByteArray());
        if (createHash('sha256').update(bytes).digest('hex') !== sha) corrupt++;
      }),
    );
  }
  const blobs = new Set(Object.values(snapshot.document.files).map((f) => f.sha256));
  const lost = [...blobs].filter((b) => !stored.has(b)).length;
  return { lost, corrupt };
}

async function main(): Promise<void> {
  const dir = path.join(WORK, 'dataset');
  await generate(dir);
  const snapshot = await buildSnapshot(dir);
  const files = Object.keys(snapshot.document.files).length;
  const blobs = new Set(Object.values(snapshot.document.files).map((f) => f.sha256)).size;
  const moto = await startMoto();
  const direct = createS3Client({ region: 'us-east-1', env: moto.env });
  const results: { rate: number; ok: boolean; seconds: number; lost: number; corrupt: number }[] =
    [];
  let bucketNo = 0;
  try {
    const plan = [
      ...Array.from({ length: TIMING_RUNS }, () => 0),
      ...Array.from({ length: TIMING_RUNS }, () => 0.1),
      ...Array.from({ length: RUNS }, () => 0.3),
    ];
    for (const [i, rate] of plan.entries()) {
      const bucket = `bench-faults-${++bucketNo}`;
      await direct.send(new CreateBucketCommand({ Bucket: bucket }));
      const proxy = await startFaultProxy({ target: moto.endpoint, rate, seed: 1000 + i });
      const s3 = createS3Client({
        region: 'us-east-1',
        env: { ...moto.env, AWS_ENDPOINT_URL: proxy.endpoint },
      });
      const started = performance.now();
      let ok = true;
      let error = '';
      try {
        await syncSnapshot(s3, { bucket, prefix: 'bench', snapshot });
      } catch (e) {
        ok = false;
        error = (e as Error).message;
      }
      const seconds = (performance.now() - started) / 1000;
      await proxy.close();
      s3.destroy();
      const { lost, corrupt } = await verify(direct, bucket, snapshot);
      const s = proxy.stats;
      results.push({ rate, ok, seconds, lost, corrupt });
      log(
        `${(rate * 100).toFixed(0).padStart(2)}% faults: ${ok ? 'complete' : `FAILED (${error})`} in ${seconds.toFixed(1)} s; ${s.requests} requests, ${s.resetsBefore + s.resetsAfter} resets, ${s.throttles} throttled; lost ${lost}, corrupt ${corrupt}`,
      );
    }
  } finally {
    direct.destroy();
    await moto.stop();
  }
  log(`\n${files} files, ${blobs} blobs:`);
  log('| faults | finished | median time | slowest | lost | corrupt |');
  log('|---|---|---|---|---|---|');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  for (const rate of [0, 0.1, 0.3]) {
    const rs = results.filter((r) => r.rate === rate);
    const times = rs.map((r) => r.seconds);
    log(
      `| ${rate * 100}% | ${rs.filter((r) => r.ok).length}/${rs.length} | ${median(times).toFixed(1)} s | ${times.reduce((a, b) => Math.max(a, b), 0).toFixed(1)} s | ${rs.reduce((a, r) => a + r.lost, 0)} | ${rs.reduce((a, r) => a + r.corrupt, 0)} |`,
    );
  }
  const ratio =
    median(results.filter((r) => r.rate === 0.1).map((r) => r.seconds)) /
    median(results.filter((r) => r.rate === 0).map((r) => r.seconds));
  log(`10% faults / fault-free (medians): ${ratio.toFixed(2)}x`);
  if (results.some((r) => !r.ok || r.lost || r.corrupt)) process.exitCode = 1;
}

await main();
