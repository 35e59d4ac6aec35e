// Which snapshot a branch last trained on: a small pointer object per branch, written after a sync
// on non-PR runs, read on PRs to diff against the base branch.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isS3NotFound } from '../s3.js';
import { FileTable, type BlobSizes } from './file-table.js';
import { datasetKeys, normalizeBranch, s3Uri } from './keys.js';
import type { DatasetStats } from './report.js';
import type { SnapshotDocument } from './snapshot.js';
import { readStoredSnapshot } from './stored-snapshot.js';

export interface BranchPointer {
  version: 1;
  branch: string;
  fingerprint: string;
  /** ISO time the pointer was written. */
  updatedAt: string;
  /** Commit the snapshot came from, when known. */
  sha?: string;
}

export interface BranchTarget {
  bucket: string;
  prefix: string;
  branch: string;
}

export interface BaseSnapshot {
  fingerprint: string;
  document: SnapshotDocument;
  /** Absent for snapshots synced without stats. */
  stats?: DatasetStats;
}

export async function recordBranchSnapshot(
  s3: S3Client,
  target: BranchTarget & { fingerprint: string; sha?: string; now?: () => Date },
): Promise<{ uri: string; pointer: BranchPointer }> {
  if (!/^[0-9a-f]{64}$/.test(target.fingerprint)) {
    throw new Error(`fingerprint '${target.fingerprint}' is not a sha256 (64 lowercase hex)`);
  }
  const pointer: BranchPointer = {
    version: 1,
    branch: normalizeBranch(target.branch),
    fingerprint: target.fingerprint,
    updatedAt: (target.now?.() ?? new Date()).toISOString(),
    ...(target.sha ? { sha: target.sha } : {}),
  };
  const key = datasetKeys(target.prefix).branch(target.branch);
  await s3.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: key,
      Body: JSON.stringify(pointer),
      ContentType: 'application/json',
    }),
  );
  return { uri: s3Uri(target.bucket, key), pointer };
}

/** The object's text, or undefined when it does not exist. */
async function getText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await res.Body?.transformToString('utf-8');
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}

/** The fingerprint the branch's pointer names, or undefined when the branch has none yet. */
export async function branchFingerprint(
  s3: S3Client,
  target: BranchTarget,
): Promise<string | undefined> {
  const pointerKey = datasetKeys(target.prefix).branch(target.branch);
  const pointerText = await getText(s3, target.bucket, pointerKey);
  if (pointerText === undefined) return undefined;
  let pointer: Partial<BranchPointer>;
  try {
    pointer = JSON.parse(pointerText) as Partial<BranchPointer>;
  } catch {
    throw new Error(`${s3Uri(target.bucket, pointerKey)} is not JSON`);
  }
  const fp = pointer.fingerprint;
  if (typeof fp !== 'string' || !/^[0-9a-f]{64}$/.test(fp)) {
    throw new Error(`${s3Uri(target.bucket, pointerKey)} has no valid fingerprint`);
  }
  return fp;
}

/**
 * The branch's last snapshot document (no stats), or undefined when the branch has none yet. The
 * snapshot JSON (gzip'd, or plain when an older sync wrote it) is checked against its fingerprint,
 * so nothing rests on a damaged object.
 */
export async function loadBranchDocument(
  s3: S3Client,
  target: BranchTarget,
): Promise<Omit<BaseSnapshot, 'stats'> | undefined> {
  const fp = await branchFingerprint(s3, target);
  if (fp === undefined) return undefined;
  const stored = await readStoredSnapshot(s3, target, fp);
  if (!stored) {
    const key = datasetKeys(target.prefix).snapshot(fp);
    throw new Error(
      `branch ${target.branch} points at ${s3Uri(target.bucket, key)}, which does not exist (nor does the plain .json of older syncs)`,
    );
  }
  return { fingerprint: fp, document: stored.document };
}

/** The branch's last snapshot with its stats, or undefined when the branch has none yet. */
export async function loadBranchSnapshot(
  s3: S3Client,
  target: BranchTarget,
): Promise<BaseSnapshot | undefined> {
  const base = await loadBranchDocument(s3, target);
  if (!base) return undefined;
  const { fingerprint: fp, document } = base;
  const statsText = await getText(s3, target.bucket, datasetKeys(target.prefix).stats(fp));
  let stats: DatasetStats | undefined;
  if (statsText !== undefined) {
    try {
      const parsed = JSON.parse(statsText) as DatasetStats;
      if (parsed?.version === 1 && Array.isArray(parsed.names) && Array.isArray(parsed.splits))
        stats = parsed;
    } catch {
      // Stats only enrich the diff; a damaged one is ignored rather than failing the run.
    }
  }
  return { fingerprint: fp, document, ...(stats ? { stats } : {}) };
}

/**
 * The blobs (sha256 -> size) of the branch's last snapshot: stored for sure, because a snapshot
 * JSON is written only after all its blobs. Undefined when the branch has no snapshot yet.
 */
export async function loadBranchBlobs(
  s3: S3Client,
  target: BranchTarget,
): Promise<BlobSizes | undefined> {
  const base = await loadBranchDocument(s3, target);
  if (!base) return undefined;
  // Packed: kept through the whole upload.
  return FileTable.fromEntries(Object.entries(base.document.files)).blobSizes();
}

/**
 * SyncOptions.knownBlobs for a branch: its last snapshot's blobs. A pointer that cannot be read is
 * only a lost shortcut: `warn` says so and the sync lists the stored blobs instead.
 */
export function branchBlobsLoader(
  s3: S3Client,
  target: BranchTarget,
  warn: (message: string) => void,
): () => Promise<BlobSizes | undefined> {
  return async () => {
    try {
      return await loadBranchBlobs(s3, target);
    } catch (error) {
      warn(
        `Could not read ${target.branch}'s last snapshot (${(error as Error).message}): listing the stored blobs instead`,
      );
      return undefined;
    }
  };
}
