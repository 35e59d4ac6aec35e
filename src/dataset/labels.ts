// YOLO label files, read the way ultralytics 8.4.190 reads them (data/utils.py
// `verify_image_label`), to predict per file what training will do: keep it, keep it after a fix
// of its own (duplicates removed, polygons turned into boxes) or drop the image ("ignoring corrupt
// image/label"). Pure: text in, outcome, counts and line findings out. Every check is linear in
// the text; no array is spread into a call.
import type { YoloTask } from '../task.js';
import { float32, pythonLines, pythonSplit } from './pytext.js';

/** What ultralytics does because of a finding. */
export type LineOutcome = 'fail' | 'drop' | 'fix' | 'keep';

export interface LabelCheckOptions {
  /** Number of classes; valid ids are 0 .. nc-1. */
  nc: number;
  /** How the model reads rows (default detect). */
  task?: YoloTask;
  /** [keypoints, dims] from the yaml's kpt_shape (ultralytics passes it for every task). */
  kptShape?: [number, number];
  /** Findings kept per file; the rest are only counted. */
  maxFindings?: number;
}

export interface LineFinding {
  outcome: LineOutcome;
  /** Short rule name, stable for tooling (e.g. `coordinate-above-1.01`). */
  rule: string;
  line?: number;
  message: string;
}

export interface LabelCheck {
  /** ultralytics ignores this image and its labels. */
  dropped: boolean;
  /** A validator limit was hit: the run fails (nothing is predicted for this file). */
  failed: boolean;
  /** Rows ultralytics keeps (after removing duplicates); 0 when dropped or empty. */
  rows: number;
  /** Kept rows per class id. */
  instances: Map<number, number>;
  /** The file is read as polygons (a row with more than 6 values, not pose). */
  segments: boolean;
  findings: LineFinding[];
  /** Findings counted but not kept (over maxFindings). */
  omitted: number;
  /** The omitted findings by outcome and rule, so counts stay exact. */
  omittedByRule: Map<string, { outcome: LineOutcome; rule: string; count: number }>;
}

/** ultralytics' tolerance: coordinates up to 1.01, values down to -0.01 (data/utils.py). */
export const MAX_COORD = 1.01;
export const MIN_VALUE = -0.01;
/** Validator bounds: far beyond any real label, small enough to keep memory flat. */
export const MAX_LINE_CHARS = 1_000_000;
export const MAX_LABEL_BYTES = 32 * 1024 * 1024;

function show(token: string): string {
  return JSON.stringify(token.length > 24 ? `${token.slice(0, 24)}…` : token);
}

function fmt(v: number): string {
  return Number.isNaN(v) ? 'nan' : String(v);
}

interface Row {
  line: number;
  tokens: string[];
}

/** One label row as ultralytics ends up with it: class, box (xywh) and, for polygons, points. */
interface ParsedRow {
  line: number;
  values: number[]; // float32 values of the row (box rows, pose rows) or [cls, cx, cy, w, h]
  points?: number[]; // polygon points (float32) in segment mode
}

/** Coordinates outside [0, 1] that passed the tolerance checks (ultralytics clips them later). */
function outsideUnit(row: ParsedRow, kptShape: [number, number] | undefined): boolean {
  const out = (x: number) => x < 0 || x > 1;
  if (row.points) return row.points.some(out);
  const v = row.values;
  for (let i = 1; i < 5; i++) if (out(v[i] as number)) return true;
  if (kptShape) {
    for (let k = 0; k < kptShape[0]; k++) {
      const at = 5 + k * kptShape[1];
      if (out(v[at] as number) || out(v[at + 1] as number)) return true;
    }
  }
  return false;
}

