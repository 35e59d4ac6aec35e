// The content-addressed snapshot: every file's sha256 and size under the dataset directory, its
// canonical JSON and fingerprint (DESIGN.md "S3 layout"). Content only: mtimes never matter.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { gzipMembers } from '../gzip-members.js';
import { ContentHashes } from '../content-hashes.js';
import { sha256Hex } from '../hash.js';
import { FileTable, FileTableBuilder, type SnapshotFile } from './file-table.js';
import { compareCodePoints, toPosix, walkDataset, type WalkResult } from './files.js';
import type { YoloTask } from '../task.js';
import { locateDataset } from './yaml.js';

export type { SnapshotFile } from './file-table.js';

/** Exactly the stored document: `{ version, files: { <relative path>: {sha256, size} }, config }`. */
export interface SnapshotDocument {
  version: 1;
  files: Record<string, SnapshotFile>;
  /** The dataset yaml, relative to the snapshot root. */
  config: string;
}

export interface Snapshot {
  fingerprint: string;
  /** The files, packed (what a sync reads). */
  files: FileTable;
  /** The dataset yaml, relative to the snapshot root ("" for classify). */
  config: string;
  /**
   * The stored document as a plain object, made on each read: about 12 MB of heap at 50k files,
   * so the sync itself reads `files`.
   */
  readonly document: SnapshotDocument;
  /** The canonical JSON gzip'd: the bytes stored at snapshots/<fp>.json.gz (made on first read). */
  readonly stored: Buffer;
  /**
   * The canonical JSON (its sha256 is the fingerprint), unpacked from `stored` on each read: a
   * sync keeps only the gzip'd bytes through its upload (6 MB of JSON at 50k files, 2.5 gzip'd).
   */
  readonly json: string;
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

/**
 * canonicalJson(document) of a snapshot, in order, in pieces of about 64 KiB (the table is in
 * code point order already). The generic form held the whole 6 MB text of a 50k-file snapshot
 * three times over, with 50k-entry temporaries; these pieces are written straight into one buffer.
 */
export function* snapshotJsonPieces(files: FileTable, config: string): Generator<string> {
  let parts = [`{"config":${JSON.stringify(config)},"files":{`];
  let length = parts[0]!.length;
  for (let i = 0; i < files.length; i++) {
    const entry = `${i > 0 ? ',' : ''}${JSON.stringify(files.rel(i))}:{"sha256":"${files.sha256(i)}","size":${files.size(i)}}`;
    parts.push(entry);
    length += entry.length;
    if (length >= 64 * 1024) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  parts.push('},"version":1}');
  yield parts.join('');
}

/** The whole canonical JSON of a snapshot (see snapshotJsonPieces). */
export function snapshotJson(files: FileTable, config: string): string {
  return [...snapshotJsonPieces(files, config)].join('');
}

/** The bytes stored at snapshots/<fp>.json.gz for a canonical snapshot JSON. */
export function encodeSnapshotJson(json: string | Buffer): Buffer {
  // zlib's default level 6: on a 9k-file snapshot level 9 took 117 ms for 0.3% fewer bytes, 6 took
  // 68 ms, 1 took 43 ms for 1.2% more.
  return gzipSync(typeof json === 'string' ? Buffer.from(json, 'utf8') : json);
}

/** The snapshot of already-hashed files (pure). */
export function snapshotFromFiles(
  files: Iterable<readonly [string, SnapshotFile]>,
  config: string,
  root: string,
): Snapshot {
  return snapshotOfTable(FileTable.fromEntries(files), config, root);
}

/** The snapshot of a file table: its fingerprint, and its canonical JSON gzip'd when read (pure). */
export function snapshotOfTable(files: FileTable, config: string, root: string): Snapshot {
  // The JSON is made in pieces, never whole. It is gzip'd only when the bytes are read (a sync
  // that finds the snapshot stored, a no-op, never reads them): a second pass of the pieces.
  const fingerprint = createHash('sha256');
  for (const piece of snapshotJsonPieces(files, config)) fingerprint.update(piece, 'utf8');
  let stored: Buffer | undefined;
  return {
    fingerprint: fingerprint.digest('hex'),
    files,
    config,
    get document(): SnapshotDocument {
      // fromEntries defines own properties, so a file called __proto__ stays a file.
      return { version: 1, files: Object.fromEntries(files.entries()), config };
    },
    get stored() {
      return (stored ??= gzipMembers(snapshotJsonPieces(files, config)));
    },
    get json() {
      return gunzipSync(this.stored).toString('utf8');
    },
    root,
    totalBytes: files.totalBytes,
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
  /**
   * A walk already made (validation's), used when it is of the same root: at 50k files a second
   * walk held 4.6 MB more of paths while the snapshot was built.
   */
  walk?: { root: string; result: WalkResult };
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
  const { files: walked, outside } =
    options.walk?.root === root ? options.walk.result : await walkDataset(root);
  if (outside.length > 0) {
    // Validation reports these too; a snapshot never silently differs from the directory.
    throw new Error(
      `${outside.length} symbolic link(s) resolve outside the dataset directory ${root} and are never uploaded (e.g. ${outside[0]?.rel}): copy the files into the dataset instead`,
    );
  }
  // Synchronous reads in one loop: faster than any number of promise reads in flight (hash.ts).
  const ids = options.hashes ?? new ContentHashes();
  const table = new FileTableBuilder(walked.length);
  for (let i = 0; i < walked.length; i++) {
    const file = walked[i]!;
    const id = ids.ofFile(file.abs);
    table.add(file.rel, id.sha256, id.size);
    options.onProgress?.(i + 1, walked.length);
  }
  return snapshotOfTable(
    table.done(),
    yamlPath ? toPosix(path.relative(root, yamlPath)) : '',
    root,
  );
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
