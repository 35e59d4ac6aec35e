// Text and numbers the way Python reads them, so a label file splits into the same rows and values
// ultralytics sees: str.splitlines(), str.split(), float() and numpy's float32.
/* eslint-disable no-control-regex -- Python's line breaks and whitespace include control characters */

/** Line breaks of str.splitlines() (the universal-newline reader adds nothing beyond these). */
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
/** Whitespace of str.split()/str.strip(): JS `\s` plus \x1c-\x1f and \x85, minus U+FEFF. */
export const PY_WHITESPACE =
  /[\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const ALL_PY_WHITESPACE =
  /^[\t-\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;
/** What an editor counts as a new line (for file:line in findings). */
const EDITOR_LINE_BREAK = /\r\n|\n|\r/g;

export interface PyLine {
  /** 1-based line as an editor shows it. */
  line: number;
  text: string;
}

/**
 * The non-blank lines of `text` as `[x for x in text.strip().splitlines() if x.strip()]` yields
 * them, each with the editor line it starts on. Linear in the text; no intermediate arrays of
 * the whole file beyond the result.
 */
export function pythonLines(text: string): PyLine[] {
  const out: PyLine[] = [];
  let start = 0;
  let editorLine = 1;
  let counted = 0; // offset up to which editor line breaks were counted
  const countBreaks = (upTo: number) => {
    EDITOR_LINE_BREAK.lastIndex = counted;
    for (
      let m = EDITOR_LINE_BREAK.exec(text);
      m && m.index < upTo;
      m = EDITOR_LINE_BREAK.exec(text)
    ) {
      editorLine++;
      EDITOR_LINE_BREAK.lastIndex = m.index + m[0].length;
    }
    counted = upTo;
  };
  const take = (end: number) => {
    const piece = text.slice(start, end);
    if (!ALL_PY_WHITESPACE.test(piece)) {
      countBreaks(start);
      out.push({ line: editorLine, text: piece });
    }
  };
  PY_LINE_BREAK.lastIndex = 0;
  for (let m = PY_LINE_BREAK.exec(text); m; m = PY_LINE_BREAK.exec(text)) {
    take(m.index);
    start = m.index + m[0].length;
  }
  take(text.length);
  return out;
}

/** `line.split()`: fields separated by Python whitespace. */
export function pythonSplit(line: string): string[] {
  return line.split(PY_WHITESPACE).filter((t) => t.length > 0);
}

const DIGITS = '\\d(?:_?\\d)*';
const PY_FLOAT = new RegExp(
  `^[+-]?(?:(?:${DIGITS})?\\.${DIGITS}|${DIGITS}\\.?)(?:[eE][+-]?${DIGITS})?$`,
);
const PY_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
const NON_ASCII_DIGIT = /[^\x00-\x7f]/u;
const UNICODE_DIGIT = /\p{Nd}/u;

/** Unicode decimal digits (which Python's float() accepts) as ASCII; others unchanged. */
function asciiDigits(token: string): string {
  if (!NON_ASCII_DIGIT.test(token)) return token;
  let out = '';
  for (const ch of token) {
    if (!UNICODE_DIGIT.test(ch) || ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    // Nd digits come in runs of ten starting at zero: walk down to the run's start.
    const cp = ch.codePointAt(0) as number;
    let zero = cp;
    while (cp - zero < 9 && UNICODE_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
    out += String((cp - zero) % 10);
  }
  return out;
}

/** Plain decimals, where JS Number() and Python float() agree (the common case, checked first). */
const PLAIN = /^[+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?$/;

/** Python float(token), or undefined where it raises ValueError. */
export function pythonFloat(token: string): number | undefined {
  if (PLAIN.test(token)) {
    const n = Number(token);
    if (!Number.isNaN(n)) return n;
  }
  const t = asciiDigits(token);
  const special = PY_SPECIAL.exec(t);
  if (special) {
    if (special[2]?.toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!PY_FLOAT.test(t)) return undefined;
  return Number(t.replace(/_/g, ''));
}

/** numpy's float32 of a string (float() then rounding to single precision), or undefined. */
export function float32(token: string): number | undefined {
  const v = pythonFloat(token);
  return v === undefined ? undefined : Math.fround(v);
}
