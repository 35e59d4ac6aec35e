// The validation cache: a label whose content hash has a clean result under the same key is not
// parsed again (proved with a planted result that differs from what parsing would give), and any
// change of content, rules version or settings brings back a real check.
import { describe, it, expect, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ContentHashes } from '../../src/content-hashes.js';
import { inspectDataset } from '../../src/dataset/validate.js';
import {
  CleanLabels,
  groupResults,
  validationCacheOf,
  validationCacheKey,
  VALIDATION_RULES_VERSION,
  type ValidationCache,
} from '../../src/dataset/validation-cache.js';
import { hashFileSync } from '../../src/hash.js';
import { BlobRecords } from '../../src/dataset/git-files.js';
import { decodeSyncCache, encodeSyncCache } from '../../src/dataset/sync-cache.js';

/** A cache through its stored form (inside the sync cache) and back. */
const throughStore = (cache: ValidationCache) =>
  decodeSyncCache(encodeSyncCache({ validation: cache, gitBlobs: new BlobRecords() }))!.validation!;
import { basicDataset, removeDir, tempDir, writeTree } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});
async function dataset(): Promise<string> {
  const dir = await tempDir('yolo-vcache-');
  dirs.push(dir);
  await writeTree(dir, basicDataset());
  return dir;
}

const LABEL = 'labels/val/v1.txt'; // one room (class 0)
const settings = { task: 'detect' as const, names: ['room', 'door'], maxFindingsPerFile: 20 };
const valRooms = async (dir: string, cache?: ValidationCache, known?: ContentHashes) => {
  const inspection = await inspectDataset(dir, {
    ...(cache ? { cache } : {}),
    ...(known ? { knownHashes: known } : {}),
  });
  const val = inspection.report.splits.find((s) => s.split === 'val')!;
  return { inspection, rooms: val.classes[0]!.instances, errors: inspection.report.errors };
};

/** The first run's cache with v1.txt's result replaced by 7 rooms, which parsing never gives. */
async function plantedCache(dir: string, key = validationCacheKey(settings)) {
  const first = await inspectDataset(dir);
  expect(first.cache!.key).toBe(validationCacheKey(settings));
  const sha = hashFileSync(path.join(dir, LABEL)).sha256;
  expect(first.cache!.results.get(sha)).toEqual({
    kind: 'label',
    rows: 1,
    instances: [[0, 1]],
    segments: false,
  });
  const results = new Map(first.cache!.results);
  results.set(sha, { kind: 'label', rows: 7, instances: [[0, 7]], segments: false });
  return { key, results };
}

