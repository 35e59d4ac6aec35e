// Pure renderings of a ValidationReport: the log summary, finding lines, capped annotations and
// the per-class counts stored beside a snapshot (for base-branch diffs).
import { formatDuration } from '../format.js';
import { plural, renderTable } from './table.js';
import type { Finding, ValidationReport } from './validate.js';

export function formatValidationSummary(report: ValidationReport): string {
  const out: string[] = [];
  out.push(
    `Dataset ${report.dataset}${report.yaml ? ` (${report.yaml})` : ''}: ${plural(report.names.length, 'class')}`,
  );
  if (report.splits.length > 0) {
    const rows = report.splits.map((s) => [
      s.split,
      String(s.images),
      String(s.labels),
      String(s.backgrounds),
      String(s.instances),
    ]);
    const sum = (k: 'images' | 'labels' | 'backgrounds' | 'instances') =>
      String(report.splits.reduce((a, s) => a + s[k], 0));
    rows.push(['total', sum('images'), sum('labels'), sum('backgrounds'), sum('instances')]);
    out.push(renderTable(['split', 'images', 'labels', 'backgrounds', 'instances'], rows));
    const classRows = report.names.map((name, id) => {
      const counts = report.splits.map((s) => s.classes[id]?.instances ?? 0);
      return [`${id} ${name}`, ...counts.map(String), String(counts.reduce((a, b) => a + b, 0))];
    });
    out.push(
      'Instances per class:',
      renderTable(['class', ...report.splits.map((s) => s.split), 'total'], classRows),
    );
  }
  out.push(
    `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')} (${formatDuration(report.seconds)})`,
  );
  return out.join('\n');
}

export function formatFinding(f: Finding): string {
  return `${f.severity}: ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`;
}

/** One line per kept finding, errors first, with a closing count of what was left out. */
export function formatFindings(report: ValidationReport, limit = Infinity): string {
  const ordered = [
    ...report.findings.filter((f) => f.severity === 'error'),
    ...report.findings.filter((f) => f.severity === 'warning'),
  ];
  const lines = ordered.slice(0, limit).map(formatFinding);
  const more = ordered.length - lines.length + report.omittedFindings;
  if (more > 0) lines.push(`... and ${more} more finding(s)`);
  return lines.join('\n');
}

export interface Annotation {
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  startLine?: number;
}

/**
 * Findings as GitHub annotations, at most `cap` per severity (GitHub shows 10 of each per step):
 * when there are more, the last slot says how many were left out.
 */
export function toAnnotations(report: ValidationReport, cap = 10): Annotation[] {
  if (!Number.isInteger(cap) || cap < 1)
    throw new Error(`annotation cap must be an integer >= 1, got ${cap}`);
  const result: Annotation[] = [];
  for (const severity of ['error', 'warning'] as const) {
    const kept = report.findings.filter((f) => f.severity === severity);
    const total = severity === 'error' ? report.errors : report.warnings;
    const shown = total > cap ? kept.slice(0, cap - 1) : kept.slice(0, cap);
    for (const f of shown) {
      result.push({
        severity,
        message: f.message,
        file: f.file,
        ...(f.line ? { startLine: f.line } : {}),
      });
    }
    if (total > shown.length) {
      result.push({
        severity,
        message: `and ${total - shown.length} more ${severity}${total - shown.length === 1 ? '' : 's'} in the dataset (see the log, or run: sagemaker-yolo validate --dataset ${report.dataset} --json)`,
      });
    }
  }
  return result;
}

/** Per-split, per-class counts stored beside a snapshot so later runs can diff against it. */
export interface DatasetStats {
  version: 1;
  names: string[];
  splits: {
    split: string;
    images: number;
    labels: number;
    backgrounds: number;
    instances: number[];
  }[];
}

export function datasetStats(report: ValidationReport): DatasetStats {
  return {
    version: 1,
    names: [...report.names],
    splits: report.splits.map((s) => ({
      split: s.split,
      images: s.images,
      labels: s.labels,
      backgrounds: s.backgrounds,
      instances: s.classes.map((c) => c.instances),
    })),
  };
}

/** Total instances per class name over all splits. */
export function instancesPerClass(stats: DatasetStats): Map<string, number> {
  const totals = new Map<string, number>();
  stats.names.forEach((name, id) => {
    const n = stats.splits.reduce((a, s) => a + (s.instances[id] ?? 0), 0);
    totals.set(name, (totals.get(name) ?? 0) + n);
  });
  return totals;
}
