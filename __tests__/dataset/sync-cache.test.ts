// The sync cache's stored form and when a run writes it: what a sync leaves for the next.
import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeSyncCache, encodeSyncCache, type SyncCache } from '../../src/dataset/sync-cache.js';
import { cacheNeedsStoring, type SyncShortcuts } from '../../src/dataset/sync-shortcuts.js';
import {
  CLEAN_IMAGE,
  CleanLabels,
  serializeValidationCache,
  type CachedResult,
} from '../../src/dataset/validation-cache.js';

const sha = (c: string) => c.repeat(64);
const blob = (c: string) => c.repeat(40);
const FP = sha('f');

function cache(blobs: string[], results: string[] = [], key = sha('c')): SyncCache {
  return {
    validation: { key, results: new Map(results.map((r) => [r, { kind: 'image' as const }])) },
    gitBlobs: new Map(blobs.map((b) => [b, { sha256: sha('1'), size: 3 }])),
  };
}

describe('sync cache form', () => {
  it('round-trips through gzip, validation results and blob records alike', () => {
    const c = cache([blob('a'), 'b'.repeat(64)], [sha('2'), sha('3')]);
    const back = decodeSyncCache(encodeSyncCache(c))!;
    expect(back.gitBlobs).toEqual(c.gitBlobs);
    expect(back.validation!.key).toBe(c.validation!.key);
    expect(new Map(back.validation!.results)).toEqual(c.validation!.results);
  });

  it('writes, at 50k-file sizes too, exactly the JSON of the whole form (in gzip members)', () => {
    const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    const labels = new CleanLabels();
    const results = new Map<string, CachedResult>();
    for (let i = 0; i < 6000; i++) {
      results.set(hex(i), i % 2 ? CLEAN_IMAGE : labels.of(1 + (i % 3), [[0, 1 + (i % 3)]], false));
    }
    const gitBlobs = new Map(
      Array.from({ length: 3000 }, (_, i) => [hex(-i).slice(0, 40), { sha256: hex(i), size: i }]),
    );
    const c: SyncCache = { validation: { key: sha('c'), results }, gitBlobs };
    const encoded = encodeSyncCache(c);
    const whole = JSON.stringify({
      version: 3,
      validation: serializeValidationCache(c.validation!),
      gitBlobs: Object.fromEntries([...gitBlobs].map(([b, f]) => [b, [f.sha256, f.size]])),
    });
    expect(gunzipSync(encoded).toString('utf8')).toBe(whole);
    expect(encoded.toString('hex').split('1f8b08').length - 1).toBeGreaterThan(3);
    const back = decodeSyncCache(encoded)!;
    expect(back.gitBlobs).toEqual(gitBlobs);
    expect(new Map(back.validation!.results)).toEqual(results);
  });

  it('drops malformed records and refuses other versions or bytes', () => {
    const stored = {
      version: 3,
      gitBlobs: {
        [blob('a')]: [sha('1'), 3],
        nothex: [sha('1'), 3],
        [blob('b')]: ['short', 3],
        [blob('c')]: [sha('1'), -1],
        [blob('d')]: [sha('1')],
      },
    };
    const decoded = decodeSyncCache(gzipSync(JSON.stringify(stored)));
    expect([...decoded!.gitBlobs.keys()]).toEqual([blob('a')]);
    expect(decodeSyncCache(gzipSync(JSON.stringify({ ...stored, version: 2 })))).toBeUndefined();
    expect(decodeSyncCache(Buffer.from('{"version":3}'))).toBeUndefined();
  });
});

describe('when a sync writes its cache', () => {
  const shortcuts = (stored?: SyncCache): SyncShortcuts => ({
    knownHashes: new Map(),
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
