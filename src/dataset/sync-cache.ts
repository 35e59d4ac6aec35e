// What one sync leaves for the next, stored beside its snapshot (action-only, not part of the
// container contract): the clean validation results by content hash, and git blob id -> sha256
// of the files it hashed. The next sync of the branch (or of a PR against it) reads it once:
// files git vouches for are not read, files already judged are not parsed (issue 16).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { branchFingerprint, type BranchTarget } from './branches.js';
import { datasetKeys } from './keys.js';
import type { SnapshotFile } from './snapshot.js';
import { BlobRecords } from './git-files.js';
import { getObjectBytes } from './stored-snapshot.js';
import {
  groupResults,
  validationCacheOf,
  type ResultGroup,
  type ValidationCache,
} from './validation-cache.js';

export interface SyncCache {
  validation?: ValidationCache;
  /** git blob id -> the sha256 and size of its content. */
  gitBlobs: BlobRecords;
}

/** What a cache holds, as encodeSyncCache takes it: a SyncCache, or records made as they go. */
export interface SyncCacheContents {
  validation?: ValidationCache;
  /**
   * (blob id, content) records; iterated twice (counted, then written), so a sync writes its
   * records without building a map of them first.
   */
  gitBlobs: Iterable<readonly [blob: string, file: SnapshotFile]>;
}

// 4: gzipped JSON, the blob records as three hex columns.
// 5: binary: a line of JSON saying what follows, then the digests, blob ids, sha256s and sizes
// as raw bytes. Decoding version 4 at 50k files in git inflated 8.6 MB of text, made it one
// string and parsed that into more: tens of MiB at the start of every sync. The bytes are
// mostly sha256s and blob ids, which gzip cannot shrink, so the stored object is no larger.
const VERSION = 5;
const SHA256_BYTES = 32;
const SIZE_BYTES = 8;
/** The header line is read only from this many first bytes (a few KB in practice). */
const MAX_HEADER = 16 * 1024 * 1024;

/** The header line: what the sections after it hold, and how many bytes each. */
interface Header {
  version: number;
  validation?: { key: string; groups: { result: unknown; count: number }[] };
  gitBlobs: { count: number; idBytes: number };
}

/**
 * How many records there are and their blob ids' width in bytes; no records when the widths
 * differ (one repository has one object format).
 */
function countRecords(records: SyncCacheContents['gitBlobs']): { count: number; idBytes: number } {
  let count = 0;
  let width: number | undefined;
  for (const [blob] of records) {
    if (width === undefined) width = blob.length / 2;
    else if (blob.length / 2 !== width) return { count: 0, idBytes: 20 };
    count++;
  }
  return { count, idBytes: width ?? 20 };
}

/**
 * The stored bytes: the header line (JSON, then `\n`), then each validation group's digests (32
 * bytes each, in the header's group order), the blob ids (`idBytes` each), their sha256s (32
 * each) and sizes (float64 little-endian), in one record order.
 */
export function encodeSyncCache(cache: SyncCacheContents): Buffer {
  const groups = cache.validation ? groupResults(cache.validation) : [];
  // Ids of two widths are never written: the next run then reads those files once.
  const { count, idBytes } = countRecords(cache.gitBlobs);
  const header: Header = {
    version: VERSION,
    ...(cache.validation
      ? {
          validation: {
            key: cache.validation.key,
            groups: groups.map((g) => ({
              result: g.result,
              count: g.digests.length / SHA256_BYTES,
            })),
          },
        }
      : {}),
    gitBlobs: { count, idBytes },
  };
  const line = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const digestBytes = groups.reduce((n, g) => n + g.digests.length, 0);
  const out = Buffer.alloc(
    line.length + digestBytes + count * (idBytes + SHA256_BYTES + SIZE_BYTES),
  );
  let at = line.copy(out, 0);
  for (const g of groups) at += g.digests.copy(out, at);
  if (count === 0) return out;
  let ids = at;
  let shas = ids + count * idBytes;
  let sizes = shas + count * SHA256_BYTES;
  let written = 0;
  for (const [blob, file] of cache.gitBlobs) {
    if (written++ === count) break;
    ids += out.write(blob, ids, 'hex');
    shas += out.write(file.sha256, shas, 'hex');
    sizes = out.writeDoubleLE(file.size, sizes);
  }
  // Both passes read the same records; a difference would leave records half written.
  if (written !== count)
    throw new Error('the blob records changed while the sync cache was written');
  return out;
}

/** The header line of stored bytes, checked; undefined when it is not one of this version. */
function readHeader(bytes: Buffer): { header: Header; end: number } | undefined {
  const eol = bytes.subarray(0, MAX_HEADER).indexOf(0x0a);
  if (eol < 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, eol)) as Header;
  } catch {
    return undefined;
  }
  const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const v = header?.validation;
  if (
    header?.version !== VERSION ||
    !whole(header.gitBlobs?.count) ||
    (header.gitBlobs.idBytes !== 20 && header.gitBlobs.idBytes !== 32) ||
    (v !== undefined && (!Array.isArray(v?.groups) || !v.groups.every((g) => whole(g?.count))))
  ) {
    return undefined;
  }
  return { header, end: eol + 1 };
}

/**
 * Reads the stored bytes back; undefined when they are not a whole cache of this version (then
 * every file is read and checked). A record whose size is not a byte count is dropped.
 */
export function decodeSyncCache(stored: Uint8Array): SyncCache | undefined {
  const bytes = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  const read = readHeader(bytes);
  if (!read) return undefined;
  const { header } = read;
  const { count, idBytes } = header.gitBlobs;
  const groups = header.validation?.groups ?? [];
  const digestBytes = groups.reduce((n, g) => n + g.count * SHA256_BYTES, 0);
  if (bytes.length !== read.end + digestBytes + count * (idBytes + SHA256_BYTES + SIZE_BYTES)) {
    return undefined;
  }
  let at = read.end;
  const storedGroups: ResultGroup<unknown>[] = groups.map((g) => {
    const digests = bytes.subarray(at, (at += g.count * SHA256_BYTES));
    return { result: g.result, digests };
  });
  const validation = header.validation && validationCacheOf(header.validation.key, storedGroups);
  const gitBlobs = new BlobRecords().reserve(count, idBytes * 2);
  const shas = at + count * idBytes;
  const sizes = shas + count * SHA256_BYTES;
  for (let i = 0; i < count; i++) {
    const size = bytes.readDoubleLE(sizes + i * SIZE_BYTES);
    if (!Number.isSafeInteger(size) || size < 0) continue;
    gitBlobs.set(bytes.toString('hex', at + i * idBytes, at + (i + 1) * idBytes), {
      sha256: bytes.toString('hex', shas + i * SHA256_BYTES, shas + (i + 1) * SHA256_BYTES),
      size,
    });
  }
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
      ContentType: 'application/octet-stream',
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
