// What git already knows about the dataset's files, without reading them: the index's blob id of
// every tracked file that `git status` reports unchanged, and the sha256 + size that a Git LFS
// pointer carries. A sync can take a file's hash from here instead of reading it (issue 16).
// Anything git cannot vouch for is left out, and a file left out is hashed: outside a work tree,
// on any git error, for conflicted, symlink or submodule entries, for files git converts on
// checkout (autocrlf, text/eol/ident/encoding attributes, filters other than LFS), and for every
// path `git status` names (modified, staged, untracked, deleted, renamed).
import { execFile } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ContentHashes } from '../content-hashes.js';
import type { ContentId, GitObjectFormat } from '../hash.js';
import { PackedMap, writeSha256, writeSize, type RecordCodec } from '../packed-map.js';
import { toPosix } from './files.js';
import type { SnapshotFile } from './snapshot.js';

const execFileAsync = promisify(execFile);

/**
 * Runs git with an argv (never a shell) in `cwd`; resolves stdout as bytes, rejects on a non-zero
 * exit. Bytes: at 50k files `git ls-files -s` writes 4 MB, which as one string split into records
 * and fields made tens of MiB of short-lived strings at the start of every sync.
 */
export type GitRunner = (
  args: string[],
  cwd: string,
  input?: string | Uint8Array,
) => Promise<Buffer>;

