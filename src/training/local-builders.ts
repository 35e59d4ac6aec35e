// Pure parts of the local training backend: the files SageMaker writes into /opt/ml/input/config,
// where channel objects land, the job record kept beside the emulated tree, metric-line scraping
// and the JobOutcome built from it. No I/O here; local.ts is the adapter.
import { pathToFileURL } from 'node:url';
import type { DatasetInput } from '../pipeline.js';
import { parseS3Uri, type S3Location } from '../s3.js';
import type { JobOutcome } from '../types.js';
import type { MetricDefinition } from './request.js';

/** SageMaker's FailureReason limit. */
export const FAILURE_REASON_MAX = 1024;

export interface ResourceConfig {
  current_host: string;
  hosts: string[];
  network_interface_name: string;
}

export interface ChannelConfig {
  TrainingInputMode: 'File';
  S3DistributionType: 'FullyReplicated';
  RecordWrapperType: 'None';
}

const FILE_CHANNEL: ChannelConfig = {
  TrainingInputMode: 'File',
  S3DistributionType: 'FullyReplicated',
  RecordWrapperType: 'None',
};

/** The channel names the SageMaker request uses for this input (request.ts inputChannels). */
export function channelNames(input: DatasetInput): string[] {
  return input.kind === 'snapshot' ? ['training', 'snapshot'] : ['training'];
}

/** inputdataconfig.json: one entry per channel, in the shape SageMaker writes it. */
export function buildInputDataConfig(input: DatasetInput): Record<string, ChannelConfig> {
  return Object.fromEntries(channelNames(input).map((name) => [name, { ...FILE_CHANNEL }]));
}

/**
 * A relative path that stays inside its channel directory, `/`-separated. Object keys become file
 * paths, so `..`, absolute paths and empty segments are refused rather than resolved.
 */
export function safeRelativePath(rel: string): string {
  const parts = rel.split('/');
  if (
    rel === '' ||
    rel.includes('\\') ||
    rel.includes('\0') ||
    parts.some((p) => p === '' || p === '.' || p === '..')
  ) {
    throw new Error(`object key "${rel}" cannot be used as a file path inside a channel`);
  }
  return rel;
}

export interface Manifest {
  prefix: S3Location;
  /** Relative keys, each once, in manifest order. */
  keys: string[];
}

/** A SageMaker ManifestFile: `[{"prefix": "s3://b/p/"}, "rel/key", ...]`. */
export function parseManifest(text: string): Manifest {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`manifest is not JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data) || data.length === 0) {
    throw new Error('manifest must be a JSON array starting with {"prefix": "s3://..."}');
  }
  const [head, ...rest] = data as unknown[];
  const prefix = (head as { prefix?: unknown } | null)?.prefix;
  if (typeof prefix !== 'string' || !prefix.startsWith('s3://')) {
    throw new Error('manifest must start with {"prefix": "s3://..."}');
  }
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const [i, key] of rest.entries()) {
    if (typeof key !== 'string') throw new Error(`manifest entry ${i + 1} is not a string`);
    if (seen.has(key)) continue;
    seen.add(key);
    keys.push(safeRelativePath(key));
  }
  return { prefix: parseS3Uri(prefix), keys };
}

/** The key prefix to list for an S3Prefix channel: always a "directory", never a sibling match. */
export function listPrefix(key: string): string {
  return key === '' || key.endsWith('/') ? key : `${key}/`;
}

/** Where an object listed under `prefix` lands inside the channel (relative, `/`-separated). */
export function channelPathFor(prefix: string, key: string): string {
  if (!key.startsWith(prefix)) throw new Error(`key "${key}" is not under "${prefix}"`);
  return safeRelativePath(key.slice(prefix.length));
}

/** The last path segment of an object key: where a single-object channel puts its file. */
export function keyBasename(key: string): string {
  const name = key.split('/').pop() ?? '';
  return safeRelativePath(name);
}

/** Locations SageMaker writes a job's archives to: <S3OutputPath>/<job>/output/<file>. */
export function outputKeys(
  bucket: string,
  prefix: string,
  jobName: string,
): { bucket: string; modelKey: string; outputKey: string; modelUri: string; outputUri: string } {
  const base = [prefix, 'output', jobName, 'output']
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
  const modelKey = `${base}/model.tar.gz`;
  const outputKey = `${base}/output.tar.gz`;
  return {
    bucket,
    modelKey,
    outputKey,
    modelUri: `s3://${bucket}/${modelKey}`,
    outputUri: `s3://${bucket}/${outputKey}`,
  };
}

