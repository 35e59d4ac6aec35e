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

export interface WalkedFile {
  /** Path relative to the walked root, `/`-separated. */
  rel: string;
  abs: string;
}

/**
 * Every regular file under `root`, sorted by relative path. Symlinks are followed (datasets are
 * often assembled from linked folders); a directory seen twice through links is walked once.
 */
export async function walkFiles(root: string): Promise<WalkedFile[]> {
  const out: WalkedFile[] = [];
  const seen = new Set<string>();
  async function visit(dir: string): Promise<void> {
    const real = await fs.realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await fs.readdir(dir, { withFileTypes: true });
    const subdirs: string[] = [];
    for (const entry of entries) {
      if (isExcluded(entry.name)) continue;
      const abs = path.join(dir, entry.name);
      let kind: 'file' | 'dir' | 'other' = entry.isFile()
        ? 'file'
        : entry.isDirectory()
          ? 'dir'
          : 'other';
      if (entry.isSymbolicLink()) {
        const stat = await fs.stat(abs).catch(() => undefined); // dangling links are skipped
        kind = stat?.isFile() ? 'file' : stat?.isDirectory() ? 'dir' : 'other';
      }
      if (kind === 'file') out.push({ rel: toPosix(path.relative(root, abs)), abs });
      else if (kind === 'dir') subdirs.push(abs);
    }
    for (const sub of subdirs) await visit(sub);
  }
  await visit(root);
  return out.sort((a, b) => compareCodePoints(a.rel, b.rel));
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
