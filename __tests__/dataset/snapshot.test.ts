import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, symlink, utimes, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { walkDataset, walkFiles } from '../../src/dataset/files.js';
import {
  buildSnapshot,
  canonicalJson,
  fingerprintOf,
  parseSnapshotDocument,
  snapshotFromFiles,
  snapshotJson,
  type SnapshotFile,
} from '../../src/dataset/snapshot.js';
import { ContentHashes } from '../../src/content-hashes.js';
import { hashFile } from '../../src/hash.js';
import { inspectDataset } from '../../src/dataset/validate.js';
import { basicDataset, jpeg, png, removeDir, tempDir, writeTree } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});
async function dataset(files = basicDataset()): Promise<string> {
  const dir = await tempDir('yolo-snap-');
  dirs.push(dir);
  await writeTree(dir, files);
  return dir;
}
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('canonical JSON and fingerprint', () => {
  it('matches Python json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)', () => {
    // Known answer computed with CPython 3.11; keys chosen so UTF-16 order and code point order differ.
    const files = {
      b: { sha256: '0'.repeat(64), size: 1 },
      'a/x': { sha256: '1'.repeat(64), size: 22 },
      '10': { sha256: '2'.repeat(64), size: 0 },
      é: { sha256: '3'.repeat(64), size: 5 },
      '😀': { sha256: '4'.repeat(64), size: 7 },
      ｚ: { sha256: '5'.repeat(64), size: 9 },
    };
    const snap = snapshotFromFiles(Object.entries(files), 'data.yaml', '/x');
    expect(snap.json.startsWith('{"config":"data.yaml","files":{"10":{"sha256":"2222')).toBe(true);
    expect(Object.keys(JSON.parse(snap.json).files)).toEqual(['10', 'a/x', 'b', 'é', 'ｚ', '😀']);
    expect(snap.fingerprint).toBe(
      '8cc18a45e64f5f873c4499bd6d52e7a879fd50ee937276b8f9f10937b8d9651a',
    );
    expect(fingerprintOf(snap.document)).toBe(snap.fingerprint);
    expect(snap.totalBytes).toBe(44);
  });

  it('keeps a file called __proto__ as a file', () => {
    const snap = snapshotFromFiles(
      [['__proto__', { sha256: 'a'.repeat(64), size: 3 }]],
      'd.yaml',
      '/x',
    );
    expect(Object.keys(snap.document.files)).toEqual(['__proto__']);
    expect(snap.json).toContain('"__proto__":{"sha256"');
  });

  it('writes the one-pass JSON byte for byte as the generic canonical form', () => {
    const odd = [
      '"quoted"',
      'back\\slash',
      'tab\there',
      'nul\u0000',
      'line\u2028sep',
      'ünï',
      '😀/x',
    ];
    const many = Array.from({ length: 3000 }, (_, i) => `images/train/plan_${i}.jpg`); // 64 KiB pieces
    for (const names of [[], ['only'], odd, many]) {
      const files = names.map((name, i): [string, { sha256: string; size: number }] => [
        name,
        { sha256: String(i % 10).repeat(64), size: i * 1000 },
      ]);
      for (const config of ['data.yaml', 'odd "name".yaml', '']) {
        const snap = snapshotFromFiles(files, config, '/x');
        expect(snap.json).toBe(canonicalJson(snap.document));
        expect(snapshotJson(snap.files, config)).toBe(snap.json);
        expect(gunzipSync(snap.stored).toString('utf8')).toBe(snap.json);
        expect(snap.fingerprint).toBe(sha(snap.json));
      }
    }
  });

  it("stores a large JSON as gzip members that the container's reader inflates as one", async () => {
    const files = Array.from({ length: 3000 }, (_, i): [string, SnapshotFile] => [
      `images/train/plan_${String(i).padStart(5, '0')}.jpg`,
      { sha256: sha(String(i)), size: i },
    ]);
    const snap = snapshotFromFiles(files, 'data.yaml', '/x');
    // More than one member: each starts with gzip's magic bytes and deflate's method.
    expect(snap.stored.toString('hex').split('1f8b08').length - 1).toBeGreaterThan(3);
    const dir = await tempDir('snapshot-members-');
    dirs.push(dir);
    const file = path.join(dir, `${snap.fingerprint}.json.gz`);
    await writeFile(file, snap.stored);
    const read = execFileSync(
      '.venv/bin/python',
      [
        '-c',
        'import sys; from pathlib import Path; from yolojob.dataset import read_snapshot_text; sys.stdout.write(read_snapshot_text(Path(sys.argv[1])))',
        file,
      ],
      { encoding: 'utf8', env: { ...process.env, PYTHONPATH: 'training-container' } },
    );
    expect(read).toBe(snap.json);
    expect(sha(read)).toBe(snap.fingerprint);
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow('canonical JSON cannot hold NaN');
  });
});

