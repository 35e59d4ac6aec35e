// Validation results by content hash, so that a file whose bytes were already judged under the
// same rules and settings is not parsed again (issue 16). Only clean results are kept: a file with
// any finding is always re-checked, so its findings (with their lines and paths) are reported
// fresh. The key holds everything that changes a verdict; a different key empties the cache.
import { sha256Hex } from '../hash.js';
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
    const key = `${rows} ${segments ? 's' : 'b'} ${instances.join(' ')}`;
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
  /** sha256 of the file's content -> its clean result. */
  results: Map<string, CachedResult>;
}

/** The previous results that apply under `key`: none when the rules or settings differ. */
export function usableResults(
  previous: ValidationCache | undefined,
  key: string,
): ReadonlyMap<string, CachedResult> {
  return previous && previous.key === key ? previous.results : new Map();
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The stored form, for a sidecar beside the snapshot. */
export function serializeValidationCache(cache: ValidationCache): unknown {
  return { key: cache.key, results: Object.fromEntries(cache.results) };
}

/** Reads the stored form back; anything malformed is dropped (the file is then re-checked). */
export function parseValidationCache(value: unknown): ValidationCache | undefined {
  const v = value as { key?: unknown; results?: unknown } | null;
  if (!v || typeof v !== 'object' || typeof v.key !== 'string' || !SHA256.test(v.key)) {
    return undefined;
  }
  if (!v.results || typeof v.results !== 'object') return undefined;
  const results = new Map<string, CachedResult>();
  const labels = new CleanLabels();
  for (const [sha, r] of Object.entries(v.results as Record<string, unknown>)) {
    if (!SHA256.test(sha)) continue;
    const result = r as (Partial<Omit<CleanLabel, 'kind'>> & { kind?: string }) | null;
    if (result?.kind === 'image') results.set(sha, CLEAN_IMAGE);
    else if (
      result?.kind === 'label' &&
      Number.isSafeInteger(result.rows) &&
      typeof result.segments === 'boolean' &&
      Array.isArray(result.instances) &&
      result.instances.every(
        (p) => Array.isArray(p) && p.length === 2 && p.every((n) => Number.isSafeInteger(n)),
      )
    ) {
      results.set(sha, labels.of(result.rows!, result.instances, result.segments));
    }
  }
  return { key: v.key, results };
}
