// Safe unpacking of job archives: what lands on disk, and every way an archive may not escape.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { safeEntryPath, unpackArchive } from '../../src/model/unpack.js';
import { selectPlot } from '../../src/model/download.js';
import { rawTar } from './tar-bytes.js';

let root: string;
let dest: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'unpack-'));
  dest = path.join(root, 'models');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Everything under dir, staging leftovers included. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

describe('safeEntryPath', () => {
  it('normalizes ./ prefixes and rejects absolute and climbing paths', () => {
    expect(safeEntryPath('./best.pt')).toBe('best.pt');
    expect(safeEntryPath('plots//results.png')).toBe('plots/results.png');
    expect(() => safeEntryPath('/etc/passwd')).toThrow(/absolute path/);
    expect(() => safeEntryPath('C:\\x')).toThrow(/absolute path/);
    expect(() => safeEntryPath('a/../../x')).toThrow(/climbs out/);
  });
});

describe('unpackArchive', () => {
  it('writes the model files from a gzipped tar stream', async () => {
    const archive = rawTar([
      { name: './', type: '5' },
      { name: './best.pt', body: 'BEST' },
      { name: './last.pt', body: 'LAST' },
      { name: './training_metrics.json', body: '{}' },
    ]);
    const files = await unpackArchive(Readable.from([archive]), dest, { label: 'model.tar.gz' });
    expect(files).toEqual(['best.pt', 'last.pt', 'training_metrics.json']);
    // Every file whole, not only the first.
    expect(files.map((f) => readFileSync(path.join(dest, f), 'utf8'))).toEqual([
      'BEST',
      'LAST',
      '{}',
    ]);
    expect(tree(dest)).toEqual(files); // no staging directory left behind
  });

  it('writes every byte when a small file follows big ones in a chunked stream', async () => {
    const big = randomBytes(3 * 1024 * 1024);
    const archive = rawTar([
      { name: 'best.pt', body: big },
      { name: 'last.pt', body: big },
      { name: 'training_metrics.json', body: '{"schema": 1}' },
    ]);
    const chunks = [];
    for (let i = 0; i < archive.length; i += 16 * 1024)
      chunks.push(archive.subarray(i, i + 16 * 1024));
    await unpackArchive(Readable.from(chunks), dest, { label: 'model.tar.gz' });
    expect(readFileSync(path.join(dest, 'training_metrics.json'), 'utf8')).toBe('{"schema": 1}');
    expect(readFileSync(path.join(dest, 'best.pt')).equals(big)).toBe(true);
    expect(readFileSync(path.join(dest, 'last.pt')).equals(big)).toBe(true);
  });

  it('keeps only what select maps, at the mapped path', async () => {
    const archive = rawTar([
      { name: 'metrics.json', body: '{}' },
      { name: 'plots/results.png', body: 'PNG' },
      { name: 'plots/notes.txt', body: 'x' },
      { name: 'plots/deeper/x.png', body: 'x' },
    ]);
    const files = await unpackArchive(archive, dest, {
      label: 'output.tar.gz',
      select: selectPlot,
    });
    expect(files).toEqual(['plots/results.png']);
    expect(tree(dest)).toEqual(['plots', 'plots/results.png']);
  });

  it.each([
    ['a path climbing out', { name: '../evil.pt', body: 'x' }, /"..\/evil.pt" climbs out/],
    ['an absolute path', { name: '/tmp/evil.pt', body: 'x' }, /is an absolute path/],
    ['a symbolic link', { name: 'best.pt', type: '2', linkname: '/etc/passwd' }, /SymbolicLink/],
    ['a hard link', { name: 'best.pt', type: '1', linkname: '/etc/passwd' }, /Link, not a regular/],
    ['a device', { name: 'dev', type: '3' }, /CharacterDevice/],
  ])('refuses %s and writes nothing', async (_what, bad, message) => {
    const archive = rawTar([{ name: 'last.pt', body: 'LAST' }, bad]);
    await expect(unpackArchive(archive, dest, { label: 'model.tar.gz' })).rejects.toThrow(
      new RegExp(`^model\\.tar\\.gz: .*${message.source}`),
    );
    expect(tree(dest)).toEqual([]);
    expect(existsSync(path.join(root, 'evil.pt'))).toBe(false);
  });

  it('does not write through a link the archive planted earlier', async () => {
    const archive = rawTar([
      { name: 'plots', type: '2', linkname: root },
      { name: 'plots/evil.png', body: 'x' },
    ]);
    await expect(unpackArchive(archive, dest, { label: 'a' })).rejects.toThrow(/SymbolicLink/);
    expect(existsSync(path.join(root, 'evil.png'))).toBe(false);
  });

  it('enforces the per-file, total and count caps', async () => {
    const big = rawTar([{ name: 'best.pt', body: Buffer.alloc(3000) }]);
    await expect(
      unpackArchive(big, dest, { label: 'm', limits: { maxFileBytes: 2048 } }),
    ).rejects.toThrow(/3000 bytes, over the 2048-byte limit per file/);
    const two = rawTar([
      { name: 'a', body: Buffer.alloc(1500) },
      { name: 'b', body: Buffer.alloc(1500) },
    ]);
    await expect(
      unpackArchive(two, dest, { label: 'm', limits: { maxTotalBytes: 2000 } }),
    ).rejects.toThrow(/more than 2000 bytes in all/);
    await expect(unpackArchive(two, dest, { label: 'm', limits: { maxFiles: 1 } })).rejects.toThrow(
      /more than 1 files/,
    );
    expect(tree(dest)).toEqual([]);
  });

  it('reports a truncated or non-tar archive with its label', async () => {
    const archive = rawTar([{ name: 'best.pt', body: Buffer.alloc(5000, 1) }], false);
    await expect(
      unpackArchive(archive.subarray(0, 2000), dest, { label: 's3://b/model.tar.gz' }),
    ).rejects.toThrow(/^s3:\/\/b\/model\.tar\.gz: /);
    await expect(
      unpackArchive(Buffer.from('not a tar at all'.repeat(64)), dest, { label: 'x.tar.gz' }),
    ).rejects.toThrow(/^x\.tar\.gz: /);
    expect(tree(dest)).toEqual([]);
  });

  it('replaces an existing file in the model directory, not a link target', async () => {
    const outside = path.join(root, 'outside.pt');
    await unpackArchive(rawTar([{ name: 'best.pt', body: 'OLD' }]), dest, { label: 'm' });
    rmSync(path.join(dest, 'best.pt'));
    symlinkSync(outside, path.join(dest, 'best.pt'));
    await unpackArchive(rawTar([{ name: 'best.pt', body: 'NEW' }]), dest, { label: 'm' });
    expect(readFileSync(path.join(dest, 'best.pt'), 'utf8')).toBe('NEW');
    expect(existsSync(outside)).toBe(false);
  });
});
