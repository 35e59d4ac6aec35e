// The PR comment / job summary body. Pure: typed data in, markdown out, no clock (an unchanged run
// must render byte-identical markdown so the sticky comment is not rewritten).
import { formatDuration } from '../format.js';
import { METRIC_LABELS, formatThreshold, formatValue, isReported } from '../metrics/gate.js';
import { progressColumn } from '../metrics/results-csv.js';
import { KIND_LABELS, KIND_SUFFIXES, METRIC_KINDS, primaryKind, type YoloTask } from '../task.js';
import { spotSavings } from '../training/status.js';
import { describePriceOrigin, formatCost, formatHourly, formatUsd } from './cost.js';
import { trainingSection } from './training-section.js';
import { baselineSection, promotionLine, reuseLine } from './baseline.js';
import type { LifecycleReport } from '../model/lifecycle.js';
import { modelSection, type ModelReport } from './model-section.js';
import type {
  ClassMetrics,
  DatasetRef,
  DroppedImages,
  GateMetric,
  GateResult,
  Hyperparameters,
  JobOutcome,
  Metrics,
  RunContext,
} from '../types.js';
import {
  code,
  escapeBlockquote,
  escapeInline,
  link,
  markdownSize,
  table,
  truncateMarkdown,
} from './markdown.js';

export interface ReportData {
  gate: GateResult;
  metrics: Metrics;
  job: JobOutcome;
  dataset: DatasetRef;
  imageUri: string;
  /** For the workflow run link and the event/commit line. */
  context: RunContext;
  hyperparameters?: Hyperparameters;
  /** Lets several workflows keep separate sticky comments on one PR. Default `default`. */
  key?: string;
  /** Baseline champion, reuse, promotion (issue 12). */
  lifecycle?: LifecycleReport;
  /** The downloaded model, its plots and the workflow artifact holding them. */
  model?: ModelReport;
}

export interface RenderOptions {
  /** Size budget in UTF-8 bytes (bytes >= characters, so this also bounds GitHub's 65,536). */
  maxBytes?: number;
  /** Per-class rows shown before "and N more classes". */
  maxClasses?: number;
  /** Class rows of the dataset diff shown before the rest are summarised. */
  maxDiffClasses?: number;
}

/** GitHub rejects comment bodies over 65,536 characters; keep a margin for the marker and edits. */
export const MAX_COMMENT_BYTES = 65_000;

const SET_METRICS = ['map50', 'map50_95', 'precision', 'recall'] as const;

/** Keys become part of an HTML comment: keep them to characters that cannot close it. */
export function normalizeCommentKey(key: string | undefined): string {
  const cleaned = (key ?? '')
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 64);
  return cleaned.replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '') || 'default';
}

export function commentMarker(key?: string): string {
  return `<!-- sagemaker-yolo-action:${normalizeCommentKey(key)} -->`;
}

export function runUrl(context: RunContext): string | undefined {
  // A terminal run has no workflow run to link to.
  if (context.eventName === 'cli') return undefined;
  if (!context.runId || !context.repository || !context.serverUrl) return undefined;
  const base = `${context.serverUrl.replace(/\/+$/, '')}/${context.repository}/actions/runs/${context.runId}`;
  const attempt = Number(context.runAttempt);
  return Number.isInteger(attempt) && attempt > 1 ? `${base}/attempts/${attempt}` : base;
}

export function isJobFailure(job: JobOutcome): boolean {
  return job.status !== 'Completed' || job.timedOut === true;
}

function headline(data: ReportData): string {
  const { job, gate } = data;
  if (job.costCapStop) return '⏹️ Training job stopped at the max-cost spend cap';
  if (job.timedOut) return '⏳ Stopped waiting for the training job: it may still be running';
  if (job.credentialsExpired) {
    return '🔑 The AWS credentials expired while waiting: the training job keeps running';
  }
  if (job.limitExceeded === 'MaxRuntimeExceeded') {
    return '❌ Training job stopped at its maximum runtime';
  }
  if (job.limitExceeded === 'MaxWaitTimeExceeded') {
    return '❌ Training job ran out of spot wait time';
  }
  if (job.status === 'Failed') return '❌ Training job failed';
  if (job.status === 'Stopped' || job.status === 'Stopping') return '⏹️ Training job was stopped';
  if (job.status !== 'Completed') return `⚠️ Training job ended as ${escapeInline(job.status, 40)}`;
  return gate.passed
    ? '✅ Model passed the quality gate'
    : '❌ Model did not pass the quality gate';
}