describe('buildSnapshot', () => {
  it('hashes every file (hidden files and *.cache left out) with the yaml as config', async () => {
    const files = {
      ...basicDataset(),
      '.git/HEAD': 'ref',
      'labels/train.cache': 'junk',
      'README.md': 'hi',
    };
    const dir = await dataset(files);
    const snap = await buildSnapshot(dir);
    const expected = Object.keys(files)
      .filter((f) => !f.startsWith('.') && !f.endsWith('.cache'))
      .sort();
    expect(Object.keys(snap.document.files)).toEqual(expected);
    expect(snap.document.config).toBe('data.yaml');
    expect(snap.document.files['labels/val/v1.txt']).toEqual({
      sha256: sha('0 0.5 0.5 0.5 0.5\n'),
      size: 18,
    });
    expect(snap.json).toBe(canonicalJson(snap.document));
    expect(snap.fingerprint).toBe(sha(snap.json));
    expect(snap.root).toBe(dir);
  });

  it('does not depend on mtimes: a fresh copy has the same fingerprint', async () => {
    const dir = await dataset();
    const copy = `${dir}-copy`;
    dirs.push(copy);
    await cp(dir, copy, { recursive: true });
    for (const f of await walkFiles(copy))
      await utimes(f.abs, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect((await buildSnapshot(copy)).fingerprint).toBe((await buildSnapshot(dir)).fingerprint);
  });

  it('changes with a same-size edit, in exactly that file', async () => {
    const dir = await dataset();
    const before = await buildSnapshot(dir);
    const file = path.join(dir, 'labels/val/v2.txt');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/^1/, '0'));
    const after = await buildSnapshot(dir);
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const changed = Object.keys(after.document.files).filter(
      (k) => after.document.files[k]?.sha256 !== before.document.files[k]?.sha256,
    );
    expect(changed).toEqual(['labels/val/v2.txt']);
    expect(after.document.files['labels/val/v2.txt']?.size).toBe(
      before.document.files['labels/val/v2.txt']?.size,
    );
  });

  it('holds only sha256 and size per file when the hashes carry git blob ids', async () => {
    const dir = await dataset();
    const plain = await buildSnapshot(dir);
    const withBlobs = await buildSnapshot(dir, { hashes: new ContentHashes('sha1') });
    expect(withBlobs.json).toBe(plain.json);
    for (const f of Object.values(withBlobs.document.files))
      expect(Object.keys(f).sort()).toEqual(['sha256', 'size']);
  });

  it('accepts the yaml path and streams large files to the same hash', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const dir = await dataset({ ...basicDataset(), 'big.bin': big });
    expect(await hashFile(path.join(dir, 'big.bin'))).toEqual({
      sha256: sha(big),
      size: big.length,
    });
    const snap = await buildSnapshot(path.join(dir, 'data.yaml'));
    expect(snap.document.files['big.bin']?.sha256).toBe(sha(big));
  });

  it('never hashes a symlink that leaves the dataset; links inside it are followed', async () => {
    const outsideDir = await dataset({ 'secret.txt': 'SECRET_TOKEN=hunter2\n' });
    const dir = await dataset();
    await symlink(path.join(outsideDir, 'secret.txt'), path.join(dir, 'images/train/s.jpg'));
    await symlink(outsideDir, path.join(dir, 'linked'));
    await symlink('/proc/self/environ', path.join(dir, 'env.txt'));
    await mkdir(path.join(dir, 'more'));
    await symlink('../images/val/v1.png', path.join(dir, 'more/v1.png'));
    await symlink('./images', path.join(dir, 'images-alias')); // a directory seen twice: walked once

    const walked = await walkDataset(dir);
    expect(walked.outside.map((f) => f.rel)).toEqual(['env.txt', 'images/train/s.jpg', 'linked']);
    const rels = walked.files.map((f) => f.rel);
    expect(rels).toContain('more/v1.png');
    expect(rels.filter((r) => /s\.jpg|secret|env/.test(r))).toEqual([]);
    expect((await walkFiles(dir)).map((f) => f.rel)).toEqual(rels);

    await expect(buildSnapshot(dir)).rejects.toThrow(
      `3 symbolic link(s) resolve outside the dataset directory ${dir} and are never uploaded (e.g. env.txt): copy the files into the dataset instead`,
    );
  });

  it('walks a dataset reached through a symlinked root', async () => {
    const dir = await dataset();
    const alias = path.join(await tempDir('yolo-snap-alias-'), 'ds');
    dirs.push(path.dirname(alias));
    await symlink(dir, alias);
    const walked = await walkDataset(alias);
    expect(walked.outside).toEqual([]);
    expect((await buildSnapshot(alias)).fingerprint).toBe((await buildSnapshot(dir)).fingerprint);
  });

  it('fails with a named error when there is no dataset', async () => {
    await expect(buildSnapshot('/nonexistent/ds')).rejects.toThrow(
      "dataset '/nonexistent/ds' does not exist",
    );
  });
});

