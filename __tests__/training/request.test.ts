import { describe, expect, it } from '@jest/globals';
import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import {
  buildTrainingJobRequest,
  metricDefinitionsFromFile,
  requestProblems,
  sanitizeTagValue,
  validateRequest,
  type TrainingRequestInput,
} from '../../src/training/request.js';
import { IMAGE, ROLE, makeConfig } from './fixtures.js';

const HP = { model: 'yolov8m.pt', epochs: '100', batch: '16', imgsz: '640' };

function input(overrides: Partial<TrainingRequestInput> = {}): TrainingRequestInput {
  return {
    config: makeConfig(),
    imageUri: IMAGE,
    dataset: { kind: 's3-prefix', uri: 's3://floorplans-ml/datasets/v3/' },
    hyperparameters: HP,
    metricDefinitions: metricDefinitionsFromFile(),
    jobName: 'floorplans-pr-12-abc1234',
    ...overrides,
  };
}

const tagMap = (req: CreateTrainingJobCommandInput) =>
  Object.fromEntries((req.Tags ?? []).map((t) => [t.Key, t.Value]));

describe('buildTrainingJobRequest', () => {
  it('builds a spot request with MaxWait, checkpoints and output under the prefix', () => {
    const req = buildTrainingJobRequest(input());
    expect(req.TrainingJobName).toBe('floorplans-pr-12-abc1234');
    expect(req.RoleArn).toBe(ROLE);
    expect(req.AlgorithmSpecification).toEqual({
      TrainingImage: IMAGE,
      TrainingInputMode: 'File',
      MetricDefinitions: metricDefinitionsFromFile(),
    });
    expect(req.HyperParameters).toEqual(HP);
    expect(req.ResourceConfig).toEqual({
      InstanceType: 'ml.p3.2xlarge',
      InstanceCount: 1,
      VolumeSizeInGB: 50,
    });
    expect(req.EnableManagedSpotTraining).toBe(true);
    expect(req.StoppingCondition).toEqual({
      MaxRuntimeInSeconds: 43200,
      MaxWaitTimeInSeconds: 86400,
    });
    expect(req.CheckpointConfig).toEqual({
      S3Uri: 's3://floorplans-ml/yolo-training/checkpoints/floorplans-pr-12-abc1234/',
      LocalPath: '/opt/ml/checkpoints',
    });
    expect(req.OutputDataConfig).toEqual({
      S3OutputPath: 's3://floorplans-ml/yolo-training/output/',
    });
    expect(() => validateRequest(req)).not.toThrow();
  });

  it('leaves MaxWait out on demand', () => {
    const req = buildTrainingJobRequest(
      input({ config: makeConfig({ spot: false, maxWaitSeconds: undefined }) }),
    );
    expect(req.EnableManagedSpotTraining).toBe(false);
    expect(req.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 43200 });
    expect(() => validateRequest(req)).not.toThrow();
  });

  it('never sends MaxWait without spot even when the config carries one', () => {
    const req = buildTrainingJobRequest(input({ config: makeConfig({ spot: false }) }));
    expect(req.StoppingCondition?.MaxWaitTimeInSeconds).toBeUndefined();
  });

  it('tolerates stray slashes in the prefix and an empty prefix', () => {
    const a = buildTrainingJobRequest(input({ config: makeConfig({ prefix: '/ml/yolo/' }) }));
    expect(a.CheckpointConfig?.S3Uri).toBe(
      's3://floorplans-ml/ml/yolo/checkpoints/floorplans-pr-12-abc1234/',
    );
    const b = buildTrainingJobRequest(input({ config: makeConfig({ prefix: '' }) }));
    expect(b.OutputDataConfig?.S3OutputPath).toBe('s3://floorplans-ml/output/');
  });

  it('maps an S3 prefix to one FullyReplicated `training` channel', () => {
    const req = buildTrainingJobRequest(input());
    expect(req.InputDataConfig).toEqual([
      {
        ChannelName: 'training',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: 's3://floorplans-ml/datasets/v3/',
            S3DataDistributionType: 'FullyReplicated',
          },
        },
        InputMode: 'File',
      },
    ]);
    expect(tagMap(req)['sagemaker-yolo:snapshot']).toBeUndefined();
  });

  it('asks for every host of a multi-instance spot job to get the whole dataset', () => {
    const fp = 'b'.repeat(64);
    const base = 's3://floorplans-ml/yolo-training/datasets/snapshots';
    const req = buildTrainingJobRequest(
      input({
        config: makeConfig({ instanceCount: 4, spot: true }),
        dataset: {
          kind: 'snapshot',
          manifestUri: `${base}/${fp}.manifest`,
          snapshotUri: `${base}/${fp}.json`,
          fingerprint: fp,
        },
      }),
    );
    expect(req.ResourceConfig?.InstanceCount).toBe(4);
    expect(req.EnableManagedSpotTraining).toBe(true);
    // each host trains on its own share of every epoch (DistributedSampler), so each needs all files
    expect(
      (req.InputDataConfig ?? []).map((c) => c.DataSource?.S3DataSource?.S3DataDistributionType),
    ).toEqual(['FullyReplicated', 'FullyReplicated']);
    expect(req.CheckpointConfig?.S3Uri).toMatch(/^s3:\/\/floorplans-ml\//);
    expect(() => validateRequest(req)).not.toThrow();
  });

  it('maps a snapshot to a ManifestFile `training` channel and a `snapshot` channel', () => {
    const fp = 'a'.repeat(64);
    const base = 's3://floorplans-ml/yolo-training/datasets/snapshots';
    const req = buildTrainingJobRequest(
      input({
        dataset: {
          kind: 'snapshot',
          manifestUri: `${base}/${fp}.manifest`,
          snapshotUri: `${base}/${fp}.json`,
          fingerprint: fp,
        },
      }),
    );
    const channels = req.InputDataConfig ?? [];
    expect(channels.map((c) => c.ChannelName)).toEqual(['training', 'snapshot']);
    expect(channels[0]?.DataSource?.S3DataSource).toEqual({
      S3DataType: 'ManifestFile',
      S3Uri: `${base}/${fp}.manifest`,
      S3DataDistributionType: 'FullyReplicated',
    });
    expect(channels[1]?.DataSource?.S3DataSource).toEqual({
      S3DataType: 'S3Prefix',
      S3Uri: `${base}/${fp}.json`,
      S3DataDistributionType: 'FullyReplicated',
    });
    expect(tagMap(req)['sagemaker-yolo:snapshot']).toBe(fp);
    expect(() => validateRequest(req)).not.toThrow();
  });

  it('tags the job with where it came from', () => {
    expect(tagMap(buildTrainingJobRequest(input()))).toEqual({
      'sagemaker-yolo:tool': 'sagemaker-yolo-action',
      'sagemaker-yolo:repository': 'acme/floorplans',
      'sagemaker-yolo:ref': 'refs/pull/12/merge',
      'sagemaker-yolo:sha': 'abc1234def5678abc1234def5678abc1234def56',
      'sagemaker-yolo:event': 'pull_request',
      'sagemaker-yolo:pr': '12',
      'sagemaker-yolo:run-url': 'https://github.com/acme/floorplans/actions/runs/987654321',
    });
  });

  it('sanitises tag values to the AWS character set and length', () => {
    const config = makeConfig();
    config.context = { ...config.context, ref: 'refs/heads/feat#1~"quoted"', prNumber: undefined };
    const tags = tagMap(buildTrainingJobRequest(input({ config })));
    expect(tags['sagemaker-yolo:ref']).toBe('refs/heads/feat_1__quoted_');
    expect(tags['sagemaker-yolo:pr']).toBeUndefined();
    expect(sanitizeTagValue('x'.repeat(300))).toHaveLength(256);
    expect(sanitizeTagValue('räume ✓ 部屋')).toBe('räume _ 部屋');
    // 256 code points of an astral letter: not split in half.
    const astral = sanitizeTagValue('𝐀'.repeat(300));
    expect(Array.from(astral)).toHaveLength(256);
    expect(requestProblems({ ...buildTrainingJobRequest(input({ config })) })).toEqual([]);
  });
});

