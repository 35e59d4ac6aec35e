// TrainingBackend for SageMaker: the request builder plus start/attach, poll (with the job's log
// tailed into ours) and describe, wired to one SageMakerClient.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTrainingJobCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { hyperparametersToStrings } from '../hyperparameters.js';
import type { TrainingBackend } from '../pipeline.js';
import type { Sleep } from '../retry.js';
import { lineBatch } from '../untrusted.js';
import { decideMaxCost, withCost, type CapPlan, type PriceResult } from '../report/cost.js';
import type { Config, JobOutcome } from '../types.js';
import { TrainingLogTailer } from './logs.js';
import { buildTrainingJobRequest, metricDefinitionsFromFile } from './request.js';
import { describeToOutcome, pollTrainingJob, startOrAttach, type Log } from './sagemaker.js';

export interface SageMakerBackendDeps {
  sagemaker: SageMakerClient;
  logs?: CloudWatchLogsClient;
  region: string;
  log: Log;
  /** Overall wait for one job, in milliseconds. */
  timeoutMs: number;
  sleep?: Sleep;
  now?: () => number;
  /** The instance's hourly price (table, instance-price or Price List API), asked once per run. */
  price?: () => Promise<PriceResult>;
}

export class CostCapError extends Error {
  override name = 'CostCapError';
}

/** Refuses (throws) before any job starts when max-cost does not allow it; else the stop plan. */
export async function planCostCap(
  config: Config,
  price: () => Promise<PriceResult>,
  log: Log,
): Promise<CapPlan | undefined> {
  if (config.maxCostUsd === undefined) return undefined;
  const decision = decideMaxCost({
    maxCostUsd: config.maxCostUsd,
    price: await price(),
    instanceType: config.instanceType,
    region: config.region,
    instanceCount: config.instanceCount,
    maxRuntimeSeconds: config.maxRuntimeSeconds,
    wait: config.wait,
    waitTimeoutSeconds: config.waitTimeoutSeconds,
  });
  if (decision.action === 'refuse') throw new CostCapError(`max-cost: ${decision.message}`);
  log.info(`max-cost: ${decision.message}`);
  return decision.plan;
}

export function createSageMakerBackend(deps: SageMakerBackendDeps): TrainingBackend {
  const { sagemaker, region, log } = deps;
  let costCap: CapPlan | undefined;
  const costed = async (outcome: JobOutcome): Promise<JobOutcome> =>
    deps.price ? withCost(outcome, await deps.price()) : outcome;
  return {
    kind: 'sagemaker',
    async launch(config, image, dataset) {
      if (deps.price) costCap = await planCostCap(config, deps.price, log);
      const request = buildTrainingJobRequest({
        config,
        imageUri: image.imageUri,
        dataset: dataset.input,
        hyperparameters: hyperparametersToStrings(config.hyperparameters),
        metricDefinitions: metricDefinitionsFromFile(),
        jobName: config.jobName,
      });
      const result = await startOrAttach(sagemaker, request, {
        derivedName: !config.jobNameExplicit,
        log,
        region,
      });
      return {
        jobName: result.jobName,
        attached: result.attached,
        ...(result.alreadyEnded ? { alreadyEnded: await costed(result.alreadyEnded) } : {}),
      };
    },
    async wait(jobName) {
      // Each poll's lines go out as one block (one fence when any of them needs it).
      const batch = lineBatch((block) => (log.untrusted ? log.untrusted(block) : log.info(block)));
      const tailer = deps.logs
        ? new TrainingLogTailer(deps.logs, jobName, { write: batch.add })
        : undefined;
      return costed(
        await pollTrainingJob(sagemaker, jobName, {
          log,
          region,
          timeoutMs: deps.timeoutMs,
          ...(deps.sleep ? { sleep: deps.sleep } : {}),
          ...(deps.now ? { now: deps.now } : {}),
          ...(tailer
            ? {
                onPoll: async () => {
                  try {
                    return await tailer.poll();
                  } finally {
                    batch.flush();
                  }
                },
              }
            : {}),
          ...(costCap ? { costCap } : {}),
        }),
      );
    },
    async describe(jobName) {
      const desc = await sagemaker.send(
        new DescribeTrainingJobCommand({ TrainingJobName: jobName }),
      );
      return costed(describeToOutcome(desc, region));
    },
  };
}
