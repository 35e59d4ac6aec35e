// Pure CreateTrainingJob request builder and a second check against SageMaker's hard limits, so a
// bad request fails here with a readable message instead of as a ValidationException mid-run.
import type { CreateTrainingJobCommandInput, Tag } from '@aws-sdk/client-sagemaker';
import metricFile from '../../training-container/metric-definitions.json' with { type: 'json' };
import { JOB_NAME_PATTERN } from '../jobname.js';
import type { Config } from '../types.js';

export interface MetricDefinition {
  Name: string;
  Regex: string;
}

/** What the job reads: a user's prefix ("skip upload") or a synced snapshot (DESIGN.md S3 layout). */
export type TrainingDataset =
  | { kind: 's3-prefix'; uri: string }
  | { kind: 'snapshot'; manifestUri: string; snapshotUri: string; fingerprint: string };

export interface TrainingRequestInput {
  config: Config;
  imageUri: string;
  dataset: TrainingDataset;
  /** Already stringified (hyperparameters.json holds strings only), ultralytics names. */
  hyperparameters: Record<string, string>;
  metricDefinitions: MetricDefinition[];
  /** May differ from config.jobName (re-run suffix). */
  jobName: string;
}

export const TOOL_NAME = 'sagemaker-yolo-action';
export const TAG_PREFIX = 'sagemaker-yolo:';
export const CHECKPOINT_LOCAL_PATH = '/opt/ml/checkpoints';

/** MetricDefinitions from the one shared file that train.py's log line also follows. */
export function metricDefinitionsFromFile(): MetricDefinition[] {
  return metricFile.definitions.map(({ Name, Regex }) => ({ Name, Regex }));
}

/** s3://bucket/prefix/part/... with the prefix's stray slashes tolerated. */
export function s3UriUnder(bucket: string, prefix: string, ...parts: string[]): string {
  const segments = [prefix, ...parts].map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean);
  return `s3://${bucket}/${segments.join('/')}`;
}

export function checkpointUri(bucket: string, prefix: string, jobName: string): string {
  return `${s3UriUnder(bucket, prefix, 'checkpoints', jobName)}/`;
}

export function outputPathUri(bucket: string, prefix: string): string {
  return `${s3UriUnder(bucket, prefix, 'output')}/`;
}

