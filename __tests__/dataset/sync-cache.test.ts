// The sync cache's stored form and when a run writes it: what a sync leaves for the next.
import { describe, it, expect } from '@jest/globals';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ContentHashes } from '../../src/content-hashes.js';
import { BlobRecords } from '../../src/dataset/git-files.js';
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
    gitBlobs: new BlobRecords(blobs.map((b) => [b, { sha256: sha('1'), size: 3 }])),
  };
}

describe('sync cache form', () => {
  it('round-trips through gzip, validation results and blob records alike', () => {
    const c = cache([blob('a'), blob('b')], [sha('2'), sha('3')]);
    const back = decodeSyncCache(encodeSyncCache(c))!;
    expect([...back.gitBlobs]).toEqual([...c.gitBlobs]);
    expect(back.validation!.key).toBe(c.validation!.key);
    expect(new Map(back.validation!.results)).toEqual(c.validation!.results);
    const sha256Repo = cache([sha('a'), sha('b')]);
    expect([...decodeSyncCache(encodeSyncCache(sha256Repo))!.gitBlobs]).toEqual([
      ...sha256Repo.gitBlobs,
    ]);
    // One repository has one object format: ids of two widths are never written, nor read.
    expect(decodeSyncCache(encodeSyncCache(cache([blob('a'), sha('b')])))!.gitBlobs.size).toBe(0);
  });

  it('writes, at 50k-file sizes too, exactly the JSON of the whole form (in gzip members)', () => {
    const hex = (i: number) => createHash('sha256').update(String(i)).digest('hex');
    const labels = new CleanLabels();
    const results = new Map<string, CachedResult>();
    for (let i = 0; i < 6000; i++) {
      results.set(hex(i), i % 2 ? CLEAN_IMAGE : labels.of(1 + (i % 3), [[0, 1 + (i % 3)]], false));
    }
    const gitBlobs = new BlobRecords(
      Array.from({ length: 3000 }, (_, i) => [hex(-i).slice(0, 40), { sha256: hex(i), size: i }]),
    );
    const c: SyncCache = { validation: { key: sha('c'), results }, gitBlobs };
    const encoded = encodeSyncCache(c);
    const records = [...gitBlobs];
    const whole = JSON.stringify({
      version: 4,
      validation: serializeValidationCache(c.validation!),
      gitBlobs: {
        ids: records.map(([b]) => b).join(''),
        sha256s: records.map(([, f]) => f.sha256).join(''),
        sizes: records.map(([, f]) => f.size),
      },
    });
    expect(gunzipSync(encoded).toString('utf8')).toBe(whole);
    expect(encoded.toString('hex').split('1f8b08').length - 1).toBeGreaterThan(3);
    const back = decodeSyncCache(encoded)!;
    expect([...back.gitBlobs]).toEqual([...gitBlobs]);
    expect(new Map(back.validation!.results)).toEqual(results);
  });

  it('drops a record with a bad size, all of malformed columns, and other versions or bytes', () => {
    const columns = (ids: string, sha256s: string, sizes: unknown[]) => ({
      version: 4,
      gitBlobs: { ids, sha256s, sizes },
    });
    const read = (value: unknown) => decodeSyncCache(gzipSync(JSON.stringify(value)));
    const ids = blob('a') + blob('b') + blob('c');
    const shas = sha('1') + sha('2') + sha('3');
    expect([...read(columns(ids, shas, [3, -1, 5]))!.gitBlobs]).toEqual([
      [blob('a'), { sha256: sha('1'), size: 3 }],
      [blob('c'), { sha256: sha('3'), size: 5 }],
    ]);
    const sha256Repo = 'e'.repeat(64) + 'f'.repeat(64);
    expect([...read(columns(sha256Repo, sha('1') + sha('2'), [1, 2]))!.gitBlobs.keys()]).toEqual([
      'e'.repeat(64),
      'f'.repeat(64),
    ]);
    for (const bad of [
      columns(ids.slice(1), shas, [3, 4, 5]), // ids of no width
      columns(ids, shas.slice(64), [3, 4, 5]), // a sha256 short
      columns(ids.toUpperCase(), shas, [3, 4, 5]),
      columns(ids, `${shas.slice(0, -1)}g`, [3, 4, 5]),
      { version: 4, gitBlobs: { [blob('a')]: [sha('1'), 3] } }, // version 3's form
    ]) {
      expect(read(bad)!.gitBlobs.size).toBe(0);
    }
    expect(read({ ...columns(ids, shas, [3, 4, 5]), version: 3 })).toBeUndefined();
    expect(decodeSyncCache(Buffer.from('{"version":4}'))).toBeUndefined();
  });
});

describe('when a sync writes its cache', () => {
  const shortcuts = (stored?: SyncCache): SyncShortcuts => ({
    knownHashes: new ContentHashes(),
    fromGit: 0,
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
