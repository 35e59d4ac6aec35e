// What one sync leaves for the next, stored gzipped beside its snapshot (action-only, not part of
// the container contract): the clean validation results by content hash, and git blob id ->
// sha256 of the files it hashed. The next sync of the branch (or of a PR against it) reads it
// once: files git vouches for are not read, files already judged are not parsed (issue 16).
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { gzipMembers } from '../gzip-members.js';
import { branchFingerprint, type BranchTarget } from './branches.js';
import { datasetKeys } from './keys.js';
import { BlobRecords } from './git-files.js';
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
  gitBlobs: BlobRecords;
}

// 3: validation results grouped by result, their sha256s as one hex string each.
// 4: the blob records as three columns (blob ids, sha256s, sizes): parsed as a 50k-key object of
// [sha256, size] pairs, a 50k-file no-op in git peaked about 12 MiB higher.
const VERSION = 4;
const HEX = /^[0-9a-f]*$/;
/** A stored cache bigger than this once unpacked is not read (a 50k-file one is ~4 MB outside git). */
const MAX_UNPACKED = 256 * 1024 * 1024;
/** Records per piece of a column's text. */
const PIECE = 1024;

/** The stored bytes: gzipped JSON (gzip-members.ts), the blob records in columns. */
export function encodeSyncCache(cache: SyncCache): Buffer {
  return gzipMembers(syncCacheJsonPieces(cache));
}

/**
 * The JSON of the stored form, `{version, validation?, gitBlobs: {ids, sha256s, sizes}}`, in
 * pieces: at 50k files its hex (3.3 MB outside git, about 8 MB in git) is never held whole.
 */
function* syncCacheJsonPieces(cache: SyncCache): Generator<string> {
  yield `{"version":${VERSION},`;
  if (cache.validation) {
    yield '"validation":';
    yield* validationCacheJsonPieces(cache.validation);
    yield ',';
  }
  // Blob ids and sha256s are plain hex: nothing in them needs escaping.
  yield '"gitBlobs":{"ids":"';
  yield* column(cache.gitBlobs, (blob) => blob, '');
  yield '","sha256s":"';
  yield* column(cache.gitBlobs, (_, file) => file.sha256, '');
  yield '","sizes":[';
  yield* column(cache.gitBlobs, (_, file) => String(file.size), ',');
  yield ']}}';
}

/** One field of every record, joined by `separator`, PIECE records a piece. */
function* column(
  records: BlobRecords,
  field: (blob: string, file: SnapshotFile) => string,
  separator: string,
): Generator<string> {
  let piece: string[] = [];
  let lead = '';
  for (const [blob, file] of records) {
    piece.push(field(blob, file));
    if (piece.length === PIECE) {
      yield lead + piece.join(separator);
      lead = separator;
      piece = [];
    }
  }
  if (piece.length > 0) yield lead + piece.join(separator);
}

/** The blob records of the stored columns; a malformed set of columns gives none. */
function blobRecordsOf(value: unknown): BlobRecords {
  const records = new BlobRecords();
  const v = value as { ids?: unknown; sha256s?: unknown; sizes?: unknown } | null;
  if (!v || typeof v.ids !== 'string' || typeof v.sha256s !== 'string' || !Array.isArray(v.sizes)) {
    return records;
  }
  const { ids, sha256s, sizes } = v as { ids: string; sha256s: string; sizes: unknown[] };
  const count = sizes.length;
  const width = count === 0 ? 40 : ids.length / count;
  if (
    (width !== 40 && width !== 64) ||
    sha256s.length !== 64 * count ||
    !HEX.test(ids) ||
    !HEX.test(sha256s)
  ) {
    return records;
  }
  for (let i = 0; i < count; i++) {
    const size = sizes[i];
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) continue;
    records.set(ids.slice(i * width, (i + 1) * width), {
      sha256: sha256s.slice(i * 64, (i + 1) * 64),
      size,
    });
  }
  return records;
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
  const gitBlobs = blobRecordsOf(value.gitBlobs);
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
