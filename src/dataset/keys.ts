// The S3 layout of DESIGN.md ("S3 layout"), in one place. Pure.
import { bucketNameProblem } from '../s3.js';

/** The trimmed bucket name, or an error naming the input, the value and the rule it breaks. */
export function checkBucketName(bucket: string, input = 'bucket'): string {
  const b = bucket.trim();
  const rule = bucketNameProblem(b);
  if (rule) throw new Error(`${input} '${bucket}' is not a valid S3 bucket name: it ${rule}`);
  return b;
}

const PREFIX_CHARS = /^[A-Za-z0-9!_.*'()/-]+$/;

/**
 * The rule a key prefix breaks, or undefined when it is fine. The one prefix rule: the action's
 * `prefix` input (config.ts) and `sync --prefix` both use it, so data synced by one is found by the
 * other. Pure; the caller trims.
 */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix === '') return 'must not be empty';
  if (prefix.startsWith('/') || prefix.endsWith('/')) return 'must not start or end with a slash';
  if (prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    return 'must not contain empty, "." or ".." path segments';
  }
  if (!PREFIX_CHARS.test(prefix)) {
    return "may contain only letters, digits, /, !, -, _, ., *, ' and parentheses";
  }
  if (prefix.length > 512) return 'must be at most 512 characters';
  return undefined;
}

/** The trimmed prefix, or an error naming the input, the value and the rule it breaks. */
export function checkPrefix(prefix: string, input = 'prefix'): string {
  const p = prefix.trim();
  const rule = prefixProblem(p);
  if (rule) throw new Error(`${input} '${prefix}' ${rule}`);
  return p;
}

export interface DatasetKeys {
  objectsPrefix: string;
  object(sha256: string): string;
  /** Where a large blob is uploaded and checked before it is copied to its content key. */
  upload(id: string): string;
  /** The snapshot JSON, gzip'd: written last, its presence means the snapshot is complete. */
  snapshot(fingerprint: string): string;
  /** The plain snapshot JSON that syncs before issue 16 wrote: still read, never written. */
  plainSnapshot(fingerprint: string): string;
  manifest(fingerprint: string): string;
  /** Per-class counts beside a snapshot (not part of the snapshot contract; used for diffs). */
  stats(fingerprint: string): string;
  /** What a sync leaves for the next beside a snapshot (sync-cache.ts; action-only, not a contract). */
  syncCache(fingerprint: string): string;
  branch(branch: string): string;
}

export function datasetKeys(prefix: string): DatasetKeys {
  const base = `${checkPrefix(prefix)}/datasets`;
  return {
    objectsPrefix: `${base}/objects/`,
    object: (sha) => `${base}/objects/${sha}`,
    upload: (id) => `${base}/uploads/${id}`,
    snapshot: (fp) => `${base}/snapshots/${fp}.json.gz`,
    plainSnapshot: (fp) => `${base}/snapshots/${fp}.json`,
    manifest: (fp) => `${base}/snapshots/${fp}.manifest`,
    stats: (fp) => `${base}/snapshots/${fp}.stats.json`,
    syncCache: (fp) => `${base}/snapshots/${fp}.sync-cache`,
    branch: (b) => `${base}/branches/${encodeURIComponent(normalizeBranch(b))}.json`,
  };
}

/** 'refs/heads/main' -> 'main'; refuses empty names. */
export function normalizeBranch(branch: string): string {
  const b = branch.trim().replace(/^refs\/heads\//, '');
  if (b === '') throw new Error(`branch '${branch}' is empty`);
  return b;
}

export function s3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
