// A model of how the GitHub runner reads a step's output, to find workflow commands that hostile
// text could have smuggled in. It splits on every line break a runner or viewer might honour,
// follows `::stop-commands::<token>` ... `::<token>::` fences, and reports each line outside a fence
// that the runner would execute and that the action itself did not issue.
import { jest } from '@jest/globals';
import { LINE_BREAKS } from '../../src/untrusted.js';

/** Commands the action issues through @actions/core (with escaped data). */
const OWN_COMMANDS = new Set(['group', 'endgroup', 'warning', 'error', 'notice', 'debug']);
/** Properties @actions/core writes for annotations (file, line, ...), never a hostile `title`. */
const OWN_PROPERTIES = new Set(['file', 'line', 'endLine', 'col', 'endColumn']);

/** Leading whitespace as .NET's TrimStart sees it (wider than JavaScript's: NEL too). */
const LEADING_SPACE = /^[\s\u0085]+/;

export interface Finding {
  line: number;
  text: string;
  why: string;
}

/** The runner's V2 parse of `::name k=v,k=v::data`, or undefined when the line is not one. */
function parseV2(line: string): { name: string; props: string[]; data: string } | undefined {
  const m = /^::([^\s:]+)( [^:]*)?::/.exec(line);
  if (!m) return undefined;
  const props = (m[2] ?? '')
    .trim()
    .split(',')
    .filter((p) => p !== '')
    .map((p) => p.split('=')[0] ?? '');
  return { name: m[1] as string, props, data: line.slice(m[0].length) };
}

export function smuggledCommands(output: string): Finding[] {
  const findings: Finding[] = [];
  const lines = output.split(LINE_BREAKS);
  let fence: string | undefined;
  lines.forEach((raw, index) => {
    const line = raw.replace(LEADING_SPACE, '');
    if (fence !== undefined) {
      if (line === `::${fence}::`) fence = undefined;
      return;
    }
    const v2 = line.startsWith('::') ? parseV2(line) : undefined;
    if (v2?.name === 'stop-commands') {
      const token = line.slice('::stop-commands::'.length);
      if (!/^[0-9a-f]{32}$/.test(token)) {
        findings.push({ line: index + 1, text: raw, why: 'stop-commands with a guessable token' });
      }
      fence = token;
      return;
    }
    if (
      v2 &&
      OWN_COMMANDS.has(v2.name) &&
      v2.props.every((p) => OWN_PROPERTIES.has(p)) &&
      // A hostile line that forges one of our own commands carries its marker first.
      !v2.data.startsWith('INJECTED')
    ) {
      return;
    }
    if (line.startsWith('::')) {
      findings.push({ line: index + 1, text: raw, why: 'starts with :: outside a fence' });
    } else if (raw.includes('##[')) {
      findings.push({ line: index + 1, text: raw, why: 'holds ##[ outside a fence' });
    }
  });
  if (fence !== undefined) {
    findings.push({ line: lines.length, text: '', why: `fence ${fence} never closed` });
  }
  return findings;
}

/**
 * Hostile strings: each tries to start a line with a command (or the legacy `##[` form) by a
 * different route. `INJECTED` marks what must never be executed.
 */
export const HOSTILE = [
  'room\n::warning title=INJECTED::forged annotation\n::add-mask::room',
  'room\r::add-mask::INJECTED',
  'room\r\n::stop-commands::INJECTED',
  'room\u2028::error title=INJECTED::forged',
  'room\u2029::add-mask::INJECTED',
  'room\u0085::add-mask::INJECTED',
  'room%0A::add-mask::INJECTED',
  '::add-mask::INJECTED',
  '  ::set-env name=INJECTED::1',
  '##[error]INJECTED',
  'room ##[add-mask]INJECTED',
  '::stop-commands::INJECTED',
  '::endgroup::\n::group::INJECTED',
  'room\n::warning::INJECTED forged annotation',
  'room\v::notice::INJECTED',
] as const;

/** Everything written to the real process.stdout and process.stderr while `fn` runs. */
export async function captureProcessOutput(fn: () => unknown): Promise<string> {
  let text = '';
  const grab = (chunk: unknown) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(grab);
  try {
    await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return text;
}