function num(value: number | undefined): string {
  return isReported(value) ? formatValue(value) : '—';
}

/** The task whose metrics these are: metrics.json says; else the gate's (detect by default). */
function taskOf(data: ReportData): YoloTask {
  return data.metrics.task ?? data.gate.task ?? 'detect';
}

function metricRow(
  data: ReportData,
  label: string,
  value: number | undefined,
  metric?: GateMetric,
): string[] {
  // Thresholds show on the row the gate read: the primary block (or top-1 for classify).
  const check = metric ? data.gate.checks.find((c) => c.metric === metric) : undefined;
  const shown = isReported(value)
    ? formatValue(value, check?.threshold)
    : check
      ? check.notApplicable
        ? 'does not apply'
        : 'not reported'
      : '—';
  // max-regression sits beside the absolute threshold it adds to.
  const regression = metric ? data.gate.regressions?.find((r) => r.metric === metric) : undefined;
  const limits = [
    ...(check ? [`≥ ${formatThreshold(check.threshold)}`] : []),
    ...(regression
      ? [
          `≥ ${formatValue(regression.floor)} (champion ${formatValue(regression.baseline)} − max-regression ${formatThreshold(regression.maxRegression)})`,
        ]
      : []),
  ];
  const threshold = limits.length > 0 ? limits.join(' and ') : '—';
  const verdict =
    check || regression
      ? (check?.passed ?? true) && (regression?.passed ?? true)
        ? '✓'
        : '✗'
      : '';
  return [label, shown, threshold, verdict];
}

/**
 * One row per metric: classify's top-1/top-5; otherwise each block the task reports, primary
 * (gated) first. A single-block task (detect, obb) keeps the plain labels.
 */
function metricTable(data: ReportData): string {
  const { metrics } = data;
  const task = taskOf(data);
  const kinds = METRIC_KINDS[task];
  const rows: string[][] = [];
  if (task === 'classify') {
    rows.push(metricRow(data, METRIC_LABELS.top1, metrics.top1, 'top1'));
    rows.push(metricRow(data, 'Top-5 accuracy', metrics.top5));
    // a box threshold on a classify job (e.g. `report` without --task) still shows why it failed
    for (const check of data.gate.checks.filter((c) => c.metric !== 'top1')) {
      rows.push(metricRow(data, METRIC_LABELS[check.metric], undefined, check.metric));
    }
  }
  kinds.forEach((kind, i) => {
    for (const metric of SET_METRICS) {
      const label =
        kinds.length > 1
          ? `${METRIC_LABELS[metric]} (${KIND_LABELS[kind]})`
          : METRIC_LABELS[metric];
      const value = metrics.blocks?.[kind]?.[metric] ?? (i === 0 ? metrics[metric] : undefined);
      rows.push(metricRow(data, label, value, i === 0 ? metric : undefined));
    }
  });
  return table(['Metric', 'Value', 'Threshold', ''], rows, ['left', 'right', 'right', 'center']);
}

/** `task segment, gated on masks (M)`: what was trained and what the thresholds read. */
function taskFact(task: YoloTask): string {
  const kind = primaryKind(task);
  return `task ${task}, gated on ${kind ? `${KIND_LABELS[kind]} ${KIND_SUFFIXES[kind]}` : 'top-1 accuracy'}`;
}

