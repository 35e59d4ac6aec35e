// Reads a finished job's metrics: metrics.json + results.csv from output.tar.gz (the container
// contract in DESIGN.md), falling back to the FinalMetricDataList SageMaker scraped from the log
// when the archive or its metrics.json is missing. Parsing is pure; readJobMetrics is the adapter.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Parser, type ReadEntry } from 'tar';
import { isS3NotFound, parseS3Uri } from '../s3.js';
import { errorMessage } from '../errors.js';
import { METRIC_KINDS, isYoloTask, primaryKind, type MetricKind, type YoloTask } from '../task.js';
import type { ClassMetrics, EpochRow, JobOutcome, Metrics, MetricSet } from '../types.js';
import { parseResultsCsv } from './results-csv.js';

export const METRICS_SCHEMA = 1;

export interface OutputArchive {
  /** Parsed metrics.json (NaN/Infinity tolerated and turned into null). */
  metricsJson?: unknown;
  resultsCsv?: string;
}

const WANTED = new Set(['metrics.json', 'results.csv']);
/** Far above any real metrics.json/results.csv; stops a corrupt archive from eating memory. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/** Entries sit at the archive root, written as `metrics.json` or `./metrics.json`. */
function rootName(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}

/** Reads metrics.json and results.csv from a (gzipped) tar held in memory. */
export async function extractOutputArchive(buf: Buffer | Uint8Array): Promise<OutputArchive> {
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const parser = new Parser({
      // Strict: an archive that is not a tar (or is truncated) is an error, not a warning.
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const name = rootName(entry.path);
        if (entry.type !== 'File' || !WANTED.has(name)) {
          entry.resume();
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ENTRY_BYTES) {
            fail(new Error(`output archive: ${name} is larger than ${MAX_ENTRY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        entry.on('end', () => files.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (error: Error) => fail(new Error(`output archive: ${error.message}`)));
    parser.on('close', () => {
      if (!failed) resolve();
    });
    parser.end(Buffer.from(buf));
  });

  const out: OutputArchive = {};
  const metrics = files.get('metrics.json');
  if (metrics) {
    try {
      out.metricsJson = parseJsonLenient(metrics.toString('utf8'));
    } catch (error) {
      throw new Error(
        `output archive: metrics.json is not valid JSON (${(error as Error).message})`,
      );
    }
  }
  const csv = files.get('results.csv');
  if (csv) out.resultsCsv = csv.toString('utf8');
  return out;
}

/**
 * JSON.parse that also accepts the bare NaN / Infinity / -Infinity tokens Python's json.dump
 * writes by default (turned into null), so a container that forgot allow_nan=False still reads.
 */
export function parseJsonLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    let out = '';
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (inString) {
        out += ch;
        if (ch === '\\') out += text[++i] ?? '';
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') {
        inString = true;
        out += ch;
        continue;
      }
      const token = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9));
      if (token) {
        out += 'null';
        i += token[0].length - 1;
        continue;
      }
      out += ch;
    }
    if (out === text) throw strictError;
    return JSON.parse(out);
  }
}

// ---- metrics.json validation -------------------------------------------------------------------

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A metric in [0, 1]; null (NaN written by Python) and absence both mean "not reported". */
function optionalRatio(obj: Obj, key: string, where: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new Error(
      `metrics.json: ${where}${key} must be a number in [0, 1] or null, got ${show(v)}`,
    );
  }
  return v;
}

function optionalInteger(obj: Obj, key: string, where: string): number | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new Error(`metrics.json: ${where}${key} must be a non-negative integer, got ${show(v)}`);
  }
  return v;
}

function optionalString(obj: Obj, key: string): string | undefined {
  const v = obj[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string')
    throw new Error(`metrics.json: ${key} must be a string, got ${show(v)}`);
  return v;
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const SET_KEYS = ['map50', 'map50_95', 'precision', 'recall'] as const;

function metricSet(obj: Obj, where: string): MetricSet {
  const set: MetricSet = {};
  for (const key of SET_KEYS) {
    const v = optionalRatio(obj, key, where);
    if (v !== undefined) set[key] = v;
  }
  return set;
}

/**
 * Validates metrics.json against the DESIGN.md contract (schema 1). Pure. Files written before
 * the container knew tasks have no `task` and no blocks: they are detect, their top-level numbers
 * boxes. Since then `task` says which blocks follow (`box`, `mask`, `pose`; `top1`/`top5` for
 * classify) and the top-level numbers are the task's primary block.
 */
export function parseMetricsJson(json: unknown): Metrics {
  if (!isObject(json)) throw new Error(`metrics.json: expected an object, got ${show(json)}`);
  if (json.schema !== METRICS_SCHEMA) {
    throw new Error(
      `metrics.json has schema ${show(json.schema)}; this action reads schema ${METRICS_SCHEMA}. ` +
        'Use a training image and action version that agree on the metrics.json contract.',
    );
  }

  const perClassRaw = json.per_class ?? [];
  if (!Array.isArray(perClassRaw)) {
    throw new Error(`metrics.json: per_class must be an array, got ${show(perClassRaw)}`);
  }
  const perClass: ClassMetrics[] = perClassRaw.map((row: unknown, i) => {
    const where = `per_class[${i}].`;
    if (!isObject(row)) throw new Error(`metrics.json: ${where.slice(0, -1)} must be an object`);
    if (typeof row.name !== 'string') {
      throw new Error(`metrics.json: ${where}name must be a string, got ${show(row.name)}`);
    }
    const ratio = (key: string) => optionalRatio(row, key, where) ?? Number.NaN;
    return {
      name: row.name,
      instances: optionalInteger(row, 'instances', where) ?? 0,
      ap50: ratio('ap50'),
      ap50_95: ratio('ap50_95'),
      precision: ratio('precision'),
      recall: ratio('recall'),
    };
  });

  const split = json.split;
  if (split !== undefined && split !== null && split !== 'val' && split !== 'test') {
    throw new Error(`metrics.json: split must be "val" or "test", got ${show(split)}`);
  }

  const task = json.task ?? undefined;
  if (task !== undefined && (typeof task !== 'string' || !isYoloTask(task))) {
    throw new Error(
      `metrics.json: task must be detect, segment, obb, pose or classify, got ${show(task)}`,
    );
  }

  const metrics: Metrics = { perClass, source: 'metrics.json', epochs: [] };
  if (task !== undefined) {
    metrics.task = task;
    const blocks: Partial<Record<MetricKind, MetricSet>> = {};
    for (const kind of METRIC_KINDS[task]) {
      const raw = json[kind];
      if (raw === undefined || raw === null) continue;
      if (!isObject(raw))
        throw new Error(`metrics.json: ${kind} must be an object, got ${show(raw)}`);
      blocks[kind] = metricSet(raw, `${kind}.`);
    }
    if (Object.keys(blocks).length > 0) metrics.blocks = blocks;
  }
  const assign = <K extends keyof Metrics>(key: K, value: Metrics[K] | undefined) => {
    if (value !== undefined) metrics[key] = value;
  };
  assign('map50', optionalRatio(json, 'map50', ''));
  assign('map50_95', optionalRatio(json, 'map50_95', ''));
  assign('precision', optionalRatio(json, 'precision', ''));
  assign('recall', optionalRatio(json, 'recall', ''));
  assign('top1', optionalRatio(json, 'top1', ''));
  assign('top5', optionalRatio(json, 'top5', ''));
  assign('epochsCompleted', optionalInteger(json, 'epochs_completed', ''));
  assign('bestEpoch', optionalInteger(json, 'best_epoch', ''));
  assign('split', (split ?? undefined) as Metrics['split']);
  assign('ultralyticsVersion', optionalString(json, 'ultralytics_version'));
  assign('imgsz', optionalInteger(json, 'imgsz', ''));
  assign('model', optionalString(json, 'model'));
  return metrics;
}

// ---- FinalMetricDataList fallback --------------------------------------------------------------

/**
 * MetricDefinitions names (training-container/metric-definitions.json) for the gated metrics.
 * A test checks these against the JSON file so the two cannot drift.
 */
export const FINAL_METRIC_NAMES = {
  map50: 'map50',
  map50_95: 'map50_95',
  precision: 'precision',
  recall: 'recall',
} as const;

/** The MetricDefinitions name of a block's metric: `map50` for boxes, `mask:map50` for masks. */
export function finalMetricName(kind: MetricKind, metric: keyof typeof FINAL_METRIC_NAMES): string {
  return kind === 'box' ? FINAL_METRIC_NAMES[metric] : `${kind}:${FINAL_METRIC_NAMES[metric]}`;
}

/** classify's MetricDefinitions names. */
export const FINAL_ACCURACY_NAMES = { top1: 'top1', top5: 'top5' } as const;

/**
 * Metrics from the last values SageMaker scraped from the log, for the task the job trained
 * (the log lines carry every block; the task says which is primary). Pure.
 */
export function metricsFromFinalMetricData(
  finalMetrics: Record<string, number>,
  task: YoloTask = 'detect',
): Metrics {
  const metrics: Metrics = { task, perClass: [], source: 'final-metric-data', epochs: [] };
  const read = (name: string): number | undefined => {
    const v = finalMetrics[name];
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  };
  const blocks: Partial<Record<MetricKind, MetricSet>> = {};
  for (const kind of METRIC_KINDS[task]) {
    const set: MetricSet = {};
    for (const key of SET_KEYS) {
      const v = read(finalMetricName(kind, key));
      if (v !== undefined) set[key] = v;
    }
    if (Object.keys(set).length > 0) blocks[kind] = set;
  }
  const primary = primaryKind(task);
  if (primary) Object.assign(metrics, blocks[primary]);
  // a one-block task's block is the top level already
  if (METRIC_KINDS[task].length > 1 && Object.keys(blocks).length > 0) metrics.blocks = blocks;
  if (task === 'classify') {
    for (const key of ['top1', 'top5'] as const) {
      const v = read(FINAL_ACCURACY_NAMES[key]);
      if (v !== undefined) metrics[key] = v;
    }
  }
  const reported = [...SET_KEYS, 'top1', 'top5'].some((k) => k in metrics);
  if (!reported) metrics.source = 'none';
  return metrics;
}

// ---- S3 adapter --------------------------------------------------------------------------------

/** results.csv only draws the epoch line: a damaged one is logged, never fatal. */
function epochsFrom(text: string | undefined, log: (message: string) => void): EpochRow[] {
  if (text === undefined) return [];
  try {
    return parseResultsCsv(text);
  } catch (error) {
    log(`results.csv could not be read (${errorMessage(error)}); the report has no epoch line`);
    return [];
  }
}

export interface ReadMetricsOptions {
  /** Why the fallback was taken, for the log. */
  log?: (message: string) => void;
  /** The task the job was started for, which says how to read FinalMetricDataList. */
  task?: YoloTask;
}

/**
 * metrics.json first (with results.csv for the epoch table); FinalMetricDataList when the archive
 * is missing or holds no metrics.json. An archive with an invalid metrics.json is an error: the
 * image and the action disagree on the contract, and silently using other numbers would hide it.
 */
export async function readJobMetrics(
  s3: Pick<S3Client, 'send'>,
  outcome: JobOutcome,
  options: ReadMetricsOptions = {},
): Promise<Metrics> {
  const log = options.log ?? (() => undefined);
  let archive: OutputArchive = {};
  let archiveFound = false;
  if (!outcome.outputDataUri) {
    log(`${outcome.jobName}: no output data URI; using FinalMetricDataList`);
  } else {
    const { bucket, key } = parseS3Uri(outcome.outputDataUri);
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!res.Body) throw new Error(`empty body for ${outcome.outputDataUri}`);
      archive = await extractOutputArchive(Buffer.from(await res.Body.transformToByteArray()));
      archiveFound = true;
    } catch (error) {
      if (!isS3NotFound(error)) throw error;
      log(`${outcome.outputDataUri} not found; using FinalMetricDataList`);
    }
  }

  const epochs = epochsFrom(archive.resultsCsv, log);
  if (archive.metricsJson !== undefined) {
    return { ...parseMetricsJson(archive.metricsJson), epochs };
  }
  if (archiveFound) {
    log(`${outcome.outputDataUri} has no metrics.json; using FinalMetricDataList`);
  }
  return { ...metricsFromFinalMetricData(outcome.finalMetrics, options.task), epochs };
}
