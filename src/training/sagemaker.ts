// Thin I/O over SageMakerClient: start (or attach to) a training job, poll it to the end, stop it.
// Every wait goes through an injectable sleep/clock so lifecycle tests run in milliseconds.
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  StopTrainingJobCommand,
  type CreateTrainingJobCommandInput,
  type DescribeTrainingJobResponse,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { errorMessage, errorName } from '../errors.js';
import {
  isTransientAwsError,
  realSleep,
  withRetry,
  type RetryOptions,
  type Sleep,
} from '../retry.js';
import { JOB_NAME_PATTERN, suffixJobName } from '../jobname.js';
import type { JobOutcome } from '../types.js';
import { formatUsd, runningCostUsd, type CapPlan } from '../report/cost.js';
import { validateRequest } from './request.js';
import {
  formatOutcome,
  formatTransition,
  isActiveStatus,
  isTerminalStatus,
  newTransitionState,
  takeNewTransitions,
  type TransitionEvent,
} from './status.js';

/** The subset of @actions/core (or a console adapter) the lifecycle writes to. */
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /**
   * A block of lines the job printed (one poll's worth). Every sink fences text that could be a
   * workflow command (src/untrusted.ts); this one exists so the job's log can be told apart.
   */
  untrusted?(block: string): void;
}

/** Retry knobs for single API calls; the sleep/random come from the caller for tests. */
export type CallRetry = Pick<RetryOptions, 'attempts' | 'baseMs' | 'capMs' | 'sleep' | 'random'>;

export function consoleUrl(region: string, jobName: string): string {
  return `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/jobs/${jobName}`;
}

/** AWS answers a missing job with ValidationException "Requested resource not found"; moto says "Could not find". */
export function isNotFoundError(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'ResourceNotFound' || name === 'ResourceNotFoundException') return true;
  return (
    name === 'ValidationException' &&
    /not found|could not find|does not exist/i.test(errorMessage(error))
  );
}

/** The caller's credentials ran out (static session credentials are never renewed). */
export function isExpiredCredentialsError(error: unknown): boolean {
  const name = errorName(error);
  return name === 'ExpiredToken' || name === 'ExpiredTokenException';
}

/** What to do when the credentials expire mid-wait: the job itself is unaffected. Pure. */
export function expiredCredentialsMessage(jobName: string, url: string, errorCode: string): string {
  return (
    `The AWS credentials expired while waiting for training job ${jobName} (${errorCode}): ` +
    'credentials from the environment (such as those aws-actions/configure-aws-credentials exports) are never renewed. ' +
    `The job keeps running: ${url}. When it has ended, gate and report it with \`sagemaker-yolo report ${jobName}\` ` +
    '(add --pr <number> to update the pull request comment). To wait longer, set role-to-assume so the action renews its own credentials, ' +
    'or start jobs with wait: false.'
  );
}

