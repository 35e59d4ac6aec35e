// Per-epoch curves from results.csv: Mermaid `xychart-beta` sources for the comment, the numbers
// as a table (GitHub's Mermaid can lag or fail, so the table is the fallback), and a text chart
// for the terminal. Pure.
//
// xychart-beta draws no legend, so each chart holds lines of one kind and its title names them
// in drawing order; long runs are downsampled so 300 epochs cost what 60 do.
import { RESULTS_COLUMNS } from '../metrics/results-csv.js';
import type { EpochRow } from '../types.js';
import { table } from './markdown.js';

/** Points per chart and rows per table: enough to see a curve's shape, small in a comment. */
export const MAX_POINTS = 60;

/** Sum of the loss components ultralytics logs for a split (box, cls, dfl; seg/pose add theirs). */
export function totalLoss(row: EpochRow, split: 'train' | 'val'): number {
  let sum = 0;
  let found = false;
  for (const [name, value] of Object.entries(row.values)) {
    if (name.startsWith(`${split}/`) && name.endsWith('_loss')) {
      sum += value;
      found = true;
    }
  }
  return found ? sum : Number.NaN;
}

export interface Series {
  name: string;
  value: (row: EpochRow) => number;
}

export const MAP_SERIES: Series[] = [
  { name: 'mAP@0.5', value: (r) => r.values[RESULTS_COLUMNS.map50] ?? Number.NaN },
  { name: 'mAP@0.5:0.95', value: (r) => r.values[RESULTS_COLUMNS.map50_95] ?? Number.NaN },
];

export const LOSS_SERIES: Series[] = [
  { name: 'train loss', value: (r) => totalLoss(r, 'train') },
  { name: 'val loss', value: (r) => totalLoss(r, 'val') },
];

/**
 * At most `max` rows, evenly spaced, always keeping the first and the last. Rows where any series
 * is not a finite number are left out first (a chart line cannot have holes).
 */
export function downsample(rows: EpochRow[], series: Series[], max = MAX_POINTS): EpochRow[] {
  const usable = rows.filter((r) => series.every((s) => Number.isFinite(s.value(r))));
  if (usable.length <= max) return usable;
  const picked: EpochRow[] = [];
  for (let i = 0; i < max; i++) {
    const row = usable[Math.round((i * (usable.length - 1)) / (max - 1))] as EpochRow;
    if (picked[picked.length - 1] !== row) picked.push(row);
  }
  return picked;
}

/** Four significant decimals: what a reviewer compares, and short enough for a comment. */
function n(value: number): string {
  return String(Number(value.toFixed(4)));
}

export interface ChartSpec {
  title: string;
  yLabel: string;
  series: Series[];
  /** Fixed y range (metrics live in 0..1); losses scale to their data. */
  yRange?: [number, number];
}

export const MAP_CHART: ChartSpec = {
  title: 'mAP@0.5 (upper line) and mAP@0.5:0.95 by epoch',
  yLabel: 'mAP',
  series: MAP_SERIES,
  yRange: [0, 1],
};

export const LOSS_CHART: ChartSpec = {
  title: 'Train loss and val loss (box + cls + dfl) by epoch',
  yLabel: 'loss',
  series: LOSS_SERIES,
};

/** Mermaid xychart-beta source, or undefined with fewer than two usable epochs. */
export function xyChart(rows: EpochRow[], spec: ChartSpec): string | undefined {
  const points = downsample(rows, spec.series);
  if (points.length < 2) return undefined;
  // Titles are ours, never user text; quotes would end the string.
  const quote = (s: string) => `"${s.replace(/"/g, "'")}"`;
  const lines = [
    'xychart-beta',
    `  title ${quote(spec.title)}`,
    `  x-axis ${quote('epoch')} [${points.map((r) => r.epoch).join(', ')}]`,
    spec.yRange
      ? `  y-axis ${quote(spec.yLabel)} ${spec.yRange[0]} --> ${spec.yRange[1]}`
      : `  y-axis ${quote(spec.yLabel)}`,
    ...spec.series.map((s) => `  line [${points.map((r) => n(s.value(r))).join(', ')}]`),
  ];
  return lines.join('\n');
}

export function mermaidBlock(source: string): string {
  return ['```mermaid', source, '```'].join('\n');
}

const TABLE_SERIES: Series[] = [
  ...MAP_SERIES,
  { name: 'Precision', value: (r) => r.values[RESULTS_COLUMNS.precision] ?? Number.NaN },
  { name: 'Recall', value: (r) => r.values[RESULTS_COLUMNS.recall] ?? Number.NaN },
  ...LOSS_SERIES,
];

/** The numbers behind the charts (downsampled the same way; a missing value shows as —). */
export function epochTable(rows: EpochRow[], max = MAX_POINTS): string | undefined {
  if (rows.length === 0) return undefined;
  const shown = downsample(rows, [], max);
  const cell = (v: number) => (Number.isFinite(v) ? n(v) : '—');
  return table(
    ['Epoch', ...TABLE_SERIES.map((s) => s.name)],
    shown.map((r) => [String(r.epoch), ...TABLE_SERIES.map((s) => cell(s.value(r)))]),
    ['right', ...TABLE_SERIES.map(() => 'right' as const)],
  );
}

/**
 * A terminal chart: one row per series, `height` levels of block characters per column, values
 * scaled to the chart's y range (or the data's), with the first and last value at the ends.
 */
export function textChart(
  rows: EpochRow[],
  spec: ChartSpec,
  width = MAX_POINTS,
  labelWidth = 0,
): string[] {
  const points = downsample(rows, spec.series, width);
  if (points.length < 2) return [];
  const values = spec.series.map((s) => points.map((r) => s.value(r)));
  const all = values.flat();
  const [lo, hi] = spec.yRange ?? [
    all.reduce((a, b) => Math.min(a, b), Infinity),
    all.reduce((a, b) => Math.max(a, b), -Infinity),
  ];
  const blocks = '▁▂▃▄▅▆▇█';
  const level = (v: number) =>
    hi === lo ? 0 : Math.round(((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * 7);
  const label = spec.series.reduce((w, s) => Math.max(w, s.name.length), labelWidth);
  return spec.series.map((s, i) => {
    const line = (values[i] as number[]).map((v) => blocks[level(v)]).join('');
    const first = (values[i] as number[])[0] as number;
    const last = (values[i] as number[])[points.length - 1] as number;
    return `${s.name.padEnd(label)}  ${line}  ${n(first)} → ${n(last)}`;
  });
}
