// The work a sync can skip, gathered before validation: the branch's last sync cache (clean
// validation results, git blob id -> sha256) and what git's index says of each file. Files git
// vouches for, whose blob a previous sync hashed, are neither read nor parsed; every other file
// is. prepareSync() then builds the snapshot and what this sync leaves for the next one (written
// once the upload is done), so that nothing else of the shortcuts or the validation is kept.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ContentHashes } from '../content-hashes.js';
import { returnFreedHeap } from '../heap.js';
import type { GitObjectFormat } from '../hash.js';
import type { YoloTask } from '../task.js';
import type { BranchTarget } from './branches.js';
import {
  BlobRecords,
  blobRecordsOf,
  gitCleanFiles,
  hashesFromGit,
  objectFormatOf,
  type GitRunner,
} from './git-files.js';
import { FileSplits } from './file-splits.js';
import { buildSnapshot, type Snapshot } from './snapshot.js';
import {
  encodeSyncCache,
  loadBranchSyncCache,
  type SyncCache,
  type SyncCacheContents,
} from './sync-cache.js';
import type { DatasetInspection } from './validate.js';
import type { ValidationCache } from './validation-cache.js';

export interface SyncShortcuts {
  /** Clean validation results of the last sync (for inspectDataset's `cache`). */
  cache?: ValidationCache;
  /** The cache read, and the fingerprint it was stored beside. */
  stored?: { fingerprint: string; cache: SyncCache };
  /**
   * Content ids taken from git without reading, by absolute path (inspectDataset's knownHashes,
   * which takes it over and adds the files it reads).
   */
  knownHashes: ContentHashes;
  /** How many files git's index vouched for (knownHashes' size before validation). */
  fromGit: number;
  gitFormat?: GitObjectFormat;
  /**
   * Whether the dataset is in a git work tree. Git's list of the files it vouches for is let go
   * once knownHashes is made (about 3 MB at 50k files): the blob records for the next sync come
   * from the content ids alone (blobRecordsOf).
   */
  inGit: boolean;
}

/** The directory a dataset path names (its yaml's directory when it names the yaml). */
function datasetDir(datasetPath: string): string {
  const abs = path.resolve(datasetPath);
  try {
    return statSync(abs).isDirectory() ? abs : path.dirname(abs);
  } catch {
    return path.dirname(abs);
  }
}

/**
 * Reads the branch's sync cache (when a branch is known) and asks git about the dataset. Nothing
 * here is needed for correctness: an unreadable cache is only a warning, and outside git (or when
 * git cannot vouch for a file) files are read and checked as always.
 */
export async function loadSyncShortcuts(
  s3: S3Client,
  options: {
    datasetPath: string;
    branch?: BranchTarget;
    warn: (message: string) => void;
    git?: GitRunner;
  },
): Promise<SyncShortcuts> {
  const dir = datasetDir(options.datasetPath);
  const [stored, clean] = await Promise.all([
    options.branch
      ? loadBranchSyncCache(s3, options.branch).catch((error: unknown) => {
          options.warn(`Could not read the sync cache: ${(error as Error).message}`);
          return undefined;
        })
      : undefined,
    gitCleanFiles(dir, options.git),
  ]);
  const shortcuts: SyncShortcuts = {
    knownHashes: new ContentHashes(),
    fromGit: 0,
    inGit: clean !== undefined,
    ...(stored?.cache.validation ? { cache: stored.cache.validation } : {}),
    ...(stored ? { stored } : {}),
  };
  if (clean) {
    const format = objectFormatOf(clean);
    if (format) shortcuts.gitFormat = format;
    shortcuts.knownHashes = hashesFromGit(
      dir,
      clean,
      stored?.cache.gitBlobs ?? new BlobRecords(),
      shortcuts.gitFormat,
    );
    shortcuts.fromGit = shortcuts.knownHashes.size;
  }
  return shortcuts;
}

/** One line for the log: how much git and the cache saved. */
function describeShortcuts(shortcuts: SyncShortcuts, files: number): string {
  if (!shortcuts.inGit) return 'git: the dataset is not in a git work tree; every file is read';
  return `git: ${shortcuts.fromGit} of ${files} files taken from the index unread${
    shortcuts.stored ? '' : ' (no sync cache of the branch yet)'
  }`;
}

/**
 * Whether the cache must be written beside `fingerprint`: always beside a new snapshot, and beside
 * the one whose cache was read only when this run learned something (a blob committed since, a
 * file judged for the first time), so a plain no-op writes nothing (and makes nothing to write).
 */
export function cacheNeedsStoring(
  shortcuts: SyncShortcuts,
  fingerprint: string,
  next: SyncCacheContents,
): boolean {
  const stored = shortcuts.stored;
  if (!stored || stored.fingerprint !== fingerprint) return true;
  for (const [blob] of next.gitBlobs) if (!stored.cache.gitBlobs.has(blob)) return true;
  const before = stored.cache.validation;
  const after = next.validation;
  if (!after) return false;
  if (!before || before.key !== after.key) return true;
  for (const sha of after.results.keys()) if (!before.results.has(sha)) return true;
  return false;
}

/** What an upload needs of a validated dataset, its shortcuts and the sync cache. */
export interface PreparedSync {
  snapshot: Snapshot;
  /**
   * The cache to store beside the snapshot once it is synced, already encoded (encodeSyncCache):
   * the validation results are let go before the upload, and a 50k-file cache's text is not made
   * at its end, beside the manifest. Absent when the stored one is current.
   */
  cacheToStore?: Buffer;
  /** The split of each file of the snapshot (from the validation's membership). */
  splits: FileSplits;
  /** describeShortcuts' line for the log. */
  shortcutsLine: string;
}

/**
 * The snapshot of a validated dataset and all the sync needs of the inspection and the shortcuts,
 * taken before the upload so that callers can let those go: their per-file maps (paths, content
 * and blob ids: about 7 MB at 50k files, more in git) are not kept through thousands of requests.
 */
export async function prepareSync(
  datasetPath: string,
  inspection: Pick<DatasetInspection, 'cache' | 'hashes' | 'membership' | 'root' | 'walk'>,
  shortcuts: SyncShortcuts,
  options: { task?: YoloTask; onProgress?: (done: number, total: number) => void } = {},
): Promise<PreparedSync> {
  // Validation's garbage and V8's pooled pages go back first: built on top of them, the snapshot
  // and the sync cache were the highest point of a first sync in git (returnFreedHeap).
  returnFreedHeap();
  const snapshot = await buildSnapshot(datasetPath, {
    ...(options.task ? { task: options.task } : {}),
    hashes: inspection.hashes,
    ...(inspection.root && inspection.walk
      ? { walk: { root: inspection.root, result: inspection.walk } }
      : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // What this sync leaves for the next: its clean results and the blob ids of the bytes it
  // hashed, made as they are read (a no-op builds nothing only to find it all stored). Outside
  // git no content id has a blob id: the ids are not even looked through.
  const next: SyncCacheContents = {
    ...(inspection.cache ? { validation: inspection.cache } : {}),
    gitBlobs: shortcuts.inGit ? { [Symbol.iterator]: () => blobRecordsOf(inspection.hashes) } : [],
  };
  return {
    snapshot,
    ...(cacheNeedsStoring(shortcuts, snapshot.fingerprint, next)
      ? { cacheToStore: encodeSyncCache(next) }
      : {}),
    splits: FileSplits.from(snapshot.files, inspection.membership),
    shortcutsLine: describeShortcuts(shortcuts, snapshot.files.length),
  };
}