/** Pure: what the rest of the pipeline needs from a DescribeTrainingJob response. */
export function describeToOutcome(desc: DescribeTrainingJobResponse, region: string): JobOutcome {
  const jobName = desc.TrainingJobName ?? '';
  const finalMetrics: Record<string, number> = {};
  for (const m of desc.FinalMetricDataList ?? []) {
    if (m.MetricName && typeof m.Value === 'number' && Number.isFinite(m.Value)) {
      finalMetrics[m.MetricName] = m.Value;
    }
  }
  const modelArtifactsUri = desc.ModelArtifacts?.S3ModelArtifacts || undefined;
  let outputDataUri: string | undefined;
  if (modelArtifactsUri) {
    outputDataUri = modelArtifactsUri.replace(/[^/]*$/, 'output.tar.gz');
  } else if (desc.OutputDataConfig?.S3OutputPath && jobName) {
    // Failed jobs may have no model but still upload /opt/ml/output/data.
    const base = desc.OutputDataConfig.S3OutputPath.replace(/\/*$/, '/');
    outputDataUri = `${base}${jobName}/output/output.tar.gz`;
  }
  const secondary = desc.SecondaryStatus;
  return {
    jobName,
    status: desc.TrainingJobStatus ?? 'Unknown',
    ...(secondary ? { secondaryStatus: secondary } : {}),
    ...(desc.FailureReason ? { failureReason: desc.FailureReason } : {}),
    ...(modelArtifactsUri ? { modelArtifactsUri } : {}),
    ...(outputDataUri ? { outputDataUri } : {}),
    ...(desc.TrainingTimeInSeconds !== undefined
      ? { trainingSeconds: desc.TrainingTimeInSeconds }
      : {}),
    ...(desc.BillableTimeInSeconds !== undefined
      ? { billableSeconds: desc.BillableTimeInSeconds }
      : {}),
    finalMetrics,
    instanceType: desc.ResourceConfig?.InstanceType ?? 'unknown',
    instanceCount: desc.ResourceConfig?.InstanceCount ?? 1,
    spot: desc.EnableManagedSpotTraining ?? false,
    consoleUrl: consoleUrl(region, jobName),
    region,
    ...(secondary === 'MaxRuntimeExceeded' || secondary === 'MaxWaitTimeExceeded'
      ? { limitExceeded: secondary }
      : {}),
    ...spotCounts(desc),
    ...(desc.WarmPoolStatus?.ResourceRetainedBillableTimeInSeconds !== undefined
      ? { warmPoolRetainedSeconds: desc.WarmPoolStatus.ResourceRetainedBillableTimeInSeconds }
      : {}),
  };
}

/** Interruptions and restarts in the job's transition history (the whole run, not just our polls). */
function spotCounts(
  desc: DescribeTrainingJobResponse,
): Pick<JobOutcome, 'spotInterruptions' | 'spotRestarts'> {
  if (!desc.EnableManagedSpotTraining) return {};
  const transitions = desc.SecondaryStatusTransitions ?? [];
  return {
    spotInterruptions: transitions.filter((t) => t.Status === 'Interrupted').length,
    spotRestarts: transitions.filter((t) => t.Status === 'Restarting').length,
  };
}

/** Statuses before any instance is billed. */
const UNBILLED_SECONDARY = new Set(['Starting', 'Pending']);

/**
 * When the job's instances started billing: TrainingStartTime, else the first transition past
 * Starting (some responses carry only transitions). Milliseconds, or undefined before that.
 */
export function billingStartMs(desc: DescribeTrainingJobResponse): number | undefined {
  const start = desc.TrainingStartTime;
  if (start !== undefined) {
    const ms = new Date(start).getTime();
    if (Number.isFinite(ms)) return ms;
  }
  for (const t of desc.SecondaryStatusTransitions ?? []) {
    if (t.Status && !UNBILLED_SECONDARY.has(t.Status) && t.StartTime !== undefined) {
      const ms = new Date(t.StartTime).getTime();
      if (Number.isFinite(ms)) return ms;
    }
  }
  return undefined;
}

/** `<base>-r<n>`, base shortened so the result stays a valid name of at most 63 characters. */

/** The same request under another name; its per-job checkpoint dir follows the name. */
export function withJobName(
  request: CreateTrainingJobCommandInput,
  jobName: string,
): CreateTrainingJobCommandInput {
  const old = request.TrainingJobName ?? '';
  const checkpoint = request.CheckpointConfig;
  const suffix = `/${old}/`;
  return {
    ...request,
    TrainingJobName: jobName,
    ...(checkpoint?.S3Uri && old && checkpoint.S3Uri.endsWith(suffix)
      ? {
          CheckpointConfig: {
            ...checkpoint,
            S3Uri: `${checkpoint.S3Uri.slice(0, -suffix.length)}/${jobName}/`,
          },
        }
      : {}),
  };
}

async function regionOf(client: SageMakerClient, region?: string): Promise<string> {
  if (region) return region;
  const r = client.config.region;
  return typeof r === 'function' ? await r() : String(r);
}

async function describeJob(
  client: SageMakerClient,
  jobName: string,
  retry: RetryOptions,
): Promise<DescribeTrainingJobResponse | undefined> {
  try {
    return await withRetry(
      () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName })),
      retry,
    );
  } catch (error) {
    if (isNotFoundError(error)) return undefined;
    throw error;
  }
}

/** What makes two jobs the same training: image, hyperparameters and data. Pure. */
export function trainingDifferences(
  existing: DescribeTrainingJobResponse,
  request: CreateTrainingJobCommandInput,
): string[] {
  const channels = (
    list: { ChannelName?: string; DataSource?: { S3DataSource?: { S3Uri?: string } } }[] = [],
  ) => JSON.stringify(list.map((c) => [c.ChannelName, c.DataSource?.S3DataSource?.S3Uri]).sort());
  const sorted = (h: Record<string, string> = {}) => JSON.stringify(Object.entries(h).sort());
  const differences: string[] = [];
  if (
    existing.AlgorithmSpecification?.TrainingImage !== request.AlgorithmSpecification?.TrainingImage
  ) {
    differences.push('image');
  }
  if (sorted(existing.HyperParameters) !== sorted(request.HyperParameters))
    differences.push('hyperparameters');
  if (channels(existing.InputDataConfig) !== channels(request.InputDataConfig))
    differences.push('data');
  return differences;
}

