import { describe, expect, it } from '@jest/globals';
import { FileSplits } from '../../src/dataset/file-splits.js';
import { FileTable, FileTableBuilder, type SnapshotFile } from '../../src/dataset/file-table.js';
import { compareCodePoints } from '../../src/dataset/files.js';
import { sha256Hex } from '../../src/hash.js';

const file = (seed: string, size: number): SnapshotFile => ({ sha256: sha256Hex(seed), size });

// Paths whose UTF-16 order differs from code point order, prefixes of each other, and a key that
// an object would treat specially.
const ODD = [
  'b',
  'a/b',
  'a',
  'a b',
  'é',
  '\uff01',
  '😀',
  '😀/x',
  '__proto__',
  'images/train/1.jpg',
];

describe('FileTable', () => {
  it('holds each path, sha256 and size, in code point order', () => {
    const entries = ODD.map((rel, i): [string, SnapshotFile] => [rel, file(rel, i * 1000)]);
    const table = FileTable.fromEntries(entries);
    const expected = [...entries].sort(([a], [b]) => compareCodePoints(a, b));
    expect([...table.entries()]).toEqual(expected);
    expect(table.length).toBe(ODD.length);
    expect(table.totalBytes).toBe(entries.reduce((a, [, f]) => a + f.size, 0));
    // '\uff01' is one UTF-16 unit above the surrogates of '😀', yet a smaller code point.
    expect(table.indexOf('\uff01')).toBeLessThan(table.indexOf('😀'));
    for (const [rel, f] of entries) {
      const i = table.indexOf(rel);
      expect(table.rel(i)).toBe(rel);
      expect(table.sha256(i)).toBe(f.sha256);
      expect(table.size(i)).toBe(f.size);
      expect(table.get(rel)).toEqual(f);
    }
    for (const absent of ['', 'a/', 'a/b/c', 'c', '😀/', 'images/train/1.jp'])
      expect(table.get(absent)).toBeUndefined();
  });

  it('finds every path of a large table, and none that it does not hold', () => {
    const rels = Array.from({ length: 5000 }, (_, i) => `images/${i % 7}/plan_${i * 37}.jpg`);
    const table = FileTable.fromEntries(rels.map((rel, i) => [rel, file(rel, i)]));
    for (const [i, rel] of rels.entries()) expect(table.get(rel)?.size).toBe(i);
    expect(table.indexOf('images/0/plan_1.jpg')).toBe(-1);
    const empty = FileTable.fromEntries([]);
    expect(empty.length).toBe(0);
    expect(empty.get('a')).toBeUndefined();
    expect([...empty.distinctByDigest()]).toEqual([]);
  });

  it('keeps each sha256 once, from the first file in path order, sorted by hash', () => {
    const same = file('same', 5);
    const table = FileTable.fromEntries([
      ['z.txt', same],
      ['b.txt', file('other', 7)],
      ['a.txt', same],
      ['m.txt', same],
    ]);
    const kept = [...table.distinctByDigest()].map((i) => [table.rel(i), table.sha256(i)]);
    const byHash = [
      ['a.txt', same.sha256],
      ['b.txt', sha256Hex('other')],
    ].sort((x, y) => (x[1]! < y[1]! ? -1 : 1));
    expect(kept).toEqual(byHash);
  });

  it('looks up blob sizes by sha256', () => {
    const files = Array.from({ length: 300 }, (_, i): [string, SnapshotFile] => [
      `f${i}`,
      file(String(i % 250), i % 250),
    ]);
    const sizes = FileTable.fromEntries(files).blobSizes();
    for (let i = 0; i < 250; i++) expect(sizes.get(sha256Hex(String(i)))).toBe(i);
    expect(sizes.get(sha256Hex('absent'))).toBeUndefined();
    expect(sizes.get('not hex')).toBeUndefined();
    expect(sizes.get(sha256Hex('1').toUpperCase())).toBeUndefined();
  });

  it('refuses duplicates, paths out of order, bad hashes and sizes, and too many files', () => {
    expect(() =>
      FileTable.fromEntries([
        ['a', file('1', 1)],
        ['a', file('2', 2)],
      ]),
    ).toThrow('a is given twice in a file table');
    const builder = new FileTableBuilder(2);
    builder.add('b', sha256Hex('b'), 1);
    expect(() => builder.add('a', sha256Hex('a'), 1)).toThrow('a comes out of path order');
    expect(() => builder.add('c', 'abc', 1)).toThrow("c: 'abc' is not a sha256 (64 hex)");
    expect(() => builder.add('c', sha256Hex('c'), -1)).toThrow('c: a size of -1 is not');
    expect(() => builder.add('c', sha256Hex('c'), 1.5)).toThrow('c: a size of 1.5 is not');
    builder.add('c', sha256Hex('c'), 2);
    expect(() => builder.add('d', sha256Hex('d'), 1)).toThrow('made for 2 files was given more');
    expect([...builder.done().entries()].map(([rel]) => rel)).toEqual(['b', 'c']);
  });

  it('grows its path buffer past the first guess', () => {
    const long = Array.from(
      { length: 20 },
      (_, i) => `${String(i).padStart(2, '0')}${'x'.repeat(500)}`,
    );
    const builder = new FileTableBuilder(long.length);
    for (const rel of long) builder.add(rel, sha256Hex(rel), rel.length);
    const table = builder.done();
    expect(long.map((rel) => table.get(rel)?.size)).toEqual(long.map((rel) => rel.length));
  });
});

describe('FileSplits', () => {
  it("gives each file its split, and 'other' to files the membership does not name", () => {
    const table = FileTable.fromEntries(
      ['data.yaml', 'images/train/a.jpg', 'images/val/b.jpg', 'labels/val/b.txt'].map((rel) => [
        rel,
        file(rel, 1),
      ]),
    );
    const splits = FileSplits.from(
      table,
      new Map([
        ['images/train/a.jpg', 'train'],
        ['images/val/b.jpg', 'val'],
        ['labels/val/b.txt', 'val'],
      ]),
    );
    expect(Array.from({ length: table.length }, (_, i) => splits.of(i))).toEqual([
      'other',
      'train',
      'val',
      'val',
    ]);
  });
});
