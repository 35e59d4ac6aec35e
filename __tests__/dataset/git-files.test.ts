// The git shortcut against real repositories made here: a file's hash is taken from git only when
// its content is what a previous snapshot (or its LFS pointer) says; every other file is left out
// and therefore hashed.
import { describe, it, expect, afterAll } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, symlink, utimes, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  BlobRecords,
  GitFiles,
  gitCleanFiles,
  hashesFromGit,
  objectFormatOf,
  parseLfsPointer,
  indexEntries,
  indexPaths,
  parsePorcelainPaths,
  blobRecordsOf,
} from '../../src/dataset/git-files.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { ContentHashes } from '../../src/content-hashes.js';
import { hashFileSync } from '../../src/hash.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.com',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' });
}

/** A repository with the basic dataset under data/, committed. */
async function repo(files = basicDataset()): Promise<{ top: string; data: string }> {
  const top = await tempDir('yolo-git-');
  dirs.push(top);
  git(top, 'init', '-q', '-b', 'main');
  const data = path.join(top, 'data set');
  await mkdir(data);
  await writeTree(data, files);
  git(top, 'add', '-A');
  git(top, 'commit', '-q', '-m', 'dataset');
  return { top, data };
}

/** What a sync would learn and record: blob id -> sha256/size of the files it snapshotted. */
async function recordedBlobs(data: string) {
  const clean = await gitCleanFiles(data);
  const ids = new ContentHashes(objectFormatOf(clean!));
  await buildSnapshot(data, { hashes: ids });
  return new BlobRecords(blobRecordsOf(ids));
}

/** The hashes the shortcut gives, checked against reading each file. */
async function shortcut(
  data: string,
  known: { get(blob: string): { sha256: string; size: number } | undefined; readonly size: number },
) {
  const clean = await gitCleanFiles(data);
  expect(clean).toBeDefined();
  const byRel = new Map<string, { sha256: string; size: number }>();
  for (const [abs, { sha256, size }] of hashesFromGit(data, clean!, known)) {
    expect({ sha256, size }).toEqual(hashFileSync(abs));
    byRel.set(path.relative(data, abs).split(path.sep).join('/'), { sha256, size });
  }
  return byRel;
}

const LABEL = 'labels/train/a.txt';
/** basicDataset's a.txt with the first class changed: the same size, other content. */
const EDIT = '1 0.5 0.5 0.2 0.2\n0 0.3 0.3 0.1 0.1\n';

