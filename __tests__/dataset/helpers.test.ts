// Pure helpers of the dataset stages: upload retries, keys, progress, diff, concurrency, images.
import { describe, it, expect } from '@jest/globals';
import { mapLimit } from '../../src/dataset/concurrency.js';
import { describeDiff, diffSnapshots } from '../../src/dataset/diff.js';
import { judgeImage, readImageHeader } from '../../src/dataset/images.js';
import {
  checkBucketName,
  checkPrefix,
  datasetKeys,
  prefixProblem,
} from '../../src/dataset/keys.js';
import { formatProgress, hashProgressLogger, progressLogger } from '../../src/dataset/progress.js';
import { FileSplits } from '../../src/dataset/file-splits.js';
import { FileTable } from '../../src/dataset/file-table.js';
import { snapshotFromFiles, type SnapshotDocument } from '../../src/dataset/snapshot.js';
import {
  ContentChangedError,
  isRetryableUploadError,
  manifestJson,
  splitRows,
} from '../../src/dataset/sync.js';
import { withRetry } from '../../src/retry.js';
import { jpeg, png } from './fixtures.js';

describe('isRetryableUploadError', () => {
  it('retries server errors, throttling and dropped connections', () => {
    expect(
      isRetryableUploadError(
        Object.assign(new Error('boom'), { $metadata: { httpStatusCode: 500 } }),
      ),
    ).toBe(true);
    expect(
      isRetryableUploadError(
        Object.assign(new Error('throttled'), { $metadata: { httpStatusCode: 429 } }),
      ),
    ).toBe(true);
    expect(isRetryableUploadError(new Error('socket hang up'))).toBe(true);
  });

  it('does not retry client errors, local file errors, changed files or aborts', async () => {
    for (const error of [
      Object.assign(new Error('denied'), { $metadata: { httpStatusCode: 403 } }),
      Object.assign(new Error('gone'), { code: 'ENOENT' }),
      Object.assign(new Error('stop'), { name: 'AbortError' }),
      new ContentChangedError('a.jpg changed'),
    ]) {
      let calls = 0;
      await expect(
        withRetry(() => (calls++, Promise.reject(error)), {
          isRetryable: isRetryableUploadError,
          sleep: async () => undefined,
        }),
      ).rejects.toBe(error);
      expect(calls).toBe(1);
    }
  });
});

describe('manifest and split rows', () => {
  const a = 'a'.repeat(64);
  const b = 'b'.repeat(64);
  const snap = snapshotFromFiles(
    [
      ['images/train/x.jpg', { sha256: b, size: 10 }],
      ['images/train/y.jpg', { sha256: a, size: 20 }],
      ['labels/train/x.txt', { sha256: b, size: 10 }], // the same bytes: one blob
      ['data.yaml', { sha256: 'c'.repeat(64), size: 5 }],
    ],
    'data.yaml',
    '/x',
  );

  it('lists each blob once, sorted, after the prefix: the JSON SageMaker reads', () => {
    const manifest = manifestJson('bkt', 'p/datasets/objects/', snap.files);
    expect(manifest).toBe(
      JSON.stringify([{ prefix: 's3://bkt/p/datasets/objects/' }, a, b, 'c'.repeat(64)]),
    );
    const empty = snapshotFromFiles([], 'data.yaml', '/x');
    expect(manifestJson('bkt', 'o/', empty.files)).toBe(
      JSON.stringify([{ prefix: 's3://bkt/o/' }]),
    );
  });

  it('counts files and bytes per split, uploaded or skipped', () => {
    const splitOf = new Map([
      ['images/train/x.jpg', 'train'],
      ['images/train/y.jpg', 'train'],
      ['labels/train/x.txt', 'train'],
    ]);
    // In path order: data.yaml, images/train/x.jpg, images/train/y.jpg, labels/train/x.txt.
    const uploaded = Uint8Array.from([0, 0, 1, 0]);
    const rows = splitRows(snap.files, uploaded, FileSplits.from(snap.files, splitOf));
    expect(
      rows.map((r) => [r.split, r.images, r.labels, r.files, r.uploadedBytes, r.skippedBytes]),
    ).toEqual([
      ['train', 2, 1, 3, 20, 20],
      ['other', 0, 0, 1, 0, 5],
    ]);
  });
});