function metricsSource(metrics: Metrics, task: YoloTask): string {
  if (metrics.source === 'none') return '_No metrics were reported by the job._';
  const facts: string[] = [];
  if (metrics.source === 'metrics.json') {
    facts.push(
      `from metrics.json${metrics.split ? ` (${escapeInline(metrics.split, 10)} split)` : ''}`,
    );
  } else {
    facts.push('from the last values SageMaker recorded in the training log (no metrics.json)');
  }
  facts.push(taskFact(task));
  if (metrics.model) facts.push(escapeInline(metrics.model, 80));
  if (metrics.imgsz !== undefined) facts.push(`imgsz ${metrics.imgsz}`);
  if (metrics.ultralyticsVersion) {
    facts.push(`ultralytics ${escapeInline(metrics.ultralyticsVersion, 40)}`);
  }
  const epochs = metrics.epochsCompleted ?? (metrics.epochs.length || undefined);
  if (epochs !== undefined) {
    facts.push(
      `${epochs} epoch${epochs === 1 ? '' : 's'}` +
        (metrics.bestEpoch !== undefined ? ` (best ${metrics.bestEpoch})` : ''),
    );
  }
  return `<sub>Metrics ${facts.join(' · ')}</sub>`;
}

const SPARK = '▁▂▃▄▅▆▇█';

/** mAP@0.5 per epoch as a one-line sparkline (at most 60 points), from results.csv. */
export function sparkline(values: number[], width = 60): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return '';
  const step = Math.max(1, Math.ceil(values.length / width));
  const points: number[] = [];
  for (let i = 0; i < values.length; i += step) {
    const window = values.slice(i, i + step).filter((v) => Number.isFinite(v));
    points.push(window.length ? window.reduce((a, b) => Math.max(a, b)) : Number.NaN);
  }
  const lo = finite.reduce((a, b) => Math.min(a, b));
  const hi = finite.reduce((a, b) => Math.max(a, b));
  return points
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      // A flat series has no range to scale to: place it by its value on the metrics' 0..1 scale.
      const level = hi === lo ? Math.min(1, Math.max(0, v)) : (v - lo) / (hi - lo);
      const idx = Math.round(level * (SPARK.length - 1));
      return SPARK[idx];
    })
    .join('');
}

function epochLine(metrics: Metrics, task: YoloTask): string | undefined {
  const column = progressColumn(task);
  const series = metrics.epochs.map((row) => row.values[column] ?? Number.NaN);
  const line = sparkline(series);
  if (!line) return undefined;
  const finite = series.filter((v) => Number.isFinite(v));
  const last = finite[finite.length - 1] as number;
  const kind = primaryKind(task);
  const label =
    kind === undefined
      ? METRIC_LABELS.top1
      : kind === 'box'
        ? 'mAP@0.5'
        : `mAP@0.5 (${KIND_LABELS[kind]})`;
  return `${label} by epoch: ${line} (${formatValue(finite.reduce((a, b) => Math.min(a, b)))} → ${formatValue(last)})`;
}

/** Worst mAP@0.5 first (the rows worth reading when the table is cut); unreported last. */
export function sortClasses(classes: ClassMetrics[]): ClassMetrics[] {
  const key = (c: ClassMetrics) => (Number.isFinite(c.ap50) ? c.ap50 : Number.POSITIVE_INFINITY);
  return [...classes].sort((a, b) => key(a) - key(b) || a.name.localeCompare(b.name));
}

function perClassSection(metrics: Metrics, limit: number, task: YoloTask): string | undefined {
  const all = metrics.perClass;
  // per_class is the primary block's; say which when the task reports more than one
  const kind = primaryKind(task);
  const of = kind && METRIC_KINDS[task].length > 1 ? `, ${KIND_LABELS[kind]}` : '';
  if (all.length === 0) return undefined;
  const shown = sortClasses(all).slice(0, limit);
  const rows = shown.map((c) => [
    escapeInline(c.name, 100),
    String(c.instances),
    num(c.ap50),
    num(c.ap50_95),
    num(c.precision),
    num(c.recall),
  ]);
  const rest = all.length - shown.length;
  const parts = [
    `<details><summary>Per-class results (${all.length} class${all.length === 1 ? '' : 'es'}${of}, worst mAP@0.5 first)</summary>`,
    '',
  ];
  if (rows.length > 0) {
    parts.push(
      table(['Class', 'Instances', 'mAP@0.5', 'mAP@0.5:0.95', 'Precision', 'Recall'], rows, [
        'left',
        'right',
        'right',
        'right',
        'right',
        'right',
      ]),
      '',
    );
  }
  if (rest > 0) {
    parts.push(
      `_…and ${rest} more class${rest === 1 ? '' : 'es'} (not shown to keep this comment within GitHub's size limit)._`,
      '',
    );
  }
  parts.push('</details>');
  return parts.join('\n');
}

