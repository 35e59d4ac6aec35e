// Where a local job lives on disk and its job.json record: what describe, wait and stop read from
// any process (the action's post step, `sagemaker-yolo status|stop <job>`).
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isValidJobName } from '../jobname.js';
import { parseJobRecord, type LocalJobRecord } from './local-builders.js';

export const RECORD = 'job.json';
export const LOG = 'train.log';

export function defaultWorkRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'sagemaker-yolo-local');
}

/** A file's text from a byte offset, or undefined when it cannot be read. */
export async function readText(file: string, from = 0): Promise<string | undefined> {
  try {
    const buf = await fs.readFile(file);
    return buf.subarray(Math.min(from, buf.length)).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Sorted entries of a directory; none when it does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

export interface JobStore {
  readonly workRoot: string;
  /** The emulated /opt/ml root of a job. */
  jobDir(jobName: string): string;
  read(jobName: string): Promise<LocalJobRecord | undefined>;
  /** The record, or an error saying where it was looked for. */
  require(jobName: string): Promise<LocalJobRecord>;
  write(record: LocalJobRecord): Promise<void>;
}

export function createJobStore(workRoot: string): JobStore {
  function jobDir(jobName: string): string {
    // Job names become directory names: the SageMaker rule keeps them free of separators.
    if (!isValidJobName(jobName)) throw new Error(`invalid training job name "${jobName}"`);
    return path.join(workRoot, jobName);
  }
  async function read(jobName: string): Promise<LocalJobRecord | undefined> {
    const text = await readText(path.join(jobDir(jobName), RECORD));
    return text === undefined ? undefined : parseJobRecord(text);
  }
  return {
    workRoot,
    jobDir,
    read,
    async require(jobName) {
      const record = await read(jobName);
      if (!record) {
        throw new Error(`no local training job "${jobName}" under ${workRoot} (no ${RECORD})`);
      }
      return record;
    },
    async write(record) {
      const file = path.join(jobDir(record.jobName), RECORD);
      const tmp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
      await fs.rename(tmp, file); // atomic: another process never reads half a record
    },
  };
}
