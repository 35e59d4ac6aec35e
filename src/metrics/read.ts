// Reads a finished job's metrics: metrics.json + results.csv from output.tar.gz (the container
// contract in DESIGN.md), falling back to the FinalMetricDataList SageMaker scraped from the log
// when the archive or its metrics.json is missing. Parsing is pure; readJobMetrics is the adapter.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Parser, type ReadEntry } from 'tar';
import { isS3NotFound, parseS3Uri } from '../s3.js';
import { errorMessage } from '../errors.js';
import type { ClassMetrics, EpochRow, JobOutcome, Metrics } from '../types.js';
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

/** Validates metrics.json against the DESIGN.md contract (schema 1). Pure. */
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

  const metrics: Metrics = { perClass, source: 'metrics.json', epochs: [] };
  const assign = <K extends keyof Metrics>(key: K, value: Metrics[K] | undefined) => {
    if (value !== undefined) metrics[key] = value;
  };
  assign('map50', optionalRatio(json, 'map50', ''));
  assign('map50_95', optionalRatio(json, 'map50_95', ''));
  assign('precision', optionalRatio(json, 'precision', ''));
  assign('recall', optionalRatio(json, 'recall', ''));
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

/** Metrics from the last values SageMaker scraped from the log. Pure. */
export function metricsFromFinalMetricData(finalMetrics: Record<string, number>): Metrics {
  const metrics: Metrics = { perClass: [], source: 'final-metric-data', epochs: [] };
  for (const [key, name] of Object.entries(FINAL_METRIC_NAMES) as [
    keyof typeof FINAL_METRIC_NAMES,
    string,
  ][]) {
    const v = finalMetrics[name];
    if (typeof v === 'number' && Number.isFinite(v)) metrics[key] = v;
  }
  const reported = Object.keys(FINAL_METRIC_NAMES).some((k) => k in metrics);
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
  return { ...metricsFromFinalMetricData(outcome.finalMetrics), epochs };
}
