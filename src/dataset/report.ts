// Pure renderings of a ValidationReport: the log summary, finding lines, capped annotations and
// the per-class counts stored beside a snapshot (for base-branch diffs).
import { formatDuration } from '../format.js';
import type { DroppedImages } from '../types.js';
import { formatDropLimit, type DropLimit } from './dropped.js';
import { plural, renderTable } from './table.js';
import type { Finding, ValidationReport } from './validate.js';

export function formatValidationSummary(report: ValidationReport): string {
  const out: string[] = [];
  out.push(
    `Dataset ${report.dataset}${report.yaml ? ` (${report.yaml})` : ''}, ${report.task}: ${plural(report.names.length, 'class')}`,
  );
  if (report.splits.length > 0) {
    const row = (name: string, s: ValidationReport['summary']) => [
      name,
      String(s.images),
      String(s.labels),
      String(s.backgrounds),
      String(s.instances),
      String(s.dropped),
    ];
    const rows = report.splits.map((s) => row(s.split, s));
    rows.push(row('total', report.summary));
    out.push(
      renderTable(['split', 'images', 'labels', 'backgrounds', 'instances', 'dropped'], rows),
    );
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
    `${plural(report.errors, 'error')}, ${plural(report.warnings, 'warning')}, ${plural(report.notes, 'note')} (${formatDuration(report.seconds)}); ${plural(report.summary.dropped, 'image')} ultralytics would drop`,
  );
  return out.join('\n');
}

export function formatFinding(f: Finding): string {
  const what = f.outcome === 'drop' ? ' (image dropped)' : '';
  return `${f.severity}: ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message} [${f.rule}]${what}`;
}

/** The dropped images per split with the first files and reasons (for the summary and PR comment). */
export function droppedImages(
  report: ValidationReport,
  limit: DropLimit,
  examplesPerSplit = 3,
): DroppedImages | undefined {
  if (report.summary.dropped === 0) return undefined;
  return {
    total: report.summary.dropped,
    images: report.summary.images,
    limit: formatDropLimit(limit),
    splits: report.splits
      .filter((s) => s.dropped > 0)
      .map((s) => {
        const seen = new Set<string>();
        const examples: DroppedImages['splits'][number]['examples'] = [];
        for (const f of report.findings) {
          if (f.outcome !== 'drop' || f.split !== s.split || seen.has(f.file)) continue;
          seen.add(f.file);
          examples.push({ file: f.file, ...(f.line ? { line: f.line } : {}), reason: f.message });
          if (examples.length >= examplesPerSplit) break;
        }
        return { split: s.split, images: s.images, dropped: s.dropped, examples };
      }),
  };
}

/** One line per kept finding, errors first, then warnings, then notes, with a count of the rest. */
export function formatFindings(report: ValidationReport, limit = Infinity): string {
  const ordered = (['error', 'warning', 'note'] as const).flatMap((severity) =>
    report.findings.filter((f) => f.severity === severity),
  );
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
    /** Images ultralytics would ignore (absent in stats written before it was counted). */
    dropped?: number;
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
      dropped: s.dropped,
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
