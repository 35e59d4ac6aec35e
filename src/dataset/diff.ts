// What changed between the base branch's snapshot and this one (pure).
import type { SnapshotDiff } from '../types.js';
import { instancesPerClass, type DatasetStats } from './report.js';
import type { FileTable } from './file-table.js';
import type { SnapshotDocument } from './snapshot.js';

export function diffSnapshots(
  base: { fingerprint: string; document: SnapshotDocument; stats?: DatasetStats },
  head: { files: FileTable; stats?: DatasetStats },
): SnapshotDiff {
  let added = 0;
  let removed = 0;
  let changed = 0;
  const before = base.document.files;
  const after = head.files;
  for (let i = 0; i < after.length; i++) {
    const rel = after.rel(i);
    const old = Object.hasOwn(before, rel) ? before[rel] : undefined;
    if (!old) added++;
    else if (old.sha256 !== after.sha256(i) || old.size !== after.size(i)) changed++;
  }
  for (const rel of Object.keys(before)) if (after.indexOf(rel) < 0) removed++;

  // Per-class counts need both sides' stats; without them the comparison would be made up.
  const instances: SnapshotDiff['instancesPerClass'] = [];
  if (base.stats && head.stats) {
    const b = instancesPerClass(base.stats);
    const a = instancesPerClass(head.stats);
    const names = [...a.keys(), ...[...b.keys()].filter((n) => !a.has(n))];
    for (const name of names)
      instances.push({ name, before: b.get(name) ?? 0, after: a.get(name) ?? 0 });
  }
  return { baseSnapshot: base.fingerprint, added, removed, changed, instancesPerClass: instances };
}

/** One line for the log: "vs base 1a2b3c4d: +3 -1 ~2 files; room 410 -> 415". */
export function describeDiff(diff: SnapshotDiff): string {
  const classes = diff.instancesPerClass
    .filter((c) => c.before !== c.after)
    .map((c) => `${c.name} ${c.before} -> ${c.after}`);
  return `vs base ${diff.baseSnapshot.slice(0, 12)}: +${diff.added} -${diff.removed} ~${diff.changed} files${classes.length ? `; ${classes.join(', ')}` : ''}`;
}
