// Runs every case of a generated corpus (oracle.py make) through the validator and compares the
// verdicts with ultralytics' own (oracle.py judge): fail or ok, and the images dropped per split.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import path from 'node:path';
import { NO_DROP_LIMIT } from '../../../src/dataset/dropped.js';
import { validateDataset, type ValidationReport } from '../../../src/dataset/validate.js';
import { isYoloTask, type YoloTask } from '../../../src/task.js';

export interface OracleVerdict {
  outcome: 'ok' | 'fail';
  dropped?: { train: number; val: number };
  error?: string;
}

export interface Verdict {
  outcome: 'ok' | 'fail';
  dropped?: { train: number; val: number };
}

export function verdictOf(report: ValidationReport): Verdict {
  if (report.errors > 0) return { outcome: 'fail' };
  const of = (split: string) => report.splits.find((s) => s.split === split)?.dropped ?? 0;
  return { outcome: 'ok', dropped: { train: of('train'), val: of('val') } };
}

export interface Disagreement {
  id: string;
  name: string;
  task: YoloTask;
  ours: Verdict;
  ultralytics: OracleVerdict;
  findings: string[];
}

/** Our verdict for every case, before the oracle touches the corpus. */
export async function validateCorpus(
  corpus: string,
): Promise<Map<string, { name: string; task: YoloTask; report: ValidationReport }>> {
  const out = new Map<string, { name: string; task: YoloTask; report: ValidationReport }>();
  for (const id of (await readdir(corpus)).sort()) {
    const meta = JSON.parse(await readFile(path.join(corpus, id, 'case.json'), 'utf8')) as {
      name: string;
      task: string;
    };
    const task = isYoloTask(meta.task) ? meta.task : 'detect';
    const report = await validateDataset(path.join(corpus, id), {
      cwd: corpus,
      task,
      maxDropped: NO_DROP_LIMIT,
    });
    out.set(id, { name: meta.name, task, report });
  }
  return out;
}

export function compare(
  ours: Awaited<ReturnType<typeof validateCorpus>>,
  oracle: Record<string, OracleVerdict>,
): Disagreement[] {
  const bad: Disagreement[] = [];
  for (const [id, { name, task, report }] of ours) {
    const theirs = oracle[id];
    const mine = verdictOf(report);
    const same =
      theirs !== undefined &&
      theirs.outcome === mine.outcome &&
      (mine.outcome === 'fail' ||
        (theirs.dropped?.train === mine.dropped?.train &&
          theirs.dropped?.val === mine.dropped?.val));
    if (!same) {
      bad.push({
        id,
        name,
        task,
        ours: mine,
        ultralytics: theirs ?? { outcome: 'fail', error: 'no verdict' },
        findings: report.findings
          .filter((f) => f.outcome !== 'keep')
          .map(
            (f) => `${f.outcome} ${f.rule} ${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`,
          ),
      });
    }
  }
  return bad;
}

export function describeDisagreement(d: Disagreement): string {
  return [
    `case ${d.id} (${d.task}): ${d.name}`,
    `  ours:        ${JSON.stringify(d.ours)}`,
    `  ultralytics: ${JSON.stringify(d.ultralytics)}`,
    ...d.findings.slice(0, 6).map((f) => `    ${f}`),
  ].join('\n');
}

const ORACLE = path.join('__tests__', 'dataset', 'differential', 'oracle.py');
const PYTHON = path.join('.venv', 'bin', 'python');
const run = promisify(execFile);

/** oracle.py make: writes the corpus, returns the number of cases. */
export async function makeCorpus(corpus: string): Promise<number> {
  const { stdout } = await run(PYTHON, [ORACLE, 'make', corpus]);
  return Number(stdout.trim());
}

/** oracle.py judge: ultralytics' verdict per case (mutates the corpus: run it after ours). */
export async function judgeWithUltralytics(corpus: string): Promise<Record<string, OracleVerdict>> {
  const verdicts = `${corpus}.oracle.json`;
  await run(PYTHON, [ORACLE, 'judge', corpus, verdicts], {
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      YOLO_OFFLINE: 'true',
      YOLO_CONFIG_DIR: path.join(corpus, '..', 'yolo-config'),
    },
  });
  return JSON.parse(await readFile(verdicts, 'utf8')) as Record<string, OracleVerdict>;
}
