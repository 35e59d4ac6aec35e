// The model's life cycle around one pipeline run: reuse a recorded job with identical inputs,
// compare with the baseline champion, record the run, register and promote a passing model.
// No AWS here: the ModelStages adapter (model/stages.ts) does the I/O; decisions are pure modules.
import type { RegressionGate } from '../metrics/gate.js';
import type { ImageResult, PipelineIO, PreparedDataset, Stages } from '../pipeline.js';
import type { Config, DatasetRef, GateResult, JobOutcome, Metrics } from '../types.js';
import { errorMessage } from '../errors.js';
import {
  championMetrics,
  decidePromotion,
  type Champion,
  type PromotionDecision,
} from './champion.js';
import { imageIdentity, runKey, type RunRecord } from './run-key.js';
import type { SplitChanges } from '../dataset/split-diff.js';

export interface BaselineInfo {
  /** The branch whose champion is the baseline. */
  branch: string;
  champion?: Champion;
  championUri?: string;
  /** The champion object's ETag, so a promotion replaces exactly what was read. */
  etag?: string;
  /** Images and labels changed per split since the champion's snapshot; absent when unknown. */
  splits?: SplitChanges[];
  /** Why there is no dataset comparison (e.g. the champion trained on dataset-s3-uri). */
  splitsNote?: string;
}

export interface LifecycleReport {
  baseline?: BaselineInfo;
  reused?: { jobName: string; consoleUrl: string };
  promotion?: PromotionDecision & { uri?: string; warning?: string };
  registration?: { modelPackageArn: string };
}

export interface ModelStages {
  findRun(key: string): Promise<RunRecord | undefined>;
  recordRun(record: RunRecord): Promise<string>;
  /** The baseline for this run, or undefined when the run has no branch to compare with. */
  baseline(config: Config, dataset: DatasetRef): Promise<BaselineInfo | undefined>;
  /** Writes history then the pointer; `previous` guards the replace. */
  promote(champion: Champion, previous: BaselineInfo | undefined): Promise<{ uri: string }>;
  register(input: {
    jobName: string;
    image: string;
    modelUri: string;
    metrics: Metrics;
  }): Promise<{ modelPackageArn: string }>;
}

/** A job that is reused: nothing ran for this run, so it spent nothing. */
export function reusedOutcome(outcome: JobOutcome): JobOutcome {
  const reused: JobOutcome = { ...outcome, trainingSeconds: 0, billableSeconds: 0 };
  delete reused.cost;
  delete reused.warmPoolRetainedSeconds;
  delete reused.spotInterruptions;
  delete reused.spotRestarts;
  return reused;
}

export interface ReuseResult {
  key?: string;
  record?: RunRecord;
  outcome?: JobOutcome;
}

/** The run key of a snapshot run, and the recorded completed job to reuse, unless force-retrain. */
export async function findReusableJob(
  config: Config,
  stages: Stages,
  io: PipelineIO,
  dataset: PreparedDataset,
  image: ImageResult,
): Promise<ReuseResult> {
  const model = stages.model;
  const snapshot = dataset.ref.snapshot;
  // A dataset in the user's own S3 prefix has no fingerprint: its content may change unseen.
  if (!model || !snapshot) return {};
  const imageId = imageIdentity(image);
  if (!imageId) {
    io.info(
      `Run-key reuse is off: image ${image.imageUri || '(none)'} has neither a digest nor a content-hash tag, so identical inputs cannot be proven.`,
    );
    return {};
  }
  const key = runKey({
    snapshot,
    image: imageId,
    hyperparameters: config.hyperparameters,
    instanceType: config.instanceType,
    instanceCount: config.instanceCount,
    task: config.task,
  });
  io.setOutput('run-key', key);
  if (config.model.forceRetrain) {
    io.info(`force-retrain: training even if run ${key.slice(0, 12)} was recorded`);
    return { key };
  }
  let record: RunRecord | undefined;
  try {
    record = await model.findRun(key);
  } catch (error) {
    io.info(
      `Could not read the record of run ${key.slice(0, 12)}: ${errorMessage(error)}; training.`,
    );
    return { key };
  }
  if (!record) return { key };
  const described = await stages.training.describe(record.jobName).catch((error: unknown) => {
    io.info(
      `Recorded job ${record.jobName} cannot be described (${errorMessage(error)}); training.`,
    );
    return undefined;
  });
  if (!described || described.status !== 'Completed') {
    if (described) io.info(`Recorded job ${record.jobName} is ${described.status}; training.`);
    return { key };
  }
  io.notice(
    `Reused ${record.jobName} (identical inputs: run key ${key.slice(0, 12)}); nothing was trained. Set force-retrain: true to train anyway.`,
  );
  return { key, record, outcome: reusedOutcome(described) };
}

/** The regression gate's input, when max-regression is set and a champion exists. */
export function regressionGateFor(
  config: Config,
  baseline: BaselineInfo | undefined,
): RegressionGate | undefined {
  const champion = baseline?.champion;
  if (config.model.maxRegression === undefined || !champion) return undefined;
  return { baseline: champion.metrics, maxRegression: config.model.maxRegression };
}

