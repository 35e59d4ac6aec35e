// The quality gate. Pure: every configured threshold is checked (no short-circuit) so the failure
// message shows the whole picture at once. The mAP, precision and recall thresholds apply to the
// task's primary block (masks for segment, boxes otherwise); classify has top-1 accuracy instead.
import { KIND_LABELS, KIND_SUFFIXES, primaryKind, type YoloTask } from '../task.js';
import type {
  GateCheck,
  GateMetric,
  GateResult,
  Metrics,
  RegressionCheck,
  Threshold,
} from '../types.js';

export const METRIC_LABELS: Record<GateMetric, string> = {
  map50: 'mAP@0.5',
  map50_95: 'mAP@0.5:0.95',
  precision: 'Precision',
  recall: 'Recall',
  top1: 'Top-1 accuracy',
};

/** The metric's label with the block it was read from: `mAP@0.5 (masks)`. */
export function checkLabel(check: Pick<GateCheck, 'metric' | 'kind'>): string {
  const label = METRIC_LABELS[check.metric];
  return check.kind === 'accuracy' ? label : `${label} (${KIND_LABELS[check.kind]})`;
}

export function isReported(value: number | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Formats `value` with 4 decimals, or more when 4 would round it onto the wrong side of
 * `threshold` (0.84996 must not print as "0.8500 < 0.85").
 */
export function formatValue(value: number, threshold?: number): string {
  for (let digits = 4; digits <= 10; digits++) {
    const text = value.toFixed(digits);
    if (threshold === undefined) return text;
    const rounded = Number(text);
    if (value >= threshold === rounded >= threshold) return text;
  }
  return String(value);
}

/** A threshold as the user wrote it (0.85, not 0.8500). */
export function formatThreshold(min: number): string {
  return String(Number(min.toPrecision(12)));
}

/** What a check read, after its verdict: `on masks (M)`; accuracy needs no note. */
function kindNote(check: GateCheck): string {
  return check.kind === 'accuracy'
    ? ''
    : ` on ${KIND_LABELS[check.kind]} ${KIND_SUFFIXES[check.kind]}`;
}

function checkLine(check: GateCheck): string {
  const mark = check.passed ? '✓' : '✗';
  const min = formatThreshold(check.threshold);
  if (check.notApplicable)
    return `${mark} ${check.metric}: ${check.notApplicable} (${check.input})`;
  if (!isReported(check.value)) {
    return `${mark} ${check.metric} not reported, needs >= ${min} (${check.input})${kindNote(check)}`;
  }
  const op = check.passed ? '>=' : '<';
  return `${mark} ${check.metric} ${formatValue(check.value, check.threshold)} ${op} ${min} (${check.input})${kindNote(check)}`;
}

/** The value a threshold is checked against, or why this task has none. */
function gatedValue(
  metrics: Metrics,
  task: YoloTask,
  metric: GateMetric,
): Pick<GateCheck, 'kind' | 'value' | 'notApplicable'> {
  if (metric === 'top1') {
    if (task !== 'classify') {
      return {
        kind: 'accuracy',
        notApplicable: `only classify models report it; this ${task} model does not`,
      };
    }
    return { kind: 'accuracy', value: metrics.top1 };
  }
  const kind = primaryKind(task);
  if (kind === undefined) {
    return {
      kind: 'box',
      notApplicable:
        'does not apply to a classify model, which reports top-1/top-5 accuracy: use top1-threshold',
    };
  }
  // the block when metrics.json has one; older files hold only the top-level (primary) numbers
  return { kind, value: metrics.blocks?.[kind]?.[metric] ?? metrics[metric] };
}

/** What max-regression compares with: the baseline's numbers and the allowed fall. */
export interface RegressionGate {
  baseline: Pick<
    Metrics,
    'task' | 'map50' | 'map50_95' | 'precision' | 'recall' | 'top1' | 'blocks'
  >;
  maxRegression: number;
}

/** Rounding noise must not fail `0.88 vs 0.90 − 0.02`. */
const REGRESSION_EPSILON = 1e-9;

/**
 * The primary metric (mAP@0.5, top-1 for classify) and each thresholded metric, compared with the
 * baseline. A metric the baseline lacks is not compared: a delta against nothing would be made up.
 */
function regressionChecks(
  metrics: Metrics,
  task: YoloTask,
  thresholds: Threshold[],
  gate: RegressionGate,
): RegressionCheck[] {
  const primary: GateMetric = task === 'classify' ? 'top1' : 'map50';
  const wanted = [primary, ...thresholds.map((t) => t.metric)].filter(
    (m, i, all) => all.indexOf(m) === i,
  );
  const checks: RegressionCheck[] = [];
  for (const metric of wanted) {
    const current = gatedValue(metrics, task, metric);
    if (current.notApplicable !== undefined) continue;
    const base = gatedValue(gate.baseline as Metrics, task, metric).value;
    if (!isReported(base)) continue;
    const floor = base - gate.maxRegression;
    const check: RegressionCheck = {
      metric,
      kind: current.kind,
      baseline: base,
      maxRegression: gate.maxRegression,
      floor,
      passed:
        isReported(current.value) &&
        base - current.value <= gate.maxRegression + REGRESSION_EPSILON,
    };
    if (isReported(current.value)) check.value = current.value;
    checks.push(check);
  }
  return checks;
}

function regressionLine(check: RegressionCheck): string {
  const mark = check.passed ? '✓' : '✗';
  const allowed = `baseline ${formatValue(check.baseline)} − max-regression ${formatThreshold(check.maxRegression)}`;
  if (!isReported(check.value)) return `${mark} ${check.metric} not reported, needs >= ${allowed}`;
  const delta = check.value - check.baseline;
  const op = check.passed ? '>=' : '<';
  return `${mark} ${check.metric} ${formatValue(check.value)} ${op} ${allowed} (${delta >= 0 ? '+' : ''}${formatValue(delta)})`;
}

export function evaluateGate(
  metrics: Metrics,
  thresholds: Threshold[],
  regression?: RegressionGate,
): GateResult {
  const task = metrics.task ?? 'detect';
  const checks: GateCheck[] = thresholds.map((t) => {
    const { kind, value, notApplicable } = gatedValue(metrics, task, t.metric);
    const check: GateCheck = {
      metric: t.metric,
      kind,
      input: t.input,
      threshold: t.min,
      passed: notApplicable === undefined && isReported(value) && value >= t.min,
    };
    if (notApplicable !== undefined) check.notApplicable = notApplicable;
    else if (isReported(value)) check.value = value;
    return check;
  });
  const regressions = regression ? regressionChecks(metrics, task, thresholds, regression) : [];
  const passed = checks.every((c) => c.passed) && regressions.every((c) => c.passed);
  const lines = [...checks.map(checkLine), ...regressions.map(regressionLine)];
  const message =
    lines.length === 0
      ? `no thresholds configured${task === 'classify' ? ' (classify: set top1-threshold)' : ''}`
      : lines.join('\n');
  return { passed, task, checks, ...(regression ? { regressions } : {}), message };
}