export interface StartOrAttachOptions {
  /** The name was derived (not given by the user): a failed/stopped job may be replaced by `-rN`. */
  derivedName: boolean;
  log: Log;
  region?: string;
  retry?: CallRetry;
  /** Highest suffix tried before giving up; default 50. */
  maxSuffix?: number;
}

export interface StartOrAttachResult {
  jobName: string;
  /** True when the job already existed (a re-run found it). */
  attached: boolean;
  /** Set when the existing job had already Completed: report it, do not retrain. */
  alreadyEnded?: JobOutcome;
  /** The request actually sent (or that would have been), under jobName. */
  request: CreateTrainingJobCommandInput;
}

/**
 * Re-run safety. A job with this name may exist from an earlier attempt of the same run:
 * in progress -> attach; completed -> report it; failed/stopped -> a fresh `-rN` job (derived
 * names only; SageMaker names are unique for good, so an explicit name cannot be reused).
 */
export async function startOrAttach(
  client: SageMakerClient,
  request: CreateTrainingJobCommandInput,
  options: StartOrAttachOptions,
): Promise<StartOrAttachResult> {
  const { log } = options;
  const retry: RetryOptions = {
    ...options.retry,
    onRetry: ({ attempt, delayMs, error }) =>
      log.info(
        `SageMaker call failed (${errorName(error) || errorMessage(error)}), attempt ${attempt}; retrying in ${delayMs} ms`,
      ),
  };
  const base = request.TrainingJobName ?? '';
  const maxSuffix = options.maxSuffix ?? 50;
  const region = await regionOf(client, options.region);
  const triedCreate = new Set<string>();

  for (let n = 1; n <= maxSuffix; n++) {
    const name = n === 1 ? base : suffixJobName(base, n);
    const candidate = withJobName(request, name);
    // Two passes: a create that loses a race (ResourceInUse) looks again at what won.
    for (let pass = 0; pass < 2; pass++) {
      const existing = await describeJob(client, name, retry);
      if (!existing) {
        validateRequest(candidate);
        triedCreate.add(name);
        try {
          await withRetry(() => client.send(new CreateTrainingJobCommand(candidate)), retry);
        } catch (error) {
          if (errorName(error) === 'ResourceInUse' && pass === 0) continue;
          throw error;
        }
        log.info(`Started training job ${name}: ${consoleUrl(region, name)}`);
        return { jobName: name, attached: false, request: candidate };
      }
      const status = existing.TrainingJobStatus;
      // Our own create may have succeeded before a retry saw ResourceInUse.
      const ours = triedCreate.has(name);
      if (status === 'Completed') {
        const changed = options.derivedName ? [] : trainingDifferences(existing, candidate);
        if (changed.length > 0) {
          // A fixed job-name reused for new data or settings (say, a nightly workflow): reporting
          // the old model would pass a gate the new data never met.
          throw new Error(
            `Training job ${name} already exists (Completed) with different ${changed.join(', ')}. ` +
              'SageMaker job names cannot be reused: set a new job-name, or leave it empty to derive one per run.',
          );
        }
        log.info(`Training job ${name} already completed; reporting it without retraining.`);
        return {
          jobName: name,
          attached: !ours,
          alreadyEnded: describeToOutcome(existing, region),
          request: candidate,
        };
      }
      if (status === 'Failed' || status === 'Stopped') {
        if (!options.derivedName) {
          throw new Error(
            `Training job ${name} already exists and ended ${status}` +
              `${existing.FailureReason ? ` (${existing.FailureReason})` : ''}. ` +
              'SageMaker job names are unique per account and region and cannot be reused: ' +
              'set a new job-name, or leave it empty to derive one that re-runs get suffixed.',
          );
        }
        log.info(`Training job ${name} ended ${status}; starting a fresh job under a new name.`);
        break;
      }
      // InProgress, Stopping, or a status this code does not know yet: the job is not ours to restart.
      if (!isActiveStatus(status)) {
        log.warning(`Training job ${name} has unexpected status ${status}; attaching to it.`);
      } else if (!ours) {
        log.info(
          `Training job ${name} is already ${status}; attaching to it instead of starting another.`,
        );
      }
      return { jobName: name, attached: !ours, request: candidate };
    }
  }
  throw new Error(
    `Training jobs ${base} to ${suffixJobName(base, maxSuffix)} all ended Failed or Stopped; ` +
      'fix the cause or set a new job-name.',
  );
}

