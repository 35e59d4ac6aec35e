// The sync cache's stored form and when a run writes it: what a sync leaves for the next.
import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ContentHashes } from '../../src/content-hashes.js';
import { BlobRecords } from '../../src/dataset/git-files.js';
import { decodeSyncCache, encodeSyncCache, type SyncCache } from '../../src/dataset/sync-cache.js';
import { cacheNeedsStoring, type SyncShortcuts } from '../../src/dataset/sync-shortcuts.js';
import { CLEAN_IMAGE, CleanLabels, type CachedResult } from '../../src/dataset/validation-cache.js';

const sha = (c: string) => c.repeat(64);
const blob = (c: string) => c.repeat(40);
const FP = sha('f');

function cache(blobs: string[], results: string[] = [], key = sha('c')): SyncCache {
  return {
    validation: { key, results: new Map(results.map((r) => [r, { kind: 'image' as const }])) },
    gitBlobs: new BlobRecords(blobs.map((b) => [b, { sha256: sha('1'), size: 3 }])),
  };
}

/** Stored bytes made by hand: a header line, then the sections it announces. */
const raw = (header: unknown, ...sections: Buffer[]) =>
  Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), ...sections]);
const hexBytes = (...hexes: string[]) => Buffer.from(hexes.join(''), 'hex');
const float64s = (...values: number[]) => {
  const out = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => out.writeDoubleLE(v, i * 8));
  return out;
};

describe('sync cache form', () => {
  it('round-trips validation results and blob records alike', () => {
    const c = cache([blob('a'), blob('b')], [sha('2'), sha('3')]);
    const back = decodeSyncCache(encodeSyncCache(c))!;
    expect([...back.gitBlobs]).toEqual([...c.gitBlobs]);
    // Records made as they go (a sync's own, never gathered in a map) are stored alike.
    const asMade = { ...c, gitBlobs: { [Symbol.iterator]: () => c.gitBlobs.entries() } };
    expect(encodeSyncCache(asMade)).toEqual(encodeSyncCache(c));
    expect(back.validation!.key).toBe(c.validation!.key);
    expect(new Map(back.validation!.results)).toEqual(c.validation!.results);
    const sha256Repo = cache([sha('a'), sha('b')]);
    expect([...decodeSyncCache(encodeSyncCache(sha256Repo))!.gitBlobs]).toEqual([
      ...sha256Repo.gitBlobs,
    ]);
    // One repository has one object format: ids of two widths are never written.
    expect(decodeSyncCache(encodeSyncCache(cache([blob('a'), sha('b')])))!.gitBlobs.size).toBe(0);
    const bare = decodeSyncCache(encodeSyncCache({ gitBlobs: new BlobRecords() }))!;
    expect(bare.validation).toBeUndefined();
    expect(bare.gitBlobs.size).toBe(0);
  });

  it('stores raw bytes at 50k-file sizes: a header line, digests, ids, sha256s, sizes', () => {
    const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    const labels = new CleanLabels();
    const results = new Map<string, CachedResult>();
    for (let i = 0; i < 50_000; i++) {
      results.set(hex(i), i % 2 ? CLEAN_IMAGE : labels.of(1 + (i % 3), [[0, 1 + (i % 3)]], false));
    }
    const gitBlobs = new BlobRecords(
      Array.from({ length: 50_000 }, (_, i) => [hex(-i).slice(0, 40), { sha256: hex(i), size: i }]),
    );
    const c: SyncCache = { validation: { key: sha('c'), results }, gitBlobs };
    const encoded = encodeSyncCache(c);
    const eol = encoded.indexOf(0x0a);
    const header = JSON.parse(encoded.toString('utf8', 0, eol)) as {
      version: number;
      validation: { groups: { result: CachedResult; count: number }[] };
    };
    expect(header).toMatchObject({ version: 5, gitBlobs: { count: 50_000, idBytes: 20 } });
    // Four shapes (the image and three label shapes), each once, with its digests' count.
    expect(header.validation.groups.map((g) => g.count).sort()).toEqual(
      [25_000, 8334, 8333, 8333].sort(),
    );
    // Nothing but the header and the raw bytes: 32 per result, 20 + 32 + 8 per blob record.
    expect(encoded.length).toBe(eol + 1 + 50_000 * 32 + 50_000 * 60);
    const records = [...gitBlobs];
    const sections = encoded.subarray(eol + 1 + 50_000 * 32);
    expect(sections.subarray(0, 20).toString('hex')).toBe(records[0]![0]);
    expect(sections.subarray(50_000 * 20, 50_000 * 20 + 32).toString('hex')).toBe(
      records[0]![1].sha256,
    );
    expect(sections.readDoubleLE(50_000 * 52 + 8 * 7)).toBe(7);
    const back = decodeSyncCache(encoded)!;
    expect([...back.gitBlobs]).toEqual(records);
    expect(new Map(back.validation!.results)).toEqual(results);
  });

  it('drops a record with a bad size or a malformed group, all of a cache cut short', () => {
    const head = (count: number, extra: object = {}) => ({
      version: 5,
      gitBlobs: { count, idBytes: 20 },
      ...extra,
    });
    const ids = hexBytes(blob('a'), blob('b'), blob('c'));
    const shas = hexBytes(sha('1'), sha('2'), sha('3'));
    expect([...decodeSyncCache(raw(head(3), ids, shas, float64s(3, -1, 5)))!.gitBlobs]).toEqual([
      [blob('a'), { sha256: sha('1'), size: 3 }],
      [blob('c'), { sha256: sha('3'), size: 5 }],
    ]);
    expect([
      ...decodeSyncCache(raw(head(3), ids, shas, float64s(1.5, NaN, 2 ** 60)))!.gitBlobs,
    ]).toEqual([]);
    const validation = {
      key: sha('c'),
      groups: [
        { result: { kind: 'label', rows: 'x' }, count: 1 },
        { result: { kind: 'image' }, count: 2 },
      ],
    };
    const read = decodeSyncCache(
      raw(head(0, { validation }), hexBytes(sha('a'), sha('b'), sha('d'))),
    )!;
    expect([...read.validation!.results]).toEqual([
      [sha('b'), CLEAN_IMAGE],
      [sha('d'), CLEAN_IMAGE],
    ]);
    const whole = raw(head(3), ids, shas, float64s(3, 4, 5));
    expect(decodeSyncCache(whole)!.gitBlobs.size).toBe(3);
    for (const bad of [
      whole.subarray(0, whole.length - 1), // cut short
      Buffer.concat([whole, Buffer.from([0])]), // a byte more than the header says
      raw({ ...head(3), version: 4 }, ids, shas, float64s(3, 4, 5)),
      raw({ ...head(3), gitBlobs: { count: 3, idBytes: 21 } }, ids, shas, float64s(3, 4, 5)),
      raw(head(0, { validation: { key: sha('c'), groups: [{ count: -1 }] } })),
      raw(head(0, { validation: { key: 'nope', groups: [] } })).subarray(0, 10), // no header line
      gzipSync(JSON.stringify({ version: 4, gitBlobs: { ids: '', sha256s: '', sizes: [] } })),
      Buffer.alloc(0),
    ]) {
      expect(decodeSyncCache(bad)).toBeUndefined();
    }
    // A bad validation key drops the results only.
    const badKey = decodeSyncCache(
      raw(head(3, { validation: { key: 'nope', groups: [] } }), ids, shas, float64s(3, 4, 5)),
    )!;
    expect(badKey.validation).toBeUndefined();
    expect(badKey.gitBlobs.size).toBe(3);
  });
});

