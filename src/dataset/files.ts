// Walks a dataset directory. The same rules decide what validation sees and what a snapshot holds.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Hidden entries (.git, .DS_Store) and `*.cache` files are left out: ultralytics writes
 * `labels/<split>.cache` beside the labels with absolute paths and timestamps, so including them
 * would change the fingerprint on every training machine.
 */
export function isExcluded(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.cache');
}

/** POSIX-style relative path (snapshot keys and findings use `/` on every OS). */
export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * A file walkDataset found. Its absolute path is made when asked for, not kept: at 50k files the
 * stored paths were 3.6 MB of a sync's heap, held by validation and again by the snapshot.
 */
export class WalkedFile {
  constructor(
    private readonly root: string,
    /** Path relative to the walked root, `/`-separated. */
    readonly rel: string,
  ) {}

  get abs(): string {
    return path.join(this.root, this.rel);
  }
}

export interface WalkResult {
  /** Regular files whose real path is inside the root, sorted by `rel`. */
  files: WalkedFile[];
  /**
   * Symlinks (to files or directories) that resolve outside the root, sorted: never read, hashed
   * or uploaded. A pull request could otherwise link `x.jpg` to a secret on the runner.
   */
  outside: WalkedFile[];
}

/** Whether `child` is `parent` or under it (both absolute and already resolved). */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Every regular file under `root`. Symlinks are followed while they stay inside the root (datasets
 * are often assembled from linked folders); a directory seen twice through links is walked once,
 * dangling links are skipped and links that resolve outside the root are reported, not followed.
 */
export async function walkDataset(root: string): Promise<WalkResult> {
  const files: WalkedFile[] = [];
  const outside: WalkedFile[] = [];
  const realRoot = await fs.realpath(root);
  const seen = new Set<string>();
  const entry = (abs: string) => new WalkedFile(root, toPosix(path.relative(root, abs)));
  async function visit(dir: string, real: string): Promise<void> {
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const subdirs: [string, string][] = [];
    for (const e of entries) {
      if (isExcluded(e.name)) continue;
      const abs = path.join(dir, e.name);
      if (e.isSymbolicLink()) {
        const target = await fs.realpath(abs).catch(() => undefined); // dangling links are skipped
        if (target === undefined) continue;
        if (!isWithin(realRoot, target)) {
          outside.push(entry(abs));
          continue;
        }
        const stat = await fs.stat(target).catch(() => undefined);
        if (stat?.isFile()) files.push(entry(abs));
        else if (stat?.isDirectory()) subdirs.push([abs, target]);
      } else if (e.isFile()) files.push(entry(abs));
      else if (e.isDirectory()) subdirs.push([abs, path.join(real, e.name)]);
    }
    for (const [abs, target] of subdirs) await visit(abs, target);
  }
  await visit(root, realRoot);
  const byRel = (a: WalkedFile, b: WalkedFile) => compareCodePoints(a.rel, b.rel);
  return { files: files.sort(byRel), outside: outside.sort(byRel) };
}

/** The files of walkDataset (links that leave the root are left out). */
export async function walkFiles(root: string): Promise<WalkedFile[]> {
  return (await walkDataset(root)).files;
}

/** Orders strings by Unicode code point (what Python's sorted() does), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // A surrogate (part of an astral character) sorts after every BMP code unit.
      const sx = x >= 0xd800 && x <= 0xdfff;
      const sy = y >= 0xd800 && y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