describe('parseSnapshotDocument', () => {
  it('round-trips a built snapshot and names bad documents', async () => {
    const snap = await buildSnapshot(await dataset());
    expect(parseSnapshotDocument(snap.json, 's3://b/k')).toEqual(snap.document);
    expect(() => parseSnapshotDocument('{', 's3://b/k')).toThrow(/^s3:\/\/b\/k is not JSON/);
    expect(() => parseSnapshotDocument('{"version":2,"files":{},"config":"d"}', 'x')).toThrow(
      'x is not a version 1 snapshot',
    );
    expect(() =>
      parseSnapshotDocument(
        '{"version":1,"files":{"a":{"sha256":"zz","size":1}},"config":"d"}',
        'x',
      ),
    ).toThrow("x: entry 'a' needs a sha256 (64 hex) and a size (integer >= 0)");
  });
});

describe('one read per file: validation hashes what it reads', () => {
  it('validation hashes every image and label it read whole; the snapshot built from them is the one built from disk', async () => {
    const big = jpeg(64, 64, Buffer.alloc(1024 * 1024 + 10, 7)); // above the whole-read limit
    const dir = await dataset({
      ...basicDataset(),
      'images/train/big.jpg': big,
      'labels/train/big.txt': '0 0.5 0.5 0.1 0.1\n',
    });
    const { report, hashes } = await inspectDataset(dir);
    expect(report.errors).toBe(0);
    const rel = (abs: string) => path.relative(dir, abs);
    // Every image and label except the large image; data.yaml is read as text only.
    expect([...hashes.keys()].map(rel).sort()).toEqual([
      'images/train/a.png',
      'images/train/b.jpg',
      'images/train/c.png',
      'images/val/v1.png',
      'images/val/v2.jpg',
      'labels/train/a.txt',
      'labels/train/b.txt',
      'labels/train/big.txt',
      'labels/val/v1.txt',
      'labels/val/v2.txt',
    ]);
    for (const [abs, h] of hashes) {
      const bytes = await readFile(abs);
      expect(h).toEqual({ sha256: sha(bytes), size: bytes.length });
    }
    const reused = await buildSnapshot(dir, { hashes });
    const fromDisk = await buildSnapshot(dir);
    expect(reused.json).toBe(fromDisk.json);
    expect(reused.document.files['images/train/big.jpg']?.sha256).toBe(sha(big));
  });

  it("takes validation's walk of the same root instead of walking again", async () => {
    const dir = await dataset();
    const inspection = await inspectDataset(dir);
    expect(inspection.root).toBe(dir);
    expect(inspection.walk?.files.map((f) => f.rel)).toContain('data.yaml');
    // A file made after the walk: only a new walk finds it.
    await writeFile(path.join(dir, 'notes.md'), 'later\n');
    const walk = { root: inspection.root!, result: inspection.walk! };
    const reused = await buildSnapshot(dir, { walk });
    expect(reused.files.get('notes.md')).toBeUndefined();
    expect(reused.files.length).toBe(inspection.walk!.files.length);
    const fresh = await buildSnapshot(dir);
    expect(fresh.files.get('notes.md')?.size).toBe(6);
    // A walk of another root is not taken.
    const other = await buildSnapshot(dir, { walk: { root: '/elsewhere', result: walk.result } });
    expect(other.json).toBe(fresh.json);
  });

  it('a classify dataset: its images are hashed by validation too', async () => {
    const dir = await dataset({
      'train/cat/1.png': png(16, 16, 1),
      'train/dog/2.png': png(16, 16, 2),
      'val/cat/3.png': png(16, 16, 3),
      'val/dog/4.png': png(16, 16, 4),
    });
    const { report, hashes } = await inspectDataset(dir, { task: 'classify' });
    expect(report.errors).toBe(0);
    expect(hashes.size).toBe(4);
    const reused = await buildSnapshot(dir, { task: 'classify', hashes });
    expect(reused.json).toBe((await buildSnapshot(dir, { task: 'classify' })).json);
  });
});