function formatHyperparameters(hp: Hyperparameters | undefined): string | undefined {
  if (!hp) return undefined;
  const entries = Object.entries(hp).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return undefined;
  return escapeInline(entries.map(([k, v]) => `${k}=${String(v)}`).join(', '), 600);
}

function jobSection(data: ReportData): string {
  const { job } = data;
  const rows: string[][] = [];
  rows.push(['Job', link(job.jobName, job.consoleUrl, 100)]);
  const status =
    job.secondaryStatus && job.secondaryStatus !== job.status
      ? `${job.status} (${job.secondaryStatus})`
      : job.status;
  rows.push(['Status', escapeInline(status, 100)]);
  rows.push(['Instance', `${escapeInline(job.instanceType, 60)} × ${job.instanceCount}`]);
  const savings = spotSavings(job);
  rows.push([
    'Managed spot',
    job.spot ? (savings !== undefined ? `yes, saved ${Math.round(savings * 100)}%` : 'yes') : 'no',
  ]);
  rows.push(['Training time', formatDuration(job.trainingSeconds)]);
  rows.push(['Billable time', formatDuration(job.billableSeconds)]);
  const cost = costCell(job);
  if (cost) rows.push(['Cost', cost]);
  if (data.imageUri) rows.push(['Image', code(data.imageUri)]);
  if (job.modelArtifactsUri && job.status === 'Completed') {
    rows.push(['Model', code(job.modelArtifactsUri)]);
  }
  const hp = formatHyperparameters(data.hyperparameters);
  if (hp) rows.push(['Hyperparameters', hp]);
  return ['#### Training job', '', table(['', ''], rows)].join('\n');
}

/** The cost, the price it used and where that price came from; undefined for local runs. */
function costCell(job: JobOutcome): string | undefined {
  const report = job.cost;
  if (!report) return undefined;
  const text = formatCost(report);
  const price = report.known ? report.cost.price : report.price;
  // One escape for the whole cell: `$` pairs could otherwise render as GitHub math.
  if (!price)
    return escapeInline(
      `${text}${report.known ? '' : ' (set instance-price to see the cost)'}`,
      400,
    );
  const warm =
    job.warmPoolRetainedSeconds !== undefined && job.warmPoolRetainedSeconds > 0
      ? `, warm pool ${formatDuration(job.warmPoolRetainedSeconds)} included`
      : '';
  return escapeInline(
    `${text} · ${formatHourly(price)} × ${job.instanceCount}${warm}, price from ${describePriceOrigin(price)}`,
    400,
  );
}

/** A short hex fingerprint in a code span; anything else escaped (it is not ours then). */
function shortFingerprint(fp: string): string {
  return /^[0-9a-f]{12,}$/i.test(fp) ? `\`${fp.slice(0, 12)}\`` : escapeInline(fp, 40);
}

/** Images ultralytics will ignore: a count per split and the first files with their reasons. */
export function droppedSection(dropped: DroppedImages): string {
  const lines = [
    `⚠️ ultralytics will drop ${dropped.total} of ${dropped.images} images (max-dropped-images ${escapeInline(dropped.limit, 20)}):`,
    '',
  ];
  for (const s of dropped.splits) {
    const examples = s.examples
      .map(
        (e) =>
          `${escapeInline(e.file, 120)}${e.line ? `:${e.line}` : ''}: ${escapeInline(e.reason, 160)}`,
      )
      .join('; ');
    const more = s.dropped > s.examples.length ? ` …and ${s.dropped - s.examples.length} more` : '';
    lines.push(`- ${escapeInline(s.split, 10)}: ${s.dropped} of ${s.images} — ${examples}${more}`);
  }
  return lines.join('\n');
}

