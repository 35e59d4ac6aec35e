// Images and labels added, removed and changed per split between two snapshots (pure). Snapshots
// keep paths and hashes only, so the split is read from the path: the first folder named like a
// split (images/train/a.jpg, train/images/a.jpg, train/cat/a.jpg for classify); anything else is
// `other`. Files that are neither images nor .txt labels (the yaml, notes) are not counted.
import { isImagePath } from './images.js';
import type { SnapshotDocument } from './snapshot.js';

export interface FileChanges {
  added: number;
  removed: number;
  changed: number;
}

export interface SplitChanges {
  split: string;
  images: FileChanges;
  labels: FileChanges;
}

const SPLIT_NAMES: Record<string, string> = {
  train: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
};
const SPLIT_ORDER = ['train', 'val', 'test', 'other'];

export function splitOfPath(rel: string): string {
  for (const part of rel.split('/').slice(0, -1)) {
    const split = SPLIT_NAMES[part.toLowerCase()];
    if (split) return split;
  }
  return 'other';
}

function kindOf(rel: string): 'images' | 'labels' | undefined {
  if (isImagePath(rel)) return 'images';
  return rel.toLowerCase().endsWith('.txt') ? 'labels' : undefined;
}

const none = (): FileChanges => ({ added: 0, removed: 0, changed: 0 });

/** Splits with at least one change, in train/val/test/other order. */
export function diffSplits(base: SnapshotDocument, head: SnapshotDocument): SplitChanges[] {
  const bySplit = new Map<string, SplitChanges>();
  const count = (rel: string, change: keyof FileChanges) => {
    const kind = kindOf(rel);
    if (!kind) return;
    const split = splitOfPath(rel);
    let entry = bySplit.get(split);
    if (!entry) bySplit.set(split, (entry = { split, images: none(), labels: none() }));
    entry[kind][change]++;
  };
  for (const [rel, file] of Object.entries(head.files)) {
    const old = Object.hasOwn(base.files, rel) ? base.files[rel] : undefined;
    if (!old) count(rel, 'added');
    else if (old.sha256 !== file.sha256 || old.size !== file.size) count(rel, 'changed');
  }
  for (const rel of Object.keys(base.files))
    if (!Object.hasOwn(head.files, rel)) count(rel, 'removed');
  return [...bySplit.values()].sort(
    (a, b) => SPLIT_ORDER.indexOf(a.split) - SPLIT_ORDER.indexOf(b.split),
  );
}