export interface DockerRunOptions {
  jobDir: string;
  image: string;
  containerName: string;
  gpus: boolean;
  /** Host uid:gid, so files written into the job dir stay removable by the runner. */
  user?: string;
  env?: Record<string, string>;
}

/** `docker run` arguments that start the entrypoint the way SageMaker does (`<image> train`). */
export function buildDockerRunArgs(o: DockerRunOptions): string[] {
  const env = {
    YOLO_CONFIG_DIR: '/opt/ml/yolo-config',
    ...(o.user ? { HOME: '/tmp' } : {}),
    ...o.env,
  };
  return [
    'run',
    '--rm',
    '--name',
    o.containerName,
    // Like a SageMaker job with network isolation: the data comes in channels and the weights are
    // baked, so nothing needs a network; a daemon without a default bridge (--bridge=none) has
    // none to offer anyway.
    '--network',
    'none',
    '-v',
    `${o.jobDir}:/opt/ml`,
    // PyTorch data loaders share tensors through /dev/shm; docker's 64 MB default is too small.
    '--shm-size',
    '2g',
    ...(o.gpus ? ['--gpus', 'all'] : []),
    ...(o.user ? ['--user', o.user] : []),
    ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    o.image,
    'train',
  ];
}

/** Compiled metric definitions; SageMaker keeps the last captured value of each as a final metric. */
export function compileMetricDefinitions(
  defs: readonly MetricDefinition[],
): { name: string; regex: RegExp }[] {
  return defs.map((d) => ({ name: d.Name, regex: new RegExp(d.Regex) }));
}

/** Scrapes log text the way SageMaker fills FinalMetricDataList: last numeric match per metric. */
export function finalMetricsFromLog(
  text: string,
  defs: readonly { name: string; regex: RegExp }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split(/\r?\n/)) {
    for (const { name, regex } of defs) {
      const m = regex.exec(line);
      if (!m || m[1] === undefined) continue;
      const value = Number(m[1]);
      if (Number.isFinite(value)) out[name] = value;
    }
  }
  return out;
}

export type LocalStatus = 'InProgress' | 'Stopping' | 'Completed' | 'Failed' | 'Stopped';
export type Runtime = 'docker' | 'python';

/** job.json beside the emulated /opt/ml tree: what describe/wait/stop need from any process. */
export interface LocalJobRecord {
  version: 1;
  jobName: string;
  status: LocalStatus;
  runtime?: Runtime;
  /** The entrypoint process (the docker CLI in docker mode). */
  pid?: number;
  /** The process that launched it; stands for the job while it downloads the channels. */
  launcherPid?: number;
  containerName?: string;
  /** Epoch ms when launch began (download included, as SageMaker bills it). */
  startedAt: number;
  endedAt?: number;
  /** Byte offset of this attempt's first line in train.log (earlier attempts append before it). */
  logOffset: number;
  bucket: string;
  prefix: string;
  region: string;
  maxRuntimeSeconds: number;
  waitTimeoutSeconds: number;
  stopRequested?: boolean;
  stopRequestedAt?: number;
  limitExceeded?: 'MaxRuntimeExceeded';
  exitCode?: number | null;
  signal?: string | null;
  failureReason?: string;
  finalMetrics?: Record<string, number>;
  modelArtifactsUri?: string;
  outputDataUri?: string;
}

