// Content hash of a Docker build context: the image tag is derived from exactly what `docker build`
// would see, so the same container source gets the same tag on every machine, in every run and
// every repository, and an unchanged source never triggers a rebuild.
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import dockerignore from '@balena/dockerignore';
import { hashFile, sha256Hex } from '../hash.js';

/** One path the Dockerfile can see. Only what changes the image is recorded: no mtime, no owner. */
export interface ContextEntry {
  /** Relative to the context root, forward slashes. */
  path: string;
  /**
   * `file`, `exec` (any execute bit set) or `symlink`. Other permission bits are left out on
   * purpose: git stores only 644/755, so umask differences between runners must not change the tag.
   */
  kind: 'file' | 'exec' | 'symlink';
  /** sha256 of the content, or of the link target for a symlink (Docker copies links as links). */
  sha256: string;
}

export interface ContextHash {
  /** `src-<12 hex>`: the image tag. */
  tag: string;
  /** Full sha256 hex of the canonical description. */
  digest: string;
  /** How many context entries went into it (for the log). */
  files: number;
}

export const DOCKERFILE = 'Dockerfile';
export const DOCKERIGNORE = '.dockerignore';
/** Bumped if the canonical form changes, so old and new tags can never collide. */
const HASH_VERSION = 1;

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The canonical digest of a context. Pure: entries are sorted here, so the order files were
 * listed in (filesystem dependent) cannot change the result.
 */
export function contextDigest(
  entries: readonly ContextEntry[],
  buildArgs: Readonly<Record<string, string>>,
  platform: string,
): string {
  const files = [...entries]
    .sort((a, b) => byCodeUnit(a.path, b.path))
    .map((e) => [e.path, e.kind, e.sha256]);
  const args = Object.keys(buildArgs)
    .sort(byCodeUnit)
    .map((k) => [k, buildArgs[k]]);
  // JSON keeps every field delimited, so no path or value can be crafted to mimic another layout.
  const canonical = JSON.stringify({ v: HASH_VERSION, platform, buildArgs: args, files });
  return sha256Hex(canonical);
}

/** `src-` + the first 12 hex digits: 48 bits, ample for one repository's images, short to read. */
export function tagFromDigest(digest: string): string {
  return `src-${digest.slice(0, 12)}`;
}

/**
 * A predicate over relative POSIX paths, true when Docker would send the path. Docker matches
 * case-sensitively (the library's default is not), and `!` exceptions work inside ignored
 * directories, which the library implements like Docker does.
 */
export function dockerignoreFilter(dockerignoreText: string): (relPath: string) => boolean {
  // A CommonJS package: under NodeNext the default import is module.exports, whose `default` is
  // the factory (the package sets it for exactly this interop).
  const matcher = dockerignore.default({ ignorecase: false }).add(dockerignoreText);
  return (relPath) => !matcher.ignores(relPath);
}

/** True when the patterns contain an exception, so an ignored directory may still hold files. */
function hasExceptions(dockerignoreText: string): boolean {
  return dockerignoreText.split(/\r?\n/).some((line) => line.trim().startsWith('!'));
}

/**
 * Every file and symlink under `contextDir` that the build can see after `.dockerignore`.
 * The Dockerfile and `.dockerignore` are always included: they shape the image even when the
 * ignore file lists them (Docker sends them regardless). Directories themselves are not entries:
 * a git checkout cannot hold an empty directory, so they add nothing a file path does not.
 */
export async function listContextEntries(contextDir: string): Promise<ContextEntry[]> {
  const root = path.resolve(contextDir);
  const rootStat = await lstat(root).catch(() => undefined);
  if (!rootStat?.isDirectory()) {
    throw new Error(`container-context: ${contextDir} is not a directory`);
  }
  const dockerfileStat = await lstat(path.join(root, DOCKERFILE)).catch(() => undefined);
  if (!dockerfileStat?.isFile()) {
    throw new Error(`container-context: ${contextDir} has no ${DOCKERFILE}`);
  }

  const ignoreText = await readFile(path.join(root, DOCKERIGNORE), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    },
  );
  const included = dockerignoreFilter(ignoreText);
  // Without exceptions an ignored directory cannot contribute anything: skip it whole (as Docker
  // does), which keeps a stray node_modules or .git from being read.
  const canPruneDirs = !hasExceptions(ignoreText);
  const alwaysSent = new Set([DOCKERFILE, DOCKERIGNORE]);

  const entries: ContextEntry[] = [];
  const walk = async (relDir: string): Promise<void> => {
    const dirents = await readdir(path.join(root, relDir), { withFileTypes: true });
    for (const dirent of dirents) {
      const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
      const abs = path.join(root, rel);
      if (dirent.isDirectory()) {
        if (canPruneDirs && !included(rel)) continue;
        await walk(rel);
        continue;
      }
      if (!included(rel) && !alwaysSent.has(rel)) continue;
      if (dirent.isSymbolicLink()) {
        const target = await readlink(abs);
        entries.push({
          path: rel,
          kind: 'symlink',
          sha256: sha256Hex(target),
        });
      } else if (dirent.isFile()) {
        const { mode } = await lstat(abs);
        entries.push({
          path: rel,
          kind: mode & 0o111 ? 'exec' : 'file',
          sha256: (await hashFile(abs)).sha256,
        });
      }
      // Sockets, FIFOs and devices cannot be sent in a build context: nothing to record.
    }
  };
  await walk('');
  return entries;
}

/** Hash the context on disk plus the build inputs that are not files. */
export async function hashBuildContext(
  contextDir: string,
  buildArgs: Readonly<Record<string, string>>,
  platform: string,
): Promise<ContextHash> {
  const entries = await listContextEntries(contextDir);
  const digest = contextDigest(entries, buildArgs, platform);
  return { tag: tagFromDigest(digest), digest, files: entries.length };
}