describe('git shortcut', () => {
  it('gives every unchanged committed file its recorded hash without reading it', async () => {
    const { data } = await repo();
    const known = await recordedBlobs(data);
    const snapshot = await buildSnapshot(data);
    const hashes = await shortcut(data, known);
    expect(new Set(hashes.keys())).toEqual(new Set(Object.keys(snapshot.document.files)));
  });

  it('leaves out a same-size edit whose mtime is set back to before the commit', async () => {
    const { data } = await repo();
    const known = await recordedBlobs(data);
    const abs = path.join(data, LABEL);
    const before = await stat(abs);
    const original = hashFileSync(abs);
    await writeFile(abs, EDIT);
    expect((await stat(abs)).size).toBe(before.size);
    await utimes(abs, before.atime, new Date(before.mtimeMs - 3_600_000));
    const hashes = await shortcut(data, known);
    expect(hashes.has(LABEL)).toBe(false);
    expect(hashFileSync(abs).sha256).not.toBe(original.sha256);
  });

  it('leaves out a same-size edit whose mtime is restored exactly (racy git)', async () => {
    const { data } = await repo();
    const known = await recordedBlobs(data);
    const abs = path.join(data, LABEL);
    const before = await stat(abs);
    await writeFile(abs, EDIT);
    await utimes(abs, before.atime, before.mtime);
    expect((await shortcut(data, known)).has(LABEL)).toBe(false);
  });

  it('leaves out a file edited and staged, or committed, since the recorded snapshot', async () => {
    const { top, data } = await repo();
    const known = await recordedBlobs(data);
    await writeFile(path.join(data, LABEL), EDIT);
    git(top, 'add', '-A');
    expect((await shortcut(data, known)).has(LABEL)).toBe(false);
    git(top, 'commit', '-q', '-m', 'edit');
    const hashes = await shortcut(data, known);
    expect(hashes.has(LABEL)).toBe(false);
    // The other files are still taken from git.
    expect(hashes.size).toBe(Object.keys((await buildSnapshot(data)).document.files).length - 1);
  });

  it('leaves out an untracked file generated by an earlier step', async () => {
    const { data } = await repo();
    const known = await recordedBlobs(data);
    await writeFile(path.join(data, 'labels/train/generated.txt'), '0 0.5 0.5 0.1 0.1\n');
    const clean = await gitCleanFiles(data);
    expect(clean!.has('labels/train/generated.txt')).toBe(false);
    expect((await shortcut(data, known)).has('labels/train/generated.txt')).toBe(false);
  });

  it('takes an LFS image sha256 from its pointer, and leaves it out once edited', async () => {
    const top = await tempDir('yolo-lfs-');
    dirs.push(top);
    git(top, 'init', '-q', '-b', 'main');
    git(top, 'lfs', 'install', '--local');
    git(top, 'lfs', 'track', '*.png');
    const image = png(32, 24, 7);
    await writeTree(top, { 'images/a.png': image, 'labels/a.txt': '0 0.5 0.5 0.2 0.2\n' });
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'lfs');
    const hashes = await shortcut(top, new Map());
    // No recorded blobs: the pointer alone gives the image's hash; the label needs a record.
    expect(hashes.get('images/a.png')).toEqual(hashFileSync(path.join(top, 'images/a.png')));
    expect(hashes.has('labels/a.txt')).toBe(false);
    await writeFile(path.join(top, 'images/a.png'), png(32, 24, 8));
    expect((await shortcut(top, new Map())).has('images/a.png')).toBe(false);
  });

  it('works in a shallow clone', async () => {
    const { top } = await repo();
    const clone = await tempDir('yolo-shallow-');
    dirs.push(clone);
    git(clone, 'clone', '-q', '--depth', '1', `file://${top}`, 'c');
    const data = path.join(clone, 'c', 'data set');
    const known = await recordedBlobs(data);
    expect(known.size).toBeGreaterThan(0);
    const hashes = await shortcut(data, known);
    expect(hashes.size).toBe(Object.keys((await buildSnapshot(data)).document.files).length);
    await writeFile(path.join(data, LABEL), EDIT);
    expect((await shortcut(data, known)).has(LABEL)).toBe(false);
  });

  it("records a file's blob id as the bytes hashed say, never the index's for edited bytes", async () => {
    const { top, data } = await repo();
    const clean = await gitCleanFiles(data);
    const indexBlob = clean!.get(LABEL)!.blob;
    // Our blob id of the bytes is git's own.
    expect(hashFileSync(path.join(data, LABEL), 'sha1').gitBlob).toBe(
      git(top, 'hash-object', path.join(data, LABEL)).trim(),
    );
    // Edited between git's look and our read: recorded under the blob id of the new bytes.
    await writeFile(path.join(data, LABEL), EDIT);
    const ids = new ContentHashes('sha1');
    const snapshot = await buildSnapshot(data, { hashes: ids });
    const records = new BlobRecords(blobRecordsOf(ids));
    expect(records.has(indexBlob)).toBe(false);
    const edited = hashFileSync(path.join(data, LABEL), 'sha1');
    expect(edited.gitBlob).toBe(git(top, 'hash-object', path.join(data, LABEL)).trim());
    expect(records.get(edited.gitBlob!)).toEqual({ sha256: edited.sha256, size: edited.size });
    expect(snapshot.document.files[LABEL]).toEqual({ sha256: edited.sha256, size: edited.size });
    // The next sync, the edit not committed: git does not vouch for the file, so it is read.
    expect((await shortcut(data, records)).has(LABEL)).toBe(false);
    // Committed: the index now names the new bytes' blob, which the records know.
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'edit');
    expect((await shortcut(data, records)).get(LABEL)).toEqual({
      sha256: edited.sha256,
      size: edited.size,
    });
  });

  it('reads blob ids of a sha256 repository', async () => {
    const top = await tempDir('yolo-sha256-');
    dirs.push(top);
    git(top, 'init', '-q', '-b', 'main', '--object-format=sha256');
    await writeTree(top, basicDataset());
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'dataset');
    const clean = await gitCleanFiles(top);
    expect(objectFormatOf(clean!)).toBe('sha256');
    const known = await recordedBlobs(top);
    expect(known.size).toBe(clean!.size);
    expect((await shortcut(top, known)).size).toBe(clean!.size);
  });

  it('gives nothing outside a git work tree', async () => {
    const dir = await tempDir('yolo-nogit-');
    dirs.push(dir);
    await writeTree(dir, basicDataset());
    expect(await gitCleanFiles(dir)).toBeUndefined();
  });

  it('gives nothing when checkout converts line endings (core.autocrlf)', async () => {
    const { top, data } = await repo();
    git(top, 'config', 'core.autocrlf', 'true');
    expect(await gitCleanFiles(data)).toBeUndefined();
  });

  it('leaves out files with a converting attribute', async () => {
    const { top, data } = await repo();
    await writeFile(path.join(top, '.gitattributes'), '*.txt text eol=crlf\n');
    const clean = await gitCleanFiles(data);
    expect(clean).toBeDefined();
    expect([...clean!.keys()].some((rel) => rel.endsWith('.txt'))).toBe(false);
    expect([...clean!.keys()].some((rel) => rel.endsWith('.yaml'))).toBe(true);
  });

  it("keeps files whose attributes change nothing on checkout (binary, diff, a team's own)", async () => {
    const { top, data } = await repo();
    await writeFile(
      path.join(top, '.gitattributes'),
      '*.png binary\n*.yaml diff=yaml owner=ml-team\n*.txt -text\n',
    );
    const clean = await gitCleanFiles(data);
    const kept = [...clean!.keys()];
    for (const ext of ['.png', '.yaml', '.txt'])
      expect(kept.some((r) => r.endsWith(ext))).toBe(true);
  });

  it('keys files by their path under the dataset, whatever their name; executables in, links out', async () => {
    const { top, data } = await repo();
    await mkdir(path.join(data, 'notes'));
    await writeFile(path.join(data, 'notes/Küche ü 😀.txt'), 'room\n');
    await writeFile(path.join(data, 'notes/tab\tand\nnewline.txt'), 'odd\n');
    await writeFile(path.join(data, 'notes/run.sh'), '#!/bin/sh\n');
    await chmod(path.join(data, 'notes/run.sh'), 0o755);
    await symlink('run.sh', path.join(data, 'notes/link.sh'));
    await writeFile(path.join(top, 'outside.txt'), 'not in the dataset\n');
    git(top, 'add', '-A');
    git(top, 'commit', '-q', '-m', 'notes');
    const clean = (await gitCleanFiles(data))!;
    const blob = (rel: string) => git(top, 'rev-parse', `HEAD:data set/${rel}`).trim();
    for (const rel of [
      'notes/Küche ü 😀.txt',
      'notes/tab\tand\nnewline.txt',
      'notes/run.sh',
      LABEL,
    ]) {
      expect(clean.get(rel)).toEqual({ blob: blob(rel) });
    }
    expect(clean.has('notes/link.sh')).toBe(false);
    expect(clean.has('outside.txt')).toBe(false);
    expect(clean.size).toBe(Object.keys(basicDataset()).length + 3);
  });

  it('checks the work-tree size against an LFS pointer (an unsmudged pointer is hashed)', async () => {
    const dir = await tempDir('yolo-size-');
    dirs.push(dir);
    await writeTree(dir, { 'a.png': Buffer.from('pointer-sized') });
    const lfs = { sha256: 'a'.repeat(64), size: 9999 };
    const clean = new GitFiles().set('a.png', { blob: 'b'.repeat(40), lfs });
    expect(hashesFromGit(dir, clean, new Map()).size).toBe(0);
  });
});

