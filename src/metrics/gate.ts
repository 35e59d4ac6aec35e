// The quality gate. Pure: every configured threshold is checked (no short-circuit) so the failure
// message shows the whole picture at once.
import type { GateCheck, GateMetric, GateResult, Metrics, Threshold } from '../types.js';

export const METRIC_LABELS: Record<GateMetric, string> = {
  map50: 'mAP@0.5',
  map50_95: 'mAP@0.5:0.95',
  precision: 'Precision',
  recall: 'Recall',
};

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

function checkLine(check: GateCheck): string {
  const mark = check.passed ? '✓' : '✗';
  const min = formatThreshold(check.threshold);
  if (!isReported(check.value)) {
    return `${mark} ${check.metric} not reported, needs >= ${min} (${check.input})`;
  }
  const op = check.passed ? '>=' : '<';
  return `${mark} ${check.metric} ${formatValue(check.value, check.threshold)} ${op} ${min} (${check.input})`;
}

export function evaluateGate(metrics: Metrics, thresholds: Threshold[]): GateResult {
  const checks: GateCheck[] = thresholds.map((t) => {
    const value = metrics[t.metric];
    const check: GateCheck = {
      metric: t.metric,
      input: t.input,
      threshold: t.min,
      passed: isReported(value) && value >= t.min,
    };
    if (isReported(value)) check.value = value;
    return check;
  });
  const passed = checks.every((c) => c.passed);
  const message =
    checks.length === 0 ? 'no thresholds configured' : checks.map(checkLine).join('\n');
  return { passed, checks, message };
}
