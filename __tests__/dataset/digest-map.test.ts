// The packed map a sync cache's validation results are read into: the same answers as a Map.
import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { DigestMap, DigestMapBuilder } from '../../src/dataset/digest-map.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('DigestMap', () => {
  it('answers get, has, size and iteration as a Map of the same entries does', () => {
    const values = ['image', 'label a', 'label b'];
    const entries = Array.from({ length: 500 }, (_, i): [string, string] => [
      sha(`file ${i}`),
      values[i % 3]!,
    ]);
    const packed = DigestMap.fromEntries(entries);
    const plain = new Map(entries);
    expect(packed.size).toBe(plain.size);
    for (const [key, value] of plain) {
      expect(packed.get(key)).toBe(value);
      expect(packed.has(key)).toBe(true);
    }
    for (const absent of [
      sha('absent'),
      '0'.repeat(64),
      'f'.repeat(64),
      'not hex',
      entries[0]![0].toUpperCase(),
    ]) {
      expect(packed.get(absent)).toBeUndefined();
      expect(packed.has(absent)).toBe(false);
    }
    expect(new Map(packed)).toEqual(plain);
    expect([...packed.keys()]).toEqual([...plain.keys()].sort()); // in digest order
    expect(new Set(packed.values())).toEqual(new Set(values));
    const seen: string[] = [];
    packed.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toHaveLength(500);
  });

  it('keeps the first group of a digest given twice, and refuses a cut digest', () => {
    const a = sha('a');
    const map = new DigestMap([
      { value: 1, digests: Buffer.from(a + sha('b'), 'hex') },
      { value: 2, digests: Buffer.from(a, 'hex') },
    ]);
    expect(map.size).toBe(2);
    expect(map.get(a)).toBe(1);
    expect(new DigestMap<number>([]).size).toBe(0);
    expect(new DigestMap<number>([]).get(a)).toBeUndefined();
    expect(() => new DigestMap([{ value: 1, digests: Buffer.alloc(31) }])).toThrow(
      'multiple of 32',
    );
    expect(() => DigestMap.fromEntries([['abc', 1]])).toThrow("'abc' is not a sha256");
  });

  it('is built as results come, through its growth, to what fromEntries gives', () => {
    const labels = [{ rows: 1 }, { rows: 2 }];
    const entries = Array.from({ length: 3000 }, (_, i): [string, object] => [
      sha(`file ${i}`),
      i % 7 === 0 ? labels[i % 2]! : labels[0]!,
    ]);
    const builder = new DigestMapBuilder<object>();
    for (const [key, value] of entries) builder.set(key, value);
    builder.set(entries[1]![0], labels[1]!); // the same content again: its first result stays
    const built = builder.done();
    expect(built.size).toBe(3000);
    expect(new Map(built)).toEqual(new Map(DigestMap.fromEntries(entries)));
    expect(built.get(entries[1]![0])).toBe(labels[0]);
    expect(() => builder.set('F'.repeat(64), labels[0]!)).toThrow('is not a sha256');
  });
});
