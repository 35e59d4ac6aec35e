// Model Registry: the group is created when missing, the package carries the image, the model
// data and ModelMetrics pointing at a metrics JSON that is really in S3 (emulator); SageMaker is an
// SDK client mock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  SageMakerClient,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { createS3Client } from '../../src/aws.js';
import { registerModel } from '../../src/model/registry.js';
import { startMoto, type Moto } from '../helpers/moto.js';

const BUCKET = 'registry-models';
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/floorplan-rooms/3';
let moto: Moto;
let s3: S3Client;
const sagemaker = new SageMakerClient({ region: 'us-east-1' });
const sm = mockClient(sagemaker);

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
}, 60_000);
afterAll(() => moto?.stop());
beforeEach(() => {
  sm.reset();
});

const input = (approve: boolean) => ({
  group: 'floorplan-rooms',
  approve,
  jobName: 'floorplans-main-7',
  image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
  modelUri: `s3://${BUCKET}/yolo-training/output/floorplans-main-7/output/model.tar.gz`,
  description: 'acme/floorplans ec26c3e57ca3: training job floorplans-main-7',
  bucket: BUCKET,
  prefix: 'yolo-training',
  metrics: {
    map50: 0.91,
    perClass: [
      { name: 'room', instances: 40, ap50: 0.91, ap50_95: 0.6, precision: 0.9, recall: 0.9 },
    ],
  },
});

const missing = () =>
  new SageMakerServiceException({
    name: 'ValidationException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message:
      'ModelPackageGroup arn:aws:sagemaker:us-east-1:123456789012:model-package-group/floorplan-rooms does not exist.',
  });

describe('registerModel', () => {
  it('creates a missing group, then registers PendingManualApproval with metrics in S3', async () => {
    sm.on(DescribeModelPackageGroupCommand).rejects(missing());
    sm.on(CreateModelPackageGroupCommand).resolves({ ModelPackageGroupArn: 'arn:group' });
    sm.on(CreateModelPackageCommand).resolves({ ModelPackageArn: ARN });
    const logs: string[] = [];
    const result = await registerModel({ sagemaker, s3, log: (m) => logs.push(m) }, input(false));
    expect(result.modelPackageArn).toBe(ARN);
    expect(
      sm.commandCalls(CreateModelPackageGroupCommand)[0]?.args[0].input.ModelPackageGroupName,
    ).toBe('floorplan-rooms');
    expect(logs).toContain('Created model package group floorplan-rooms');
    const request = sm.commandCalls(CreateModelPackageCommand)[0]?.args[0].input;
    expect(request).toMatchObject({
      ModelPackageGroupName: 'floorplan-rooms',
      ModelApprovalStatus: 'PendingManualApproval',
      InferenceSpecification: {
        Containers: [{ Image: input(false).image, ModelDataUrl: input(false).modelUri }],
      },
      ModelMetrics: {
        ModelQuality: {
          Statistics: {
            ContentType: 'application/json',
            S3Uri: `s3://${BUCKET}/yolo-training/models/registry/floorplans-main-7/metrics.json`,
          },
        },
      },
    });
    // The metrics JSON the registry points at exists and holds the gate's numbers.
    const stored = await s3.send(
      new GetObjectCommand({
        Bucket: BUCKET,
        Key: 'yolo-training/models/registry/floorplans-main-7/metrics.json',
      }),
    );
    const doc = JSON.parse(await stored.Body!.transformToString()) as Record<string, unknown>;
    expect(doc).toMatchObject({ trainingJob: 'floorplans-main-7', map50: 0.91 });
    expect(doc.perClass).toHaveLength(1);
  });

  it('uses an existing group and registers Approved with approve-model', async () => {
    sm.on(DescribeModelPackageGroupCommand).resolves({ ModelPackageGroupName: 'floorplan-rooms' });
    sm.on(CreateModelPackageCommand).resolves({ ModelPackageArn: ARN });
    await registerModel({ sagemaker, s3, log: () => {} }, input(true));
    expect(sm.commandCalls(CreateModelPackageGroupCommand)).toHaveLength(0);
    expect(sm.commandCalls(CreateModelPackageCommand)[0]?.args[0].input.ModelApprovalStatus).toBe(
      'Approved',
    );
  });

  it('does not hide other errors (access denied) as a missing group', async () => {
    sm.on(DescribeModelPackageGroupCommand).rejects(
      new SageMakerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not authorized to perform: sagemaker:DescribeModelPackageGroup',
      }),
    );
    await expect(registerModel({ sagemaker, s3, log: () => {} }, input(false))).rejects.toThrow(
      /not authorized/,
    );
    expect(sm.commandCalls(CreateModelPackageCommand)).toHaveLength(0);
  });
});
