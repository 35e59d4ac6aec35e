// The packed store of content ids by path: what a Map of ids would answer, whatever the paths.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ContentHashes } from '../src/content-hashes.js';
import { gitBlobId, sha256Hex, type ContentId } from '../src/hash.js';
import { removeDir, tempDir } from './dataset/fixtures.js';

const id = (n: number, blobHex = 0): ContentId => ({
  sha256: sha256Hex(`content ${n}`),
  size: n * 7,
  ...(blobHex ? { gitBlob: sha256Hex(`blob ${n}`).slice(0, blobHex) } : {}),
});

describe('ContentHashes', () => {
  it.each([
    ['grown as it fills', () => undefined],
    // Too small a guess of the keys' length: the keys' buffer still grows.
    ['reserved for all before the first entry', (s: ContentHashes) => s.reserve(20_000, 8)],
    [
      'reserved for all after some',
      (s: ContentHashes, n: number) => n === 300 && s.reserve(20_000),
    ],
    ['reserved for fewer', (s: ContentHashes, n: number) => n === 0 && s.reserve(5_000)],
  ])('answers as a Map would for 20k paths of every shape: %s', (_, reserve) => {
    const reference = new Map<string, ContentId>();
    const store = new ContentHashes();
    for (let n = 0; n < 20_000; n++) {
      reserve(store, n);
      const key =
        n % 97 === 0
          ? `/${'deep/'.repeat(n % 1000)}${n}` // up to 5 KB: longer than the lookup buffer
          : n % 2 === 0
            ? `/data/images/train/plan_${String(n).padStart(5, '0')}.jpg`
            : `/data/Grundrisse/Küche ${n} 😀.txt`;
      const value = id(n, [0, 40, 64][n % 3]);
      reference.set(key, value);
      store.set(key, value);
    }
    expect(store.size).toBe(reference.size);
    expect([...reference.keys()].map((key) => store.get(key))).toEqual([...reference.values()]);
    expect([...store.keys()]).toEqual([...reference.keys()]);
    expect([...store]).toEqual([...reference]);
    expect(store.get('/data/images/train/plan_00000.jp')).toBeUndefined();
    expect(store.has('/data/images/train/plan_00004.jpg')).toBe(true);
    expect(store.has('')).toBe(false);
  });

  it('replaces the id of a path given again, blob id included or dropped', () => {
    const store = new ContentHashes();
    store.set('/a', id(1, 40));
    store.set('/a', id(2));
    expect(store.size).toBe(1);
    expect(store.get('/a')).toEqual(id(2));
    store.set('/a', id(3, 64));
    expect(store.get('/a')).toEqual(id(3, 64));
  });

  it('refuses an id that is not a sha256 or a blob id, naming the path', () => {
    const store = new ContentHashes();
    expect(() => store.set('/x.jpg', { sha256: 'F'.repeat(64), size: 1 })).toThrow(
      /\/x\.jpg: 'F{64}' is not a sha256 \(64 lowercase hex\)/,
    );
    expect(() => store.set('/x.jpg', { sha256: 'a'.repeat(64), size: 1, gitBlob: 'abc' })).toThrow(
      /'abc' is not a git blob id/,
    );
    expect(store.size).toBe(0);
  });

  it('reads a file once, with its git blob id in a git work tree', async () => {
    const dir = await tempDir('content-hashes-');
    try {
      const file = path.join(dir, 'label.txt');
      writeFileSync(file, '0 0.5 0.5 0.1 0.1\n');
      const store = new ContentHashes('sha1');
      const first = store.ofFile(file);
      const bytes = Buffer.from('0 0.5 0.5 0.1 0.1\n');
      expect(first).toEqual({
        sha256: sha256Hex(bytes),
        size: bytes.length,
        gitBlob: gitBlobId(bytes, 'sha1'),
      });
      writeFileSync(file, 'changed since it was read');
      expect(store.ofFile(file)).toEqual(first);
      expect(store.record(file, Buffer.from('new'))).toEqual(store.get(file));
      expect(store.get(file)!.gitBlob).toBe(gitBlobId(Buffer.from('new'), 'sha1'));
    } finally {
      await removeDir(dir);
    }
  });
});
