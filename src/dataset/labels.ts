// YOLO label rows, checked the way ultralytics' verify_image_label reads them, so that what it
// would silently drop ("ignoring corrupt image/label") fails here, before a GPU is paid for.
// Pure: text in, counts and line findings out.

export interface LabelCheckOptions {
  /** Number of classes; valid ids are 0 .. nc-1. */
  nc: number;
  /** [keypoints, dims] for pose labels. */
  kptShape?: [number, number];
  /** Findings kept per file; the rest are only counted. */
  maxFindings?: number;
}

export interface LineFinding {
  severity: 'error' | 'warning';
  line: number;
  message: string;
}

export interface LabelCheck {
  /** Valid, non-duplicate rows per class id (length nc). */
  instances: number[];
  /** Non-empty rows (valid or not). */
  rows: number;
  findings: LineFinding[];
  errors: number;
  warnings: number;
  /** Findings counted but not kept (over maxFindings). */
  omitted: number;
}

/** Below 0 ultralytics tolerates down to -0.01; above 1 it rejects the whole image. */
const MIN_COORD = -0.01;
const MAX_COORD = 1;
/** How far a box may poke out of the image before it is worth a warning. */
const EXTENT_TOLERANCE = 0.01;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;
// Whitespace as Python's str.split() sees it: JS \s also matches U+FEFF, Python does not.
const FIELD_SEPARATOR = /[^\S\uFEFF]+/;

type RowKind = 'box' | 'polygon' | 'pose';

function describeToken(token: string): string {
  return JSON.stringify(token.length > 24 ? `${token.slice(0, 24)}…` : token);
}

export function checkLabelText(text: string, options: LabelCheckOptions): LabelCheck {
  const { nc, kptShape } = options;
  const maxFindings = options.maxFindings ?? 20;
  const result: LabelCheck = {
    instances: new Array<number>(nc).fill(0),
    rows: 0,
    findings: [],
    errors: 0,
    warnings: 0,
    omitted: 0,
  };
  const add = (severity: 'error' | 'warning', line: number, message: string) => {
    if (severity === 'error') result.errors++;
    else result.warnings++;
    if (result.findings.length < maxFindings) result.findings.push({ severity, line, message });
    else result.omitted++;
  };

  if (text.startsWith('\uFEFF')) {
    add(
      'error',
      1,
      'file starts with a UTF-8 byte order mark: ultralytics cannot read the first class id (save without BOM)',
    );
  }
  const lines = text.split(/\r\n|\n|\r/);
  // ultralytics strips the whole text first, so only blank-looking lines inside the rows matter.
  let first = 0;
  let last = lines.length - 1;
  while (first <= last && (lines[first] as string).trim() === '') first++;
  while (last >= first && (lines[last] as string).trim() === '') last--;

  const seen = new Map<string, number>();
  const boxLines: number[] = [];
  let polygonRows = 0;
  const candidates: { line: number; cls: number }[] = [];

  for (let i = first; i <= last; i++) {
    const lineNo = i + 1;
    const raw = lines[i] as string;
    if (raw.length === 0) continue;
    const tokens = raw.split(FIELD_SEPARATOR).filter((t) => t.length > 0);
    if (tokens.length === 0) {
      add(
        'error',
        lineNo,
        'line holds only whitespace: ultralytics rejects the file (delete the spaces)',
      );
      continue;
    }
    result.rows++;
    const values: number[] = [];
    let bad = false;
    for (const token of tokens) {
      const clean = token.replace(/^\uFEFF/, '');
      if (NON_FINITE.test(clean)) {
        add('error', lineNo, `value ${describeToken(token)} is not finite`);
        bad = true;
        break;
      }
      if (!NUMBER.test(clean)) {
        add('error', lineNo, `value ${describeToken(token)} is not a number`);
        bad = true;
        break;
      }
      values.push(Number(clean));
    }
    if (bad) continue;

    const n = values.length;
    let kind: RowKind;
    if (kptShape) {
      const expected = 5 + kptShape[0] * kptShape[1];
      if (n !== expected) {
        add(
          'error',
          lineNo,
          `has ${n} values; pose rows with kpt_shape [${kptShape.join(', ')}] need ${expected} (class cx cy w h + keypoints)`,
        );
        continue;
      }
      kind = 'pose';
    } else if (n === 5) {
      kind = 'box';
    } else if (n >= 7 && n % 2 === 1) {
      kind = 'polygon';
    } else {
      add(
        'error',
        lineNo,
        `has ${n} values; expected 5 (class cx cy w h), a polygon (class + at least 3 x y pairs) or an oriented box (class + 4 x y pairs)`,
      );
      continue;
    }

    const cls = values[0] as number;
    if (!Number.isInteger(cls)) {
      add('error', lineNo, `class id ${describeToken(tokens[0] as string)} is not an integer`);
      continue;
    }
    if (cls < 0 || cls >= nc) {
      add('error', lineNo, `class id ${cls} is outside [0, ${nc - 1}] (nc = ${nc})`);
      continue;
    }

    // Which values are coordinates: everything after the class, except pose visibility flags.
    const coords: number[] = [];
    if (kind === 'pose' && kptShape) {
      coords.push(...values.slice(1, 5));
      for (let k = 0; k < kptShape[0]; k++) {
        const at = 5 + k * kptShape[1];
        coords.push(values[at] as number, values[at + 1] as number);
      }
    } else coords.push(...values.slice(1));
    const outside = coords.find((v) => v < MIN_COORD || v > MAX_COORD);
    if (outside !== undefined) {
      add(
        'error',
        lineNo,
        `coordinate ${outside} is outside [0, 1]: coordinates must be normalised by the image width and height`,
      );
      continue;
    }
    if (kind === 'box' || kind === 'pose') {
      const [cx, cy, w, h] = values.slice(1, 5) as [number, number, number, number];
      if (w <= 0 || h <= 0) {
        add('error', lineNo, `box has width ${w} and height ${h}: both must be > 0`);
        continue;
      }
      const t = EXTENT_TOLERANCE;
      if (cx - w / 2 < -t || cx + w / 2 > 1 + t || cy - h / 2 < -t || cy + h / 2 > 1 + t) {
        add(
          'warning',
          lineNo,
          `box (cx ${cx}, cy ${cy}, w ${w}, h ${h}) extends outside the image`,
        );
      }
    }
    if (kind === 'box') boxLines.push(lineNo);
    if (kind === 'polygon') polygonRows++;

    const key = values.join(' ');
    const previous = seen.get(key);
    if (previous !== undefined) {
      add('warning', lineNo, `duplicate of line ${previous}: ultralytics drops it`);
      continue;
    }
    seen.set(key, lineNo);
    candidates.push({ line: lineNo, cls });
  }

  // ultralytics reads every row of a file with any polygon row as a polygon: a box row then
  // becomes the rectangle between two points, a silent corruption. Those rows are not counted.
  const mixed = polygonRows > 0 && boxLines.length > 0 ? new Set(boxLines) : undefined;
  if (mixed) {
    add(
      'error',
      boxLines[0] as number,
      `box row in a file with polygon rows (${boxLines.length} box rows, ${polygonRows} polygon rows): ultralytics then reads every row as a polygon; use one form per file`,
    );
  }
  for (const c of candidates) {
    if (!mixed?.has(c.line)) result.instances[c.cls] = (result.instances[c.cls] as number) + 1;
  }
  return result;
}