function datasetSection(dataset: DatasetRef, diffLimit: number): string {
  const rows: string[][] = [['Data', code(dataset.uri)]];
  if (dataset.snapshot) rows.push(['Snapshot', shortFingerprint(dataset.snapshot)]);
  const diff = dataset.diff;
  if (diff) {
    rows.push([
      'Changes',
      `${diff.added} added, ${diff.removed} removed, ${diff.changed} changed files against base snapshot ${shortFingerprint(diff.baseSnapshot)}`,
    ]);
  }
  const parts = ['#### Dataset', '', table(['', ''], rows)];
  if (dataset.dropped) parts.push('', droppedSection(dataset.dropped));
  if (diff && diff.instancesPerClass.length > 0) {
    const delta = (c: { before: number; after: number }) => c.after - c.before;
    const sorted = [...diff.instancesPerClass].sort(
      (a, b) => Math.abs(delta(b)) - Math.abs(delta(a)) || a.name.localeCompare(b.name),
    );
    const shown = sorted.slice(0, diffLimit);
    const rows2 = shown.map((c) => {
      const d = delta(c);
      return [
        escapeInline(c.name, 100),
        String(c.before),
        String(c.after),
        d > 0 ? `+${d}` : String(d),
      ];
    });
    parts.push('', '<details><summary>Instances per class, base → this run</summary>', '');
    if (rows2.length > 0) {
      parts.push(
        table(['Class', 'Before', 'After', 'Δ'], rows2, ['left', 'right', 'right', 'right']),
        '',
      );
    }
    const rest = sorted.length - shown.length;
    if (rest > 0) {
      const unchanged = sorted.slice(diffLimit).filter((c) => delta(c) === 0).length;
      parts.push(
        `_…and ${rest} more class${rest === 1 ? '' : 'es'} (${unchanged} unchanged)._`,
        '',
      );
    }
    parts.push('</details>');
  }
  return parts.join('\n');
}

function whatToCheck(job: JobOutcome): string[] {
  const items: string[] = [];
  if (job.credentialsExpired) {
    items.push(
      `When the job has ended, gate it and update this comment with \`sagemaker-yolo report ${escapeInline(job.jobName, 63)} --pr <number>\`.`,
      'Set `role-to-assume` so the action renews its own credentials while it waits, or start long jobs with `wait: false`.',
    );
  } else if (job.costCapStop) {
    items.push(
      `This action stopped the job when its estimated cost reached ${formatUsd(job.costCapStop.estimatedUsd)} (max-cost ${formatUsd(job.costCapStop.maxCostUsd)}). Raise \`max-cost\`, lower \`epochs\` or \`max-runtime\`, or pick a cheaper \`instance-type\`.`,
      'Checkpoints were saved: a re-run resumes from the last one.',
    );
  } else if (job.timedOut) {
    items.push(
      'The action stopped waiting, not the job: check its status in the console before starting another run.',
      'Raise the wait timeout or run with `wait: false` and report from a later workflow.',
    );
  } else if (job.limitExceeded === 'MaxRuntimeExceeded') {
    items.push(
      'Raise `max-runtime`, lower `epochs`, or use a faster `instance-type`.',
      'Checkpoints were saved: a re-run resumes from the last one.',
    );
  } else if (job.limitExceeded === 'MaxWaitTimeExceeded') {
    items.push(
      'Spot capacity was not available for long enough: raise `max-wait`, try another `instance-type` or region, or set `spot: false`.',
    );
  } else if (job.status === 'Stopped' || job.status === 'Stopping') {
    items.push(
      'The job was stopped (workflow cancelled, or StopTrainingJob from the console or API).',
    );
  } else {
    items.push(
      `The failure reason above, then the job log: CloudWatch group \`/aws/sagemaker/TrainingJobs\`, streams starting with ${code(`${job.jobName}/`, 80)}.`,
      'Out-of-memory errors: lower `batch-size` or `imgsz`, or use a larger `instance-type`.',
      'Dataset errors: run `sagemaker-yolo validate` on the dataset locally.',
    );
  }
  return items.map((i) => `- ${i}`);
}