export const runGit: GitRunner = async (args, cwd, input) => {
  const child = execFileAsync('git', args, {
    cwd,
    encoding: 'buffer',
    maxBuffer: 1024 * 1024 * 1024,
    // A prompt for credentials or an editor would hang the run; nothing here needs either.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
};

export interface GitFile {
  /** The index's blob id (sha1 or sha256 object format), for a file git reports unchanged. */
  blob: string;
  /** For an LFS-tracked file: the content's sha256 and size from its pointer. */
  lfs?: SnapshotFile;
}

const BLOB_HEX = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function writeBlobId(blob: string, into: Buffer, at: number, key: string): void {
  if (!BLOB_HEX.test(blob)) {
    throw new Error(`${key}: '${blob}' is not a git blob id (40 or 64 lowercase hex)`);
  }
  into[at] = blob.length / 2;
  into.write(blob, at + 1, 'hex');
}

const readBlobId = (from: Buffer, at: number) => from.toString('hex', at + 1, at + 1 + from[at]!);

const LFS_CHECK = Buffer.alloc(40);

/**
 * The files git vouches for, by path relative to the dataset directory (packed-map.ts): a blob id
 * (length byte + 32) and an LFS flag a file. An LFS pointer's sha256 and size are kept once per
 * pointer blob beside the map (a pointer's text is its blob, so the blob names them): LFS files
 * are few, and a record with room for them took 40 bytes more for every file.
 */
export class GitFiles extends PackedMap<GitFile> {
  constructor() {
    const pointers = new Map<string, SnapshotFile>();
    super({
      bytes: 34,
      write(file, into, at, key) {
        if (file.lfs) {
          // Checked as a record holding them would be, before anything is kept.
          writeSha256(file.lfs.sha256, LFS_CHECK, 0, key);
          writeSize(file.lfs.size, LFS_CHECK, 32, key);
        }
        writeBlobId(file.blob, into, at, key);
        into[at + 33] = file.lfs ? 1 : 0;
        if (file.lfs) pointers.set(file.blob, { sha256: file.lfs.sha256, size: file.lfs.size });
      },
      read(from, at) {
        const blob = readBlobId(from, at);
        const lfs = from[at + 33] === 1 ? pointers.get(blob) : undefined;
        return lfs ? { blob, lfs } : { blob };
      },
    });
  }
}

/** sha256 (32 bytes) and size (float64) of a blob's content. */
const SNAPSHOT_FILE: RecordCodec<SnapshotFile> = {
  bytes: 40,
  write(file, into, at, key) {
    writeSize(file.size, into, at + 32, key);
    writeSha256(file.sha256, into, at, key);
  },
  read: (from, at) => ({
    sha256: from.toString('hex', at, at + 32),
    size: from.readDoubleLE(at + 32),
  }),
};

/** git blob id -> the sha256 and size of its content (packed-map.ts), as the sync cache keeps. */
export class BlobRecords extends PackedMap<SnapshotFile> {
  constructor(entries: Iterable<readonly [string, SnapshotFile]> = []) {
    super(SNAPSHOT_FILE);
    for (const [blob, file] of entries) {
      if (!BLOB_HEX.test(blob)) throw new Error(`'${blob}' is not a git blob id`);
      this.set(blob, file);
    }
  }
}

/** Paths that `git status --porcelain=v1 -z` names (both sides of a rename or copy). */
export function parsePorcelainPaths(output: string): Set<string> {
  const dirty = new Set<string>();
  const fields = output.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const entry = fields[i];
    if (!entry || entry.length < 4) continue;
    dirty.add(entry.slice(3));
    // A rename or copy entry is followed by its source path as a field of its own.
    if (entry[0] === 'R' || entry[0] === 'C' || entry[1] === 'R' || entry[1] === 'C') {
      const from = fields[++i];
      if (from) dirty.add(from);
    }
  }
  return dirty;
}

/** `<mode> <blob id> <stage>` of a regular file at stage 0, the part of a record before its tab. */
const REGULAR_ENTRY = /^100(?:644|755) ([0-9a-f]{40}|[0-9a-f]{64}) 0$/;

/**
 * The records of `git ls-files -s -z` output: `<mode> <blob id> <stage>\t<path>`, each ended by
 * NUL. Yields the byte ranges of each record's head (before the tab) and path.
 */
function* indexRecords(output: Buffer): Generator<{ start: number; tab: number; end: number }> {
  for (let start = 0; start < output.length;) {
    const nul = output.indexOf(0, start);
    const end = nul < 0 ? output.length : nul;
    const tab = output.indexOf(0x09, start);
    if (tab > start && tab < end) yield { start, tab, end };
    start = end + 1;
  }
}

/**
 * Regular files at stage 0 from `git ls-files -s -z` output: (path, blob id). Symlinks (120000)
 * hold their target and submodules (160000) a commit, neither file content; a conflicted path
 * (stages 1-3) has no one blob.
 */
export function* indexEntries(output: Buffer): Generator<[path: string, blob: string]> {
  for (const { start, tab, end } of indexRecords(output)) {
    const head = REGULAR_ENTRY.exec(output.toString('latin1', start, tab));
    if (head) yield [output.toString('utf8', tab + 1, end), head[1]!];
  }
}

/**
 * Every path of `git ls-files -s -z` output, each followed by NUL (`check-attr -z --stdin` input),
 * with their count and UTF-8 bytes in all.
 */
export function indexPaths(output: Buffer): { paths: Buffer; count: number; bytes: number } {
  const paths = Buffer.allocUnsafe(output.length);
  let length = 0;
  let count = 0;
  for (const { tab, end } of indexRecords(output)) {
    length += output.copy(paths, length, tab + 1, end);
    paths[length++] = 0;
    count++;
  }
  return { paths: paths.subarray(0, length), count, bytes: length - count };
}

/** The sha256 and size a Git LFS pointer names, or undefined when the text is not one. */
export function parseLfsPointer(text: string): SnapshotFile | undefined {
  if (!text.startsWith('version https://git-lfs.github.com/spec/v1\n')) return undefined;
  const oid = /^oid sha256:([0-9a-f]{64})$/m.exec(text)?.[1];
  const size = /^size (\d+)$/m.exec(text)?.[1];
  if (!oid || size === undefined) return undefined;
  const n = Number(size);
  return Number.isSafeInteger(n) ? { sha256: oid, size: n } : undefined;
}

const CONVERTING = ['text', 'eol', 'crlf', 'ident', 'working-tree-encoding', 'filter'] as const;

/**
 * Attribute values from `git check-attr -z --stdin --all`: records of path, attribute, value for
 * the attributes set on each path (none for most datasets). Returns the paths whose checkout may
 * change bytes (any converting attribute set), and the LFS ones. `--all` rather than naming the
 * six: named, git answers `unspecified` for each, and at 50k files those 300k records (18 MB of
 * text, 900k strings once split) grew a sync by about 40 MiB.
 */
export function parseCheckAttr(output: string): { converted: Set<string>; lfs: Set<string> } {
  const converted = new Set<string>();
  const lfs = new Set<string>();
  const fields = output.split('\0');
  for (let i = 0; i + 2 < fields.length; i += 3) {
    const [file, attribute, value] = [fields[i]!, fields[i + 1]!, fields[i + 2]!];
    // Others (diff, merge, the `binary` macro, a team's own) change nothing on checkout.
    if (!(CONVERTING as readonly string[]).includes(attribute) || value === 'unspecified') continue;
    // -text (binary) converts nothing.
    if ((attribute === 'text' || attribute === 'crlf') && value === 'unset') continue;
    if (attribute === 'filter' && value === 'lfs') lfs.add(file);
    else converted.add(file);
  }
  for (const file of lfs) if (converted.has(file)) lfs.delete(file);
  return { converted, lfs };
}

/**
 * Files under `dir` that git vouches for, keyed by path relative to `dir` (posix). Undefined when
 * `dir` is not in a work tree or git fails: then every file is hashed.
 */
export async function gitCleanFiles(
  dir: string,
  git: GitRunner = runGit,
): Promise<GitFiles | undefined> {
  try {
    const root = realpathSync(dir);
    const [inside, topLine] = (
      await git(['rev-parse', '--is-inside-work-tree', '--show-toplevel'], root)
    )
      .toString('utf8')
      .split('\n');
    if (inside !== 'true' || !topLine) return undefined;
    const top = realpathSync(topLine);
    const scope = toPosix(path.relative(top, root)) || '.';
    if (scope.startsWith('..')) return undefined;
    // status first: it refreshes the index's stat data and re-reads racily clean files itself.
    const [autocrlf, status] = await Promise.all([
      git(['config', '--get', 'core.autocrlf'], top).then(
        (out) => out.toString('utf8').trim(),
        () => '',
      ),
      git(
        [
          '--literal-pathspecs',
          'status',
          '--porcelain=v1',
          '-z',
          '--untracked-files=all',
          '--ignored=no',
          '--',
          scope,
        ],
        top,
      ),
    ]);
    // Every text file may be converted on checkout: the index blob says nothing of the bytes.
    if (autocrlf !== '' && autocrlf !== 'false') return undefined;
    const dirty = parsePorcelainPaths(status.toString('utf8'));
    const index = await git(['--literal-pathspecs', 'ls-files', '-s', '-z', '--', scope], top);
    const listed = indexPaths(index);
    const attrs = parseCheckAttr(
      (await git(['check-attr', '-z', '--stdin', '--all'], top, listed.paths)).toString('utf8'),
    );
    // The paths git lists are under `scope`, relative to the top: relative to `dir` without it.
    const prefix = scope === '.' ? '' : `${scope}/`;
    const vouched = function* (): Generator<[rel: string, file: string, blob: string]> {
      for (const [file, blob] of indexEntries(index)) {
        if (!file.startsWith(prefix) || dirty.has(file) || attrs.converted.has(file)) continue;
        yield [file.slice(prefix.length), file, blob];
      }
    };
    const lfsBlobs: string[] = [];
    if (attrs.lfs.size > 0) {
      for (const [, file, blob] of vouched()) if (attrs.lfs.has(file)) lfsBlobs.push(blob);
    }
    const pointers = await readLfsPointers(lfsBlobs, top, git);
    const clean = new GitFiles().reserve(
      listed.count,
      listed.count === 0 ? 0 : listed.bytes / listed.count - Buffer.byteLength(prefix),
    );
    for (const [rel, file, blob] of vouched()) {
      if (!attrs.lfs.has(file)) {
        clean.set(rel, { blob });
        continue;
      }
      const lfs = pointers.get(blob);
      if (lfs) clean.set(rel, { blob, lfs });
    }
    return clean;
  } catch {
    return undefined;
  }
}

/** Pointer texts of LFS index blobs (small objects read from git's store, not the work tree). */
async function readLfsPointers(
  blobs: string[],
  top: string,
  git: GitRunner,
): Promise<Map<string, SnapshotFile>> {
  const pointers = new Map<string, SnapshotFile>();
  if (blobs.length === 0) return pointers;
  const unique = [...new Set(blobs)];
  // latin1: one char per byte, so the sizes in the headers index the text even for binary blobs.
  const out = (await git(['cat-file', '--batch'], top, unique.join('\n') + '\n')).toString(
    'latin1',
  );
  // Each answer: "<id> blob <size>\n<content>\n".
  let at = 0;
  while (at < out.length) {
    const eol = out.indexOf('\n', at);
    if (eol < 0) break;
    const header = /^([0-9a-f]{40,64}) blob (\d+)$/.exec(out.slice(at, eol));
    if (!header) break;
    const size = Number(header[2]);
    const text = out.slice(eol + 1, eol + 1 + size);
    at = eol + 1 + size + 1;
    const pointer = parseLfsPointer(text);
    if (pointer) pointers.set(header[1]!, pointer);
  }
  return pointers;
}

/** The object format of the repository the blob ids come from (sha1: 40 hex, sha256: 64). */
export function objectFormatOf(clean: GitFiles): GitObjectFormat | undefined {
  for (const file of clean.values()) return file.blob.length === 64 ? 'sha256' : 'sha1';
  return undefined;
}

/**
 * The content ids git lets us skip reading for, keyed by absolute path: an LFS file whose
 * work-tree size equals its pointer's (else the pointer was not smudged: hash it), and a file
 * whose index blob id a previous snapshot recorded with its sha256, when the work-tree size still
 * matches. The second kind carries its blob id, so the next snapshot records it again.
 */
export function hashesFromGit(
  dir: string,
  clean: GitFiles,
  knownBlobs: { get(blob: string): SnapshotFile | undefined; readonly size: number },
  format?: GitObjectFormat,
): ContentHashes {
  const hashes = new ContentHashes(format);
  // With records from a previous sync, most files are known: one allocation for all of them.
  if (knownBlobs.size > 0) {
    hashes.reserve(clean.size, Buffer.byteLength(dir) + 1 + clean.averageKeyBytes);
  }
  for (const [rel, file] of clean) {
    const known = file.lfs ? undefined : knownBlobs.get(file.blob);
    const expected = file.lfs ?? known;
    if (!expected) continue;
    const abs = path.join(dir, rel);
    let size: number;
    try {
      size = statSync(abs).size;
    } catch {
      continue;
    }
    if (size !== expected.size) continue;
    hashes.set(abs, { sha256: expected.sha256, size, ...(known ? { gitBlob: file.blob } : {}) });
  }
  return hashes;
}

/**
 * The blob records a sync leaves for the next: every content id of this run that carries a git
 * blob id, computed from the same bytes as its sha256 (or taken from a record made that way). A
 * record says what a blob's content hashes to, true whichever file it came from, so git's index
 * need not be consulted: a file edited after git's look is recorded under its new bytes' blob,
 * never the index's. Only files git vouches for are ever looked up (hashesFromGit), and those
 * exclude files whose checkout converts their bytes.
 */
export function* blobRecordsOf(ids: {
  values(): Iterable<ContentId>;
}): Generator<[blob: string, file: SnapshotFile]> {
  for (const id of ids.values()) {
    if (id.gitBlob !== undefined) yield [id.gitBlob, { sha256: id.sha256, size: id.size }];
  }
}
