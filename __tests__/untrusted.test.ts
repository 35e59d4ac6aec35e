// Workflow-command injection, fixed by construction: the one fenced path (src/untrusted.ts), the
// only writers that use it (src/action-log.ts, src/cli/console-log.ts), and every sink driven with
// hostile strings while the real process.stdout/stderr are watched through a model of the runner.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  commandSafeText,
  couldBeCommand,
  fenceBlock,
  fenceToken,
  lineBatch,
  runnerSafeJson,
  runnerSafeText,
} from '../src/untrusted.js';
import { captureProcessOutput, HOSTILE, smuggledCommands } from './helpers/runner-commands.js';

describe('the runner model used by these tests', () => {
  it('finds the command each hostile string smuggles when written raw (so the tests can fail)', () => {
    for (const h of HOSTILE) {
      if (h.includes('%0A') && !h.includes('\n')) continue; // only a command's data decodes %0A
      expect(smuggledCommands(`plain\n${h}\n`)).not.toEqual([]);
    }
  });

  it("accepts @actions/core's own commands and closed fences", () => {
    const t = fenceToken();
    expect(
      smuggledCommands(
        `::group::Dataset\n::warning file=a%0Ab.txt,line=3::x%0A::add-mask::y\n::stop-commands::${t}\n::add-mask::x\n::${t}::\n::endgroup::\n`,
      ),
    ).toEqual([]);
    expect(smuggledCommands('::stop-commands::abc\n::add-mask::x\n::abc::\n')).toHaveLength(1);
    expect(smuggledCommands(`::stop-commands::${t}\n::add-mask::x\n`)).toHaveLength(1);
  });
});

describe('fenceBlock', () => {
  it('leaves text without a possible command alone', () => {
    expect(fenceBlock('uploaded 3/10 files to s3://bucket/key', 't')).toBe(
      'uploaded 3/10 files to s3://bucket/key',
    );
  });

  it('fences a whole block once, whatever line breaks it uses', () => {
    const token = fenceToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(fenceToken()).not.toBe(token);
    const block = 'epoch 1\nclass room\r::add-mask::x\u2028##[error]y\nepoch 2';
    expect(fenceBlock(block, token)).toBe(`::stop-commands::${token}\n${block}\n::${token}::`);
  });

  it('no string, hostile fragments or not, comes out with a command outside its fence', () => {
    const fragment = fc.constantFrom(
      ...HOSTILE,
      '\n',
      '\r',
      '\u2028',
      '\u0085',
      '::',
      '##[',
      ' ',
      'room',
    );
    const text = fc.oneof(
      fc.string(),
      fc.array(fragment).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(text, (s) => {
        expect(smuggledCommands(`${runnerSafeText(s)}\n`)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});

describe('runnerSafeJson', () => {
  it('is the same JSON value with no line a runner could execute', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...HOSTILE), (value, h) => {
        const doc = { value, name: h, [h]: [h] };
        const text = runnerSafeJson(doc);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(doc)));
        expect(text.split(/\r\n|[\n\r\u0085\u2028\u2029\v\f]/).some(couldBeCommand)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('commandSafeText', () => {
  it('writes the line breaks @actions/core leaves in command data as visible escapes', () => {
    expect(commandSafeText('a\u2028b\u2029c\u0085d\ve\ff\ng')).toBe(
      'a\\u2028b\\u2029c\\u0085d\\u000be\\u000cf\ng',
    );
  });
});

describe('lineBatch', () => {
  it('writes the collected lines as one block, and nothing when there are none', () => {
    const blocks: string[] = [];
    const batch = lineBatch((b) => void blocks.push(b));
    batch.flush();
    batch.add('a');
    batch.add('::add-mask::b');
    batch.flush();
    batch.flush();
    expect(blocks).toEqual(['a\n::add-mask::b']);
  });
});

describe('one path to the runner', () => {
  const WRITERS =
    /\bcore\.(info|warning|error|notice|debug|startGroup|endGroup|group|setFailed)\(|process\.(stdout|stderr)\.write|\bconsole\.(log|info|warn|error|debug|trace)\(/;
  // The writers, and the boundary whose setFailed data @actions/core escapes (commandSafeText).
  const ALLOWED = new Set(['src/action-log.ts', 'src/cli/console-log.ts', 'src/main.ts']);

  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return sources(p);
      return e.name.endsWith('.ts') ? [p] : [];
    });
  }

  it('no module but the writers writes to the process or the runner log', () => {
    const offenders = sources('src').flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, i) => ({ file, line: i + 1, text: line }))
        .filter((l) => WRITERS.test(l.text) && !l.text.trim().startsWith('//'))
        .filter(
          (l) => !ALLOWED.has(l.file) || (l.file === 'src/main.ts' && !/setFailed/.test(l.text)),
        ),
    );
    expect(offenders).toEqual([]);
  });
});

describe('every sink, with hostile strings, on the real process output', () => {
  let savedEnv: NodeJS.ProcessEnv;
  beforeEach(() => {
    savedEnv = { ...process.env };
  });
  afterEach(() => {
    process.env = savedEnv;
  });

  it('the action: info, untrusted blocks, warning, error, notice, annotations, groups, failure', async () => {
    const { coreLog, actionGroup, actionInfo, actionNotice } = await import('../src/action-log.js');
    const core = await import('@actions/core');
    const { commandSafeText: safe } = await import('../src/untrusted.js');
    const output = await captureProcessOutput(async () => {
      for (const h of HOSTILE) {
        coreLog.info(`Dataset class ${h}`);
        coreLog.info(h);
        coreLog.untrusted?.(`line one\n${h}\nline three`);
        coreLog.warning(h);
        coreLog.error(`job failed: ${h}`);
        coreLog.annotate({ severity: 'error', file: `labels/${h}.txt`, startLine: 2, message: h });
        coreLog.annotate({ severity: 'warning', message: h });
        actionInfo(h);
        actionNotice(h);
        await actionGroup(h, async () => actionInfo(h));
        core.setFailed(safe(h));
      }
    });
    process.exitCode = undefined; // setFailed set it
    expect(output).toContain('INJECTED'); // the hostile text reached the log...
    expect(smuggledCommands(output)).toEqual([]); // ...and none of it as a command
  });

  it('the CLI: its stderr and stdout writers', async () => {
    const { consoleIO, consoleLog, processSinks, processStdout } =
      await import('../src/cli/console-log.js');
    const output = await captureProcessOutput(async () => {
      const log = consoleLog(processSinks);
      const io = consoleIO(processSinks, {}, () => {});
      for (const h of HOSTILE) {
        log.info(h);
        log.warning(h);
        log.error(h);
        log.annotate({ severity: 'error', file: `labels/${h}.txt`, startLine: 2, message: h });
        io.info(h);
        io.notice(h);
        await io.group(h, async () => io.info(h));
        processStdout(`table\n${h}`);
        processStdout(runnerSafeJson({ names: [h] }));
      }
    });
    expect(output).toContain('INJECTED');
    expect(smuggledCommands(output)).toEqual([]);
  });
});
