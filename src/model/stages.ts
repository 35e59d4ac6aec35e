// The ModelStages adapter: champion pointers and run records in S3, Model Registry in SageMaker.
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { diffSplits } from '../dataset/split-diff.js';
import type { Config } from '../types.js';
import { baselineBranch, championMetrics } from './champion.js';
import type { BaselineInfo, ModelStages } from './lifecycle.js';
import { registerModel } from './registry.js';
import {
  readChampion,
  readRunRecord,
  readSnapshotDocument,
  writeChampion,
  writeRunRecord,
} from './store.js';

export function createModelStages(
  config: Config,
  deps: { s3: S3Client; sagemaker: SageMakerClient; log: { info(message: string): void } },
): ModelStages {
  const at = { bucket: config.bucket, prefix: config.prefix };
  return {
    findRun: (key) => readRunRecord(deps.s3, at, key),
    recordRun: (record) => writeRunRecord(deps.s3, at, record),

    async baseline(cfg, dataset) {
      const branch = baselineBranch(cfg.context);
      if (!branch) return undefined;
      const stored = await readChampion(deps.s3, at, branch);
      if (!stored) return { branch };
      const info: BaselineInfo = {
        branch,
        champion: stored.champion,
        championUri: stored.uri,
        ...(stored.etag ? { etag: stored.etag } : {}),
      };
      const base = stored.champion.snapshot;
      if (!base || !dataset.snapshot) {
        info.splitsNote = base
          ? 'this run trained on dataset-s3-uri, which has no snapshot to compare'
          : 'the champion trained on dataset-s3-uri, which has no snapshot to compare';
        return info;
      }
      const [before, after] = await Promise.all([
        readSnapshotDocument(deps.s3, at, base),
        readSnapshotDocument(deps.s3, at, dataset.snapshot),
      ]);
      if (!before || !after) {
        info.splitsNote = `snapshot ${(before ? dataset.snapshot : base).slice(0, 12)} is not in the bucket`;
        return info;
      }
      info.splits = diffSplits(before, after);
      return info;
    },

    async promote(champion, previous) {
      const stored =
        previous?.champion && previous.championUri
          ? {
              champion: previous.champion,
              uri: previous.championUri,
              ...(previous.etag ? { etag: previous.etag } : {}),
            }
          : undefined;
      return writeChampion(deps.s3, at, champion, stored);
    },

    register: (input) =>
      registerModel(
        { sagemaker: deps.sagemaker, s3: deps.s3, log: (m) => deps.log.info(m) },
        {
          group: config.model.modelPackageGroup ?? '',
          approve: config.model.approveModel,
          jobName: input.jobName,
          image: input.image,
          modelUri: input.modelUri,
          description: `${config.context.repository || 'sagemaker-yolo'} ${config.context.sha.slice(0, 12)}: training job ${input.jobName}`,
          bucket: config.bucket,
          prefix: config.prefix,
          metrics: championMetrics(input.metrics),
        },
      ),
  };
}
