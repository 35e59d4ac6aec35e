// What one sync leaves for the next, stored gzipped beside its snapshot (action-only, not part of
// the container contract): the clean validation results by content hash, and git blob id ->
// sha256 of the files it hashed. The next sync of the branch (or of a PR against it) reads it
// once: files git vouches for are not read, files already judged are not parsed (issue 16).
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gzipMembers } from '../gzip-members.js';
import { branchFingerprint, type BranchTarget } from './branches.js';
import { datasetKeys } from './keys.js';
import type { SnapshotFile } from './snapshot.js';
import { getObjectBytes } from './stored-snapshot.js';
import {
  parseValidationCache,
  validationCacheJsonPieces,
  type ValidationCache,
} from './validation-cache.js';

export interface SyncCache {
  validation?: ValidationCache;
  /** git blob id -> the sha256 and size of its content. */
  gitBlobs: Map<string, SnapshotFile>;
}

// 3: validation results grouped by result, their sha256s as one hex string each.
const VERSION = 3;
const SHA256 = /^[0-9a-f]{64}$/;
const BLOB_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** A stored cache bigger than this once unpacked is not read (a 50k-file one is ~4 MB outside git). */
const MAX_UNPACKED = 256 * 1024 * 1024;

/** The stored bytes: gzipped JSON (`gitBlobs` as blob -> [sha256, size], the compact form). */
export function encodeSyncCache(cache: SyncCache): Buffer {
  return gzipMembers(syncCacheJsonPieces(cache));
}

/**
 * The JSON of the stored form, `{version, validation?, gitBlobs}`, in pieces (gzip-members.ts):
 * at 50k files its hex (3.3 MB outside git, about twice that in git) is never held whole.
 */
function* syncCacheJsonPieces(cache: SyncCache): Generator<string> {
  yield `{"version":${VERSION},`;
  if (cache.validation) {
    yield '"validation":';
    yield* validationCacheJsonPieces(cache.validation);
    yield ',';
  }
  yield '"gitBlobs":{';
  let first = true;
  for (const [blob, f] of cache.gitBlobs) {
    yield `${first ? '' : ','}${JSON.stringify(blob)}:[${JSON.stringify(f.sha256)},${f.size}]`;
    first = false;
  }
  yield '}}';
}

/** Reads the stored bytes back; undefined when they are not a cache of this version. */
export function decodeSyncCache(bytes: Uint8Array): SyncCache | undefined {
  let value: { version?: unknown; validation?: unknown; gitBlobs?: unknown } | null;
  try {
    value = JSON.parse(gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED }).toString('utf8'));
  } catch {
    return undefined;
  }
  if (!value || value.version !== VERSION) return undefined;
  const gitBlobs = new Map<string, SnapshotFile>();
  if (value.gitBlobs && typeof value.gitBlobs === 'object') {
    for (const [blob, entry] of Object.entries(value.gitBlobs as Record<string, unknown>)) {
      if (!BLOB_ID.test(blob) || !Array.isArray(entry) || entry.length !== 2) continue;
      const [sha256, size] = entry as [unknown, unknown];
      if (typeof sha256 !== 'string' || !SHA256.test(sha256)) continue;
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) continue;
      gitBlobs.set(blob, { sha256, size });
    }
  }
  const validation = value.validation ? parseValidationCache(value.validation) : undefined;
  return { ...(validation ? { validation } : {}), gitBlobs };
}

/** Stores an encoded cache (encodeSyncCache) beside the snapshot `fingerprint`. */
export async function storeSyncCache(
  s3: S3Client,
  target: { bucket: string; prefix: string; fingerprint: string; encoded: Uint8Array },
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: datasetKeys(target.prefix).syncCache(target.fingerprint),
      Body: target.encoded,
      ContentType: 'application/gzip',
    }),
  );
}

/**
 * The cache stored beside the branch's last snapshot, with that snapshot's fingerprint: undefined
 * when there is none (no snapshot yet, one synced before the cache existed, or a damaged object:
 * every file is then read and checked).
 */
export async function loadBranchSyncCache(
  s3: S3Client,
  target: BranchTarget,
): Promise<{ fingerprint: string; cache: SyncCache } | undefined> {
  const fingerprint = await branchFingerprint(s3, target);
  if (fingerprint === undefined) return undefined;
  const bytes = await getObjectBytes(
    s3,
    target.bucket,
    datasetKeys(target.prefix).syncCache(fingerprint),
  );
  const cache = bytes && decodeSyncCache(bytes);
  return cache ? { fingerprint, cache } : undefined;
}
