// Benchmark: this action's sync beside `aws s3 sync` and `rclone sync` (defaults and their careful
// variants, --size-only and --checksum) against one local moto S3 server, on a generated dataset of
// the users' real size (~4,540 JPEGs of ~55 KB + labels: ~9k files, ~256 MB).
//
// Fair by construction: every tool runs as a whole process (ours is `node dist/cli.js sync`, so
// process start and validation are in its time), rounds alternate tool by tool, and every run after
// a first sync gets a fresh copy of the directory (new mtimes, as a CI checkout). Reported: median
// seconds with min-max, moto's request count, peak memory (/usr/bin/time), and which files each
// tool uploaded against the files that changed. Build dist/ first (`npm run package`).
//
//   npx tsx scripts/bench-sync.ts     BENCH_IMAGES=500 BENCH_ROUNDS=1 for a quick run
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client } from '../src/aws.js';
import { buildSnapshot } from '../src/dataset/snapshot.js';
import { freePort, motoServerBinary } from '../__tests__/helpers/moto.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 4540);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IMAGE_BYTES = 55 * 1024;
const WORK = path.resolve('.bench/sync');
const CLI = path.resolve('dist/cli.js');
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Deterministic pseudo-random numbers, so every run generates the same dataset shape. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(16);

/** A JPEG that passes header checks: SOI, APP0, SOF0 (640x480), SOS, filler without FF, EOI. */
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
  const r = () => (0.2 + random() * 0.6).toFixed(6);
  const s = () => (0.01 + random() * 0.1).toFixed(6);
  return Array.from({ length: rows }, () => `0 ${r()} ${r()} ${s()} ${s()}`).join('\n') + '\n';
}

function imageRel(i: number): string {
  const split = i % 5 === 0 ? 'val' : 'train';
  return `images/${split}/plan_${String(i).padStart(5, '0')}.jpg`;
}
const labelRel = (img: string) => img.replace(/^images\//, 'labels/').replace(/\.jpg$/, '.txt');
const imageSize = () => Math.round(IMAGE_BYTES * (0.6 + random() * 0.8));

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
    const img = imageRel(i);
    await writeFile(path.join(dir, img), jpegBytes(imageSize()));
    await writeFile(path.join(dir, labelRel(img)), labelText(1 + (i % 12)));
  }
}

/**
 * 1% of the files: a same-size edit of every 100th label (what `--size-only` cannot see) and new
 * pixels of a different size for every 100th image from the 50th. Returns the changed paths.
 */
async function changeOnePercent(dir: string): Promise<string[]> {
  const changed: string[] = [];
  for (let i = 0; i < IMAGES; i += 100) {
    const lbl = labelRel(imageRel(i));
    const text = await readFile(path.join(dir, lbl), 'utf8');
    const edited = text.replace(
      /^0 0\.(\d{5})(\d)/,
      (_m, a: string, d: string) => `0 0.${a}${(Number(d) + 1) % 10}`,
    );
    await writeFile(path.join(dir, lbl), edited);
    changed.push(lbl);
  }
  for (let i = 50; i < IMAGES; i += 100) {
    const img = imageRel(i);
    const before = (await stat(path.join(dir, img))).size;
    let size = imageSize();
    if (size === before) size++;
    await writeFile(path.join(dir, img), jpegBytes(size));
    changed.push(img);
  }
  return changed.sort();
}

