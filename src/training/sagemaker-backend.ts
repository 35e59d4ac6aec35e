// TrainingBackend for SageMaker: the request builder plus start/attach, poll (with the job's log
// tailed into ours) and describe, wired to one SageMakerClient.
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTrainingJobCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { hyperparametersToStrings } from '../hyperparameters.js';
import type { TrainingBackend } from '../pipeline.js';
import type { Sleep } from '../retry.js';
import { lineBatch } from '../untrusted.js';
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
}

export function createSageMakerBackend(deps: SageMakerBackendDeps): TrainingBackend {
  const { sagemaker, region, log } = deps;
  return {
    kind: 'sagemaker',
    async launch(config, image, dataset) {
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
        ...(result.alreadyEnded ? { alreadyEnded: result.alreadyEnded } : {}),
      };
    },
    async wait(jobName) {
      // Each poll's lines go out as one block (one fence when any of them needs it).
      const batch = lineBatch((block) => (log.untrusted ? log.untrusted(block) : log.info(block)));
      const tailer = deps.logs
        ? new TrainingLogTailer(deps.logs, jobName, { write: batch.add })
        : undefined;
      return pollTrainingJob(sagemaker, jobName, {
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
      });
    },
    async describe(jobName) {
      const desc = await sagemaker.send(
        new DescribeTrainingJobCommand({ TrainingJobName: jobName }),
      );
      return describeToOutcome(desc, region);
    },
  };
}