describe('metricDefinitionsFromFile', () => {
  it('gives Name and Regex only, within the SageMaker limits, with the gate metrics', () => {
    const defs = metricDefinitionsFromFile();
    expect(defs.length).toBeGreaterThan(0);
    expect(defs.length).toBeLessThanOrEqual(40);
    for (const d of defs) {
      expect(Object.keys(d).sort()).toEqual(['Name', 'Regex']);
      expect(d.Regex.length).toBeLessThanOrEqual(500);
      expect(() => new RegExp(d.Regex)).not.toThrow();
    }
    expect(defs.map((d) => d.Name)).toEqual(
      expect.arrayContaining(['map50', 'map50_95', 'precision', 'recall']),
    );
    const map50 = defs.find((d) => d.Name === 'map50');
    const line = '[yolo-metrics] epoch=3 precision=0.91 recall=0.88 map50=0.873 map50_95=0.61';
    expect(new RegExp(map50?.Regex ?? '').exec(line)?.[1]).toBe('0.873');
  });
});

describe('validateRequest', () => {
  const valid = () => buildTrainingJobRequest(input());

  it('rejects too many hyperparameters', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '1']));
    expect(() => validateRequest({ ...valid(), HyperParameters: many })).toThrow(
      /101 hyperparameters.*at most 100/,
    );
  });

  it('rejects too many metric definitions and long regexes', () => {
    const req = valid();
    const spec = { TrainingInputMode: 'File' as const, ...req.AlgorithmSpecification };
    const defs = Array.from({ length: 41 }, (_, i) => ({ Name: `m${i}`, Regex: 'x=([0-9]+)' }));
    expect(() =>
      validateRequest({
        ...req,
        AlgorithmSpecification: { ...spec, MetricDefinitions: defs },
      }),
    ).toThrow(/41 metric definitions/);
    const long = [{ Name: 'long', Regex: 'a'.repeat(501) }];
    expect(() =>
      validateRequest({
        ...req,
        AlgorithmSpecification: { ...spec, MetricDefinitions: long },
      }),
    ).toThrow(/metric long: regex must be 1-500 characters \(has 501\)/);
  });

  it.each([['-leading-hyphen'], ['trailing-'], ['under_score'], ['x'.repeat(64)], ['']])(
    'rejects the job name %j',
    (name) => {
      expect(() => validateRequest({ ...valid(), TrainingJobName: name })).toThrow(
        /TrainingJobName/,
      );
    },
  );

  it('accepts a 63-character name with double hyphens', () => {
    expect(requestProblems({ ...valid(), TrainingJobName: `a--b${'c'.repeat(59)}` })).toEqual([]);
  });

  it('checks spot stopping conditions both ways', () => {
    const req = valid();
    expect(() =>
      validateRequest({
        ...req,
        StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 3600 },
      }),
    ).toThrow(
      /MaxWaitTimeInSeconds \(3600\) must be an integer larger than MaxRuntimeInSeconds \(3600\)/,
    );
    expect(() =>
      validateRequest({ ...req, StoppingCondition: { MaxRuntimeInSeconds: 3600 } }),
    ).toThrow(/needs MaxWaitTimeInSeconds/);
    expect(() =>
      validateRequest({
        ...req,
        EnableManagedSpotTraining: false,
        StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 },
      }),
    ).toThrow(/only allowed with managed spot/);
    expect(() =>
      validateRequest({
        ...req,
        StoppingCondition: {
          MaxRuntimeInSeconds: 28 * 86400 + 1,
          MaxWaitTimeInSeconds: 30 * 86400,
        },
      }),
    ).toThrow(/28 days/);
  });

  it('lists every problem at once, naming the job', () => {
    const req = {
      ...valid(),
      RoleArn: 'not-an-arn',
      ResourceConfig: { InstanceType: 'p3.2xlarge' as never, InstanceCount: 0, VolumeSizeInGB: 50 },
    };
    let message = '';
    try {
      validateRequest(req);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('floorplans-pr-12-abc1234 is invalid');
    expect(message).toContain('RoleArn "not-an-arn"');
    expect(message).toContain('must be an ml.* instance type');
    expect(message).toContain('InstanceCount must be an integer >= 1');
  });

  it('rejects bad channel URIs, duplicate channels and aws: tag keys', () => {
    const req = valid();
    const channel = req.InputDataConfig![0]!;
    const problems = requestProblems({
      ...req,
      InputDataConfig: [
        channel,
        {
          ...channel,
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: '/local/path' } },
        },
      ],
      Tags: [{ Key: 'aws:reserved', Value: 'x' }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'channel "training" appears twice',
        'channel training: "/local/path" is not an s3:// URI of at most 1024 characters',
        'tag key "aws:reserved" breaks the AWS tag rules',
      ]),
    );
  });
});