interface Moto {
  endpoint: string;
  requests(): number;
  reset(): Promise<void>;
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
    for (const line of lines) if (request.test(line) && !line.includes('/moto-api/')) count++;
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
    reset: async () => void (await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' })),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

interface Ran {
  out: string;
  seconds: number;
  /** Peak resident memory of the process, MB (GNU time's %M). */
  peakMb: number;
}

/** Runs one tool as a whole process under /usr/bin/time; argv only, never a shell string. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  const timeFile = path.join(WORK, 'time.txt');
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', timeFile, cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) {
        reject(new Error(`${cmd} exited ${code}:\n${out.slice(-2000)}`));
        return;
      }
      readFile(timeFile, 'utf8').then(
        (t) => resolve({ out, seconds, peakMb: Number(t.trim().split('\n').pop()) / 1024 }),
        reject,
      );
    });
  });
}

type Scenario = 'first sync' | 'no-op' | '1% changed';

interface Tool {
  name: string;
  /** Tools without a first-sync row start from a server-side copy of `seedFrom`'s bucket. */
  seedFrom?: string;
  sync(
    dir: string,
    bucket: string,
    endpoint: string,
  ): Promise<Ran & { uploaded: string[]; missed?: number }>;
  /** Changed files whose content is not in the bucket after a sync (ours: from the snapshot). */
  check?: (dir: string, bucket: string, fingerprint: string) => Promise<number>;
}

const awsTool = (name: string, extra: string[]): Tool => ({
  name,
  ...(extra.length ? { seedFrom: 'aws s3 sync' } : {}),
  async sync(dir, bucket, endpoint) {
    const ran = await run(
      'aws',
      [
        's3',
        'sync',
        dir,
        `s3://${bucket}/data/`,
        '--endpoint-url',
        endpoint,
        '--no-progress',
        ...extra,
      ],
      { ...CREDENTIALS },
    );
    const uploaded = [...ran.out.matchAll(/^upload: (.+?) to s3:\/\//gm)].map((m) =>
      path.relative(dir, m[1] as string),
    );
    return { ...ran, uploaded };
  },
});

const rcloneEnv = (endpoint: string) => ({
  RCLONE_CONFIG_MOTO_TYPE: 's3',
  RCLONE_CONFIG_MOTO_PROVIDER: 'Other',
  RCLONE_CONFIG_MOTO_ENDPOINT: endpoint,
  RCLONE_CONFIG_MOTO_ACCESS_KEY_ID: 'testing',
  RCLONE_CONFIG_MOTO_SECRET_ACCESS_KEY: 'testing',
  RCLONE_CONFIG_MOTO_REGION: 'us-east-1',
  RCLONE_CONFIG_MOTO_FORCE_PATH_STYLE: 'true',
  // The AWS SDK inside rclone cannot use a custom CA bundle with its own transport; plain http here.
  AWS_CA_BUNDLE: '',
});

const rcloneTool = (name: string, extra: string[]): Tool => ({
  name,
  ...(extra.length ? { seedFrom: 'rclone sync' } : {}),
  async sync(dir, bucket, endpoint) {
    const ran = await run(
      'rclone',
      ['sync', dir, `moto:${bucket}/data`, '-v', '--stats', '0', ...extra],
      rcloneEnv(endpoint),
    );
    const uploaded = [
      ...ran.out.matchAll(/INFO\s+:\s+(.+?): Copied \((?:new|replaced existing)\)/g),
    ].map((x) => x[1] as string);
    return { ...ran, uploaded };
  },
});

const ours: Tool = {
  name: 'this action (CLI sync, validation included)',
  async sync(dir, bucket, endpoint) {
    const ran = await run(
      process.execPath,
      [CLI, 'sync', '--dataset', dir, '--bucket', bucket, '--branch', 'main', '--json'],
      { ...CREDENTIALS, AWS_ENDPOINT_URL: endpoint },
    );
    const json = ran.out.slice(ran.out.indexOf('{'));
    const result = JSON.parse(json) as { sync: { uploadedFiles: number; fingerprint: string } };
    const missed = await this.check?.(dir, bucket, result.sync.fingerprint);
    return {
      ...ran,
      uploaded: Array.from({ length: result.sync.uploadedFiles }, () => '?'),
      ...(missed !== undefined ? { missed } : {}),
    };
  },
};

interface Row {
  scenario: Scenario;
  tool: string;
  seconds: number[];
  requests: number[];
  peakMb: number[];
  uploaded: number[];
  missed: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const spread = (xs: number[], digits: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const [lo, hi] = [sorted[0] ?? 0, sorted[sorted.length - 1] ?? 0];
  return xs.length > 1
    ? `${median(xs).toFixed(digits)} (${lo.toFixed(digits)}–${hi.toFixed(digits)})`
    : lo.toFixed(digits);
};

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run package first`);
  await mkdir(WORK, { recursive: true });
  const has = async (cmd: string) =>
    run('sh', ['-c', 'command -v "$0"', cmd], {}).then(
      () => true,
      () => false,
    );
  const tools: Tool[] = [ours];
  if (await has('aws'))
    tools.push(awsTool('aws s3 sync', []), awsTool('aws s3 sync --size-only', ['--size-only']));
  if (await has('rclone'))
    tools.push(rcloneTool('rclone sync', []), rcloneTool('rclone sync --checksum', ['--checksum']));

  const original = path.join(WORK, 'original');
  log(`generating ${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + labels in ${original} ...`);
  await generate(original);
  const changedTemplate = path.join(WORK, 'changed-template');
  await rm(changedTemplate, { recursive: true, force: true });
  await cp(original, changedTemplate, { recursive: true });
  const changed = await changeOnePercent(changedTemplate);
  let totalBytes = 0;
  let totalFiles = 0;
  for await (const f of walk(original)) {
    totalBytes += (await stat(f)).size;
    totalFiles++;
  }
  const freshCopy = async (template: string): Promise<string> => {
    const dir = path.join(WORK, 'checkout');
    await rm(dir, { recursive: true, force: true });
    await cp(template, dir, { recursive: true });
    return dir;
  };

  const moto = await startMoto();
  try {
    await benchmark(
      moto,
      tools,
      original,
      changedTemplate,
      changed,
      totalFiles,
      totalBytes,
      freshCopy,
    );
  } finally {
    await moto.stop();
  }
}

async function benchmark(
  moto: Moto,
  tools: Tool[],
  original: string,
  changedTemplate: string,
  changed: string[],
  totalFiles: number,
  totalBytes: number,
  freshCopy: (template: string) => Promise<string>,
): Promise<void> {
  const s3 = createS3Client({
    region: 'us-east-1',
    env: { ...CREDENTIALS, AWS_ENDPOINT_URL: moto.endpoint },
  });
  ours.check = async (dir, bucket, fingerprint) => {
    // Ours reports counts, not names: prove it stored this exact content, and count changed files
    // whose blob is missing from the bucket (always 0 unless the sync is wrong).
    const snap = await buildSnapshot(dir);
    if (snap.fingerprint !== fingerprint)
      throw new Error(`ours stored ${fingerprint}, the directory is ${snap.fingerprint}`);
    const stored = new Set<string>();
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: bucket,
          Prefix: 'yolo-training/datasets/objects/',
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? []) stored.add(path.posix.basename(o.Key ?? ''));
      token = page.NextContinuationToken;
    } while (token);
    return changed.filter((rel) => !stored.has(snap.document.files[rel]?.sha256 ?? '')).length;
  };
  const rows = new Map<string, Row>();
  const record = (
    scenario: Scenario,
    tool: string,
    r: Ran & { uploaded: string[]; missed?: number },
    requests: number,
  ) => {
    const key = `${scenario}|${tool}`;
    const row = rows.get(key) ?? {
      scenario,
      tool,
      seconds: [],
      requests: [],
      peakMb: [],
      uploaded: [],
      missed: [],
    };
    row.seconds.push(r.seconds);
    row.requests.push(requests);
    row.peakMb.push(r.peakMb);
    row.uploaded.push(r.uploaded.length);
    if (scenario === '1% changed') {
      const sent = new Set(r.uploaded);
      row.missed.push(r.missed ?? changed.filter((c) => !sent.has(c)).length);
    }
    rows.set(key, row);
  };
  // moto logs a request after answering it, and late under load: wait until its count is still.
  const settled = async () => {
    for (let last = -1, i = 0; i < 20 && moto.requests() !== last; i++) {
      last = moto.requests();
      await new Promise((res) => setTimeout(res, 500));
    }
    return moto.requests();
  };
  const timed = async (scenario: Scenario, tool: Tool, dir: string, bucket: string) => {
    const before = await settled();
    const r = await tool.sync(dir, bucket, moto.endpoint);
    await settled();
    record(scenario, tool.name, r, moto.requests() - before);
    log(
      `  ${scenario} | ${tool.name}: ${r.seconds.toFixed(2)} s, ${r.uploaded.length} uploaded, ${r.peakMb.toFixed(0)} MB`,
    );
  };
  const bucketOf = (tool: Tool, round: number) => `bench-${round}-${tools.indexOf(tool)}`;

  const report = async (rounds: number) => {
    const base = (scenario: Scenario) => rows.get(`${scenario}|${ours.name}`);
    const lines = [
      `${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + ${IMAGES} labels + data.yaml: ${totalFiles} files, ${(totalBytes / 1e6).toFixed(0)} MB; 1% changed = ${changed.length} files (${changed.filter((c) => c.endsWith('.txt')).length} same-size label edits, ${changed.filter((c) => c.endsWith('.jpg')).length} images with new pixels and a new size). ${rounds} round(s), tools alternated; median (min–max).`,
      '',
      '| scenario | tool | seconds | vs this action | requests | peak MB | files uploaded | changed files missed |',
      '|---|---|---:|---:|---:|---:|---:|---:|',
      ...[...rows.values()].map((r) => {
        const b = base(r.scenario);
        const ratio =
          b && r.tool !== ours.name ? `${(median(r.seconds) / median(b.seconds)).toFixed(2)}×` : '';
        const missed = r.missed.length ? String(median(r.missed)) : '';
        return `| ${r.scenario} | ${r.tool} | ${spread(r.seconds, 2)} | ${ratio} | ${median(r.requests)} | ${median(r.peakMb).toFixed(0)} | ${median(r.uploaded)} | ${missed} |`;
      }),
    ];
    console.log(`${lines.join('\n')}\n`);
    await writeFile(
      path.join(WORK, 'results.json'),
      JSON.stringify(
        { images: IMAGES, rounds, totalFiles, totalBytes, changed, rows: [...rows.values()] },
        null,
        2,
      ),
    );
  };

  for (let round = 1; round <= ROUNDS; round++) {
    log(`round ${round}/${ROUNDS}`);
    await moto.reset(); // memory: each round uploads the dataset several times
    for (const tool of tools) {
      await s3.send(new CreateBucketCommand({ Bucket: bucketOf(tool, round) }));
    }
    for (const tool of tools.filter((t) => !t.seedFrom)) {
      await timed('first sync', tool, original, bucketOf(tool, round));
    }
    // Variants start from their family's bucket, copied server-side (untimed).
    for (const tool of tools.filter((t) => t.seedFrom)) {
      const from = tools.find((t) => t.name === tool.seedFrom) as Tool;
      if (tool.name.startsWith('aws')) {
        await run(
          'aws',
          [
            's3',
            'sync',
            `s3://${bucketOf(from, round)}/`,
            `s3://${bucketOf(tool, round)}/`,
            '--endpoint-url',
            moto.endpoint,
            '--only-show-errors',
          ],
          CREDENTIALS,
        );
      } else {
        await run(
          'rclone',
          ['copy', `moto:${bucketOf(from, round)}`, `moto:${bucketOf(tool, round)}`],
          rcloneEnv(moto.endpoint),
        );
      }
    }
    for (const [scenario, template] of [
      ['no-op', original],
      ['1% changed', changedTemplate],
    ] as const) {
      for (const tool of tools) {
        const dir = await freshCopy(template);
        await timed(scenario, tool, dir, bucketOf(tool, round));
      }
    }
    // The table so far: a run cut short still leaves its finished rounds.
    await report(round);
  }
}

async function* walk(dir: string): AsyncGenerator<string> {
  const { readdir } = await import('node:fs/promises');
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(abs);
    else yield abs;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
