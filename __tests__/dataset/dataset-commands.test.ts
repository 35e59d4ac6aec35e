import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { Command } from 'commander';
import { createS3Client } from '../../src/aws.js';
import { registerDatasetCommands } from '../../src/cli/dataset-commands.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { basicDataset, removeDir, tempDir, writeTree } from './fixtures.js';

let tmp: string;
let moto: Moto;
let savedEnv: NodeJS.ProcessEnv = process.env;

beforeAll(async () => {
  tmp = await tempDir('yolo-cli-');
  await writeTree(path.join(tmp, 'good'), basicDataset());
  await writeTree(path.join(tmp, 'bad'), {
    ...basicDataset(),
    'labels/val/v1.txt': '4 0.5 0.5 0.5 0.5\n',
  });
  moto = await startMoto();
  savedEnv = { ...process.env };
  Object.assign(process.env, moto.env); // credentials come from the environment, as in a workflow
  await createS3Client({ region: 'us-east-1', env: moto.env }).send(
    new CreateBucketCommand({ Bucket: 'cli-bucket' }),
  );
}, 30000);

afterAll(async () => {
  process.env = savedEnv;
  await moto?.stop();
  await removeDir(tmp);
});

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let code: number | undefined;
  const program = new Command('sagemaker-yolo').configureOutput({
    writeOut: (s) => void out.push(s),
    writeErr: (s) => void err.push(s),
  });
  registerDatasetCommands(program, {
    stdout: (s) => void out.push(s),
    stderr: (s) => void err.push(s),
    cwd: tmp,
    env: { ...moto.env, ...env },
    setExitCode: (c) => void (code = c),
    exit: (c) => void (code = c),
  });
  await program.parseAsync(args, { from: 'user' }).catch(() => undefined);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('sagemaker-yolo validate', () => {
  it('exits 0 and prints the summary for a clean dataset', async () => {
    const r = await cli(['validate', '--dataset', 'good']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Dataset good (good/data.yaml), detect: 2 classes');
    expect(r.out).toContain('0 errors, 0 warnings');
  });

  it('names the image ultralytics would drop at file:line, and fails past max-dropped-images', async () => {
    const r = await cli(['validate', '--dataset', 'bad']);
    expect(r.code).toBe(1); // 1 of 5 images is more than 5%
    expect(r.out).toContain(
      'warning: bad/labels/val/v1.txt:1: class id 4 is outside [0, 1] (nc = 2) [class-out-of-range] (image dropped)',
    );
    expect(r.out).toMatch(
      /error: bad: ultralytics would drop 1 of 5 images \(20\.0%\), more than max-dropped-images 5% allows \(0\); reasons: class-out-of-range ×1/,
    );
    const allowed = await cli(['validate', '--dataset', 'bad', '--max-dropped-images', '1']);
    expect(allowed.code).toBe(0);
    expect((await cli(['validate', '--dataset', 'bad', '--max-dropped-images', '20%'])).code).toBe(
      0,
    );
    const strict = await cli(['validate', '--dataset', 'bad', '--max-dropped-images', '0']);
    expect(strict.code).toBe(1);
    const bad = await cli(['validate', '--dataset', 'bad', '--max-dropped-images', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--max-dropped-images must be a count of images');
  });

  it('--json carries counts per split and in summary, and every finding with its outcome', async () => {
    const j = await cli(['validate', '--dataset', 'bad', '--json', '--max-dropped-images', '1']);
    expect(j.code).toBe(0);
    const report = JSON.parse(j.out);
    expect(report.summary).toEqual({
      images: 5,
      labels: 3,
      backgrounds: 1,
      instances: 5,
      dropped: 1,
    });
    expect(
      report.splits.map((s: { split: string; dropped: number }) => [s.split, s.dropped]),
    ).toEqual([
      ['train', 0],
      ['val', 1],
    ]);
    expect(report.findings).toEqual([
      {
        severity: 'warning',
        outcome: 'drop',
        rule: 'class-out-of-range',
        file: 'bad/labels/val/v1.txt',
        line: 1,
        split: 'val',
        message: 'class id 4 is outside [0, 1] (nc = 2)',
      },
    ]);
  });

  it('--fix rewrites label rows so ultralytics keeps the image; --dry-run only shows it', async () => {
    await writeTree(path.join(tmp, 'fixable'), {
      ...basicDataset(),
      'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n\n0 0.5 0.5 0.2 0.2\n1 1.02 0.5 0.1 0.1 # door\n',
    });
    const label = path.join(tmp, 'fixable/labels/train/a.txt');
    const before = await readFile(label, 'utf8');
    const dry = await cli(['validate', '--dataset', 'fixable', '--fix', '--dry-run']);
    expect(dry.out).toContain('fixable/labels/train/a.txt:2: "" → (removed)');
    expect(dry.out).toContain('fixable/labels/train/a.txt:3: "0 0.5 0.5 0.2 0.2" → (removed)');
    expect(dry.out).toContain(
      'fixable/labels/train/a.txt:4: "1 1.02 0.5 0.1 0.1 # door" → "1 0.985 0.5 0.03 0.1"',
    );
    expect(dry.out).toContain('would fix (dry run, nothing written) 1 label file(s)');
    expect(await readFile(label, 'utf8')).toBe(before);
    expect(dry.code).toBe(1); // still dropped: nothing was written

    const fixed = await cli(['validate', '--dataset', 'fixable', '--fix']);
    expect(fixed.code).toBe(0);
    expect(await readFile(label, 'utf8')).toBe('0 0.5 0.5 0.2 0.2\n1 0.985 0.5 0.03 0.1\n');
    expect(fixed.out).toContain('0 images ultralytics would drop');

    await writeFile(label, '0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.1 0.1\n');
    const refused = await cli(['validate', '--dataset', 'fixable', '--fix']);
    expect(refused.out).toContain(
      'fixable/labels/train/a.txt:2: not fixed: class id 7 is not one of 0..1 (edit it by hand)',
    );
    expect(await readFile(label, 'utf8')).toBe('0 0.5 0.5 0.2 0.2\n7 0.5 0.5 0.1 0.1\n');
    expect(refused.code).toBe(1);
  });

  it('validates rows for the task given by --task or the --model name', async () => {
    const polygon = '0 0.1 0.1 0.9 0.1 0.5 0.9\n';
    await writeTree(path.join(tmp, 'seg'), {
      ...basicDataset(),
      'labels/train/a.txt': polygon,
      'labels/train/b.txt': polygon,
      'labels/val/v1.txt': polygon,
      'labels/val/v2.txt': polygon,
    });
    expect((await cli(['validate', '--dataset', 'seg', '--model', 'yolov8n-seg.pt'])).code).toBe(0);
    const boxes = await cli(['validate', '--dataset', 'good', '--task', 'segment']);
    expect(boxes.code).toBe(1);
    expect(boxes.out).toMatch(/hold box rows \(5 values\).*a segment model needs polygons/);
    expect((await cli(['validate', '--dataset', 'good', '--task', 'nope'])).code).toBe(2);
  });

  it('exits 2 on bad usage', async () => {
    expect((await cli(['validate'])).code).toBe(2);
    expect((await cli(['validate', '--dataset', 'good', '--bogus'])).code).toBe(2);
    const missing = await cli(['validate', '--dataset', 'nowhere']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("--dataset 'nowhere' does not exist");
  });
});

describe('sagemaker-yolo sync', () => {
  it('syncs, then finds the snapshot already there; --json gives the result', async () => {
    const first = await cli([
      'sync',
      '--dataset',
      'good',
      '--bucket',
      'cli-bucket',
      '--prefix',
      'p',
      '--branch',
      'main',
    ]);
    expect(first.err).not.toContain('error');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/Snapshot [0-9a-f]{64} uploaded: \d+ request\(s\)/);
    const second = await cli([
      'sync',
      '--dataset',
      'good',
      '--bucket',
      'cli-bucket',
      '--prefix',
      'p',
      '--json',
    ]);
    expect(second.code).toBe(0);
    const { sync } = JSON.parse(second.out);
    expect(sync).toMatchObject({ alreadyComplete: true, requests: 1, uploadedFiles: 0 });
    expect(sync.datasetUri).toBe(
      `s3://cli-bucket/p/datasets/snapshots/${sync.fingerprint}.manifest`,
    );
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    await expect(
      s3.send(
        new HeadObjectCommand({ Bucket: 'cli-bucket', Key: 'p/datasets/branches/main.json' }),
      ),
    ).resolves.toBeDefined();
  });

  it('--branch: an edit after the branch was recorded takes its blobs as stored and lists nothing', async () => {
    const args = ['sync', '--dataset', 'edited', '--bucket', 'cli-bucket', '--prefix', 'b'];
    await writeTree(path.join(tmp, 'edited'), basicDataset());
    const first = await cli([...args, '--branch', 'dev', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out).sync.storedBlobsFrom).toBe('listing'); // dev had no snapshot
    await writeFile(path.join(tmp, 'edited/labels/val/v1.txt'), '1 0.5 0.5 0.5 0.5\n');
    const second = await cli([...args, '--branch', 'dev', '--json']);
    expect(second.code).toBe(0);
    const { sync } = JSON.parse(second.out);
    // HEAD, dev's pointer and snapshot, the one new blob, manifest, stats, snapshot.
    expect(sync).toMatchObject({
      storedBlobsFrom: 'known snapshot',
      uploadedFiles: 1,
      requests: 7,
    });
    await writeFile(path.join(tmp, 'edited/labels/val/v1.txt'), '0 0.5 0.5 0.5 0.6\n');
    const unnamed = await cli([...args, '--json']);
    expect(JSON.parse(unnamed.out).sync).toMatchObject({
      storedBlobsFrom: 'listing',
      uploadedFiles: 1,
    });
  });

  it('--branch in a git work tree: the next run takes committed files from the index unread', async () => {
    const repo = path.join(tmp, 'repo');
    await writeTree(repo, basicDataset());
    const git = (...a: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], {
        cwd: repo,
      });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'dataset');
    const args = ['sync', '--dataset', 'repo', '--bucket', 'cli-bucket', '--prefix', 'g'];
    const first = await cli([...args, '--branch', 'main']);
    expect(first.code).toBe(0);
    expect(first.err).toContain('git: 0 of 10 files taken from the index unread');
    const second = await cli([...args, '--branch', 'main', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out).sync).toMatchObject({ alreadyComplete: true, requests: 1 });
    const third = await cli([...args, '--branch', 'main']);
    expect(third.err).toContain('git: 10 of 10 files taken from the index unread');
    // An uncommitted edit is read and uploaded; the other files still come from git.
    await writeFile(path.join(repo, 'labels/val/v1.txt'), '1 0.5 0.5 0.5 0.5\n');
    const edited = await cli([...args, '--branch', 'main']);
    expect(edited.err).toContain('git: 9 of 10 files taken from the index unread');
    expect(edited.out).toMatch(/total +\d+ +\d+ +10 +1 \(/);
  });

  it('does not sync a dataset with errors (exit 1)', async () => {
    const r = await cli(['sync', '--dataset', 'bad', '--bucket', 'cli-bucket']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('the dataset has 1 error(s): nothing was synced');
  });

  it('exits 2 for a missing bucket flag, a bad bucket or prefix, a bad concurrency or no region', async () => {
    expect((await cli(['sync', '--dataset', 'good'])).code).toBe(2);
    const badBucket = await cli(['sync', '--dataset', 'good', '--bucket', 'Bad_Bucket']);
    expect(badBucket.code).toBe(2);
    expect(badBucket.err).toContain("--bucket 'Bad_Bucket' is not a valid S3 bucket name");
    // The prefix rule of the action's `prefix` input: what sync accepts, train can use.
    for (const [prefix, rule] of [
      ['a/../b', 'must not contain empty'],
      ['/a b/', 'must not start or end with a slash'],
      ['a b', 'may contain only letters'],
    ]) {
      const bad = await cli([
        'sync',
        '--dataset',
        'good',
        '--bucket',
        'cli-bucket',
        '--prefix',
        prefix as string,
      ]);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain(`--prefix '${prefix}' ${rule}`);
    }
    expect(
      (await cli(['sync', '--dataset', 'good', '--bucket', 'cli-bucket', '--concurrency', '0']))
        .code,
    ).toBe(2);
    const noRegion = await cli(['sync', '--dataset', 'good', '--bucket', 'cli-bucket'], {
      AWS_REGION: '',
      AWS_DEFAULT_REGION: '',
    });
    expect(noRegion.code).toBe(2);
    expect(noRegion.err).toContain('--region is required (or set AWS_REGION)');
  });

  it('exits 1 when S3 fails', async () => {
    const r = await cli(['sync', '--dataset', 'good', '--bucket', 'missing-bucket']);
    expect(r.code).toBe(1);
    expect(r.err).toContain("bucket 'missing-bucket' does not exist");
  });
});