describe('keys', () => {
  it('lays out the contract keys under the prefix', () => {
    const k = datasetKeys('yolo-training');
    expect(k.object('ab')).toBe('yolo-training/datasets/objects/ab');
    expect(k.snapshot('f')).toBe('yolo-training/datasets/snapshots/f.json.gz');
    expect(k.plainSnapshot('f')).toBe('yolo-training/datasets/snapshots/f.json');
    expect(k.manifest('f')).toBe('yolo-training/datasets/snapshots/f.manifest');
    expect(k.branch('refs/heads/feature/x')).toBe(
      'yolo-training/datasets/branches/feature%2Fx.json',
    );
    expect(k.upload('u1')).toBe('yolo-training/datasets/uploads/u1');
    expect(datasetKeys('team/ml').snapshot('f')).toBe('team/ml/datasets/snapshots/f.json.gz');
    expect(() => datasetKeys('/yolo-training/')).toThrow(
      "prefix '/yolo-training/' must not start or end with a slash",
    );
  });

  it('names bad buckets and prefixes', () => {
    expect(checkBucketName('my.bucket-1')).toBe('my.bucket-1');
    for (const b of ['ab', 'UPPER', '-start', 'a..b', '192.168.1.1', 'x'.repeat(64), 'xn--b']) {
      expect(() => checkBucketName(b, 'bucket')).toThrow(
        `bucket '${b}' is not a valid S3 bucket name`,
      );
    }
    expect(() => checkBucketName('Bad_Bucket', '--bucket')).toThrow(
      "--bucket 'Bad_Bucket' is not a valid S3 bucket name: it may contain only lowercase letters, digits, dots and hyphens",
    );
    expect(() => checkPrefix('a//b', '--prefix')).toThrow(
      `--prefix 'a//b' must not contain empty, "." or ".." path segments`,
    );
    expect(checkPrefix(' team/yolo-1 ')).toBe('team/yolo-1');
  });

  // The action's `prefix` input (config.ts) and `sync --prefix` share this rule.
  it.each([
    ['yolo-training', undefined],
    ["team/a!_.*'()-b", undefined],
    ['', 'must not be empty'],
    ['/yolo', 'must not start or end with a slash'],
    ['yolo/', 'must not start or end with a slash'],
    ['/a b/', 'must not start or end with a slash'],
    ['a//b', 'must not contain empty, "." or ".." path segments'],
    ['a/./b', 'must not contain empty, "." or ".." path segments'],
    ['a/../b', 'must not contain empty, "." or ".." path segments'],
    ['a b', "may contain only letters, digits, /, !, -, _, ., *, ' and parentheses"],
    ['a+b', "may contain only letters, digits, /, !, -, _, ., *, ' and parentheses"],
    ['x'.repeat(513), 'must be at most 512 characters'],
  ])('prefixProblem(%j) is %j', (prefix, rule) => {
    expect(prefixProblem(prefix)).toBe(rule);
  });
});

describe('progress', () => {
  it('shows files, bytes, rate and ETA', () => {
    expect(
      formatProgress({
        files: 10,
        totalFiles: 40,
        bytes: 2 * 1024 * 1024,
        totalBytes: 8 * 1024 * 1024,
        seconds: 2,
      }),
    ).toBe('uploaded 10/40 files, 2.0 MiB of 8.0 MiB (25%), 1.0 MiB/s, ETA 6s');
  });

  it('counts the requests left, not only the bytes: big images first, many labels to go', () => {
    // The case: 97% of the bytes sent in 60 s, but 965 of 1,500 files (small labels) left.
    const line = formatProgress({
      files: 535,
      totalFiles: 1500,
      bytes: 97 * 1024 * 1024,
      totalBytes: 100 * 1024 * 1024,
      seconds: 60,
    });
    // 535 files/min -> 965 files need about 108 s; the bytes alone would say 1.9 s.
    expect(line).toBe(
      'uploaded 535/1500 files, 97.0 MiB of 100.0 MiB (35%), 1.6 MiB/s, ETA 1m 48s',
    );
  });

  it('throttles log lines but always logs the end', () => {
    const lines: string[] = [];
    let t = 0;
    const log = progressLogger(
      (l) => lines.push(l),
      1000,
      () => t,
    );
    const p = (files: number) => ({
      files,
      totalFiles: 5,
      bytes: files,
      totalBytes: 5,
      seconds: t / 1000,
    });
    log(p(0));
    t = 500;
    log(p(1));
    t = 1200;
    log(p(2));
    t = 1300;
    log(p(5));
    expect(lines.map((l) => l.split(',')[0])).toEqual([
      'uploaded 0/5 files',
      'uploaded 2/5 files',
      'uploaded 5/5 files',
    ]);
  });

  it('reports hashing progress with rate and ETA, throttled, always at the end', () => {
    const lines: string[] = [];
    let t = 0;
    const log = hashProgressLogger(
      (l) => lines.push(l),
      5000,
      () => t,
    );
    t = 1000;
    log(100, 1000); // inside the interval: quiet
    t = 5000;
    log(500, 1000);
    t = 6000;
    log(600, 1000);
    t = 10000;
    log(1000, 1000);
    expect(lines).toEqual([
      'hashed 500/1000 files, 100/s, ETA 5s',
      'hashed 1000/1000 files, 100/s, ETA 0s',
    ]);
  });
});