export function parseJobRecord(text: string): LocalJobRecord | undefined {
  try {
    const data = JSON.parse(text) as Partial<LocalJobRecord>;
    if (
      data?.version !== 1 ||
      typeof data.jobName !== 'string' ||
      typeof data.status !== 'string'
    ) {
      return undefined;
    }
    return data as LocalJobRecord;
  } catch {
    return undefined;
  }
}

export function isActive(status: LocalStatus): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

export interface ProcessEnd {
  /** undefined when the process was not ours to wait on (another process launched it). */
  exit?: { code: number | null; signal: string | null };
  /** Contents of output/failure, if written. */
  failureText?: string;
  /** Files in model/ after the run. */
  modelFiles: string[];
  stopRequested: boolean;
  /** Last non-empty line of the attempt's log, for a reason when no failure file was written. */
  lastLogLine?: string;
}

/** A failure reason cut to SageMaker's limit (code points, never a split surrogate pair). */
export function clipFailureReason(text: string): string {
  return Array.from(text).slice(0, FAILURE_REASON_MAX).join('');
}

/**
 * Terminal status and failure reason from how the process ended. A stop wins (SageMaker reports
 * Stopped, keeping the artifacts); otherwise success needs exit 0 and no failure file. When the
 * exit code is unknown, the outputs decide: model files and no failure file mean it completed.
 */
export function decideEnd(end: ProcessEnd): { status: LocalStatus; failureReason?: string } {
  const failure = end.failureText?.trim();
  if (end.stopRequested) return { status: 'Stopped' };
  if (failure) return { status: 'Failed', failureReason: clipFailureReason(failure) };
  if (end.exit) {
    if (end.exit.code === 0) return { status: 'Completed' };
    const how =
      end.exit.code !== null
        ? `exited with code ${end.exit.code}`
        : `was killed by ${end.exit.signal}`;
    const last = end.lastLogLine ? `; last output: ${end.lastLogLine.trim()}` : '';
    return {
      status: 'Failed',
      failureReason: clipFailureReason(`AlgorithmError: the training process ${how}${last}`),
    };
  }
  if (end.modelFiles.length > 0) return { status: 'Completed' };
  return {
    status: 'Failed',
    failureReason:
      'AlgorithmError: the training process ended without writing a model or a failure reason (was its launcher killed?)',
  };
}

function secondaryStatus(record: LocalJobRecord): string {
  if (record.limitExceeded) return record.limitExceeded;
  if (record.status === 'InProgress') return 'Training';
  return record.status;
}

/** The JobOutcome for a record; `now` prices a job that is still running. */
export function outcomeFromRecord(record: LocalJobRecord, jobDir: string, now: number): JobOutcome {
  const end = record.endedAt ?? now;
  const seconds = Math.max(0, Math.round((end - record.startedAt) / 1000));
  return {
    jobName: record.jobName,
    status: record.status,
    secondaryStatus: secondaryStatus(record),
    ...(record.failureReason ? { failureReason: record.failureReason } : {}),
    ...(record.modelArtifactsUri ? { modelArtifactsUri: record.modelArtifactsUri } : {}),
    ...(record.outputDataUri ? { outputDataUri: record.outputDataUri } : {}),
    trainingSeconds: seconds,
    // Nothing is billed locally, but the reader and report compute spot savings from these two.
    billableSeconds: seconds,
    finalMetrics: record.finalMetrics ?? {},
    instanceType: 'local',
    instanceCount: 1,
    spot: false,
    consoleUrl: pathToFileURL(jobDir).href,
    region: record.region,
    ...(record.limitExceeded ? { limitExceeded: record.limitExceeded } : {}),
  };
}

/** The last non-empty line of a text, for failure reasons. */
export function lastNonEmptyLine(text: string): string | undefined {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  return lines[lines.length - 1];
}
