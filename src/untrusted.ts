// The one path by which text reaches the runner's log (or a terminal that a runner may be reading).
// The runner executes a line as a workflow command when, after leading whitespace, it starts with
// `::` (`::add-mask::`, `::stop-commands::`, `::warning title=...::`), or when it holds `##[`
// anywhere (the legacy form). Class names, file names, a job's FailureReason and the training log
// come from the pull request or the job, so any of them may carry such a line. Every block of text
// that is written goes through `runnerSafeText`: a block in which any line could be a command is
// wrapped, whole, in one `::stop-commands::<token>` ... `::<token>::` pair with a fresh,
// unguessable token, which turns command processing off for exactly that block.
import { randomBytes } from 'node:crypto';

/**
 * Every line break a runner, terminal or log viewer may honour: CRLF, LF, CR, NEL, LS, PS, VT, FF.
 * (The runner itself splits on CR and LF; the rest are treated as breaks to be safe.)
 */
export const LINE_BREAKS = /\r\n|[\n\r\u0085\u2028\u2029\v\f]/;

/**
 * A line the runner could read as a command. Deliberately wider than the runner's own rule (which
 * trims .NET's whitespace set, not JavaScript's): any `::` or `##[` anywhere in the line.
 */
export function couldBeCommand(line: string): boolean {
  return line.includes('::') || line.includes('##[');
}

export function fenceToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * `text` as it may be written: unchanged when no line of it could be a command, otherwise fenced as
 * one block. Pure; the token comes from the caller (it must be fresh and secret for each block).
 */
export function fenceBlock(text: string, token: string): string {
  if (!text.split(LINE_BREAKS).some(couldBeCommand)) return text;
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}

/** `fenceBlock` with a fresh token: what every log sink calls before writing. */
export function runnerSafeText(text: string): string {
  return fenceBlock(text, fenceToken());
}

/**
 * JSON for stdout that stays valid JSON and has no line a runner could execute: `::`, `##[` and
 * the exotic line breaks are written as \u escapes inside strings (JSON.stringify already escapes
 * CR and LF). The parsed value is unchanged.
 */
export function runnerSafeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent)
    .replace(/::/g, ':\\u003a')
    .replace(/##\[/g, '#\\u0023[')
    .replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Data of a `::command::data` line. @actions/core escapes CR, LF and % in it; the line breaks it
 * leaves (NEL, LS, PS, VT, FF) are written as visible \u escapes so no viewer splits the line.
 */
export function commandSafeText(text: string): string {
  return text.replace(
    /[\u0085\u2028\u2029\v\f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Collects lines (a poll's worth of a job's log) so they are written as one block: one fence for the
 * whole batch, not three log lines for each line that needs one.
 */
export function lineBatch(write: (block: string) => void): {
  add: (line: string) => void;
  flush: () => void;
} {
  let lines: string[] = [];
  return {
    add: (line) => void lines.push(line),
    flush: () => {
      if (lines.length === 0) return;
      const block = lines.join('\n');
      lines = [];
      write(block);
    },
  };
}
