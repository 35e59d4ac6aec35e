// This run's metrics beside the baseline's (pure). A delta exists only where both sides reported
// the number: a missing side shows as missing, never as a made-up difference.
import { METRIC_LABELS, isReported } from '../metrics/gate.js';
import type { Metrics } from '../types.js';
import type { ChampionMetrics } from './champion.js';

export interface MetricDelta {
  label: string;
  value?: number;
  baseline?: number;
  delta?: number;
}

export interface ClassDelta extends MetricDelta {
  /** The class name (label is the same; kept for readers of the data). */
  name: string;
}

export interface MetricComparison {
  metrics: MetricDelta[];
  /** AP@0.5 per class, union of both sides' classes, this run's order first. */
  classes: ClassDelta[];
}

function pair(label: string, value: number | undefined, baseline: number | undefined): MetricDelta {
  const row: MetricDelta = { label };
  if (isReported(value)) row.value = value;
  if (isReported(baseline)) row.baseline = baseline;
  if (row.value !== undefined && row.baseline !== undefined) row.delta = row.value - row.baseline;
  return row;
}

export function compareMetrics(metrics: Metrics, baseline: ChampionMetrics): MetricComparison {
  const task = metrics.task ?? baseline.task ?? 'detect';
  const keys =
    task === 'classify'
      ? (['top1', 'top5'] as const)
      : (['map50', 'map50_95', 'precision', 'recall'] as const);
  const rows = keys.map((k) =>
    pair(k === 'top5' ? 'Top-5 accuracy' : METRIC_LABELS[k], metrics[k], baseline[k]),
  );
  const before = new Map(baseline.perClass.map((c) => [c.name, c.ap50]));
  const after = new Map(metrics.perClass.map((c) => [c.name, c.ap50]));
  const names = [...after.keys(), ...[...before.keys()].filter((n) => !after.has(n))];
  const classes = names.map((name) => ({ name, ...pair(name, after.get(name), before.get(name)) }));
  return { metrics: rows, classes };
}

/** ↑, ↓ or = (colour-free), judged at the 4 decimals the report shows. */
export function deltaSymbol(delta: number): '↑' | '↓' | '=' {
  const shown = Number(delta.toFixed(4));
  return shown > 0 ? '↑' : shown < 0 ? '↓' : '=';
}

/** `↑ +0.0123`, `↓ −0.0500`, `= 0.0000`. */
export function formatDelta(delta: number): string {
  const symbol = deltaSymbol(delta);
  const magnitude = Math.abs(delta).toFixed(4);
  return symbol === '↑'
    ? `↑ +${magnitude}`
    : symbol === '↓'
      ? `↓ −${magnitude}`
      : `= ${(0).toFixed(4)}`;
}
