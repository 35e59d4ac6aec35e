// Shared, I/O-free data shapes. Stages exchange these; builders and renderers are pure over them.
import type { CostReport } from './report/cost.js';

export type GateMetric = 'map50' | 'map50_95' | 'precision' | 'recall';

export interface Threshold {
  metric: GateMetric;
  /** Minimum acceptable value in [0, 1]; the check passes when value >= min. */
  min: number;
  /** The input that set it, for messages (e.g. `map50-threshold`). */
  input: string;
}

/** Typed ultralytics train arguments keyed by their ultralytics names (batch, imgsz, lr0, ...). */
export type Hyperparameters = Record<string, string | number | boolean>;

/** Facts about the triggering run, from the GitHub context (action) or git/env (CLI). */
export interface RunContext {
  repository: string; // owner/name
  eventName: string; // pull_request, schedule, workflow_dispatch, push, cli, ...
  ref: string;
  sha: string;
  runId: string;
  runAttempt: string;
  serverUrl: string; // https://github.com
  prNumber?: number;
  /** Head repo differs from the base repo: no secrets, read-only token. */
  isForkPullRequest: boolean;
  baseRef?: string; // PR base branch
  defaultBranch?: string;
}

export interface Config {
  region: string;
  role: string;
  bucket: string;
  prefix: string;

  /** Local dataset directory or yaml (issue 3). Ignored when datasetS3Uri is set. */
  dataset: string;
  /** Bring-your-own S3 prefix holding a YOLO dataset with its yaml ("skip upload"). */
  datasetS3Uri?: string;

  /** Prebuilt image; when set, the build stage is skipped. */
  imageUri?: string;
  ecrRepository: string;
  containerContext: string;
  buildArgs: Record<string, string>;
  pretrainedWeights?: string;
  push: boolean;

  jobName: string;
  /** False when jobName was derived: only derived names are suffixed on re-run after failure. */
  jobNameExplicit: boolean;
  /** `ml.*` for SageMaker, `local` for the local backend. */
  instanceType: string;
  instanceCount: number;
  volumeSizeGb: number;
  maxRuntimeSeconds: number;
  spot: boolean;
  /** Only with spot; always > maxRuntimeSeconds. */
  maxWaitSeconds?: number;
  hyperparameters: Hyperparameters;

  thresholds: Threshold[];

  /** `max-cost`: refuse or stop a job whose cost would pass this many USD. */
  maxCostUsd?: number;
  /** `instance-price`: USD per instance-hour, overriding the price table and the Price List API. */
  instancePriceUsd?: number;

  wait: boolean;
  /** Overall polling timeout in seconds. */
  waitTimeoutSeconds: number;
  githubToken?: string;
  comment: boolean;
  /** A fork's pull request runs the whole pipeline (fork-pull-requests: train), not just validation. */
  trainForkPullRequests: boolean;

  context: RunContext;
}

export interface ClassMetrics {
  name: string;
  instances: number;
  ap50: number;
  ap50_95: number;
  precision: number;
  recall: number;
}

/** One row of ultralytics results.csv, columns looked up by trimmed name. */
export interface EpochRow {
  epoch: number;
  values: Record<string, number>; // NaN kept as NaN
}

export interface Metrics {
  map50?: number;
  map50_95?: number;
  precision?: number;
  recall?: number;
  epochsCompleted?: number;
  bestEpoch?: number;
  perClass: ClassMetrics[];
  split?: 'val' | 'test';
  ultralyticsVersion?: string;
  imgsz?: number;
  model?: string;
  /** Where the numbers came from. */
  source: 'metrics.json' | 'final-metric-data' | 'none';
  epochs: EpochRow[];
}

export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped' | string;

/** What the lifecycle knows about a job once polling ends (or at attach time). */
export interface JobOutcome {
  jobName: string;
  status: JobStatus;
  secondaryStatus?: string;
  failureReason?: string;
  /** s3://.../output/<job>/output/model.tar.gz */
  modelArtifactsUri?: string;
  /** s3://.../output/<job>/output/output.tar.gz */
  outputDataUri?: string;
  trainingSeconds?: number;
  billableSeconds?: number;
  finalMetrics: Record<string, number>;
  instanceType: string;
  instanceCount: number;
  spot: boolean;
  consoleUrl: string;
  region: string;
  /** The job ended because of a limit (MaxRuntimeExceeded / MaxWaitTimeExceeded). */
  limitExceeded?: 'MaxRuntimeExceeded' | 'MaxWaitTimeExceeded';
  /** The action timed out waiting; the job may still run. */
  timedOut?: boolean;
  /** Managed spot: times the job was Interrupted (capacity reclaimed) and Restarting (resumed). */
  spotInterruptions?: number;
  spotRestarts?: number;
  /** Warm pool: seconds the instances were kept after the job (billed like training). */
  warmPoolRetainedSeconds?: number;
  /** What the job cost, or why that is unknown; absent for local runs. */
  cost?: CostReport;
  /** The action stopped the job because its estimated cost reached `max-cost`. */
  costCapStop?: { maxCostUsd: number; estimatedUsd: number };
}

export interface GateCheck {
  metric: GateMetric;
  input: string;
  threshold: number;
  value?: number;
  passed: boolean;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** One line per check, for the failure message and the log. */
  message: string;
}

export interface DatasetRef {
  /** s3:// URI handed to the job (snapshot manifest or the user's prefix). */
  uri: string;
  /** Content fingerprint of the snapshot, when the dataset was synced by us. */
  snapshot?: string;
  /** Markdown-free facts about what changed against the base branch (issue 3). */
  diff?: SnapshotDiff;
}

export interface SnapshotDiff {
  baseSnapshot: string;
  added: number;
  removed: number;
  changed: number;
  instancesPerClass: { name: string; before: number; after: number }[];
}
