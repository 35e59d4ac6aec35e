// Shared, I/O-free data shapes. Stages exchange these; builders and renderers are pure over them.
import type { DropLimit } from './dataset/dropped.js';
import type { ModelDeliverySettings } from './model/delivery-settings.js';
import type { CostReport } from './report/cost.js';
import type { ModelSettings } from './model/settings.js';

import type { MetricKind, YoloTask } from './task.js';

/** top1 is classify's; the others are read from the task's primary block (see MetricKind). */
export type GateMetric = 'map50' | 'map50_95' | 'precision' | 'recall' | 'top1';

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
  /** PR head branch (a PR's own branch, where promote: always puts its champion). */
  headRef?: string;
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
  /** More images dropped by ultralytics than this fails validation (issue 9). */
  maxDroppedImages: DropLimit;

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
  /** Network, encryption and tagging settings for locked-down accounts (issue 15). */
  lockdown: LockdownSettings;
  /** Role the action assumes itself with the runner's OIDC token, refreshing as it waits. */
  roleToAssume?: string;
  /** The ultralytics task (input `task`, else read from the model name); also in hyperparameters. */
  task: YoloTask;

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
  /** Champion promotion, regression gate, run-key reuse and Model Registry (issue 12). */
  model: ModelSettings;
  /** download-model, model-dir, artifact-name, artifact-retention-days. */
  modelDelivery: ModelDeliverySettings;

  context: RunContext;
}

export interface LockdownSettings {
  /** Both set, or neither (VpcConfig). */
  vpc?: { subnets: string[]; securityGroupIds: string[] };
  volumeKmsKey?: string;
  outputKmsKey?: string;
  networkIsolation: boolean;
  encryptInterContainerTraffic: boolean;
  /** User tags, beside the action's own sagemaker-yolo:* tags. */
  tags: Record<string, string>;
  environment: Record<string, string>;
  /** RetryStrategy.MaximumRetryAttempts (1-30); undefined = no RetryStrategy. */
  retryAttempts?: number;
  inputMode: 'File' | 'FastFile';
  /** Warm pool KeepAlivePeriodInSeconds; never with spot. */
  keepAliveSeconds?: number;
  profiler: boolean;
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

/** One mAP block of ultralytics' validation: boxes (B), masks (M) or keypoints (P). */
export interface MetricSet {
  map50?: number;
  map50_95?: number;
  precision?: number;
  recall?: number;
}

export interface Metrics {
  /** The task the job trained (metrics.json `task`; absent from older images' files: detect). */
  task?: YoloTask;
  /** The task's primary block (masks for segment, boxes otherwise); none for classify. */
  map50?: number;
  map50_95?: number;
  precision?: number;
  recall?: number;
  /** Every block the task reports, e.g. box and mask for segment. */
  blocks?: Partial<Record<MetricKind, MetricSet>>;
  /** classify: top-1 and top-5 accuracy. */
  top1?: number;
  top5?: number;
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
  /** The credentials expired while waiting (static ones are never refreshed); the job may still run. */
  credentialsExpired?: boolean;
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
  /** What was read: the block of an mAP metric (masks for segment), accuracy for top1. */
  kind: MetricKind | 'accuracy';
  /** Why the threshold cannot be checked on this task's metrics (it then fails). */
  notApplicable?: string;
  input: string;
  threshold: number;
  value?: number;
  passed: boolean;
}

/** max-regression: a metric may fall at most this far below the baseline (the base branch's champion). */
export interface RegressionCheck {
  metric: GateMetric;
  kind: MetricKind | 'accuracy';
  baseline: number;
  value?: number;
  maxRegression: number;
  /** baseline − maxRegression: the lowest value that passes. */
  floor: number;
  passed: boolean;
}

export interface GateResult {
  passed: boolean;
  /** Checks against the baseline (absent without a baseline or max-regression). */
  regressions?: RegressionCheck[];
  /** The task whose metrics were gated (absent where nothing was gated). */
  task?: YoloTask;
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
  /** Images ultralytics will ignore, per split with the first files and reasons (issue 9). */
  dropped?: DroppedImages;
}

export interface DroppedImages {
  /** Images dropped over all splits, out of `images`. */
  total: number;
  images: number;
  /** The max-dropped-images setting, as written (e.g. `5%`). */
  limit: string;
  splits: {
    split: string;
    images: number;
    dropped: number;
    /** The first dropped files of the split: file (relative), line, and why. */
    examples: { file: string; line?: number; reason: string }[];
  }[];
}

export interface SnapshotDiff {
  baseSnapshot: string;
  added: number;
  removed: number;
  changed: number;
  instancesPerClass: { name: string; before: number; after: number }[];
}