export function checkLabelText(text: string, options: LabelCheckOptions): LabelCheck {
  const { nc, kptShape } = options;
  const task = options.task ?? 'detect';
  const pose = task === 'pose';
  const maxFindings = options.maxFindings ?? 20;
  const result: LabelCheck = {
    dropped: false,
    failed: false,
    rows: 0,
    instances: new Map(),
    segments: false,
    findings: [],
    omitted: 0,
    omittedByRule: new Map(),
  };
  const add = (outcome: LineOutcome, rule: string, line: number | undefined, message: string) => {
    if (outcome === 'drop') result.dropped = true;
    if (outcome === 'fail') result.failed = true;
    if (result.findings.length < maxFindings) {
      result.findings.push({ outcome, rule, ...(line ? { line } : {}), message });
    } else {
      result.omitted++;
      const key = `${outcome}|${rule}`;
      const entry = result.omittedByRule.get(key) ?? { outcome, rule, count: 0 };
      entry.count++;
      result.omittedByRule.set(key, entry);
    }
  };

  // encoding="utf-8-sig": one leading byte order mark is skipped.
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: Row[] = [];
  for (const { line, text: raw } of pythonLines(body)) {
    if (raw.length > MAX_LINE_CHARS) {
      add(
        'fail',
        'line-too-long',
        line,
        `line has ${raw.length} characters; this validator reads at most ${MAX_LINE_CHARS} per line (simplify the polygon)`,
      );
      continue;
    }
    rows.push({ line, tokens: pythonSplit(raw) });
  }
  if (result.failed) return result;

  // A pose label for a box task: ultralytics keeps the box and ignores the keypoints.
  const poseWidth = kptShape ? 5 + kptShape[0] * kptShape[1] : 0;
  if (kptShape && !pose) {
    let trimmed = 0;
    for (const row of rows) {
      if (row.tokens.length === poseWidth) {
        row.tokens.length = 5;
        trimmed++;
      }
    }
    if (trimmed > 0) {
      add(
        'fix',
        'keypoints-ignored',
        undefined,
        `${trimmed} pose row(s): a ${task} model uses their boxes and ignores the keypoints`,
      );
    }
  }

  const segmentMode = !pose && rows.some((r) => r.tokens.length > 6);
  result.segments = segmentMode;
  const parsed: ParsedRow[] = [];

  if (segmentMode) {
    const boxRow = rows.find((r) => r.tokens.length === 5);
    if (boxRow) {
      add(
        'drop',
        'mixed-segment-and-box-rows',
        boxRow.line,
        'a box row (5 values) in a file with polygon rows: ultralytics ignores the image ("labels mix segment and detection rows"); use one form per file',
      );
    }
    for (const row of rows) {
      const cls = float32(row.tokens[0] as string);
      if (cls === undefined) {
        add(
          'drop',
          'not-a-number',
          row.line,
          `value ${show(row.tokens[0] as string)} is not a number`,
        );
        continue;
      }
      const n = row.tokens.length - 1;
      const points: number[] = [];
      let bad: string | undefined;
      for (let i = 1; i <= n; i++) {
        const v = float32(row.tokens[i] as string);
        if (v === undefined) {
          bad = row.tokens[i];
          break;
        }
        points.push(v);
      }
      if (bad !== undefined) {
        add('drop', 'not-a-number', row.line, `value ${show(bad)} is not a number`);
        continue;
      }
      if (n % 2 === 1) {
        add(
          'drop',
          'odd-polygon',
          row.line,
          `polygon has ${n} coordinates, an odd number: x y pairs are needed`,
        );
        continue;
      }
      if (n === 0) {
        add('drop', 'row-width', row.line, 'row has a class but no points');
        continue;
      }
      // segments2boxes: min/max of the points (NaN propagates as numpy's min/max do).
      let x1 = Infinity;
      let y1 = Infinity;
      let x2 = -Infinity;
      let y2 = -Infinity;
      let nan = false;
      for (let i = 0; i < n; i += 2) {
        const x = points[i] as number;
        const y = points[i + 1] as number;
        if (Number.isNaN(x) || Number.isNaN(y)) nan = true;
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        if (y > y2) y2 = y;
      }
      const box = nan
        ? [NaN, NaN, NaN, NaN]
        : [
            Math.fround(Math.fround(x1 + x2) / 2),
            Math.fround(Math.fround(y1 + y2) / 2),
            Math.fround(x2 - x1),
            Math.fround(y2 - y1),
          ];
      parsed.push({ line: row.line, values: [cls, ...box], points });
    }
  } else if (rows.length > 0) {
    // np.array(rows, dtype=float32): every row must have the same width and parse.
    const width = (rows[0] as Row).tokens.length;
    const other = rows.find((r) => r.tokens.length !== width);
    if (other) {
      add(
        'drop',
        'mixed-row-widths',
        other.line,
        `has ${other.tokens.length} values where line ${(rows[0] as Row).line} has ${width}: every row must have the same number of values`,
      );
    }
    const expected = pose ? poseWidth : 5;
    for (const row of rows) {
      const values: number[] = [];
      let bad: string | undefined;
      for (const token of row.tokens) {
        const v = float32(token);
        if (v === undefined) {
          bad = token;
          break;
        }
        values.push(v);
      }
      if (bad !== undefined) {
        add('drop', 'not-a-number', row.line, `value ${show(bad)} is not a number`);
        continue;
      }
      if (values.length !== expected) {
        if (other) continue;
        add(
          'drop',
          'row-width',
          row.line,
          pose
            ? `has ${values.length} values; pose rows with kpt_shape [${kptShape?.join(', ')}] need ${expected} (class cx cy w h + keypoints)`
            : `has ${values.length} values; a ${task} row is 5 values (class cx cy w h) or a polygon (class + at least 3 x y pairs)`,
        );
        continue;
      }
      parsed.push({ line: row.line, values });
    }
  }

  // The value checks, row by row; ultralytics applies them to the whole array, and each of them
  // fails the array exactly when it fails some row.
  for (const row of parsed) {
    const v = row.values;
    const cls = v[0] as number;
    let maxPoint = -Infinity;
    let maxNan = false;
    const visitPoint = (p: number) => {
      if (Number.isNaN(p)) maxNan = true;
      else if (p > maxPoint) maxPoint = p;
    };
    if (pose && kptShape) {
      for (let k = 0; k < kptShape[0]; k++) {
        const at = 5 + k * kptShape[1];
        visitPoint(v[at] as number);
        visitPoint(v[at + 1] as number);
      }
    } else for (let i = 1; i < 5; i++) visitPoint(v[i] as number);
    let min = Infinity;
    let minNan = false;
    for (const x of v) {
      if (Number.isNaN(x)) minNan = true;
      else if (x < min) min = x;
    }
    const w = v[3] as number;
    const h = v[4] as number;
    if (maxNan || minNan) {
      add('drop', 'not-finite', row.line, 'a value is nan: ultralytics ignores the image');
    } else if (maxPoint > MAX_COORD) {
      add(
        'drop',
        'coordinate-above-1.01',
        row.line,
        `coordinate ${fmt(maxPoint)} is above ${MAX_COORD}: coordinates are normalised by the image size (ultralytics tolerates up to ${MAX_COORD})`,
      );
    } else if (min < MIN_VALUE) {
      add(
        'drop',
        'value-below-0.01',
        row.line,
        `value ${fmt(min)} is below ${MIN_VALUE} (the class column included): ultralytics ignores the image`,
      );
    } else if (w < 0 || h < 0) {
      add(
        'drop',
        'negative-size',
        row.line,
        `box has width ${fmt(w)} and height ${fmt(h)}: a negative size makes ultralytics ignore the image`,
      );
    } else if (cls % 1 !== 0) {
      add('drop', 'class-not-integer', row.line, `class id ${fmt(cls)} is not an integer`);
    } else if (cls >= nc) {
      add(
        'drop',
        'class-out-of-range',
        row.line,
        `class id ${fmt(cls)} is outside [0, ${nc - 1}] (nc = ${nc})`,
      );
    }
  }
  if (result.dropped || parsed.length === 0) return result;

  // Kept: duplicates (same float32 row; for polygons the same class and points) are removed.
  const rowKey = (r: ParsedRow) => r.values.map((x) => x + 0).join(' ');
  const polygonKey = (r: ParsedRow) =>
    `${r.values[0]}|${(r.points ?? []).map((x) => (Object.is(x, -0) ? '-0' : String(x))).join(' ')}`;
  // Each row's key once: turning float32 values into strings was a tenth of a no-op sync's CPU.
  const rowKeys = parsed.map(rowKey);
  const boxDuplicates = new Set(rowKeys).size < parsed.length;
  const keys = boxDuplicates && segmentMode ? parsed.map(polygonKey) : rowKeys;
  const firstLine = new Map<string, number>();
  let clipped = 0;
  let clippedLine: number | undefined;
  for (const [i, row] of parsed.entries()) {
    const key = keys[i] as string;
    const first = firstLine.get(key);
    if (first !== undefined) {
      add('fix', 'duplicate-row', row.line, `duplicate of line ${first}: ultralytics removes it`);
      continue;
    }
    firstLine.set(key, row.line);
    const cls = row.values[0] as number;
    result.instances.set(cls, (result.instances.get(cls) ?? 0) + 1);
    result.rows++;
    if (outsideUnit(row, pose ? kptShape : undefined)) {
      clipped++;
      clippedLine ??= row.line;
    }
  }
  if (clipped > 0) {
    add(
      'fix',
      'coordinate-in-tolerance',
      clippedLine,
      `${clipped} row(s) with coordinates outside [0, 1] that ultralytics accepts: clipped at training time`,
    );
  }
  if (segmentMode && task === 'detect') {
    add(
      'fix',
      'polygons-as-boxes',
      undefined,
      `${result.rows} polygon/oriented-box row(s): a detect model trains on their bounding boxes`,
    );
  }
  return result;
}
