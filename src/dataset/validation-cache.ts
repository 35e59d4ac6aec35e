// Validation results by content hash, so that a file whose bytes were already judged under the
// same rules and settings is not parsed again (issue 16). Only clean results are kept: a file with
// any finding is always re-checked, so its findings (with their lines and paths) are reported
// fresh. The key holds everything that changes a verdict; a different key empties the cache.
import { sha256Hex } from '../hash.js';
import { DigestMap, DigestMapBuilder, type DigestGroup } from './digest-map.js';
import type { YoloTask } from '../task.js';
import { canonicalJson } from './snapshot.js';
/** Bump whenever labels.ts or images.ts judge anything differently. */
export const VALIDATION_RULES_VERSION = 1;

/** A label file ultralytics keeps whole: what it adds to the split's tally. */
export interface CleanLabel {
  kind: 'label';
  rows: number;
  /** [class id, kept rows] pairs. */
  instances: [number, number][];
  segments: boolean;
}

/** An image with no finding. */
export interface CleanImage {
  kind: 'image';
}

export type CachedResult = CleanLabel | CleanImage;

/** The result every clean image shares: one object, not one per image. */
export const CLEAN_IMAGE: CleanImage = { kind: 'image' };

/** One string per distinct clean result: what CleanLabels shares by and the stored form groups by. */
function labelShape(
  rows: number,
  instances: readonly (readonly [number, number])[],
  segments: boolean,
): string {
  return `${rows} ${segments ? 's' : 'b'} ${instances.join(' ')}`;
}
const shapeOf = (r: CachedResult) =>
  r.kind === 'image' ? 'image' : labelShape(r.rows, r.instances, r.segments);

/**
 * Clean label results shared by value. Label files repeat a few shapes (a floor plan holds 1-12
 * rooms of one class), so at 50k files a handful of objects stand for 25k results where each
 * result held three (the object, its instances and a pair): about 3 MB of a sync's heap.
 */
export class CleanLabels {
  private readonly byShape = new Map<string, CleanLabel>();

  of(
    rows: number,
    instances: readonly (readonly [number, number])[],
    segments: boolean,
  ): CleanLabel {
    const key = labelShape(rows, instances, segments);
    let label = this.byShape.get(key);
    if (!label) {
      label = { kind: 'label', rows, instances: instances.map(([id, n]) => [id, n]), segments };
      this.byShape.set(key, label);
    }
    return label;
  }
}

export interface ValidationSettings {
  task: YoloTask;
  names: readonly string[];
  kptShape?: readonly [number, number];
  maxFindingsPerFile: number;
}

/** The cache key: rules version and every setting a verdict depends on. */
export function validationCacheKey(
  settings: ValidationSettings,
  rules: number = VALIDATION_RULES_VERSION,
): string {
  return sha256Hex(
    canonicalJson({
      rules,
      task: settings.task,
      names: [...settings.names],
      kptShape: settings.kptShape ? [...settings.kptShape] : null,
      maxFindingsPerFile: settings.maxFindingsPerFile,
    }),
  );
}

export interface ValidationCache {
  key: string;
  /** sha256 of the file's content -> its clean result (packed in a cache read back). */
  results: ReadonlyMap<string, CachedResult>;
}

/** The previous results that apply under `key`: none when the rules or settings differ. */
export function usableResults(
  previous: ValidationCache | undefined,
  key: string,
): ReadonlyMap<string, CachedResult> {
  return previous && previous.key === key ? previous.results : new Map();
}

const SHA256 = /^[0-9a-f]{64}$/;
const DIGEST_BYTES = 32;

/** Clean results that share one shape, with the sha256s they hold for as bytes (32 each). */
export interface ResultGroup<R = CachedResult> {
  result: R;
  digests: Buffer;
}

/** The results grouped by shape, for the stored form (sync-cache.ts): each shape once. */
export function groupResults(cache: ValidationCache): ResultGroup[] {
  const resultOf = new Map<string, CachedResult>();
  const digests = new DigestMapBuilder<string>();
  for (const [sha, result] of cache.results) {
    const shape = shapeOf(result);
    if (!resultOf.has(shape)) resultOf.set(shape, result);
    digests.set(sha, shape);
  }
  return digests.grouped().map((g) => ({ result: resultOf.get(g.value)!, digests: g.digests }));
}

/** A stored result, checked; undefined when malformed. */
function parseResult(value: unknown, labels: CleanLabels): CachedResult | undefined {
  const result = value as (Partial<Omit<CleanLabel, 'kind'>> & { kind?: string }) | null;
  if (result?.kind === 'image') return CLEAN_IMAGE;
  if (
    result?.kind === 'label' &&
    Number.isSafeInteger(result.rows) &&
    typeof result.segments === 'boolean' &&
    Array.isArray(result.instances) &&
    result.instances.every(
      (p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isSafeInteger(n)),
    )
  ) {
    return labels.of(result.rows!, result.instances, result.segments);
  }
  return undefined;
}

/**
 * A cache from its stored groups (sync-cache.ts); a group whose result is malformed or whose
 * digests are not whole is dropped (its files are then re-checked). Undefined for a bad key.
 */
export function validationCacheOf(
  key: unknown,
  stored: readonly ResultGroup<unknown>[],
): ValidationCache | undefined {
  if (typeof key !== 'string' || !SHA256.test(key)) return undefined;
  const labels = new CleanLabels();
  const groups: DigestGroup<CachedResult>[] = [];
  for (const g of stored) {
    const result = parseResult(g.result, labels);
    if (!result || g.digests.length % DIGEST_BYTES !== 0) continue;
    groups.push({ value: result, digests: g.digests });
  }
  return { key, results: new DigestMap(groups) };
}