describe('diffSnapshots', () => {
  const doc = (files: Record<string, [string, number]>): SnapshotDocument => ({
    version: 1,
    config: 'data.yaml',
    files: Object.fromEntries(
      Object.entries(files).map(([k, [digit, size]]) => [k, { sha256: digit.repeat(64), size }]),
    ),
  });
  const table = (files: Record<string, [string, number]>) =>
    FileTable.fromEntries(Object.entries(doc(files).files));
  it('counts added, removed and changed files; per-class counts only with both stats', () => {
    const base = doc({ a: ['1', 1], b: ['2', 2], c: ['3', 3] });
    const head = table({ a: ['1', 1], b: ['9', 2], d: ['4', 4], e: ['5', 5] });
    const diff = diffSnapshots({ fingerprint: 'f'.repeat(64), document: base }, { files: head });
    expect(diff).toEqual({
      baseSnapshot: 'f'.repeat(64),
      added: 2,
      removed: 1,
      changed: 1,
      instancesPerClass: [],
    });
    const stats = (names: string[], counts: number[]) => ({
      version: 1 as const,
      names,
      splits: [{ split: 'train', images: 1, labels: 1, backgrounds: 0, instances: counts }],
    });
    const withStats = diffSnapshots(
      { fingerprint: 'f'.repeat(64), document: base, stats: stats(['room', 'old'], [3, 1]) },
      { files: head, stats: stats(['room', 'door'], [5, 2]) },
    );
    expect(withStats.instancesPerClass).toEqual([
      { name: 'room', before: 3, after: 5 },
      { name: 'door', before: 0, after: 2 },
      { name: 'old', before: 1, after: 0 },
    ]);
    expect(describeDiff(withStats)).toBe(
      'vs base ffffffffffff: +2 -1 ~1 files; room 3 -> 5, door 0 -> 2, old 1 -> 0',
    );
  });
});

describe('mapLimit', () => {
  it('keeps order, never exceeds the limit and stops after a failure', async () => {
    let inFlight = 0;
    let peak = 0;
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, x));
      inFlight--;
      return x * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
    const started: number[] = [];
    await expect(
      mapLimit([1, 2, 3, 4, 5, 6], 1, async (x) => {
        started.push(x);
        if (x === 2) throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(started).toEqual([1, 2]);
    await expect(mapLimit([1], 0, async () => 1)).rejects.toThrow(
      'concurrency must be an integer >= 1, got 0',
    );
  });
});

describe('image headers', () => {
  it('reads dimensions from PNG and JPEG headers', () => {
    expect(readImageHeader(png(33, 17), true)).toEqual({
      ok: true,
      info: { type: 'png', width: 33, height: 17 },
    });
    expect(readImageHeader(jpeg(800, 600), true)).toEqual({
      ok: true,
      info: { type: 'jpg', width: 800, height: 600 },
    });
  });

  it('asks for more bytes when a JPEG header is cut short, and judges the result', () => {
    const head = jpeg(800, 600).subarray(0, 24);
    expect(readImageHeader(head, false)).toEqual({ ok: false, reason: 'truncated-header' });
    expect(judgeImage({ ok: false, reason: 'x' })).toEqual([
      { outcome: 'drop', rule: 'unreadable-image', message: 'unreadable image: x' },
    ]);
    expect(judgeImage({ ok: true, info: { type: 'bmp', width: 10, height: 10 } })).toEqual([]);
    expect(judgeImage({ ok: true, info: { type: 'bmp', width: 9, height: 10 } })[0]?.rule).toBe(
      'image-too-small',
    );
    expect(judgeImage({ ok: true, info: { type: 'gif', width: 90, height: 90 } })[0]?.rule).toBe(
      'image-format',
    );
    const jpg = { ok: true as const, info: { type: 'jpg', width: 20, height: 20 } };
    expect(judgeImage(jpg, { endsWithEoi: false, hasEoi: true })[0]?.outcome).toBe('fix');
    expect(judgeImage(jpg, { endsWithEoi: false, hasEoi: false })[0]?.outcome).toBe('drop');
  });
});
