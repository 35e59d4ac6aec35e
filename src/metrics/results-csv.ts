// Parser for ultralytics results.csv. Pure.
//
// Formats seen across versions (DESIGN.md, "Facts"):
// - before 8.3.9 every header and value is right-aligned with spaces (`%23s,` / `%23.5g,`);
// - from 8.3.9 the file is compact and has a `time` column after `epoch`;
// - task suffixes differ ((B) boxes, (M) masks, (P) pose), so columns are looked up by trimmed name
//   and every column is kept rather than a fixed list.
// A resumed run (spot interruption) appends to the same file and can repeat an epoch that was
// written before the checkpoint was saved; the last row for an epoch wins.
import { KIND_SUFFIXES, primaryKind, type MetricKind, type YoloTask } from '../task.js';
import type { EpochRow } from '../types.js';

/** Common column names, for callers that want one without spelling the suffix. */
export const RESULTS_COLUMNS = {
  precision: 'metrics/precision(B)',
  recall: 'metrics/recall(B)',
  map50: 'metrics/mAP50(B)',
  map50_95: 'metrics/mAP50-95(B)',
} as const;

/** classify's columns. */
export const ACCURACY_COLUMNS = {
  top1: 'metrics/accuracy_top1',
  top5: 'metrics/accuracy_top5',
} as const;

/** A block's column: resultsColumn('map50', 'mask') is `metrics/mAP50(M)`. */
export function resultsColumn(metric: keyof typeof RESULTS_COLUMNS, kind: MetricKind): string {
  return RESULTS_COLUMNS[metric].replace('(B)', KIND_SUFFIXES[kind]);
}

/**
 * The column that shows a task's training progress per epoch: mAP@0.5 of its primary block
 * (masks for segment), top-1 accuracy for classify.
 */
export function progressColumn(task: YoloTask): string {
  const kind = primaryKind(task);
  return kind ? resultsColumn('map50', kind) : ACCURACY_COLUMNS.top1;
}

/** `nan`, empty and unparsable cells become NaN; Python's `inf` spellings become ±Infinity. */
export function parseCell(raw: string): number {
  const s = raw.trim().toLowerCase();
  if (s === '' || s === 'nan' || s === '-nan') return Number.NaN;
  if (s === 'inf' || s === '+inf' || s === 'infinity') return Number.POSITIVE_INFINITY;
  if (s === '-inf' || s === '-infinity') return Number.NEGATIVE_INFINITY;
  const n = Number(s);
  return Number.isNaN(n) ? Number.NaN : n;
}

export function parseResultsCsv(text: string): EpochRow[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];

  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const epochIndex = header.indexOf('epoch');
  if (epochIndex < 0) {
    throw new Error(
      `results.csv: no "epoch" column in the header (found: ${header.slice(0, 8).join(', ')})`,
    );
  }

  const byEpoch = new Map<number, EpochRow>();
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] ?? '').split(',');
    // A second header appears when a file is concatenated from two runs; skip it.
    if ((cells[epochIndex] ?? '').trim() === 'epoch') continue;
    const epoch = parseCell(cells[epochIndex] ?? '');
    // A row cut short by an interrupted write has no usable epoch: drop it rather than fail.
    if (!Number.isFinite(epoch)) continue;
    const values: Record<string, number> = {};
    header.forEach((name, col) => {
      if (col === epochIndex || name === '') return;
      values[name] = parseCell(cells[col] ?? '');
    });
    byEpoch.set(Math.round(epoch), { epoch: Math.round(epoch), values });
  }
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}
