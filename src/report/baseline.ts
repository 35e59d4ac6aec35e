// The comment's model life cycle sections (pure): a reuse line, this run beside the baseline
// champion with colour-free deltas (metrics, per class, dataset per split), and the promotion.
import { compareMetrics, formatDelta } from '../model/compare.js';
import type { LifecycleReport } from '../model/lifecycle.js';
import { formatValue } from '../metrics/gate.js';
import type { FileChanges } from '../dataset/split-diff.js';
import type { Metrics } from '../types.js';
import { code, escapeInline, link, table } from './markdown.js';

const ALIGN = ['left', 'right', 'right', 'right'] as const;

function num(value: number | undefined): string {
  return value === undefined ? '—' : formatValue(value);
}

function changes(c: FileChanges): string {
  return `+${c.added} −${c.removed} ~${c.changed}`;
}

/** "♻️ Reused <job> (identical inputs)": shown above the metrics. */
export function reuseLine(report: LifecycleReport | undefined): string | undefined {
  if (!report?.reused) return undefined;
  const { jobName, consoleUrl } = report.reused;
  return `♻️ Reused ${link(jobName, consoleUrl, 100)} (identical inputs): nothing was trained for this run; its metrics were gated again.`;
}

export function baselineSection(
  report: LifecycleReport | undefined,
  metrics: Metrics,
  classLimit: number,
): string | undefined {
  const baseline = report?.baseline;
  if (!baseline) return undefined;
  const branch = code(baseline.branch, 120);
  const parts = [`#### Compared with the champion of ${branch}`, ''];
  const champion = baseline.champion;
  if (!champion) {
    parts.push(
      `No champion on ${branch} yet: there is nothing to compare with, so no deltas are shown.`,
    );
    return parts.join('\n');
  }
  const commit =
    champion.commit && /^[0-9a-f]{7,}$/i.test(champion.commit)
      ? ` at \`${champion.commit.slice(0, 7)}\``
      : '';
  parts.push(
    `Champion: ${link(champion.jobName, champion.consoleUrl, 100)}${commit}, promoted ${escapeInline(champion.promotedAt, 40)}.`,
    '',
  );
  const comparison = compareMetrics(metrics, champion.metrics);
  // Metric labels are ours (escaping would break `mAP@0.5`); class names come from the dataset.
  const row = (
    r: { label: string; value?: number; baseline?: number; delta?: number },
    ours = false,
  ) => [
    ours ? r.label : escapeInline(r.label, 100),
    num(r.value),
    num(r.baseline),
    r.delta === undefined ? '—' : formatDelta(r.delta),
  ];
  parts.push(
    table(
      ['Metric', 'This run', 'Champion', 'Δ'],
      comparison.metrics.map((r) => row(r, true)),
      [...ALIGN],
    ),
  );
  if (comparison.classes.length > 0) {
    const shown = comparison.classes.slice(0, classLimit);
    parts.push('', '<details><summary>AP@0.5 per class, this run vs champion</summary>', '');
    parts.push(
      table(
        ['Class', 'This run', 'Champion', 'Δ'],
        shown.map((r) => row(r)),
        [...ALIGN],
      ),
    );
    const rest = comparison.classes.length - shown.length;
    if (rest > 0) parts.push('', `_…and ${rest} more class${rest === 1 ? '' : 'es'}._`);
    parts.push('', '</details>');
  }
  parts.push('');
  if (baseline.splits) {
    if (baseline.splits.length === 0) {
      parts.push("Dataset: no image or label changed since the champion's snapshot.");
    } else {
      parts.push("Dataset since the champion's snapshot (+added −removed ~changed):", '');
      parts.push(
        table(
          ['Split', 'Images', 'Labels'],
          baseline.splits.map((s) => [
            escapeInline(s.split, 20),
            changes(s.images),
            changes(s.labels),
          ]),
          ['left', 'right', 'right'],
        ),
      );
    }
  } else if (baseline.splitsNote) {
    parts.push(`Dataset: not compared (${escapeInline(baseline.splitsNote, 200)}).`);
  }
  return parts.join('\n').trimEnd();
}

/** One line on what happened to the model: promoted, registered, or why not. */
export function promotionLine(report: LifecycleReport | undefined): string | undefined {
  if (!report) return undefined;
  const lines: string[] = [];
  const p = report.promotion;
  if (p) {
    if (p.warning) lines.push(`⚠️ ${escapeInline(p.warning, 400)}`);
    else if (p.promote && p.branch) {
      lines.push(
        `🏆 Champion of ${code(p.branch, 120)}${p.uri ? `: ${code(p.uri, 400)}` : ''} (${escapeInline(p.reason, 200)})`,
      );
    } else lines.push(`Not promoted: ${escapeInline(p.reason, 300)}.`);
  }
  if (report.registration) {
    lines.push(
      `Registered in the Model Registry: ${code(report.registration.modelPackageArn, 300)}`,
    );
  }
  return lines.length ? lines.join('\n\n') : undefined;
}
