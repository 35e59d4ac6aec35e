// The comment's "Training" section: how the run went (epochs completed vs asked, early stopping,
// best epoch, time per epoch, spot interruptions) and its per-epoch curves as Mermaid charts with
// the numbers in a collapsed table. Pure.
import { formatDuration } from '../format.js';
import type { EpochRow, Hyperparameters, JobOutcome, Metrics } from '../types.js';
import { epochTable, LOSS_CHART, MAP_CHART, MAX_POINTS, mermaidBlock, xyChart } from './charts.js';

/** ultralytics' default `patience` (epochs without improvement before it stops early). */
const DEFAULT_PATIENCE = 100;

function positiveInt(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Seconds per epoch from results.csv's `time` column (cumulative seconds, ultralytics ≥ 8.3.9):
 * the median of the steps, so a resume (the clock restarts) or one slow validation does not skew
 * it. Undefined without that column.
 */
export function secondsPerEpoch(rows: EpochRow[]): number | undefined {
  const steps: number[] = [];
  let previous: EpochRow | undefined;
  for (const row of rows) {
    const t = row.values.time;
    const p = previous?.values.time;
    if (previous && t !== undefined && p !== undefined && row.epoch === previous.epoch + 1) {
      const step = t - p;
      if (Number.isFinite(step) && step > 0) steps.push(step);
    } else if (!previous && t !== undefined && Number.isFinite(t) && t > 0 && row.epoch === 1) {
      steps.push(t);
    }
    previous = row;
  }
  if (steps.length === 0) return undefined;
  steps.sort((a, b) => a - b);
  const mid = Math.floor(steps.length / 2);
  return steps.length % 2
    ? (steps[mid] as number)
    : ((steps[mid - 1] as number) + (steps[mid] as number)) / 2;
}

export interface TrainingFacts {
  completed?: number;
  asked?: number;
  best?: number;
  earlyStopped: boolean;
  patience?: number;
  secondsPerEpoch?: number;
  /** True when secondsPerEpoch is training time ÷ epochs (startup included). */
  perEpochEstimated: boolean;
  interruptions?: number;
  restarts?: number;
}

export function trainingFacts(
  metrics: Metrics,
  job: JobOutcome,
  hyperparameters: Hyperparameters | undefined,
): TrainingFacts {
  const completed = metrics.epochsCompleted ?? (metrics.epochs.at(-1)?.epoch || undefined);
  const asked = positiveInt(hyperparameters?.epochs);
  // Fewer epochs than asked in a job that completed on its own: ultralytics' patience stopped it.
  const earlyStopped =
    job.status === 'Completed' &&
    !job.limitExceeded &&
    completed !== undefined &&
    asked !== undefined &&
    completed < asked;
  let perEpoch = secondsPerEpoch(metrics.epochs);
  let perEpochEstimated = false;
  if (perEpoch === undefined && completed && job.trainingSeconds !== undefined) {
    perEpoch = job.trainingSeconds / completed;
    perEpochEstimated = true;
  }
  const facts: TrainingFacts = { earlyStopped, perEpochEstimated };
  if (completed !== undefined) facts.completed = completed;
  if (asked !== undefined) facts.asked = asked;
  if (metrics.bestEpoch !== undefined) facts.best = metrics.bestEpoch;
  if (earlyStopped) facts.patience = positiveInt(hyperparameters?.patience) ?? DEFAULT_PATIENCE;
  if (perEpoch !== undefined) facts.secondsPerEpoch = perEpoch;
  if (job.spotInterruptions !== undefined) facts.interruptions = job.spotInterruptions;
  if (job.spotRestarts !== undefined) facts.restarts = job.spotRestarts;
  return facts;
}

/** The facts as bullet points (markdown-safe: numbers and our own words only). */
export function trainingFactLines(facts: TrainingFacts): string[] {
  const lines: string[] = [];
  if (facts.completed !== undefined) {
    const of = facts.asked !== undefined ? ` of ${facts.asked} asked` : '';
    lines.push(`Epochs: ${facts.completed}${of}`);
  }
  if (facts.earlyStopped) {
    lines.push(
      `Early stopping: yes, no improvement for ${facts.patience} epochs (patience); the best weights are kept`,
    );
  } else if (facts.completed !== undefined && facts.asked !== undefined) {
    lines.push('Early stopping: no');
  }
  if (facts.best !== undefined) lines.push(`Best epoch: ${facts.best}`);
  if (facts.secondsPerEpoch !== undefined) {
    lines.push(
      facts.perEpochEstimated
        ? `Time per epoch: about ${formatDuration(facts.secondsPerEpoch)} (training time ÷ epochs, startup included)`
        : `Time per epoch: ${formatDuration(facts.secondsPerEpoch)} (median)`,
    );
  }
  if (facts.interruptions !== undefined) {
    const n = facts.interruptions;
    lines.push(
      n === 0
        ? 'Spot interruptions: none'
        : `Spot interruptions: ${n}, resumed from a checkpoint ${facts.restarts ?? 0} time${facts.restarts === 1 ? '' : 's'}`,
    );
  }
  return lines;
}

export interface TrainingSectionOptions {
  /** Rows of the per-epoch table (the charts keep their own limit); 0 leaves the table out. */
  tableRows?: number;
}

export function trainingSection(
  metrics: Metrics,
  job: JobOutcome,
  hyperparameters: Hyperparameters | undefined,
  options: TrainingSectionOptions = {},
): string | undefined {
  const facts = trainingFactLines(trainingFacts(metrics, job, hyperparameters));
  const charts = [xyChart(metrics.epochs, MAP_CHART), xyChart(metrics.epochs, LOSS_CHART)].filter(
    (c): c is string => c !== undefined,
  );
  if (facts.length === 0 && charts.length === 0) return undefined;
  const parts = ['#### Training', ''];
  if (facts.length > 0) parts.push(facts.map((f) => `- ${f}`).join('\n'), '');
  for (const chart of charts) parts.push(mermaidBlock(chart), '');
  const rows = options.tableRows ?? MAX_POINTS;
  const numbers = rows > 0 ? epochTable(metrics.epochs, rows) : undefined;
  if (numbers) {
    const shown = Math.min(rows, metrics.epochs.length);
    const note =
      shown < metrics.epochs.length ? `, ${shown} of ${metrics.epochs.length} epochs shown` : '';
    parts.push(
      `<details><summary>Per-epoch numbers (from results.csv${note})</summary>`,
      '',
      numbers,
      '',
      '</details>',
      '',
    );
  }
  return parts.join('\n').trimEnd();
}
