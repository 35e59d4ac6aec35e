// The one place inputs (action) and flags (CLI) are read. readConfig applies the catalogue's
// defaults, checks every value and either returns a typed Config or throws one ConfigError that
// lists every problem, each naming the input, the value and the rule, before any AWS call.
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readEventPayload, runContextFromEnv } from './context.js';
import { DEFAULT_DROP_LIMIT, parseDropLimit } from './dataset/dropped.js';
import { prefixProblem } from './dataset/keys.js';
import {
  HYPERPARAMETER_RULES,
  MAX_HYPERPARAMETERS,
  typeHyperparameter,
  type HyperparameterValue,
} from './hyperparameters.js';
import { INPUTS, MAX_RUNTIME_LIMIT_SECONDS } from './inputs.js';
import { deriveJobName, isValidJobName, JOB_NAME_MAX_LENGTH } from './jobname.js';
import { readLockdown } from './lockdown.js';
import { readModelSettings } from './model/settings.js';
import { readModelDeliverySettings } from './model/delivery-settings.js';
import { bucketNameProblem, tryParseS3Uri } from './s3.js';
import { TASKS, isYoloTask, modelForTask, namedTask, type YoloTask } from './task.js';
import type { Config, GateMetric, Hyperparameters, RunContext, Threshold } from './types.js';

/** Returns the raw value of an input by its kebab-case name; '' = not given. */
export type InputReader = (name: string) => string;