describe('git output parsers', () => {
  it('reads regular stage-0 files of ls-files -s -z, and every path for check-attr', () => {
    const sha1 = 'a'.repeat(40);
    const sha256 = 'b'.repeat(64);
    const records = [
      `100644 ${sha1} 0\tplain.txt`,
      `100755 ${sha1} 0\tbin/run.sh`,
      `120000 ${sha1} 0\tlink`, // a symlink holds its target
      `160000 ${sha1} 0\tmodule`, // a submodule holds a commit
      `100644 ${sha1} 1\tconflict.txt`,
      `100644 ${sha1} 2\tconflict.txt`,
      `100644 ${sha256} 0\tKüche\tü 😀\n.txt`, // only the first tab ends the head
    ];
    const output = Buffer.from(records.join('\0') + '\0', 'utf8');
    expect([...indexEntries(output)]).toEqual([
      ['plain.txt', sha1],
      ['bin/run.sh', sha1],
      ['Küche\tü 😀\n.txt', sha256],
    ]);
    const paths = ['plain.txt', 'bin/run.sh', 'link', 'module', 'conflict.txt', 'conflict.txt'];
    paths.push('Küche\tü 😀\n.txt');
    const listed = indexPaths(output);
    expect(listed.paths.toString('utf8')).toBe(paths.join('\0') + '\0');
    expect(listed.count).toBe(7);
    expect(listed.bytes).toBe(Buffer.byteLength(paths.join('')));
    // Without the last NUL, and with nothing at all.
    expect([...indexEntries(output.subarray(0, output.length - 1))]).toHaveLength(3);
    expect([...indexEntries(Buffer.alloc(0))]).toEqual([]);
    expect(indexPaths(Buffer.alloc(0)).count).toBe(0);
  });

  it('reads both paths of a rename from porcelain -z', () => {
    const out = 'R  new.txt\0old.txt\0 M a b.txt\0?? gen.txt\0';
    expect(parsePorcelainPaths(out)).toEqual(new Set(['new.txt', 'old.txt', 'a b.txt', 'gen.txt']));
  });
  it('reads an LFS pointer and rejects other text', () => {
    const oid = 'c'.repeat(64);
    expect(
      parseLfsPointer(`version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize 12\n`),
    ).toEqual({ sha256: oid, size: 12 });
    expect(parseLfsPointer('0 0.5 0.5 0.2 0.2\n')).toBeUndefined();
  });
});
