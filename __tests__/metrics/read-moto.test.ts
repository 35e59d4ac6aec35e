// Integration: the reader against a real S3 wire format (moto server on 127.0.0.1). The job is
// created on the emulator so the archive lands exactly where SageMaker's OutputDataConfig puts it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { createS3Client } from '../../src/aws.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import { RESULTS_COLUMNS } from '../../src/metrics/results-csv.js';
import type { JobOutcome } from '../../src/types.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from './archive.js';

const BUCKET = 'yolo-metrics-it';
const REGION = 'us-east-1';
let moto: Moto;
let s3: S3Client;
let sagemaker: SageMakerClient;
const savedEnv: Record<string, string | undefined> = {};

beforeAll(async () => {
  moto = await startMoto();
  // The client factory takes the endpoint from its env option; credentials come from process.env.
  for (const [k, v] of Object.entries(moto.env)) {
    savedEnv[k] = process.env[k];
    process.env[k] = v;
  }
  s3 = createS3Client({ region: REGION, env: moto.env });
  sagemaker = new SageMakerClient({
    region: REGION,
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 30000);

afterAll(async () => {
  s3?.destroy();
  sagemaker?.destroy();
  await moto?.stop();
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Creates a job on the emulator and returns the outcome the lifecycle would build from it. */
async function jobOutcome(
  jobName: string,
  finalMetrics: Record<string, number>,
): Promise<JobOutcome> {
  await sagemaker.send(
    new CreateTrainingJobCommand({
      TrainingJobName: jobName,
      RoleArn: 'arn:aws:iam::123456789012:role/sagemaker',
      AlgorithmSpecification: {
        TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo:abc',
        TrainingInputMode: 'File',
      },
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/yolo-training/output` },
      ResourceConfig: { InstanceType: 'ml.g4dn.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    }),
  );
  const job = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }));
  const model = job.ModelArtifacts?.S3ModelArtifacts as string;
  return {
    jobName,
    status: job.TrainingJobStatus ?? 'Completed',
    modelArtifactsUri: model,
    outputDataUri: model.replace(/model\.tar\.gz$/, 'output.tar.gz'),
    finalMetrics,
    instanceType: 'ml.g4dn.xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl: 'https://console.aws.amazon.com/sagemaker',
    region: REGION,
  };
}

async function putArchive(uri: string, body: Buffer): Promise<void> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri) as RegExpExecArray;
  await s3.send(new PutObjectCommand({ Bucket: m[1], Key: m[2], Body: body }));
}

describe('readJobMetrics on the S3 emulator', () => {
  it('reads metrics.json and results.csv from the job output archive', async () => {
    const outcome = await jobOutcome('metrics-read-1', { map50: 0.1 });
    expect(outcome.outputDataUri).toBe(
      `s3://${BUCKET}/yolo-training/output/metrics-read-1/output/output.tar.gz`,
    );
    await putArchive(
      outcome.outputDataUri as string,
      makeOutputArchive({
        'metrics.json': JSON.stringify(METRICS_JSON),
        'results.csv': RESULTS_CSV,
      }),
    );
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics.source).toBe('metrics.json');
    expect(metrics.map50).toBe(0.8123); // not the FinalMetricDataList value
    expect(metrics.perClass.map((c) => c.name)).toEqual(['room']);
    expect(metrics.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(metrics.epochs[2]?.values[RESULTS_COLUMNS.map50]).toBe(0.8123);
  });

  it('falls back to FinalMetricDataList when the archive has no metrics.json, keeping the epochs', async () => {
    const outcome = await jobOutcome('metrics-read-2', { map50: 0.66, recall: 0.5 });
    await putArchive(
      outcome.outputDataUri as string,
      makeOutputArchive({ 'results.csv': RESULTS_CSV }),
    );
    const logs: string[] = [];
    const metrics = await readJobMetrics(s3, outcome, { log: (m) => logs.push(m) });
    expect(metrics.source).toBe('final-metric-data');
    expect(metrics.map50).toBe(0.66);
    expect(metrics.recall).toBe(0.5);
    expect(metrics.epochs).toHaveLength(3);
    expect(logs.join('\n')).toMatch(/has no metrics.json/);
  });

  it('falls back to FinalMetricDataList when the archive is missing', async () => {
    const outcome = await jobOutcome('metrics-read-3', { map50: 0.7, precision: 0.9 });
    const logs: string[] = [];
    const metrics = await readJobMetrics(s3, outcome, { log: (m) => logs.push(m) });
    expect(metrics).toEqual({
      task: 'detect',
      map50: 0.7,
      precision: 0.9,
      perClass: [],
      source: 'final-metric-data',
      epochs: [],
    });
    expect(logs.join('\n')).toMatch(/not found/);
  });

  it('fails loudly on a metrics.json of another schema', async () => {
    const outcome = await jobOutcome('metrics-read-4', { map50: 0.9 });
    await putArchive(
      outcome.outputDataUri as string,
      makeOutputArchive({ 'metrics.json': JSON.stringify({ ...METRICS_JSON, schema: 2 }) }),
    );
    await expect(readJobMetrics(s3, outcome)).rejects.toThrow(/schema 2/);
  });

  it('surfaces errors other than a missing object (a missing bucket)', async () => {
    const outcome = await jobOutcome('metrics-read-5', {});
    outcome.outputDataUri = 's3://no-such-bucket-here/output/x/output/output.tar.gz';
    await expect(readJobMetrics(s3, outcome)).rejects.toThrow(/bucket/i);
  });
});