export interface ReadConfigOptions {
  context: RunContext;
  env: NodeJS.ProcessEnv;
  /** Directory holding action.yml (and the default training-container/). */
  actionRoot: string;
  /**
   * What the config is for. 'train' (default) starts a job, so it needs a role; 'report' gates
   * and reports a job that already ran, so a role is not required (one given is still checked).
   * 'image' runs the image stage alone (`sagemaker-yolo image`): no role and no bucket needed.
   */
  purpose?: 'train' | 'report' | 'image';
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    const n = problems.length;
    super(`Invalid configuration (${n} problem${n === 1 ? '' : 's'}):\n${problems.join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Dedicated inputs that are ultralytics train arguments, by ultralytics name. */
const DEDICATED: Readonly<Record<string, string>> = {
  model: 'model',
  epochs: 'epochs',
  batch: 'batch-size',
  imgsz: 'imgsz',
  patience: 'patience',
  workers: 'workers',
  lr0: 'lr0',
};

const VOLUME_SIZE_MAX_GB = 16384;
/** Longest accepted wait-timeout: 30 days. */
const WAIT_TIMEOUT_MAX_SECONDS = 30 * 24 * 60 * 60;
/** wait-timeout default margin over the job's own limit: startup, upload, polling lag. */
const WAIT_MARGIN_SECONDS = 30 * 60;

const ROLE_ARN = /^arn:aws[-a-z]*:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const INSTANCE_TYPE = /^ml\.[a-z0-9]+\.[0-9a-z]+$/;
const ECR_REPOSITORY = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
// Docker image reference: [registry[:port]/]path[:tag][@sha256:digest].
const IMAGE_REFERENCE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::\w[\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
// What the image build can bake: ultralytics release file names, space- or comma-separated
// (training-container/bake_assets.py applies the same rule).
const WEIGHTS = /^[A-Za-z0-9._-]+\.pt(?:[\s,]+[A-Za-z0-9._-]+\.pt)*$/;
const BUILD_ARG_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INTEGER = /^\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** Reads inputs as @actions/core does (INPUT_<NAME> variables, trimmed), without importing it. */
export function actionInputReader(env: NodeJS.ProcessEnv): InputReader {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/**
 * Reads parsed CLI options (commander camelCases `--batch-size` to `batchSize`). Booleans become
 * 'true'/'false' so they pass the same validation as action inputs; absent options read as ''.
 */
export function optionsInputReader(options: Readonly<Record<string, unknown>>): InputReader {
  return (name) => {
    const key = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const value = options[key];
    return value === undefined || value === null ? '' : String(value);
  };
}

/** The action's Config from the runner's environment: INPUT_* variables and the event payload. */
export function readActionConfig(env: NodeJS.ProcessEnv, actionRoot: string): Config {
  const context = runContextFromEnv(env, readEventPayload(env));
  return readConfig(actionInputReader(env), { context, env, actionRoot });
}

export function readConfig(read: InputReader, options: ReadConfigOptions): Config {
  const { context, env, actionRoot, purpose = 'train' } = options;
  const problems: string[] = [];
  const fail = (input: string, value: string, rule: string) => {
    problems.push(`${input}: ${JSON.stringify(value)} ${rule}`);
  };

  // Each input read once; `given` tells an explicit value from a catalogue default.
  const given = new Map<string, string>();
  const value = new Map<string, string>();
  for (const spec of INPUTS) {
    const raw = (read(spec.name) ?? '').trim();
    if (raw !== '') given.set(spec.name, raw);
    value.set(spec.name, raw !== '' ? raw : (spec.default ?? ''));
  }
  const get = (name: string): string => {
    const v = value.get(name);
    if (v === undefined) throw new Error(`input "${name}" is not in the catalogue`);
    return v;
  };

  const bool = (name: string): boolean | undefined => {
    const v = get(name);
    if (TRUE.has(v)) return true;
    if (FALSE.has(v)) return false;
    fail(name, v, 'must be true or false');
    return undefined;
  };
  const int = (name: string, min: number, max: number, v = get(name)): number | undefined => {
    const n = INTEGER.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= min && n <= max) return n;
    fail(name, v, `must be a whole number from ${min} to ${max}`);
    return undefined;
  };

  // --- where ---
  let region = get('aws-region');
  let regionSource = 'aws-region';
  if (region === '') {
    for (const variable of ['AWS_REGION', 'AWS_DEFAULT_REGION']) {
      const fromEnv = env[variable]?.trim();
      if (fromEnv) {
        region = fromEnv;
        regionSource = `aws-region (from ${variable})`;
        break;
      }
    }
  }
  if (region === '') {
    fail('aws-region', '', 'is required: set the input, AWS_REGION or AWS_DEFAULT_REGION');
  } else if (!REGION.test(region)) {
    fail(regionSource, region, 'must be an AWS region name like us-east-1');
  }

  const instanceType = get('instance-type');
  const local = instanceType === 'local';
  if (!local && !INSTANCE_TYPE.test(instanceType)) {
    fail(
      'instance-type',
      instanceType,
      'must be a SageMaker instance type ml.<family>.<size> (e.g. ml.g5.xlarge) or local',
    );
  }

  const role = get('role');
  if (role === '') {
    if (!local && purpose === 'train') {
      fail(
        'role',
        '',
        'is required (the SageMaker execution role ARN) unless instance-type is local',
      );
    }
  } else if (!ROLE_ARN.test(role)) {
    fail('role', role, 'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<path/name>');
  }

  // The runner sets ACTIONS_ID_TOKEN_REQUEST_URL only for jobs with `permissions: id-token: write`.
  let roleToAssume: string | undefined;
  if (given.has('role-to-assume')) {
    roleToAssume = get('role-to-assume');
    if (!ROLE_ARN.test(roleToAssume)) {
      fail(
        'role-to-assume',
        roleToAssume,
        'must be an IAM role ARN: arn:aws:iam::<12-digit account>:role/<path/name>',
      );
    } else if (!env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim()) {
      fail(
        'role-to-assume',
        roleToAssume,
        "needs the job's GitHub OIDC token: give the job `permissions: id-token: write` (outside GitHub Actions, use the usual AWS credentials instead)",
      );
    }
  }

  const bucket = get('bucket');
  if (bucket === '') {
    if (purpose !== 'image') {
      fail('bucket', '', 'is required: the S3 bucket for snapshots, checkpoints and output');
    }
  } else {
    const rule = bucketNameProblem(bucket);
    if (rule) fail('bucket', bucket, `is not a valid S3 bucket name: it ${rule}`);
  }

  const prefix = get('prefix');
  const prefixRule = prefixProblem(prefix);
  if (prefixRule) fail('prefix', prefix, prefixRule);

  // --- dataset ---
  const dataset = get('dataset');
  let datasetS3Uri: string | undefined;
  if (given.has('dataset-s3-uri')) {
    const uri = get('dataset-s3-uri');
    const location = tryParseS3Uri(uri);
    const keyPrefix = location?.key.replace(/\/+$/, '');
    if (!location || !keyPrefix) {
      fail(
        'dataset-s3-uri',
        uri,
        'must be s3://<bucket>/<prefix> (a prefix holding the data yaml)',
      );
    } else {
      const rule = bucketNameProblem(location.bucket);
      if (rule) {
        fail('dataset-s3-uri', uri, `names an invalid S3 bucket "${location.bucket}": it ${rule}`);
      } else {
        // A trailing slash keeps S3Prefix from also matching sibling prefixes (data vs data-old).
        datasetS3Uri = `s3://${location.bucket}/${keyPrefix}/`;
      }
    }
  }

  let maxDroppedImages = DEFAULT_DROP_LIMIT;
  try {
    maxDroppedImages = parseDropLimit(get('max-dropped-images'));
  } catch {
    fail(
      'max-dropped-images',
      get('max-dropped-images'),
      'must be a count of images (e.g. 20; 0 allows none) or a percentage from 0% to 100% (e.g. 5%)',
    );
  }

  // --- image ---
  let imageUri: string | undefined;
  if (given.has('image-uri')) {
    imageUri = get('image-uri');
    if (imageUri.length > 255 || !IMAGE_REFERENCE.test(imageUri)) {
      fail(
        'image-uri',
        imageUri,
        'must be an image reference <registry>/<repository>[:tag][@sha256:digest], at most 255 characters',
      );
    }
  }
  const ecrRepository = get('ecr-repository');
  if (
    ecrRepository.length < 2 ||
    ecrRepository.length > 256 ||
    !ECR_REPOSITORY.test(ecrRepository)
  ) {
    fail(
      'ecr-repository',
      ecrRepository,
      'must be an ECR repository name: 2-256 lowercase letters, digits and . _ - / separators',
    );
  }
  const containerContext = get('container-context') || path.join(actionRoot, 'training-container');

  // A Map, then fromEntries: a KEY like __proto__ stays an ordinary own property.
  const buildArgMap = new Map<string, string>();
  get('build-args')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const entry = line.trim();
      if (entry === '') return;
      const eq = entry.indexOf('=');
      const key = eq > 0 ? entry.slice(0, eq).trim() : '';
      if (!BUILD_ARG_KEY.test(key)) {
        fail('build-args', entry, `(line ${index + 1}) must be KEY=VALUE with KEY like MY_ARG`);
      } else if (buildArgMap.has(key)) {
        fail('build-args', entry, `(line ${index + 1}) sets ${key} a second time`);
      } else {
        buildArgMap.set(key, entry.slice(eq + 1));
      }
    });

  let pretrainedWeights: string | undefined;
  if (given.has('pretrained-weights')) {
    pretrainedWeights = get('pretrained-weights');
    if (!WEIGHTS.test(pretrainedWeights)) {
      fail(
        'pretrained-weights',
        pretrainedWeights,
        'must be .pt weights file names, separated by spaces or commas (e.g. yolov8m.pt)',
      );
    }
  }
  const push = bool('push') ?? true;

  // --- job ---
  let jobName = get('job-name');
  const jobNameExplicit = given.has('job-name');
  if (!jobNameExplicit) {
    jobName = deriveJobName(context);
  } else if (jobName.length > JOB_NAME_MAX_LENGTH) {
    fail('job-name', jobName, `is ${jobName.length} characters; SageMaker allows at most 63`);
  } else if (!isValidJobName(jobName)) {
    fail(
      'job-name',
      jobName,
      'must match ^[a-zA-Z0-9](-*[a-zA-Z0-9])*$: letters, digits and hyphens, starting and ending with a letter or digit',
    );
  }

  // SageMaker's API sets no maximum (TrainingInstanceCount: an integer >= 0); the account's
  // per-instance-type quota does, and CreateTrainingJob names it (ResourceLimitExceeded).
  const countText = get('instance-count');
  const instanceCount = INTEGER.test(countText) ? Number(countText) : NaN;
  if (!(instanceCount >= 1) || !Number.isSafeInteger(instanceCount)) {
    fail('instance-count', countText, 'must be a whole number >= 1');
  }
  const volumeSizeGb = int('volume-size', 1, VOLUME_SIZE_MAX_GB);
  const maxRuntimeSeconds = int('max-runtime', 1, MAX_RUNTIME_LIMIT_SECONDS);

  // Spot is a SageMaker feature; the local backend ignores it (and max-wait) rather than failing.
  const spotInput = bool('spot');
  const spot = spotInput === true && !local;
  let maxWaitSeconds: number | undefined;
  if (given.has('max-wait') && !local && spotInput !== undefined) {
    const text = get('max-wait');
    if (!spot) {
      fail(
        'max-wait',
        text,
        'is only valid with spot: true (spot is false); remove it or enable spot',
      );
    } else {
      maxWaitSeconds = int('max-wait', 2, MAX_RUNTIME_LIMIT_SECONDS, text);
      if (maxWaitSeconds !== undefined && maxRuntimeSeconds !== undefined) {
        if (maxWaitSeconds <= maxRuntimeSeconds) {
          fail(
            'max-wait',
            text,
            `must be greater than max-runtime (${maxRuntimeSeconds}): it covers waiting for spot capacity plus training`,
          );
        }
      }
    }
  } else if (spot && maxRuntimeSeconds !== undefined) {
    maxWaitSeconds = Math.min(2 * maxRuntimeSeconds, MAX_RUNTIME_LIMIT_SECONDS);
    if (maxWaitSeconds <= maxRuntimeSeconds) {
      fail(
        'max-runtime',
        String(maxRuntimeSeconds),
        `leaves no room for max-wait with spot: true (max-wait must be greater than max-runtime and at most ${MAX_RUNTIME_LIMIT_SECONDS}); lower max-runtime or set spot: false`,
      );
    }
  }

  // --- locked-down accounts ---
  const lockdown = readLockdown(
    {
      get,
      given: (name) => given.has(name),
      fail,
      bool,
      int: (name, min, max) => int(name, min, max),
    },
    spot,
  );

  // --- hyperparameters ---
  const hyperparameters: Hyperparameters = {};
  for (const [name, input] of Object.entries(DEDICATED)) {
    const v = get(input);
    if (v === '') continue;
    const typed = typeHyperparameter(name, v);
    if (typed.ok) hyperparameters[name] = typed.value;
    else fail(input, v, `must be ${typed.expected}`);
  }
  if (given.has('hyperparameters')) {
    readExtraHyperparameters(get('hyperparameters'), hyperparameters, problems);
  }
  const task = readTask(get('model'), given.get('task'), fail);
  // Always sent: the container prepares the data (class folders for classify) and checks the
  // model against it before ultralytics would train the wrong task.
  hyperparameters.task = task;

  // --- gate ---
  const thresholds: Threshold[] = [];
  const gates: [GateMetric, string][] = [
    ['map50', 'map50-threshold'],
    ['map50_95', 'map50-95-threshold'],
    ['precision', 'precision-threshold'],
    ['recall', 'recall-threshold'],
    ['top1', 'top1-threshold'],
  ];
  for (const [metric, input] of gates) {
    const v = get(input);
    if (v === '') continue;
    // classify reports top-1/top-5 accuracy, no mAP: the box thresholds do not apply to it, and
    // top1 applies to nothing else. A catalogue default (map50-threshold) is dropped quietly.
    if ((metric === 'top1') !== (task === 'classify')) {
      if (given.has(input)) {
        fail(
          input,
          v,
          metric === 'top1'
            ? `applies only to task classify (task is ${task}): use map50-threshold, map50-95-threshold, precision-threshold or recall-threshold`
            : 'does not apply to task classify, which reports top-1/top-5 accuracy rather than mAP, precision and recall: use top1-threshold',
        );
      }
      continue;
    }
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (n >= 0 && n <= 1) thresholds.push({ metric, min: n, input });
    else fail(input, v, 'must be a number from 0 to 1 (e.g. 0.85)');
  }

  // --- cost ---
  const usd = (name: string, rule: string): number | undefined => {
    if (!given.has(name)) return undefined;
    const v = get(name);
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (Number.isFinite(n) && n > 0 && n <= 1_000_000) return n;
    fail(name, v, rule);
    return undefined;
  };
  const maxCostUsd = usd(
    'max-cost',
    'must be a positive number of US dollars (e.g. 25), at most 1000000',
  );
  const instancePriceUsd = usd(
    'instance-price',
    'must be a positive price in US dollars per instance-hour (e.g. 3.825), at most 1000000',
  );
  if (maxCostUsd !== undefined && local) {
    fail(
      'max-cost',
      get('max-cost'),
      'applies to SageMaker jobs; instance-type local costs nothing',
    );
  }

  // --- run ---
  const wait = bool('wait') ?? true;
  let waitTimeoutSeconds: number | undefined;
  if (given.has('wait-timeout')) {
    waitTimeoutSeconds = int('wait-timeout', 1, WAIT_TIMEOUT_MAX_SECONDS);
  } else if (maxRuntimeSeconds !== undefined) {
    waitTimeoutSeconds = (maxWaitSeconds ?? maxRuntimeSeconds) + WAIT_MARGIN_SECONDS;
  }
  const githubToken = get('github-token') || env.GITHUB_TOKEN?.trim() || undefined;
  const comment = bool('comment') ?? true;
  const modelDelivery = readModelDeliverySettings(get, given, wait, fail);
  const forkPullRequests = get('fork-pull-requests');
  if (forkPullRequests !== 'validate' && forkPullRequests !== 'train') {
    fail('fork-pull-requests', forkPullRequests, 'must be validate or train');
  }

  const modelLifecycle = readModelSettings({ get, given: (n) => given.has(n), bool, fail });

  // push: false builds into the runner's daemon only; SageMaker could not pull that image.
  if (push === false && !local && imageUri === undefined && purpose !== 'image') {
    fail(
      'push',
      'false',
      'needs instance-type local or an image-uri: SageMaker pulls the training image from ECR',
    );
  }

  if (problems.length > 0) throw new ConfigError(problems);

  const config: Config = {
    region,
    role,
    bucket,
    prefix,
    dataset,
    maxDroppedImages,
    ecrRepository,
    containerContext,
    buildArgs: Object.fromEntries(buildArgMap),
    push,
    jobName,
    jobNameExplicit,
    instanceType,
    instanceCount: instanceCount as number,
    volumeSizeGb: volumeSizeGb as number,
    maxRuntimeSeconds: maxRuntimeSeconds as number,
    spot,
    hyperparameters,
    lockdown,
    task,
    thresholds,
    wait,
    waitTimeoutSeconds: waitTimeoutSeconds as number,
    comment,
    trainForkPullRequests: forkPullRequests === 'train',
    model: modelLifecycle,
    modelDelivery,
    context,
  };
  if (datasetS3Uri !== undefined) config.datasetS3Uri = datasetS3Uri;
  if (imageUri !== undefined) config.imageUri = imageUri;
  // A job on `model: yolov8m.pt` needs those weights in the image (jobs may have no network):
  // bake the model's own weights unless the user chose what to bake.
  const model = hyperparameters.model;
  if (pretrainedWeights === undefined && typeof model === 'string' && WEIGHTS.test(model)) {
    pretrainedWeights = model;
  }
  if (pretrainedWeights !== undefined) config.pretrainedWeights = pretrainedWeights;
  if (maxWaitSeconds !== undefined) config.maxWaitSeconds = maxWaitSeconds;
  if (maxCostUsd !== undefined) config.maxCostUsd = maxCostUsd;
  if (instancePriceUsd !== undefined) config.instancePriceUsd = instancePriceUsd;
  if (githubToken !== undefined) config.githubToken = githubToken;
  if (roleToAssume !== undefined) config.roleToAssume = roleToAssume;
  return config;
}

