// Benchmark: the content-addressed sync beside `aws s3 sync` (and `rclone sync` when installed)
// against one local moto S3 server, on a generated dataset shaped like the users' (~4,700 images
// of ~30 KB + labels). Every scenario after the first runs on a fresh copy of the directory, as a
// CI checkout is: new mtimes everywhere. Requests are counted from moto's request log.
//
//   npx tsx scripts/bench-sync.ts            (BENCH_IMAGES=500 for a quick run)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../src/aws.js';
import { buildSnapshot } from '../src/dataset/snapshot.js';
import { syncSnapshot } from '../src/dataset/sync.js';
import { validateDataset } from '../src/dataset/validate.js';
import { freePort, motoServerBinary } from '../__tests__/helpers/moto.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 4700);
const IMAGE_BYTES = 30 * 1024;
const WORK = path.resolve('.bench/sync');
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** A JPEG that passes header checks: SOI, APP0, SOF0 (640x480), SOS, filler, EOI. */
function jpegBytes(size: number): Buffer {
  const head = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0x01, 0x22,
    0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11,
    0x03, 0x11, 0x00, 0x3f, 0x00,
  ]);
  const body = randomBytes(size - head.length - 2);
  for (let i = 0; i < body.length; i++) if (body[i] === 0xff) body[i] = 0xfe;
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

function labelText(rows: number): string {
  const r = () => (0.2 + Math.random() * 0.6).toFixed(6);
  const s = () => (0.01 + Math.random() * 0.1).toFixed(6);
  return Array.from({ length: rows }, () => `0 ${r()} ${r()} ${s()} ${s()}`).join('\n') + '\n';
}

function imageRel(i: number): string {
  const split = i % 5 === 0 ? 'val' : 'train';
  return `images/${split}/plan_${String(i).padStart(5, '0')}.jpg`;
}
const labelRel = (img: string) => img.replace(/^images\//, 'labels/').replace(/\.jpg$/, '.txt');

async function generate(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  for (const d of ['images/train', 'images/val', 'labels/train', 'labels/val']) {
    await mkdir(path.join(dir, d), { recursive: true });
  }
  await writeFile(
    path.join(dir, 'data.yaml'),
    'path: .\ntrain: images/train\nval: images/val\nnames:\n  0: room\n',
  );
  for (let i = 0; i < IMAGES; i++) {
    const size = Math.round(IMAGE_BYTES * (0.8 + Math.random() * 0.4));
    const img = imageRel(i);
    await writeFile(path.join(dir, img), jpegBytes(size));
    await writeFile(path.join(dir, labelRel(img)), labelText(1 + (i % 12)));
  }
}

/** 1% of the images get new pixels and their labels a same-size edit; returns the files changed. */
async function changeOnePercent(dir: string): Promise<string[]> {
  const changed: string[] = [];
  for (let i = 0; i < IMAGES; i += 100) {
    const img = imageRel(i);
    const size = (await stat(path.join(dir, img))).size;
    await writeFile(path.join(dir, img), jpegBytes(size));
    const lbl = labelRel(img);
    const text = await readFile(path.join(dir, lbl), 'utf8');
    // Same byte count: swap the last digit of the first coordinate.
    const edited = text.replace(
      /^0 0\.(\d{5})(\d)/,
      (_m, a: string, d: string) => `0 0.${a}${(Number(d) + 1) % 10}`,
    );
    await writeFile(path.join(dir, lbl), edited);
    changed.push(img, lbl);
  }
  return changed;
}

interface Moto {
  endpoint: string;
  requests(): number;
  stop(): Promise<void>;
}

async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoServerBinary(), ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let count = 0;
  let pending = '';
  // werkzeug logs one line per request: ... "PUT /bucket/key HTTP/1.1" 200 -
  // eslint-disable-next-line no-control-regex -- werkzeug colours some lines with ANSI escapes
  const request = /"(?:\x1b\[[0-9;]*m)?(?:GET|PUT|POST|HEAD|DELETE) \S+ HTTP/;
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (request.test(line)) count++;
  });
  for (let i = 0; i < 200; i++) {
    try {
      await fetch(`${endpoint}/moto-api/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    requests: () => count,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Row {
  scenario: string;
  tool: string;
  seconds: number;
  requests: number;
  files: number;
  bytes: number;
  note?: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}:\n${out.slice(-2000)}`)),
    );
  });
}