describe('validation cache', () => {
  it('takes a cached label result instead of parsing the file again', async () => {
    const dir = await dataset();
    expect((await valRooms(dir)).rooms).toBe(1);
    const { rooms, inspection } = await valRooms(dir, await plantedCache(dir));
    expect(rooms).toBe(7);
    // The result is carried into this run's cache for the next one.
    expect(inspection.cache!.results.size).toBeGreaterThan(0);
  });

  it('re-validates a changed label: a bad class id is reported although the old content was clean', async () => {
    const dir = await dataset();
    const cache = await plantedCache(dir);
    await writeFile(path.join(dir, LABEL), '5 0.5 0.5 0.5 0.5\n');
    const { errors, inspection } = await valRooms(dir, cache);
    expect(inspection.report.findings.some((f) => f.file.endsWith('v1.txt'))).toBe(true);
    expect(errors + inspection.report.summary.dropped).toBeGreaterThan(0);
  });

  it('ignores a cache made under another rules version or class count', async () => {
    const dir = await dataset();
    const otherRules = validationCacheKey(settings, VALIDATION_RULES_VERSION + 1);
    expect(otherRules).not.toBe(validationCacheKey(settings));
    expect((await valRooms(dir, await plantedCache(dir, otherRules))).rooms).toBe(1);
    const threeClasses = validationCacheKey({ ...settings, names: ['room', 'door', 'x'] });
    expect((await valRooms(dir, await plantedCache(dir, threeClasses))).rooms).toBe(1);
    for (const changed of [
      { ...settings, task: 'segment' as const },
      { ...settings, names: ['room', 'window'] },
      { ...settings, kptShape: [17, 3] as [number, number] },
      { ...settings, maxFindingsPerFile: 5 },
    ]) {
      expect(validationCacheKey(changed)).not.toBe(validationCacheKey(settings));
    }
  });

  it('does not read a file whose hash git gave and whose result is cached', async () => {
    const dir = await dataset();
    const cache = await plantedCache(dir);
    // A hash no read of the file could produce: only the given one can find the planted result.
    const fake = 'f'.repeat(64);
    cache.results.set(fake, { kind: 'label', rows: 9, instances: [[0, 9]], segments: false });
    const known = new ContentHashes().set(path.join(dir, LABEL), { sha256: fake, size: 3 });
    const { rooms, inspection } = await valRooms(dir, cache, known);
    expect(rooms).toBe(9);
    expect(inspection.hashes.get(path.join(dir, LABEL))).toEqual({ sha256: fake, size: 3 });
  });

  it('round-trips through its stored form and drops malformed entries', async () => {
    const dir = await dataset();
    const cache = (await inspectDataset(dir)).cache!;
    const back = throughStore(cache);
    expect(back.key).toBe(cache.key);
    expect(new Map(back.results)).toEqual(new Map(cache.results));
    for (const [sha, result] of cache.results) expect(back.results.get(sha)).toEqual(result);
    expect(back.results.get('0'.repeat(64))).toBeUndefined();

    const size = cache.results.size;
    const groups: { result: unknown; digests: Buffer }[] = groupResults(cache);
    const digests = (...hexes: string[]) => Buffer.from(hexes.join(''), 'hex');
    groups.push({ result: { kind: 'label', rows: 'x' }, digests: digests('a'.repeat(64)) });
    groups.push({ result: { kind: 'image' }, digests: digests('b'.repeat(64)).subarray(1) });
    expect(validationCacheOf(cache.key, groups)!.results.size).toBe(size);
    groups.push({ result: { kind: 'image' }, digests: digests('c'.repeat(64), 'd'.repeat(64)) });
    expect(validationCacheOf(cache.key, groups)!.results.size).toBe(size + 2);
    expect(validationCacheOf('nope', [])).toBeUndefined();
  });

  it('holds one object per result shape, in the inspection and in a cache read back', async () => {
    const labels = new CleanLabels();
    const two = labels.of(2, [[0, 2]], false);
    expect(labels.of(2, [[0, 2]], false)).toBe(two);
    expect(two).toEqual({ kind: 'label', rows: 2, instances: [[0, 2]], segments: false });
    for (const other of [
      labels.of(2, [[1, 2]], false),
      labels.of(2, [[0, 2]], true),
      labels.of(3, [[0, 2]], false),
      labels.of(
        2,
        [
          [0, 1],
          [1, 1],
        ],
        false,
      ),
    ]) {
      expect(other).not.toBe(two);
    }

    const dir = await dataset();
    // Other bytes than v1.txt's, the same shape: one room.
    await writeFile(path.join(dir, 'labels/val/v2.txt'), '0 0.4 0.4 0.2 0.2\n');
    const cache = (await inspectDataset(dir)).cache!;
    const shapes = (c: ValidationCache) =>
      new Set([...c.results.values()].filter((r) => r.kind === 'label'));
    const read = throughStore(cache);
    expect(new Map(read.results)).toEqual(new Map(cache.results));
    expect([...cache.results.values()].filter((r) => r.kind === 'label')).toHaveLength(4);
    expect(shapes(cache).size).toBe(3);
    expect(shapes(read).size).toBe(3);
    expect(new Set([...read.results.values()].filter((r) => r.kind === 'image')).size).toBe(1);
  });
});
