// The report for a terminal: the same facts as the PR comment (verdict, metrics against their
// thresholds, how training went with text charts, the job and its cost) as plain aligned text.
// Pure. Job and class names come from AWS or the dataset: control characters are removed so they
// cannot move the cursor or recolour the terminal.
import { formatDuration } from '../format.js';
import { METRIC_LABELS, formatThreshold, formatValue, isReported } from '../metrics/gate.js';
import type { GateMetric, GateResult, Hyperparameters, JobOutcome, Metrics } from '../types.js';
import { LOSS_CHART, MAP_CHART, textChart } from './charts.js';
import { describePriceOrigin, formatCost, formatHourly } from './cost.js';
import { trainingFactLines, trainingFacts } from './training-section.js';

export interface TerminalReportInput {
  job: JobOutcome;
  metrics: Metrics;
  gate?: GateResult;
  hyperparameters?: Hyperparameters;
}

const GATE_METRICS: GateMetric[] = ['map50', 'map50_95', 'precision', 'recall'];

function plain(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function verdict(input: TerminalReportInput): string {
  const { job, gate } = input;
  if (job.costCapStop) return 'STOPPED at the max-cost spend cap';
  if (job.timedOut) return `STILL RUNNING? stopped waiting (status ${plain(job.status, 40)})`;
  if (job.status !== 'Completed') return `JOB ${plain(job.status, 40).toUpperCase()}`;
  if (!gate) return 'NOT GATED';
  return gate.passed ? 'PASSED the quality gate' : 'FAILED the quality gate';
}

/** Rows padded to their column widths. */
function columns(rows: string[][]): string[] {
  const widths =
    rows[0]?.map((_, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), 0)) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

export function renderTerminalReport(input: TerminalReportInput): string {
  const { job, metrics, gate } = input;
  const lines = [`== ${verdict(input)}: ${plain(job.jobName, 80)}`, ''];

  if (metrics.source !== 'none') {
    const rows = [['Metric', 'Value', 'Threshold', '']];
    for (const metric of GATE_METRICS) {
      const check = gate?.checks.find((c) => c.metric === metric);
      const value = metrics[metric];
      rows.push([
        METRIC_LABELS[metric],
        isReported(value) ? formatValue(value, check?.threshold) : '—',
        check ? `>= ${formatThreshold(check.threshold)}` : '—',
        check ? (check.passed ? 'ok' : 'FAIL') : '',
      ]);
    }
    lines.push(columns(rows).join('\n'), '');
  }

  const facts = trainingFactLines(trainingFacts(metrics, job, input.hyperparameters));
  // One label column for both charts, so their bars line up.
  const labelWidth = [...MAP_CHART.series, ...LOSS_CHART.series].reduce(
    (w, s) => Math.max(w, s.name.length),
    0,
  );
  const charts = [
    ...textChart(metrics.epochs, MAP_CHART, undefined, labelWidth),
    ...textChart(metrics.epochs, LOSS_CHART, undefined, labelWidth),
  ];
  if (facts.length > 0 || charts.length > 0) {
    lines.push('Training');
    for (const f of facts) lines.push(`  ${f}`);
    if (charts.length > 0) lines.push('');
    for (const c of charts) lines.push(`  ${c}`);
    lines.push('');
  }

  const status =
    job.secondaryStatus && job.secondaryStatus !== job.status
      ? `${job.status} (${job.secondaryStatus})`
      : job.status;
  const jobRows = [
    ['Job', plain(job.jobName, 80)],
    ['Status', plain(status, 80)],
    [
      'Instance',
      `${plain(job.instanceType, 40)} × ${job.instanceCount}${job.spot ? ', managed spot' : ''}`,
    ],
  ];
  const times = [
    job.trainingSeconds !== undefined ? `training ${formatDuration(job.trainingSeconds)}` : '',
    job.billableSeconds !== undefined ? `billable ${formatDuration(job.billableSeconds)}` : '',
  ].filter(Boolean);
  if (times.length > 0) jobRows.push(['Time', times.join(', ')]);
  if (job.cost) {
    const price = job.cost.known ? job.cost.cost.price : job.cost.price;
    jobRows.push([
      'Cost',
      price
        ? `${formatCost(job.cost)} at ${formatHourly(price)} from ${describePriceOrigin(price)}`
        : formatCost(job.cost),
    ]);
  }
  if (job.failureReason) jobRows.push(['Reason', plain(job.failureReason, 300)]);
  lines.push(columns(jobRows).join('\n'));
  return `${lines.join('\n').trimEnd()}\n`;
}