async function sizeOf(files: string[]): Promise<number> {
  let total = 0;
  for (const f of files) total += (await stat(f)).size;
  return total;
}

async function measure(
  moto: Moto,
  fn: () => Promise<{ files: number; bytes: number; note?: string }>,
): Promise<Omit<Row, 'scenario' | 'tool'>> {
  const before = moto.requests();
  const t0 = performance.now();
  const r = await fn();
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((res) => setTimeout(res, 300)); // let the last log lines arrive
  return { seconds, requests: moto.requests() - before, ...r };
}

async function main(): Promise<void> {
  const which = async (cmd: string) =>
    run('sh', ['-c', `command -v ${cmd}`], {}).then(
      () => true,
      () => false,
    );
  const hasAws = await which('aws');
  const hasRclone = await which('rclone');
  const original = path.join(WORK, 'original');
  log(`generating ${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + labels in ${original} ...`);
  await generate(original);
  const moto = await startMoto();
  const env = { ...CREDENTIALS, AWS_ENDPOINT_URL: moto.endpoint };
  const s3 = createS3Client({ region: 'us-east-1', env });
  Object.assign(process.env, CREDENTIALS);
  const rows: Row[] = [];

  // A CI checkout writes every file anew: each run after the first gets a copy made just before it
  // (new mtimes), of either the original or the 1%-changed template.
  const changedTemplate = path.join(WORK, 'changed-template');
  await rm(changedTemplate, { recursive: true, force: true });
  await cp(original, changedTemplate, { recursive: true });
  const changedFiles = await changeOnePercent(changedTemplate);
  const freshCopy = async (template: string): Promise<string> => {
    const dir = path.join(WORK, 'checkout');
    await rm(dir, { recursive: true, force: true });
    await cp(template, dir, { recursive: true });
    return dir;
  };
  const changedLabel = `1% changed (fresh copy, ${changedFiles.length} files)`;
  const scenarios: [string, () => Promise<string>][] = [
    ['first sync', async () => original],
    ['no-op (fresh copy, new mtimes)', () => freshCopy(original)],
    [changedLabel, () => freshCopy(changedTemplate)],
  ];

  const t0 = performance.now();
  const report = await validateDataset(original);
  const validateSeconds = (performance.now() - t0) / 1000;
  log(`validation: ${report.errors} errors, ${validateSeconds.toFixed(2)}s`);

  await s3.send(new CreateBucketCommand({ Bucket: 'bench-ours' }));
  for (const [scenario, prepare] of scenarios) {
    log(`ours: ${scenario}`);
    const dir = await prepare();
    let sdkRequests = 0;
    const m = await measure(moto, async () => {
      const snapshot = await buildSnapshot(dir);
      const r = await syncSnapshot(s3, { bucket: 'bench-ours', prefix: 'yolo-training', snapshot });
      sdkRequests = r.requests;
      return { files: r.uploadedFiles, bytes: r.uploadedBytes };
    });
    // The action's own request counter must agree with the server's log.
    const note = sdkRequests === m.requests ? undefined : `SDK counted ${sdkRequests}`;
    rows.push({
      scenario,
      tool: 'content-addressed sync (this action)',
      ...m,
      ...(note ? { note } : {}),
    });
  }

  if (hasAws) {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-aws' }));
    const awsSync = async (dir: string, extra: string[] = []) => {
      const out = await run(
        'aws',
        [
          's3',
          'sync',
          dir,
          's3://bench-aws/data/',
          '--endpoint-url',
          moto.endpoint,
          '--no-progress',
          ...extra,
        ],
        env,
      );
      const uploaded = [...out.matchAll(/^upload: (.+?) to s3:\/\//gm)].map((m) => m[1] as string);
      return { files: uploaded.length, bytes: await sizeOf(uploaded) };
    };
    for (const [scenario, prepare] of scenarios) {
      log(`aws s3 sync: ${scenario}`);
      const dir = await prepare();
      rows.push({ scenario, tool: 'aws s3 sync', ...(await measure(moto, () => awsSync(dir))) });
    }
    // --size-only avoids the mtime re-upload, and so misses same-size edits: sync the original
    // content back over the 1% changed one and count what it leaves stale.
    const back = await freshCopy(original);
    log('aws s3 sync --size-only: 1% changed back');
    const m = await measure(moto, () => awsSync(back, ['--size-only']));
    rows.push({
      scenario: changedLabel,
      tool: 'aws s3 sync --size-only',
      ...m,
      note: `missed ${changedFiles.length - m.files} of ${changedFiles.length} changed files (same size)`,
    });
  }

  if (hasRclone) {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-rclone' }));
    const renv = {
      RCLONE_CONFIG_MOTO_TYPE: 's3',
      RCLONE_CONFIG_MOTO_PROVIDER: 'Other',
      RCLONE_CONFIG_MOTO_ENDPOINT: moto.endpoint,
      RCLONE_CONFIG_MOTO_ACCESS_KEY_ID: 'testing',
      RCLONE_CONFIG_MOTO_SECRET_ACCESS_KEY: 'testing',
      RCLONE_CONFIG_MOTO_REGION: 'us-east-1',
      RCLONE_CONFIG_MOTO_FORCE_PATH_STYLE: 'true',
      // The AWS SDK inside rclone cannot use a custom CA bundle with its own transport; plain http here.
      AWS_CA_BUNDLE: '',
    };
    for (const [scenario, prepare] of scenarios) {
      log(`rclone sync: ${scenario}`);
      const dir = await prepare();
      const m = await measure(moto, async () => {
        const out = await run(
          'rclone',
          ['sync', dir, 'moto:bench-rclone/data', '-v', '--stats', '0'],
          renv,
        );
        const copied = [
          ...out.matchAll(/INFO\s+:\s+(.+?): Copied \((?:new|replaced existing)\)/g),
        ].map((x) => path.join(dir, x[1] as string));
        const touched = [...out.matchAll(/: Updated modification time in destination/g)].length;
        return {
          files: copied.length,
          bytes: await sizeOf(copied),
          ...(touched ? { note: `${touched} mtimes rewritten server-side` } : {}),
        };
      });
      rows.push({ scenario, tool: 'rclone sync', ...m });
    }
  }
  await moto.stop();

  const ours = (scenario: string) =>
    rows.find((r) => r.scenario === scenario && r.tool.startsWith('content'));
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  const lines = [
    `${IMAGES} images (~${IMAGE_BYTES / 1024} KB each) + ${IMAGES} labels + data.yaml, ${mb((await buildSnapshot(original)).totalBytes)} MB; local moto S3 server; validation of the dataset (not included below) ${validateSeconds.toFixed(2)} s.`,
    '',
    '| scenario | tool | time (s) | requests | files uploaded | MB uploaded | vs this action | note |',
    '|---|---|---:|---:|---:|---:|---:|---|',
    ...rows.map((r) => {
      const base = ours(r.scenario);
      const ratio = base && r !== base ? `${(r.seconds / base.seconds).toFixed(1)}x slower` : '';
      return `| ${r.scenario} | ${r.tool} | ${r.seconds.toFixed(2)} | ${r.requests} | ${r.files} | ${mb(r.bytes)} | ${ratio} | ${r.note ?? ''} |`;
    }),
  ];
  console.log(lines.join('\n'));
  await writeFile(
    path.join(WORK, 'results.json'),
    JSON.stringify({ images: IMAGES, validateSeconds, rows }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
