// "Never train twice on identical inputs": the inputs that decide what a job learns hash to a run
// key; a completed, gated job is recorded under runs/<key>.json and a later run with the same key
// reuses it. Pure: the key and the record's shape; store.ts reads and writes them.
import { canonicalJson } from '../dataset/snapshot.js';
import { sha256Hex } from '../hash.js';
import { hyperparametersToStrings } from '../hyperparameters.js';
import type { Hyperparameters } from '../types.js';
import type { YoloTask } from '../task.js';

export interface RunKeyInputs {
  /** The dataset snapshot's fingerprint: without one (dataset-s3-uri) nothing is reusable. */
  snapshot: string;
  /** The image's registry digest when known, else its reference with the content tag. */
  image: string;
  hyperparameters: Hyperparameters;
  instanceType: string;
  instanceCount: number;
  task: YoloTask;
}

/** Version of the key's recipe: bump it when the inputs change so old records stop matching. */
const RECIPE = 1;

/** The content-hash tag the action gives the images it builds (image/context-hash.ts). */
const CONTENT_TAG = /^src-[0-9a-f]{12}$/;

/**
 * The image part of the key: its digest pins the bytes; else a content-hash tag names them.
 * Undefined for any other tag (`latest`, `v2`): it may point at new bytes tomorrow, so a job on it
 * is never reused.
 */
export function imageIdentity(image: {
  imageUri: string;
  imageDigest?: string;
  tag: string;
}): string | undefined {
  if (image.imageDigest) return image.imageDigest;
  return image.imageUri && CONTENT_TAG.test(image.tag) ? image.imageUri : undefined;
}

/**
 * sha256 of the canonical JSON of the inputs. Hyperparameters are hashed as the strings the job
 * receives, so `epochs: 5` and `epochs: "5"` (same job) give the same key.
 */
export function runKey(inputs: RunKeyInputs): string {
  if (!/^[0-9a-f]{64}$/.test(inputs.snapshot)) {
    throw new Error(`snapshot '${inputs.snapshot}' is not a fingerprint (64 lowercase hex)`);
  }
  return sha256Hex(
    canonicalJson({
      recipe: RECIPE,
      snapshot: inputs.snapshot,
      image: inputs.image,
      hyperparameters: hyperparametersToStrings(inputs.hyperparameters),
      instanceType: inputs.instanceType,
      instanceCount: inputs.instanceCount,
      task: inputs.task,
    }),
  );
}

export interface RunRecord {
  version: 1;
  key: string;
  jobName: string;
  consoleUrl: string;
  modelUri?: string;
  /** The gate's verdict when recorded; a reuse gates again with the thresholds of its own run. */
  passed: boolean;
  /** The Model Registry entry made for the job, so a reuse does not register it twice. */
  modelPackageArn?: string;
  recordedAt: string;
  commit?: string;
}

/** A stored record, or an error naming the object when it is not one. */
export function parseRunRecord(text: string, source: string): RunRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const r = parsed as Partial<RunRecord> | null;
  if (
    !r ||
    r.version !== 1 ||
    typeof r.key !== 'string' ||
    typeof r.jobName !== 'string' ||
    !/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(r.jobName) ||
    typeof r.consoleUrl !== 'string'
  ) {
    throw new Error(`${source} is not a run record (version 1 with key, jobName, consoleUrl)`);
  }
  return r as RunRecord;
}
