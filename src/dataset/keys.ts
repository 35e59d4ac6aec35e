// The S3 layout of DESIGN.md ("S3 layout"), in one place. Pure.
import { bucketNameProblem } from '../s3.js';

/** The trimmed bucket name, or an error naming the input, the value and the rule it breaks. */
export function checkBucketName(bucket: string, input = 'bucket'): string {
  const b = bucket.trim();
  const rule = bucketNameProblem(b);
  if (rule) throw new Error(`${input} '${bucket}' is not a valid S3 bucket name: it ${rule}`);
  return b;
}

/** Trims slashes; '' is allowed (keys then start at the bucket root). */
export function normalizePrefix(prefix: string, input = 'prefix'): string {
  const p = prefix.trim().replace(/^\/+|\/+$/g, '');
  if (p.split('/').some((part) => part === '' || part === '.' || part === '..') && p !== '') {
    throw new Error(`${input} '${prefix}' must not contain empty, '.' or '..' path segments`);
  }
  return p;
}

export interface DatasetKeys {
  objectsPrefix: string;
  object(sha256: string): string;
  snapshot(fingerprint: string): string;
  manifest(fingerprint: string): string;
  /** Per-class counts beside a snapshot (not part of the snapshot contract; used for diffs). */
  stats(fingerprint: string): string;
  branch(branch: string): string;
}

export function datasetKeys(prefix: string): DatasetKeys {
  const p = normalizePrefix(prefix);
  const base = p === '' ? 'datasets' : `${p}/datasets`;
  return {
    objectsPrefix: `${base}/objects/`,
    object: (sha) => `${base}/objects/${sha}`,
    snapshot: (fp) => `${base}/snapshots/${fp}.json`,
    manifest: (fp) => `${base}/snapshots/${fp}.manifest`,
    stats: (fp) => `${base}/snapshots/${fp}.stats.json`,
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
