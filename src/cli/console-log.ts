// Terminal counterparts of the action's logging: groups become headings, annotations become
// `file:line: error: message` lines that editors and terminals can jump to. The CLI often runs
// inside a workflow step, so everything it writes goes through runnerSafeText (src/untrusted.ts).
import { formatDuration } from '../format.js';
import type { PipelineIO } from '../pipeline.js';
import type { StageLog } from '../stages.js';
import { runnerSafeText } from '../untrusted.js';

export interface ConsoleSinks {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The CLI's only writers to the process: each block is fenced when any line could be a command. */
export const processSinks: ConsoleSinks = {
  out: (text) => void process.stderr.write(`${runnerSafeText(text)}\n`),
  err: (text) => void process.stderr.write(`${runnerSafeText(text)}\n`),
};

/** Results (`--json`, tables) on stdout; JSON callers pass runnerSafeJson so it stays JSON. */
export const processStdout = (text: string): void =>
  void process.stdout.write(`${runnerSafeText(text)}\n`);

export function consoleLog(sinks: ConsoleSinks): StageLog {
  return {
    info: (m) => sinks.out(m),
    warning: (m) => sinks.err(`warning: ${m}`),
    error: (m) => sinks.err(`error: ${m}`),
    annotate: (a) => {
      const where = a.file ? `${a.file}${a.startLine ? `:${a.startLine}` : ''}: ` : '';
      sinks.err(`${where}${a.severity}: ${a.message}`);
    },
  };
}

export function consoleIO(
  sinks: ConsoleSinks,
  outputs: Record<string, string>,
  onJob: (jobName: string, ended: boolean) => void,
): PipelineIO {
  return {
    async group(name, fn) {
      sinks.out(`\n== ${name}`);
      const started = Date.now();
      const result = await fn();
      sinks.out(`   (${formatDuration((Date.now() - started) / 1000)})`);
      return result;
    },
    info: (m) => sinks.out(m),
    notice: (m) => sinks.out(`notice: ${m}`),
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    jobState: onJob,
  };
}