export async function loadBaseline(
  config: Config,
  stages: Stages,
  io: PipelineIO,
  dataset: DatasetRef,
): Promise<BaselineInfo | undefined> {
  if (!stages.model) return undefined;
  try {
    return await stages.model.baseline(config, dataset);
  } catch (error) {
    // Without a readable champion there is nothing to compare: say so, never guess a delta.
    io.info(`No baseline: ${errorMessage(error)}`);
    return undefined;
  }
}

export interface FinishInput {
  config: Config;
  stages: Stages;
  io: PipelineIO;
  outcome: JobOutcome;
  metrics: Metrics;
  gate: GateResult;
  image: ImageResult;
  dataset: DatasetRef;
  reuse: ReuseResult;
  baseline?: BaselineInfo;
  now?: () => Date;
}

/**
 * After the gate: outputs of the comparison, the run record, the registry entry and the promotion.
 * Returns what the report shows, and a failure when registration was asked for and failed.
 */
export async function finishModelLifecycle(
  input: FinishInput,
): Promise<{ report: LifecycleReport; failure?: string }> {
  const { config, stages, io, outcome, metrics, gate, image, dataset, reuse, baseline } = input;
  const report: LifecycleReport = {};
  if (baseline) report.baseline = baseline;
  if (reuse.record) {
    report.reused = { jobName: reuse.record.jobName, consoleUrl: outcome.consoleUrl };
  }
  io.setOutput('reused', String(reuse.record !== undefined));
  const base = baseline?.champion?.metrics.map50;
  if (base !== undefined && Number.isFinite(base)) {
    io.setOutput('baseline-map50', String(base));
    if (metrics.map50 !== undefined && Number.isFinite(metrics.map50)) {
      io.setOutput('map50-delta', String(Number((metrics.map50 - base).toFixed(10))));
    }
  }
  const model = stages.model;
  if (!model) return { report };
  const modelUri = outcome.modelArtifactsUri ?? '';
  const now = (input.now ?? (() => new Date()))();

  let failure: string | undefined;
  const registeredBefore = reuse.record?.modelPackageArn;
  let modelPackageArn: string | undefined;
  if (registeredBefore) {
    // The reused job was registered when it was recorded: one registry entry per model.
    report.registration = { modelPackageArn: registeredBefore };
    io.setOutput('model-package-arn', registeredBefore);
  } else if (gate.passed && config.model.modelPackageGroup && modelUri) {
    try {
      ({ modelPackageArn } = await io.group('Model Registry', () =>
        model.register({ jobName: outcome.jobName, image: image.imageUri, modelUri, metrics }),
      ));
      report.registration = { modelPackageArn };
      io.setOutput('model-package-arn', modelPackageArn);
      io.info(`Registered ${outcome.jobName} as ${modelPackageArn}`);
    } catch (error) {
      failure = `Could not register the model in model package group ${config.model.modelPackageGroup}: ${errorMessage(error)}`;
    }
  }

  if (reuse.key && !reuse.record) {
    try {
      const uri = await model.recordRun({
        version: 1,
        key: reuse.key,
        jobName: outcome.jobName,
        consoleUrl: outcome.consoleUrl,
        ...(modelUri ? { modelUri } : {}),
        passed: gate.passed,
        ...(modelPackageArn ? { modelPackageArn } : {}),
        recordedAt: now.toISOString(),
        ...(config.context.sha ? { commit: config.context.sha } : {}),
      });
      io.info(
        `Recorded run ${reuse.key.slice(0, 12)} at ${uri}: identical inputs will reuse ${outcome.jobName}`,
      );
    } catch (error) {
      io.info(`Could not record run ${reuse.key.slice(0, 12)}: ${errorMessage(error)}`);
    }
  }

  const decision = decidePromotion({
    mode: config.model.promote,
    context: config.context,
    gatePassed: gate.passed && modelUri !== '',
  });
  report.promotion = decision;
  let promoted = false;
  if (decision.promote && decision.branch) {
    const previous = baseline?.branch === decision.branch ? baseline : undefined;
    if (previous?.champion?.jobName === outcome.jobName) {
      report.promotion = {
        ...decision,
        reason: `${outcome.jobName} already is the champion of ${decision.branch}`,
      };
      if (previous.championUri) io.setOutput('champion-uri', previous.championUri);
      promoted = true;
    } else {
      const champion: Champion = {
        version: 1,
        branch: decision.branch,
        jobName: outcome.jobName,
        consoleUrl: outcome.consoleUrl,
        metrics: championMetrics(metrics),
        ...(dataset.snapshot ? { snapshot: dataset.snapshot } : {}),
        image: image.imageUri,
        ...(image.imageDigest ? { imageDigest: image.imageDigest } : {}),
        modelUri,
        ...(config.context.sha ? { commit: config.context.sha } : {}),
        promotedAt: now.toISOString(),
      };
      try {
        const { uri } = await model.promote(champion, previous);
        report.promotion = { ...decision, uri };
        io.setOutput('champion-uri', uri);
        io.info(`Promoted ${outcome.jobName} to champion of ${decision.branch}: ${uri}`);
        promoted = true;
      } catch (error) {
        // The verdict is the gate's: a lost promotion race is reported, not a red build.
        const warning = `Not promoted: ${errorMessage(error)}`;
        report.promotion = { ...decision, promote: false, warning };
        io.notice(warning);
      }
    }
  } else {
    io.info(`Not promoted: ${decision.reason}`);
  }
  io.setOutput('promoted', String(promoted));
  return failure ? { report, failure } : { report };
}