export interface PollOptions {
  log: Log;
  /** Overall wait; the job keeps running after it (outcome.timedOut). */
  timeoutMs: number;
  sleep?: Sleep;
  now?: () => number;
  random?: () => number;
  /** First poll interval (default 5 s); grows by `factor` up to maxDelayMs (default 60 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  onTransition?: (event: TransitionEvent) => void;
  /**
   * Called after each describe, also the last one (e.g. TrainingLogTailer.poll, so a failure's
   * traceback is shown). Its errors become one warning: logs must never end the wait.
   */
  onPoll?: () => Promise<unknown>;
  region?: string;
  /** Per-describe retries for throttling/network errors (default 4 attempts, 1 s base, 20 s cap). */
  retry?: Pick<RetryOptions, 'attempts' | 'baseMs' | 'capMs'>;
  /**
   * `max-cost`: once the running cost (wall time since billing started × count × price, an upper
   * bound) reaches plan.stopAtUsd, request StopTrainingJob and keep polling until it has stopped.
   */
  costCap?: CapPlan;
}

const WARN_STATUSES = new Set(['Interrupted', 'MaxRuntimeExceeded', 'MaxWaitTimeExceeded']);

/** Polls DescribeTrainingJob until the job ends or the timeout passes. */
export async function pollTrainingJob(
  client: SageMakerClient,
  jobName: string,
  options: PollOptions,
): Promise<JobOutcome> {
  const { log } = options;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const initialDelay = options.initialDelayMs ?? 5_000;
  const maxDelay = options.maxDelayMs ?? 60_000;
  const factor = options.factor ?? 1.5;
  const region = await regionOf(client, options.region);
  const deadline = now() + options.timeoutMs;
  const state = newTransitionState();
  const retry: RetryOptions = {
    attempts: 4,
    baseMs: 1_000,
    capMs: 20_000,
    ...options.retry,
    sleep,
    random,
    // No point retrying past the overall deadline.
    isRetryable: (error) => isTransientAwsError(error) && now() < deadline,
    onRetry: ({ error, delayMs }) =>
      log.info(
        `DescribeTrainingJob: ${errorName(error) || errorMessage(error)}; retrying in ${delayMs} ms`,
      ),
  };

  let delay = initialDelay;
  let last: DescribeTrainingJobResponse | undefined;
  let lastSecondary: string | undefined;
  let failing = false;
  let onPollFailed = false;
  let capStop: JobOutcome['costCapStop'];
  const runOnPoll = async () => {
    if (!options.onPoll) return;
    try {
      await options.onPoll();
    } catch (error) {
      if (!onPollFailed) log.warning(`Could not follow the training log: ${errorMessage(error)}`);
      onPollFailed = true;
    }
  };

  for (;;) {
    let desc: DescribeTrainingJobResponse | undefined;
    try {
      desc = await withRetry(
        () => client.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName })),
        retry,
      );
      if (failing) log.info('DescribeTrainingJob answers again.');
      failing = false;
    } catch (error) {
      if (isExpiredCredentialsError(error)) {
        // Not a failure of the job: say so and leave it running (no SDK stack).
        const known = last ?? ({ TrainingJobName: jobName } as DescribeTrainingJobResponse);
        const outcome = { ...describeToOutcome(known, region), credentialsExpired: true };
        log.error(expiredCredentialsMessage(jobName, outcome.consoleUrl, errorName(error)));
        return outcome;
      }
      // A long outage must not end the wait (the post step would stop a healthy job);
      // only errors that no retry can fix (access denied) do.
      if (!isTransientAwsError(error)) throw error;
      if (!last && now() >= deadline) throw error;
      if (!failing) {
        log.warning(
          `DescribeTrainingJob keeps failing (${errorName(error) || errorMessage(error)}); still waiting for ${jobName}.`,
        );
      }
      failing = true;
    }

    if (desc) {
      last = desc;
      let events = takeNewTransitions(state, desc.SecondaryStatusTransitions, desc.CreationTime);
      // Some endpoints (and jobs not yet started) report no transitions: fall back on the status.
      if (!desc.SecondaryStatusTransitions?.length && desc.SecondaryStatus) {
        events =
          desc.SecondaryStatus !== lastSecondary
            ? [{ status: desc.SecondaryStatus, update: false }]
            : [];
      }
      lastSecondary = desc.SecondaryStatus;
      for (const event of events) {
        const line = formatTransition(event);
        if (!event.update && WARN_STATUSES.has(event.status)) log.warning(`${jobName}: ${line}`);
        else log.info(line);
        options.onTransition?.(event);
      }
      if (events.some((e) => !e.update)) delay = initialDelay;
      await runOnPoll();

      if (isTerminalStatus(desc.TrainingJobStatus)) {
        const outcome = {
          ...describeToOutcome(desc, region),
          ...(capStop ? { costCapStop: capStop } : {}),
        };
        log.info(formatOutcome(outcome));
        if (outcome.status === 'Failed') {
          log.error(
            `Training job ${jobName} failed: ${outcome.failureReason ?? 'no reason given'}`,
          );
        }
        return outcome;
      }

      const plan = options.costCap;
      const started = billingStartMs(desc);
      if (plan && !capStop && desc.TrainingJobStatus === 'InProgress' && started !== undefined) {
        const estimatedUsd = runningCostUsd((now() - started) / 1000, plan);
        if (estimatedUsd >= plan.stopAtUsd) {
          log.error(
            `${jobName}: estimated cost ${formatUsd(estimatedUsd)} reached the max-cost stop point ` +
              `${formatUsd(plan.stopAtUsd)} (max-cost ${formatUsd(plan.maxCostUsd)} less the time a stop takes); stopping the job.`,
          );
          const stop = await stopTrainingJob(client, jobName, log, { sleep, random });
          // A stop that failed (it warned) is tried again at the next poll; a job that already
          // ended on its own was not stopped by the cap.
          if (stop.action === 'stop-requested') {
            capStop = { maxCostUsd: plan.maxCostUsd, estimatedUsd };
          }
          delay = initialDelay;
        }
      }
    }

    const remaining = deadline - now();
    if (remaining <= 0) {
      // `last` is set: the no-response case threw above.
      const outcome = {
        ...describeToOutcome(last as DescribeTrainingJobResponse, region),
        ...(capStop ? { costCapStop: capStop } : {}),
        timedOut: true,
      };
      log.warning(
        `Stopped waiting for ${jobName} after ${Math.round(options.timeoutMs / 1000)} s; ` +
          `it is still ${outcome.status}${outcome.secondaryStatus ? ` (${outcome.secondaryStatus})` : ''}: ${outcome.consoleUrl}`,
      );
      return outcome;
    }
    // ±10% jitter so parallel runs do not poll in lockstep; never sleep past the deadline.
    const jittered = delay * (0.9 + 0.2 * random());
    await sleep(Math.max(0, Math.min(jittered, remaining)));
    delay = Math.min(maxDelay, delay * factor);
  }
}

