// SageMaker Model Registry: a model that passes the gate becomes a version in a model package
// group, with its metrics attached as ModelMetrics (a JSON in S3). The request is built purely;
// registerModel does the three calls (describe or create the group, then create the package).
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateModelPackageCommand,
  CreateModelPackageGroupCommand,
  DescribeModelPackageGroupCommand,
  type CreateModelPackageCommandInput,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { s3Uri } from '../dataset/keys.js';
import { errorMessage, errorName } from '../errors.js';
import type { ChampionMetrics } from './champion.js';
import { modelKeys } from './keys.js';

export interface RegistrationInput {
  group: string;
  approve: boolean;
  jobName: string;
  image: string;
  modelUri: string;
  metricsUri: string;
  /** Shown in the registry beside the version: where it came from. */
  description: string;
}

/** The CreateModelPackage request (pure). */
export function modelPackageRequest(input: RegistrationInput): CreateModelPackageCommandInput {
  return {
    ModelPackageGroupName: input.group,
    ModelPackageDescription: input.description.slice(0, 1024),
    ModelApprovalStatus: input.approve ? 'Approved' : 'PendingManualApproval',
    InferenceSpecification: {
      Containers: [{ Image: input.image, ModelDataUrl: input.modelUri }],
      SupportedContentTypes: ['image/jpeg', 'image/png'],
      SupportedResponseMIMETypes: ['application/json'],
    },
    ModelMetrics: {
      ModelQuality: {
        Statistics: { ContentType: 'application/json', S3Uri: input.metricsUri },
      },
    },
    // The job that made it, so the registry links back to the training run.
    CustomerMetadataProperties: { 'sagemaker-yolo:training-job': input.jobName },
  };
}

/** The metrics document ModelMetrics points at: the gate's numbers, per class included. */
export function registryMetricsDocument(jobName: string, metrics: ChampionMetrics): object {
  return { schema: 1, trainingJob: jobName, ...metrics };
}

function isMissingGroup(error: unknown): boolean {
  const name = errorName(error);
  return (
    name === 'ResourceNotFound' ||
    ((name === 'ValidationException' || name === 'ResourceNotFoundException') &&
      /does not exist|not found/i.test(errorMessage(error)))
  );
}

export async function ensureModelPackageGroup(
  sagemaker: SageMakerClient,
  group: string,
  log: (message: string) => void,
): Promise<void> {
  try {
    await sagemaker.send(new DescribeModelPackageGroupCommand({ ModelPackageGroupName: group }));
    return;
  } catch (error) {
    if (!isMissingGroup(error)) throw error;
  }
  try {
    await sagemaker.send(
      new CreateModelPackageGroupCommand({
        ModelPackageGroupName: group,
        ModelPackageGroupDescription: 'YOLO models registered by sagemaker-yolo-action',
      }),
    );
    log(`Created model package group ${group}`);
  } catch (error) {
    // Another run created it between our describe and create: that is the state we wanted.
    if (!/already exists/i.test(errorMessage(error))) throw error;
  }
}

export async function registerModel(
  deps: { sagemaker: SageMakerClient; s3: S3Client; log: (message: string) => void },
  input: Omit<RegistrationInput, 'metricsUri'> & {
    bucket: string;
    prefix: string;
    metrics: ChampionMetrics;
  },
): Promise<{ modelPackageArn: string; metricsUri: string }> {
  const key = modelKeys(input.prefix).registryMetrics(input.jobName);
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: input.bucket,
      Key: key,
      Body: JSON.stringify(registryMetricsDocument(input.jobName, input.metrics)),
      ContentType: 'application/json',
    }),
  );
  const metricsUri = s3Uri(input.bucket, key);
  await ensureModelPackageGroup(deps.sagemaker, input.group, deps.log);
  const created = await deps.sagemaker.send(
    new CreateModelPackageCommand(modelPackageRequest({ ...input, metricsUri })),
  );
  if (!created.ModelPackageArn) throw new Error('CreateModelPackage returned no ModelPackageArn');
  return { modelPackageArn: created.ModelPackageArn, metricsUri };
}