describe('when a sync writes its cache', () => {
  const shortcuts = (stored?: SyncCache): SyncShortcuts => ({
    knownHashes: new ContentHashes(),
    fromGit: 0,
    inGit: true,
    ...(stored ? { stored: { fingerprint: FP, cache: stored } } : {}),
  });

  it('beside a new snapshot, or when none was read', () => {
    expect(cacheNeedsStoring(shortcuts(), FP, cache([]))).toBe(true);
    expect(cacheNeedsStoring(shortcuts(cache([blob('a')])), sha('0'), cache([blob('a')]))).toBe(
      true,
    );
  });

  it('not on a plain no-op, but when the no-op learned a blob or a verdict', () => {
    const read = cache([blob('a')], [sha('2')]);
    expect(cacheNeedsStoring(shortcuts(read), FP, cache([blob('a')], [sha('2')]))).toBe(false);
    // A file committed since the last sync (same content, so the same snapshot): its blob is new.
    expect(cacheNeedsStoring(shortcuts(read), FP, cache([blob('a'), blob('b')], [sha('2')]))).toBe(
      true,
    );
    expect(cacheNeedsStoring(shortcuts(read), FP, cache([blob('a')], [sha('2'), sha('3')]))).toBe(
      true,
    );
    // Other rules or settings: the verdicts are new.
    expect(cacheNeedsStoring(shortcuts(read), FP, cache([blob('a')], [sha('2')], sha('d')))).toBe(
      true,
    );
  });
});
