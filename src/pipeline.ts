// The stages of one run, in order. Knows nothing of AWS or GitHub: every stage is a function handed
// in by an adapter (the action in main.ts, the CLI in cli.ts, the local backend in training/local.ts).
import type { Config, DatasetRef, GateResult, JobOutcome, Metrics } from './types.js';
import { evaluateGate } from './metrics/gate.js';
import { metricsOutputs } from './report/summary.js';
import type { ImageResult } from './image/build.js';
import type { TrainingDataset } from './training/request.js';
import {
  finishModelLifecycle,
  findReusableJob,
  loadBaseline,
  regressionGateFor,
  type LifecycleReport,
  type ModelStages,
} from './model/lifecycle.js';
import type { ModelDelivery } from './model/delivery.js';

export type { ImageResult };

/** How the job receives its data: the user's S3 prefix, or our content-addressed snapshot. */
export type DatasetInput = TrainingDataset;

export interface PreparedDataset {
  ref: DatasetRef;
  input: DatasetInput;
}

export interface LaunchResult {
  jobName: string;
  /** An existing job of that name was in progress: we follow it instead of starting another. */
  attached: boolean;
  /** An existing job of that name had already completed: gate and report it, don't retrain. */
  alreadyEnded?: JobOutcome;
}

export interface TrainingBackend {
  readonly kind: 'sagemaker' | 'local';
  launch(config: Config, image: ImageResult, dataset: PreparedDataset): Promise<LaunchResult>;
  wait(jobName: string): Promise<JobOutcome>;
  /** What the job looks like now, for detached runs. */
  describe(jobName: string): Promise<JobOutcome>;
}

export interface ReportInput {
  config: Config;
  outcome: JobOutcome;
  metrics: Metrics;
  gate?: GateResult;
  dataset: DatasetRef;
  image: ImageResult;
  /** Baseline comparison, reuse, promotion and registration (absent without model stages). */
  lifecycle?: LifecycleReport;
  /** The downloaded model, its plots and its workflow artifact (download-model). */
  model?: ModelDelivery;
}

export interface Stages {
  /** Validates the local dataset; throws (after emitting findings) when it has errors. */
  validateDataset(config: Config): Promise<void>;
  /** Syncs the local dataset as a snapshot (or passes the user's S3 prefix through). */
  prepareDataset(config: Config): Promise<PreparedDataset>;
  resolveImage(config: Config): Promise<ImageResult>;
  training: TrainingBackend;
  readMetrics(outcome: JobOutcome): Promise<Metrics>;
  /** Downloads the model (and publishes it) after a completed job; absent: no download. */
  deliverModel?(outcome: JobOutcome): Promise<ModelDelivery>;
  /** Comment, summary: best effort, returns the comment URL when one was posted. */
  report(input: ReportInput): Promise<{ commentUrl?: string }>;
  /** Champion, run records and Model Registry; absent where nothing is stored (tests, reports). */
  model?: ModelStages;
}

export interface PipelineIO {
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  info(message: string): void;
  notice(message: string): void;
  setOutput(name: string, value: string): void;
  /** Called as soon as a job is known and again when it ends, so cancellation can stop it. */
  jobState(jobName: string, ended: boolean): void;
}

export interface PipelineResult {
  /** undefined for a detached run (wait: false) or a fork's validate-only run: nothing was gated. */
  passed?: boolean;
  /** undefined when no job was started (a fork's pull request). */
  outcome?: JobOutcome;
  metrics?: Metrics;
  gate?: GateResult;
  failure?: string;
}

const NO_METRICS: Metrics = { perClass: [], epochs: [], source: 'none' };
const NO_GATE: GateResult = { passed: false, checks: [], message: '' };

function datasetInputFromUri(uri: string): PreparedDataset {
  return { ref: { uri }, input: { kind: 's3-prefix', uri } };
}