const TAG_VALUE_MAX = 256;
const TAG_DISALLOWED = /[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu;

/** AWS tag rules: a restricted character set and at most 256 Unicode characters. */
export function sanitizeTagValue(value: string, max = TAG_VALUE_MAX): string {
  const cleaned = value.replace(TAG_DISALLOWED, '_').trim();
  // Count code points, not UTF-16 units, so a truncation never splits a surrogate pair.
  return Array.from(cleaned).slice(0, max).join('');
}

/** The action's own sagemaker-yolo:* tags, then the user's `tags` input (checked by config). */
export function buildTags(config: Config, dataset: TrainingDataset): Tag[] {
  const ctx = config.context;
  const entries: [string, string | undefined][] = [
    ['tool', TOOL_NAME],
    ['repository', ctx.repository],
    ['ref', ctx.ref],
    ['sha', ctx.sha],
    ['event', ctx.eventName],
    ['pr', ctx.prNumber !== undefined ? String(ctx.prNumber) : undefined],
    [
      'run-url',
      ctx.runId ? `${ctx.serverUrl}/${ctx.repository}/actions/runs/${ctx.runId}` : undefined,
    ],
    ['snapshot', dataset.kind === 'snapshot' ? dataset.fingerprint : undefined],
  ];
  const tags: Tag[] = [];
  for (const [key, raw] of entries) {
    const value = raw === undefined ? '' : sanitizeTagValue(raw);
    if (value) tags.push({ Key: `${TAG_PREFIX}${key}`, Value: value });
  }
  for (const [Key, Value] of Object.entries(config.lockdown.tags)) tags.push({ Key, Value });
  return tags;
}

type InputMode = Config['lockdown']['inputMode'];

function inputChannels(
  dataset: TrainingDataset,
  mode: InputMode,
): CreateTrainingJobCommandInput['InputDataConfig'] {
  if (dataset.kind === 's3-prefix') {
    return [
      {
        ChannelName: 'training',
        DataSource: {
          S3DataSource: {
            S3DataType: 'S3Prefix',
            S3Uri: dataset.uri,
            S3DataDistributionType: 'FullyReplicated',
          },
        },
        InputMode: mode,
      },
    ];
  }
  return [
    {
      // The blobs, named by their sha256; train.py rebuilds the tree from the snapshot JSON.
      ChannelName: 'training',
      DataSource: {
        S3DataSource: {
          S3DataType: 'ManifestFile',
          S3Uri: dataset.manifestUri,
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      InputMode: mode,
    },
    {
      ChannelName: 'snapshot',
      DataSource: {
        S3DataSource: {
          S3DataType: 'S3Prefix',
          S3Uri: dataset.snapshotUri,
          S3DataDistributionType: 'FullyReplicated',
        },
      },
      InputMode: mode,
    },
  ];
}

/** Network, encryption, environment and retry fields for locked-down accounts (issue 15). */
function lockdownFields(config: Config): Partial<CreateTrainingJobCommandInput> {
  const l = config.lockdown;
  return {
    ...(l.vpc
      ? {
          VpcConfig: { Subnets: [...l.vpc.subnets], SecurityGroupIds: [...l.vpc.securityGroupIds] },
        }
      : {}),
    EnableNetworkIsolation: l.networkIsolation,
    EnableInterContainerTrafficEncryption: l.encryptInterContainerTraffic,
    ...(Object.keys(l.environment).length > 0 ? { Environment: { ...l.environment } } : {}),
    ...(l.retryAttempts !== undefined
      ? { RetryStrategy: { MaximumRetryAttempts: l.retryAttempts } }
      : {}),
    // Debugger's profiler samples system metrics into S3 for every job unless turned off: it costs
    // and tells a YOLO user nothing the training log does not, so it is off unless asked for.
    ProfilerConfig: l.profiler
      ? { DisableProfiler: false, S3OutputPath: outputPathUri(config.bucket, config.prefix) }
      : { DisableProfiler: true },
  };
}

export function buildTrainingJobRequest(
  input: TrainingRequestInput,
): CreateTrainingJobCommandInput {
  const { config, jobName } = input;
  const { lockdown } = config;
  return {
    TrainingJobName: jobName,
    RoleArn: config.role,
    AlgorithmSpecification: {
      TrainingImage: input.imageUri,
      TrainingInputMode: lockdown.inputMode,
      MetricDefinitions: input.metricDefinitions.map(({ Name, Regex }) => ({ Name, Regex })),
    },
    HyperParameters: { ...input.hyperparameters },
    InputDataConfig: inputChannels(input.dataset, lockdown.inputMode),
    // SageMaker appends <job>/output/{model,output}.tar.gz under this path.
    OutputDataConfig: {
      S3OutputPath: outputPathUri(config.bucket, config.prefix),
      ...(lockdown.outputKmsKey ? { KmsKeyId: lockdown.outputKmsKey } : {}),
    },
    ResourceConfig: {
      InstanceType: config.instanceType as NonNullable<
        CreateTrainingJobCommandInput['ResourceConfig']
      >['InstanceType'],
      InstanceCount: config.instanceCount,
      VolumeSizeInGB: config.volumeSizeGb,
      ...(lockdown.volumeKmsKey ? { VolumeKmsKeyId: lockdown.volumeKmsKey } : {}),
      ...(lockdown.keepAliveSeconds !== undefined
        ? { KeepAlivePeriodInSeconds: lockdown.keepAliveSeconds }
        : {}),
    },
    StoppingCondition: {
      MaxRuntimeInSeconds: config.maxRuntimeSeconds,
      // SageMaker rejects MaxWait without spot; validateRequest reports spot without it.
      ...(config.spot && config.maxWaitSeconds !== undefined
        ? { MaxWaitTimeInSeconds: config.maxWaitSeconds }
        : {}),
    },
    EnableManagedSpotTraining: config.spot,
    // Per-job checkpoint dir: a spot restart of this job resumes; a fresh -rN job starts clean.
    CheckpointConfig: {
      S3Uri: checkpointUri(config.bucket, config.prefix, jobName),
      LocalPath: CHECKPOINT_LOCAL_PATH,
    },
    Tags: buildTags(config, input.dataset),
    ...lockdownFields(config),
  };
}

// Limits from the CreateTrainingJob API reference.
export const LIMITS = {
  jobNameMax: 63,
  maxRuntimeSeconds: 28 * 24 * 3600,
  hyperparameters: 100,
  hyperparameterKeyMax: 256,
  hyperparameterValueMax: 2500,
  metricDefinitions: 40,
  metricNameMax: 255,
  metricRegexMax: 500,
  channels: 20,
  channelNameMax: 64,
  s3UriMax: 1024,
  tags: 50,
  tagKeyMax: 128,
  tagValueMax: 256,
  imageMax: 255,
} as const;

const ROLE_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
const S3_URI_PATTERN = /^(https|s3):\/\/[^/]+\/?.*$/;
const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9.\-_]+$/;
const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const chars = (s: string) => Array.from(s).length;

/** Every rule the request breaks, as readable sentences; empty when it is valid. */
export function requestProblems(req: CreateTrainingJobCommandInput): string[] {
  const problems: string[] = [];
  const name = req.TrainingJobName ?? '';
  if (!name || name.length > LIMITS.jobNameMax || !JOB_NAME_PATTERN.test(name)) {
    problems.push(
      `TrainingJobName "${name}" must be 1-${LIMITS.jobNameMax} letters, digits and inner hyphens (${JOB_NAME_PATTERN.source})`,
    );
  }
  if (!req.RoleArn || !ROLE_ARN_PATTERN.test(req.RoleArn)) {
    problems.push(`RoleArn "${req.RoleArn ?? ''}" is not an IAM role ARN`);
  }
  const image = req.AlgorithmSpecification?.TrainingImage ?? '';
  if (!image || image.length > LIMITS.imageMax) {
    problems.push(`TrainingImage must be 1-${LIMITS.imageMax} characters`);
  }

  const hp = Object.entries(req.HyperParameters ?? {});
  if (hp.length > LIMITS.hyperparameters) {
    problems.push(
      `${hp.length} hyperparameters; SageMaker allows at most ${LIMITS.hyperparameters}`,
    );
  }
  for (const [key, value] of hp) {
    if (typeof value !== 'string') problems.push(`hyperparameter ${key} must be a string`);
    else if (value.length > LIMITS.hyperparameterValueMax) {
      problems.push(
        `hyperparameter ${key} is longer than ${LIMITS.hyperparameterValueMax} characters`,
      );
    }
    if (!key || key.length > LIMITS.hyperparameterKeyMax) {
      problems.push(
        `hyperparameter name "${key}" must be 1-${LIMITS.hyperparameterKeyMax} characters`,
      );
    }
  }

  const metrics = req.AlgorithmSpecification?.MetricDefinitions ?? [];
  if (metrics.length > LIMITS.metricDefinitions) {
    problems.push(
      `${metrics.length} metric definitions; SageMaker allows at most ${LIMITS.metricDefinitions}`,
    );
  }
  for (const m of metrics) {
    if (!m.Name || m.Name.length > LIMITS.metricNameMax) {
      problems.push(`metric name "${m.Name ?? ''}" must be 1-${LIMITS.metricNameMax} characters`);
    }
    if (!m.Regex || m.Regex.length > LIMITS.metricRegexMax) {
      problems.push(
        `metric ${m.Name ?? '?'}: regex must be 1-${LIMITS.metricRegexMax} characters (has ${m.Regex?.length ?? 0})`,
      );
    }
  }

  const rc = req.ResourceConfig;
  if (!rc?.InstanceType || !String(rc.InstanceType).startsWith('ml.')) {
    problems.push(`InstanceType "${rc?.InstanceType ?? ''}" must be an ml.* instance type`);
  }
  if (!Number.isInteger(rc?.InstanceCount) || (rc?.InstanceCount ?? 0) < 1) {
    problems.push('InstanceCount must be an integer >= 1');
  }
  if (!Number.isInteger(rc?.VolumeSizeInGB) || (rc?.VolumeSizeInGB ?? 0) < 1) {
    problems.push('VolumeSizeInGB must be an integer >= 1');
  }

  const runtime = req.StoppingCondition?.MaxRuntimeInSeconds;
  const wait = req.StoppingCondition?.MaxWaitTimeInSeconds;
  if (!Number.isInteger(runtime) || runtime! < 1 || runtime! > LIMITS.maxRuntimeSeconds) {
    problems.push(
      `MaxRuntimeInSeconds must be an integer in [1, ${LIMITS.maxRuntimeSeconds}] (28 days)`,
    );
  }
  if (req.EnableManagedSpotTraining) {
    if (wait === undefined) {
      problems.push('managed spot training needs MaxWaitTimeInSeconds');
    } else if (!Number.isInteger(wait) || runtime === undefined || wait <= runtime) {
      problems.push(
        `MaxWaitTimeInSeconds (${wait}) must be an integer larger than MaxRuntimeInSeconds (${runtime})`,
      );
    }
  } else if (wait !== undefined) {
    problems.push('MaxWaitTimeInSeconds is only allowed with managed spot training');
  }

  const channels = req.InputDataConfig ?? [];
  if (channels.length < 1 || channels.length > LIMITS.channels) {
    problems.push(`1-${LIMITS.channels} input channels are required (has ${channels.length})`);
  }
  const seen = new Set<string>();
  for (const c of channels) {
    const cname = c.ChannelName ?? '';
    if (!CHANNEL_NAME_PATTERN.test(cname) || cname.length > LIMITS.channelNameMax) {
      problems.push(`channel name "${cname}" is invalid`);
    }
    if (seen.has(cname)) problems.push(`channel "${cname}" appears twice`);
    seen.add(cname);
    checkS3Uri(`channel ${cname}`, c.DataSource?.S3DataSource?.S3Uri, problems);
  }
  checkS3Uri('S3OutputPath', req.OutputDataConfig?.S3OutputPath, problems);
  if (req.CheckpointConfig) checkS3Uri('checkpoint S3Uri', req.CheckpointConfig.S3Uri, problems);

  if (req.ResourceConfig?.KeepAlivePeriodInSeconds !== undefined && req.EnableManagedSpotTraining) {
    problems.push(
      'KeepAlivePeriodInSeconds (warm pools) is not allowed with managed spot training',
    );
  }
  const retries = req.RetryStrategy?.MaximumRetryAttempts;
  if (req.RetryStrategy && (!Number.isInteger(retries) || retries! < 1 || retries! > 30)) {
    problems.push(
      `RetryStrategy.MaximumRetryAttempts (${retries}) must be an integer from 1 to 30`,
    );
  }
  const vpc = req.VpcConfig;
  if (vpc) {
    const subnets = vpc.Subnets?.length ?? 0;
    const groups = vpc.SecurityGroupIds?.length ?? 0;
    if (subnets < 1 || subnets > 16) problems.push(`VpcConfig needs 1-16 subnets (has ${subnets})`);
    if (groups < 1 || groups > 5) {
      problems.push(`VpcConfig needs 1-5 security groups (has ${groups})`);
    }
  }
  const environment = Object.entries(req.Environment ?? {});
  if (environment.length > 100) {
    problems.push(`${environment.length} environment variables; SageMaker allows at most 100`);
  }
  for (const [key, value] of environment) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(key) || key.length > 512 || value.length > 512) {
      problems.push(`environment variable "${key}" breaks SageMaker's name or length rules`);
    }
  }

  const tags = req.Tags ?? [];
  if (tags.length > LIMITS.tags) problems.push(`${tags.length} tags; at most ${LIMITS.tags}`);
  for (const t of tags) {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (!key || chars(key) > LIMITS.tagKeyMax || !TAG_PATTERN.test(key) || /^aws:/i.test(key)) {
      problems.push(`tag key "${key}" breaks the AWS tag rules`);
    }
    if (chars(value) > LIMITS.tagValueMax || !TAG_PATTERN.test(value)) {
      problems.push(`tag ${key}: value breaks the AWS tag rules`);
    }
  }
  return problems;
}

function checkS3Uri(what: string, uri: string | undefined, problems: string[]): void {
  if (!uri || !S3_URI_PATTERN.test(uri) || uri.length > LIMITS.s3UriMax) {
    problems.push(
      `${what}: "${uri ?? ''}" is not an s3:// URI of at most ${LIMITS.s3UriMax} characters`,
    );
  }
}

/** Throws one error listing every problem, before any AWS call is made. */
export function validateRequest(req: CreateTrainingJobCommandInput): void {
  const problems = requestProblems(req);
  if (problems.length > 0) {
    throw new Error(
      `The CreateTrainingJob request for ${req.TrainingJobName ?? '(no name)'} is invalid:\n- ${problems.join('\n- ')}`,
    );
  }
}