/**
 * The task: the input when given, else what the model name names (detect when it names none).
 * A given task must agree with a model name that names one: ultralytics trains the model's task.
 */
function readTask(
  model: string,
  input: string | undefined,
  fail: (input: string, value: string, rule: string) => void,
): YoloTask {
  const named = namedTask(model);
  if (input === undefined) return named ?? 'detect';
  if (!isYoloTask(input)) {
    fail('task', input, `must be one of ${TASKS.join(', ')}`);
    return named ?? 'detect';
  }
  if (named !== undefined && named !== input) {
    const other = modelForTask(model, input);
    fail(
      'task',
      input,
      `disagrees with model ${JSON.stringify(model)}, a ${named} model by its name (ultralytics trains the model's task; -seg, -obb, -pose and -cls name one, other release names are detect): use ${other ? `model ${JSON.stringify(other)}` : `a ${input} model`}, or leave task empty`,
    );
  }
  return input;
}

function showValue(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Parses the `hyperparameters` mapping into `into`, adding a problem for every bad entry. */
function readExtraHyperparameters(text: string, into: Hyperparameters, problems: string[]): void {
  const fail = (rule: string) => problems.push(`hyperparameters: ${rule}`);
  let parsed: unknown;
  try {
    // JSON is YAML; duplicate keys are errors in the yaml package by default.
    // logLevel 'error': still throws on errors, but never prints warnings to the log itself.
    parsed = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0];
    fail(`${showValue(text)} is not a valid YAML or JSON mapping: ${reason}`);
    return;
  }
  if (parsed === null || parsed === undefined) return;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail(
      `${showValue(text)} must be a mapping of ultralytics train arguments, e.g. {"optimizer": "AdamW"}`,
    );
    return;
  }
  const dedicatedInputs = new Set([...Object.values(DEDICATED), 'task']);
  for (const [key, raw] of Object.entries(parsed as Record<string, unknown>)) {
    const input = Object.hasOwn(DEDICATED, key)
      ? DEDICATED[key]
      : dedicatedInputs.has(key)
        ? key
        : undefined;
    if (input !== undefined) {
      fail(`"${key}" (value ${showValue(raw)}) has its own input: use the ${input} input instead`);
    } else if (raw === null || raw === undefined) {
      fail(`"${key}" has no value`);
    } else if (typeof raw === 'object') {
      fail(`"${key}" = ${showValue(raw)} must be a single value, not a list or mapping`);
    } else {
      const typed = typeHyperparameter(key, raw as HyperparameterValue);
      if (typed.ok) into[key] = typed.value;
      else if (!Object.hasOwn(HYPERPARAMETER_RULES, key)) {
        fail(`"${key}" (value ${showValue(raw)}) is not ${typed.expected}`);
      } else fail(`"${key}" = ${showValue(raw)}: expected ${typed.expected}`);
    }
  }
  if (Object.keys(into).length > MAX_HYPERPARAMETERS) {
    fail(
      `${Object.keys(into).length} arguments in all; SageMaker accepts at most ${MAX_HYPERPARAMETERS}`,
    );
  }
}
