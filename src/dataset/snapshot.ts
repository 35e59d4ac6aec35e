// The content-addressed snapshot: every file's sha256 and size under the dataset directory, its
// canonical JSON and fingerprint (DESIGN.md "S3 layout"). Content only: mtimes never matter.
import path from 'node:path';
import { ContentHashes, sha256Hex } from '../hash.js';
import { compareCodePoints, toPosix, walkDataset } from './files.js';
import type { YoloTask } from '../task.js';
import { locateDataset } from './yaml.js';

export interface SnapshotFile {
  sha256: string;
  size: number;
}

/** Exactly the stored document: `{ version, files: { <relative path>: {sha256, size} }, config }`. */
export interface SnapshotDocument {
  version: 1;
  files: Record<string, SnapshotFile>;
  /** The dataset yaml, relative to the snapshot root. */
  config: string;
}

export interface Snapshot {
  fingerprint: string;
  document: SnapshotDocument;
  /** The canonical JSON (its sha256 is the fingerprint), stored gzip'd at snapshots/<fp>.json.gz. */
  json: string;
  /** Absolute directory the relative paths are under. */
  root: string;
  totalBytes: number;
}

/**
 * Canonical JSON: object keys sorted by code point, no whitespace, UTF-8. The same bytes as
 * Python's json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string')
    return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => compareCodePoints(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON cannot hold a ${typeof value}`);
}

export function fingerprintOf(document: SnapshotDocument): string {
  return sha256Hex(canonicalJson(document));
}

/** Builds the document from already-hashed files (pure). */
export function snapshotFromFiles(
  files: Iterable<[string, SnapshotFile]>,
  config: string,
  root: string,
): Snapshot {
  // fromEntries defines own properties, so a file called __proto__ stays a file.
  const sorted = [...files].sort(([a], [b]) => compareCodePoints(a, b));
  const document: SnapshotDocument = { version: 1, files: Object.fromEntries(sorted), config };
  const json = canonicalJson(document);
  return {
    fingerprint: sha256Hex(json),
    document,
    json,
    root,
    totalBytes: sorted.reduce((a, [, f]) => a + f.size, 0),
  };
}

export interface BuildSnapshotOptions {
  /** A classify dataset has no yaml: the directory itself is the dataset and `config` is "". */
  task?: YoloTask;
  onProgress?: (done: number, total: number) => void;
  /**
   * Content ids already taken (validation's reads and git's, by absolute path): those files are
   * not read again, and the files read here are added to it (with git blob ids when it has a
   * gitFormat). A file changed since is caught by the upload, which checks what it sends.
   */
  hashes?: ContentHashes;
}

/** Hashes every file under the dataset directory (see files.ts for what is left out). */
export async function buildSnapshot(
  datasetPath: string,
  options: BuildSnapshotOptions = {},
): Promise<Snapshot> {
  const { root, yamlPath } =
    options.task === 'classify'
      ? { root: path.resolve(datasetPath), yamlPath: undefined }
      : await locateDataset(datasetPath);
  const { files: walked, outside } = await walkDataset(root);
  if (outside.length > 0) {
    // Validation reports these too; a snapshot never silently differs from the directory.
    throw new Error(
      `${outside.length} symbolic link(s) resolve outside the dataset directory ${root} and are never uploaded (e.g. ${outside[0]?.rel}): copy the files into the dataset instead`,
    );
  }
  // Synchronous reads in one loop: faster than any number of promise reads in flight (hash.ts).
  const ids = options.hashes ?? new ContentHashes();
  const hashed: [string, SnapshotFile][] = [];
  for (const file of walked) {
    const { sha256, size } = ids.ofFile(file.abs);
    hashed.push([file.rel, { sha256, size }]);
    options.onProgress?.(hashed.length, walked.length);
  }
  return snapshotFromFiles(hashed, yamlPath ? toPosix(path.relative(root, yamlPath)) : '', root);
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Parses a stored snapshot JSON, checking its shape; `source` names it in errors. */
export function parseSnapshotDocument(text: string, source: string): SnapshotDocument {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`);
  }
  const doc = value as Partial<SnapshotDocument> | null;
  if (
    !doc ||
    typeof doc !== 'object' ||
    doc.version !== 1 ||
    typeof doc.config !== 'string' ||
    !doc.files ||
    typeof doc.files !== 'object'
  ) {
    throw new Error(`${source} is not a version 1 snapshot ({version: 1, files, config})`);
  }
  for (const [rel, f] of Object.entries(doc.files)) {
    if (
      !f ||
      typeof f !== 'object' ||
      !SHA256.test(String(f.sha256)) ||
      !Number.isSafeInteger(f.size) ||
      f.size < 0
    ) {
      throw new Error(
        `${source}: entry '${rel}' needs a sha256 (64 hex) and a size (integer >= 0)`,
      );
    }
  }
  return doc as SnapshotDocument;
}