export async function runPipeline(
  config: Config,
  stages: Stages,
  io: PipelineIO,
): Promise<PipelineResult> {
  if (!config.datasetS3Uri) {
    await io.group('Dataset: validate', () => stages.validateDataset(config));
  }
  if (config.context.isForkPullRequest && !config.trainForkPullRequests) {
    // A fork's pull request runs without AWS credentials and with a read-only token: validation
    // is all that can (and should) run; nothing is uploaded, built or trained.
    const validated = config.datasetS3Uri
      ? 'the dataset is in S3, so nothing was checked'
      : 'the dataset was validated';
    io.notice(
      `Pull request from a fork: ${validated}; nothing was uploaded, built or trained (fork-pull-requests: validate). A maintainer can run the training by hand.`,
    );
    return {};
  }
  const dataset = config.datasetS3Uri
    ? datasetInputFromUri(config.datasetS3Uri)
    : await io.group('Dataset: sync snapshot', () => stages.prepareDataset(config));
  io.setOutput('dataset-uri', dataset.ref.uri);
  if (dataset.ref.snapshot) io.setOutput('snapshot', dataset.ref.snapshot);

  const image = await io.group('Training image', () => stages.resolveImage(config));
  io.setOutput('image-uri', image.imageUri);
  if (image.imageDigest) io.setOutput('image-digest', image.imageDigest);

  const reuse = await io.group('Training job: identical inputs?', () =>
    findReusableJob(config, stages, io, dataset, image),
  );
  const launch: LaunchResult = reuse.outcome
    ? { jobName: reuse.outcome.jobName, attached: false, alreadyEnded: reuse.outcome }
    : await io.group('Training job: start', () => stages.training.launch(config, image, dataset));
  io.setOutput('job-name', launch.jobName);
  io.jobState(launch.jobName, launch.alreadyEnded !== undefined);

  if (!config.wait && !launch.alreadyEnded) {
    const outcome = await stages.training.describe(launch.jobName);
    io.setOutput('job-status', outcome.status);
    io.notice(
      `Job ${launch.jobName} is running detached (wait: false); gate it later with \`sagemaker-yolo report ${launch.jobName}\`.`,
    );
    return { outcome };
  }

  const outcome =
    launch.alreadyEnded ??
    (await io.group('Training job: wait', () => stages.training.wait(launch.jobName)));
  // Done waiting either way: after a timeout the job is left running on purpose (wait-timeout
  // says so), so the post step must not stop it.
  io.jobState(launch.jobName, true);

  if (outcome.status !== 'Completed' || outcome.timedOut) {
    setOutputs(io, metricsOutputs(NO_METRICS, NO_GATE, outcome));
    const report = await io.group('Report', () =>
      stages.report({ config, outcome, metrics: NO_METRICS, dataset: dataset.ref, image }),
    );
    if (report.commentUrl) io.setOutput('comment-url', report.commentUrl);
    return { passed: false, outcome, failure: describeFailure(outcome) };
  }

  const metrics = await io.group('Metrics', () => stages.readMetrics(outcome));
  const baseline = await loadBaseline(config, stages, io, dataset.ref);
  const gate = evaluateGate(metrics, config.thresholds, regressionGateFor(config, baseline));
  setOutputs(io, metricsOutputs(metrics, gate, outcome));
  io.info(gate.message);

  const lifecycle = await finishModelLifecycle({
    config,
    stages,
    io,
    outcome,
    metrics,
    gate,
    image,
    dataset: dataset.ref,
    reuse,
    ...(baseline ? { baseline } : {}),
  });

  const model = await deliver(config, stages, io, outcome);
  const { commentUrl } = await io.group('Report', () =>
    stages.report({
      config,
      outcome,
      metrics,
      gate,
      dataset: dataset.ref,
      image,
      lifecycle: lifecycle.report,
      ...(model ? { model } : {}),
    }),
  );
  if (commentUrl) io.setOutput('comment-url', commentUrl);

  const failure = gate.passed ? lifecycle.failure : `Quality gate failed:\n${gate.message}`;
  return {
    passed: gate.passed,
    outcome,
    metrics,
    gate,
    ...(failure ? { failure } : {}),
  };
}

export function describeFailure(outcome: JobOutcome): string {
  if (outcome.credentialsExpired) {
    return `The AWS credentials expired while waiting for training job ${outcome.jobName}; the job keeps running. Gate it when it has ended with \`sagemaker-yolo report ${outcome.jobName}\`, or set role-to-assume so the action renews its credentials.`;
  }
  if (outcome.costCapStop) {
    const { maxCostUsd, estimatedUsd } = outcome.costCapStop;
    return `Training job ${outcome.jobName} was stopped by max-cost: its estimated cost $${estimatedUsd.toFixed(2)} reached the cap of $${maxCostUsd.toFixed(2)} (less the time a stop takes); it ended ${outcome.status}. Raise max-cost, lower epochs or max-runtime, or use a cheaper instance-type.`;
  }
  if (outcome.timedOut) {
    return `Gave up waiting for training job ${outcome.jobName} (status ${outcome.status}); it may still be running. Raise wait-timeout, or use wait: false and gate it later.`;
  }
  if (outcome.limitExceeded) {
    return `Training job ${outcome.jobName} hit ${outcome.limitExceeded}: raise max-runtime${outcome.spot ? ' / max-wait' : ''} or lower epochs.`;
  }
  const reason = outcome.failureReason ? `: ${outcome.failureReason}` : '';
  return `Training job ${outcome.jobName} ended ${outcome.status}${reason}`;
}

async function deliver(
  config: Config,
  stages: Stages,
  io: PipelineIO,
  outcome: JobOutcome,
): Promise<ModelDelivery | undefined> {
  const { deliverModel } = stages;
  if (!config.modelDelivery.download || !deliverModel) return undefined;
  const model = await io.group('Model: download', () => deliverModel(outcome));
  io.setOutput('model-path', model.dir);
  if (model.artifact) io.setOutput('artifact-id', String(model.artifact.id));
  if (model.artifactSkipped) {
    io.notice(
      `The model was downloaded to ${model.dir}; no workflow artifact: ${model.artifactSkipped}.`,
    );
  }
  return model;
}

function setOutputs(io: PipelineIO, outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) if (value !== '') io.setOutput(name, value);
}