export type StopResult =
  | { action: 'stop-requested'; message: string }
  | { action: 'already-ended'; message: string }
  | { action: 'not-found'; message: string }
  | { action: 'failed'; message: string };

/** Best effort (used by the post step on cancellation): never throws, says what happened. */
export async function stopTrainingJob(
  client: SageMakerClient,
  jobName: string,
  log: Log,
  retry: CallRetry = {},
): Promise<StopResult> {
  if (!JOB_NAME_PATTERN.test(jobName)) {
    const message = `Not stopping "${jobName}": not a valid training job name.`;
    log.warning(message);
    return { action: 'failed', message };
  }
  try {
    await withRetry(
      () => client.send(new StopTrainingJobCommand({ TrainingJobName: jobName })),
      retry,
    );
    const message = `Requested stop of training job ${jobName}; SageMaker gives the container 120 s to save a checkpoint.`;
    log.info(message);
    return { action: 'stop-requested', message };
  } catch (error) {
    if (isNotFoundError(error)) {
      const message = `Training job ${jobName} does not exist; nothing to stop.`;
      log.info(message);
      return { action: 'not-found', message };
    }
    if (errorName(error) === 'ValidationException') {
      // e.g. "The request was rejected because the training job is in status Completed."
      const message = `Training job ${jobName} was not stopped: ${errorMessage(error)}`;
      log.info(message);
      return { action: 'already-ended', message };
    }
    const message = `Could not stop training job ${jobName}: ${errorName(error) || 'error'}: ${errorMessage(error)}`;
    log.warning(message);
    return { action: 'failed', message };
  }
}
