// `sagemaker-yolo validate --fix`: rewrites a label file so that ultralytics keeps its image.
// Clips coordinates into [0, 1], removes duplicate rows, blank lines and trailing non-numeric
// fields, and turns box rows in a polygon file into rectangles. It never guesses: a class id
// outside the names, a value that is not a number, or a row of no known shape refuses the whole
// file (nothing is written). Pure: text in, new text and the changes out.
import type { YoloTask } from '../task.js';
import { pythonFloat, pythonSplit, PY_WHITESPACE } from './pytext.js';

export interface FixOptions {
  nc: number;
  task?: YoloTask;
  kptShape?: [number, number];
}

export interface LineChange {
  line: number;
  before: string;
  /** undefined: the line was removed. */
  after?: string;
}

export type FixResult =
  { ok: true; text: string; changes: LineChange[] } | { ok: false; line: number; reason: string };

const clip = (v: number) => Math.min(1, Math.max(0, v));

/** Short decimal text of a clipped value (at most 6 decimals, no trailing zeros). */
function num(v: number): string {
  return String(Number(v.toFixed(6)));
}

interface Row {
  line: number;
  raw: string;
  cls: number;
  values: number[]; // after the class
  tokens: string[]; // the numeric tokens kept (class first)
}

export function fixLabelText(text: string, options: FixOptions): FixResult {
  const task = options.task ?? 'detect';
  const { nc, kptShape } = options;
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = bom ? text.slice(1) : text;
  const eol = /\r\n|\n|\r/.exec(body)?.[0] ?? '\n';
  const endsWithEol = /(\r\n|\n|\r)$/.test(body);
  const lines = body.split(/\r\n|\n|\r/);
  if (endsWithEol) lines.pop();
  const changes: LineChange[] = [];
  const rows: Row[] = [];
  const poseWidth = kptShape ? 5 + kptShape[0] * kptShape[1] : 0;

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = i + 1;
    if (raw.replace(PY_WHITESPACE, '') === '') {
      changes.push({ line, before: raw });
      continue;
    }
    const tokens = pythonSplit(raw);
    const numeric: number[] = [];
    for (const t of tokens) {
      const v = pythonFloat(t);
      if (v === undefined) break;
      if (!Number.isFinite(v))
        return { ok: false, line, reason: `value ${JSON.stringify(t)} is not finite` };
      numeric.push(v);
    }
    let width = numeric.length;
    const fits = (n: number) =>
      task === 'pose' ? n === poseWidth : n === 5 || (n >= 7 && n % 2 === 1);
    if (width < tokens.length) {
      // Trailing garbage after a complete row is dropped; anything else is not ours to guess.
      if (!fits(width)) {
        return {
          ok: false,
          line,
          reason: `cannot parse ${JSON.stringify(tokens[width])} after ${width} number(s)`,
        };
      }
    } else if (!fits(width)) {
      return {
        ok: false,
        line,
        reason:
          task === 'pose'
            ? `has ${width} values; pose rows need ${poseWidth}`
            : `has ${width} values; a row is 5 values or a polygon (class + at least 3 x y pairs)`,
      };
    }
    width = numeric.length;
    const cls = numeric[0] as number;
    if (!Number.isInteger(cls) || cls < 0 || cls >= nc) {
      return { ok: false, line, reason: `class id ${cls} is not one of 0..${nc - 1}` };
    }
    rows.push({ line, raw, cls, values: numeric.slice(1), tokens: tokens.slice(0, width) });
  }

  const polygons = task !== 'pose' && rows.some((r) => r.values.length > 5);
  const seen = new Map<string, number>();
  const out: string[] = [];
  for (const row of rows) {
    let values = row.values;
    if (polygons && values.length === 4) {
      // A box row in a polygon file: ultralytics drops the image; a rectangle keeps it.
      const [cx, cy, w, h] = values as [number, number, number, number];
      const [x1, y1, x2, y2] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
      values = [x1, y1, x2, y1, x2, y2, x1, y2];
    }
    if (values.length === 4 || (task === 'pose' && kptShape)) {
      const [cx, cy, w, h] = values as [number, number, number, number];
      if (w < 0 || h < 0) return { ok: false, line: row.line, reason: 'box with a negative size' };
      const [x1, y1, x2, y2] = [
        clip(cx - w / 2),
        clip(cy - h / 2),
        clip(cx + w / 2),
        clip(cy + h / 2),
      ];
      if (x2 <= x1 || y2 <= y1) {
        return { ok: false, line: row.line, reason: 'the box lies outside the image' };
      }
      const clipped = [(x1 + x2) / 2, (y1 + y2) / 2, x2 - x1, y2 - y1];
      const changed = clipped.some((v, k) => Math.abs(v - (values[k] as number)) > 1e-9);
      const rest = values.slice(4);
      if (task === 'pose' && kptShape) {
        for (let k = 0; k < kptShape[0]; k++) {
          const at = k * kptShape[1];
          rest[at] = clip(rest[at] as number);
          rest[at + 1] = clip(rest[at + 1] as number);
        }
      }
      values = changed ? clipped.concat(rest) : values.slice(0, 4).concat(rest);
    } else {
      values = values.map(clip);
    }
    const original = row.tokens.slice(1);
    const texts = values.map((v, k) =>
      original.length === values.length && pythonFloat(original[k] as string) === v
        ? (original[k] as string)
        : num(v),
    );
    const same =
      texts.length === original.length &&
      texts.every((t, k) => t === original[k]) &&
      row.tokens.length === pythonSplit(row.raw).length;
    const after = same ? row.raw : [row.tokens[0] as string].concat(texts).join(' ');
    const key = [row.cls].concat(values.map((v) => Math.fround(v))).join(' ');
    const first = seen.get(key);
    if (first !== undefined) {
      changes.push({ line: row.line, before: row.raw });
      continue;
    }
    seen.set(key, row.line);
    if (after !== row.raw) changes.push({ line: row.line, before: row.raw, after });
    out.push(after);
  }
  const newText = bom + out.join(eol) + (out.length > 0 && endsWithEol ? eol : '');
  return { ok: true, text: newText, changes };
}