interface Limits {
  classes: number;
  diffClasses: number;
  reasonChars: number;
  /** Rows of the Training section's per-epoch table. */
  epochRows: number;
}

function render(data: ReportData, limits: Limits): string {
  const { job, metrics } = data;
  const failure = isJobFailure(job);
  const parts: string[] = [commentMarker(data.key), `### ${headline(data)}`, ''];
  const reused = reuseLine(data.lifecycle);
  if (reused) parts.push(reused, '');

  if (failure) {
    parts.push(`Status: **${escapeInline(job.status, 40)}**`);
    if (job.failureReason) {
      parts.push('', escapeBlockquote(job.failureReason, limits.reasonChars));
    }
    parts.push('', '**What to check**', '');
    for (const line of whatToCheck(job)) parts.push(line);
    parts.push('');
  }

  if (!failure || metrics.source !== 'none') {
    const task = taskOf(data);
    parts.push(metricTable(data), '', metricsSource(metrics, task), '');
    const epochs = epochLine(metrics, task);
    if (epochs) parts.push(epochs, '');
    const perClass = perClassSection(metrics, limits.classes, task);
    if (perClass) parts.push(perClass, '');
    const baseline = baselineSection(data.lifecycle, metrics, limits.classes);
    if (baseline) parts.push(baseline, '');
    const promotion = promotionLine(data.lifecycle);
    if (promotion) parts.push(promotion, '');
    const training = trainingSection(metrics, job, data.hyperparameters, {
      tableRows: limits.epochRows,
    });
    if (training) parts.push(training, '');
  }

  if (data.model) parts.push(modelSection(data.model), '');
  parts.push(jobSection(data), '', datasetSection(data.dataset, limits.diffClasses), '');

  const footer: string[] = [];
  const url = runUrl(data.context);
  if (url) footer.push(link('Workflow run', url));
  if (data.context.eventName) footer.push(escapeInline(data.context.eventName, 40));
  if (/^[0-9a-f]{7,}$/i.test(data.context.sha)) footer.push(`\`${data.context.sha.slice(0, 7)}\``);
  if (footer.length > 0) parts.push(`<sub>${footer.join(' · ')}</sub>`);
  return `${parts.join('\n').trimEnd()}\n`;
}

/**
 * Renders the report. When it would exceed the size budget, the per-class table, the dataset diff
 * table and the failure text shrink (each with a note), then as a last resort the tail is cut.
 * The marker is the first line and is never cut.
 */
export function renderReport(data: ReportData, options: RenderOptions = {}): string {
  const maxBytes = options.maxBytes ?? MAX_COMMENT_BYTES;
  const limits: Limits = {
    classes: options.maxClasses ?? 100,
    diffClasses: options.maxDiffClasses ?? 50,
    reasonChars: 4000,
    epochRows: 60,
  };
  let body = render(data, limits);
  // Halve the biggest variable parts in turn; each step strictly shrinks, so this ends.
  while (markdownSize(body) > maxBytes) {
    if (limits.classes > 0) limits.classes = Math.floor(limits.classes / 2);
    else if (limits.diffClasses > 0) limits.diffClasses = Math.floor(limits.diffClasses / 2);
    else if (limits.epochRows > 0) limits.epochRows = Math.floor(limits.epochRows / 2);
    else if (limits.reasonChars > 200) limits.reasonChars = Math.floor(limits.reasonChars / 2);
    else break;
    body = render(data, limits);
  }
  return truncateMarkdown(
    body,
    maxBytes,
    "_…report truncated to fit GitHub's comment size limit._\n",
  );
}