describe('buildTrainingJobRequest for locked-down accounts', () => {
  const lockdown = {
    vpc: { subnets: ['subnet-0a1b', 'subnet-0c2d'], securityGroupIds: ['sg-0e3f'] },
    volumeKmsKey: '1234abcd-12ab-34cd-56ef-1234567890ab',
    outputKmsKey: 'alias/training-output',
    networkIsolation: true,
    encryptInterContainerTraffic: true,
    tags: { 'cost-center': 'ml-42' },
    environment: { MY_FLAG: '1' },
    retryAttempts: 3,
    inputMode: 'FastFile' as const,
    keepAliveSeconds: 1800,
    profiler: false,
  };
  const snapshot = {
    kind: 'snapshot' as const,
    manifestUri: 's3://floorplans-ml/yolo-training/datasets/snapshots/f.manifest',
    snapshotUri: 's3://floorplans-ml/yolo-training/datasets/snapshots/f.json',
    fingerprint: 'f'.repeat(64),
  };

  it('defaults: explicit off switches, the profiler disabled, no VPC/KMS/retry/environment', () => {
    const req = buildTrainingJobRequest(input());
    expect(req.EnableNetworkIsolation).toBe(false);
    expect(req.EnableInterContainerTrafficEncryption).toBe(false);
    expect(req.ProfilerConfig).toEqual({ DisableProfiler: true });
    for (const field of ['VpcConfig', 'RetryStrategy', 'Environment'] as const) {
      expect(req[field]).toBeUndefined();
    }
    expect(req.ResourceConfig).not.toHaveProperty('VolumeKmsKeyId');
    expect(req.ResourceConfig).not.toHaveProperty('KeepAlivePeriodInSeconds');
    expect(req.OutputDataConfig).not.toHaveProperty('KmsKeyId');
  });

  it('puts every setting where CreateTrainingJob expects it', () => {
    const config = makeConfig({ spot: false, lockdown });
    delete config.maxWaitSeconds;
    const req = buildTrainingJobRequest(input({ config, dataset: snapshot }));
    expect(req.VpcConfig).toEqual({
      Subnets: ['subnet-0a1b', 'subnet-0c2d'],
      SecurityGroupIds: ['sg-0e3f'],
    });
    expect(req.ResourceConfig).toMatchObject({
      VolumeKmsKeyId: lockdown.volumeKmsKey,
      KeepAlivePeriodInSeconds: 1800,
    });
    expect(req.OutputDataConfig).toEqual({
      S3OutputPath: 's3://floorplans-ml/yolo-training/output/',
      KmsKeyId: 'alias/training-output',
    });
    expect(req.EnableNetworkIsolation).toBe(true);
    expect(req.EnableInterContainerTrafficEncryption).toBe(true);
    expect(req.Environment).toEqual({ MY_FLAG: '1' });
    expect(req.RetryStrategy).toEqual({ MaximumRetryAttempts: 3 });
    expect(req.AlgorithmSpecification?.TrainingInputMode).toBe('FastFile');
    expect(req.InputDataConfig?.map((c) => c.InputMode)).toEqual(['FastFile', 'FastFile']);
    // The user's tags sit beside the action's own.
    expect(tagMap(req)).toMatchObject({
      'cost-center': 'ml-42',
      'sagemaker-yolo:tool': 'sagemaker-yolo-action',
    });
    expect(() => validateRequest(req)).not.toThrow();
  });

  it('turns the profiler on into the job output path when asked', () => {
    const config = makeConfig({
      lockdown: { ...lockdown, keepAliveSeconds: undefined, profiler: true },
    });
    const req = buildTrainingJobRequest(input({ config }));
    expect(req.ProfilerConfig).toEqual({
      DisableProfiler: false,
      S3OutputPath: 's3://floorplans-ml/yolo-training/output/',
    });
  });

  it('the second check catches warm pools with spot and out-of-range retries', () => {
    const config = makeConfig({ lockdown: { ...lockdown, retryAttempts: 31 } });
    const problems = requestProblems(buildTrainingJobRequest(input({ config })));
    expect(problems).toEqual([
      'KeepAlivePeriodInSeconds (warm pools) is not allowed with managed spot training',
      'RetryStrategy.MaximumRetryAttempts (31) must be an integer from 1 to 30',
    ]);
  });
});
