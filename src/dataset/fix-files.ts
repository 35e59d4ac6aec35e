// The I/O of `validate --fix`: every label file of an inspected dataset through fixLabelText,
// printed as file:line before → after, written only when asked. Images are never touched.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { YoloTask } from '../task.js';
import { toPosix } from './files.js';
import { fixLabelText } from './fix.js';
import type { DatasetInspection } from './validate.js';

export interface FixFilesResult {
  /** Human-readable lines: each change, each refusal, a closing count. */
  lines: string[];
  /** Files changed (or that would change, with write: false). */
  changed: number;
  /** Files written. */
  written: number;
  /** Files left alone because a line could not be parsed safely. */
  refused: number;
}

/** Shows a label line in the output: visible whitespace, no control characters. */
function show(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}

export async function fixLabels(
  inspection: DatasetInspection,
  options: { cwd: string; task: YoloTask; write: boolean },
): Promise<FixFilesResult> {
  const result: FixFilesResult = { lines: [], changed: 0, written: 0, refused: 0 };
  const { root, config } = inspection;
  if (!root || !config || options.task === 'classify') {
    result.lines.push('--fix: nothing to fix (no labelled dataset was read)');
    return result;
  }
  const labels = [...inspection.membership.keys()].filter((rel) => rel.endsWith('.txt')).sort();
  for (const rel of labels) {
    const abs = path.join(root, rel);
    const shown = toPosix(path.relative(options.cwd, abs));
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
        await fs.readFile(abs),
      );
    } catch {
      result.refused++;
      result.lines.push(`${shown}: not fixed: not valid UTF-8 text`);
      continue;
    }
    const fixed = fixLabelText(text, {
      nc: config.names.length,
      task: options.task,
      ...(config.kptShape ? { kptShape: config.kptShape } : {}),
    });
    if (!fixed.ok) {
      result.refused++;
      result.lines.push(`${shown}:${fixed.line}: not fixed: ${fixed.reason} (edit it by hand)`);
      continue;
    }
    if (fixed.changes.length === 0) continue;
    result.changed++;
    for (const c of fixed.changes) {
      result.lines.push(
        `${shown}:${c.line}: ${show(c.before)} → ${c.after === undefined ? '(removed)' : show(c.after)}`,
      );
    }
    if (options.write) {
      await fs.writeFile(abs, fixed.text);
      result.written++;
    }
  }
  const verb = options.write ? 'fixed' : 'would fix (dry run, nothing written)';
  result.lines.push(
    `--fix: ${verb} ${result.changed} label file(s)${result.refused ? `; ${result.refused} refused` : ''}`,
  );
  return result;
}
