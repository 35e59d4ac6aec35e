// Inputs for locked-down accounts (VPC, KMS, isolation, tags, environment, retries, input mode,
// warm pools, profiler), checked against SageMaker's CreateTrainingJob rules before any AWS call.
// Pure: readConfig hands in the raw values and collects the problems.
import type { LockdownSettings } from './types.js';

/** The raw value of an input ('' = not given) and whether the user set it. */
export interface LockdownInputs {
  get(name: string): string;
  given(name: string): boolean;
  /** Records a problem naming the input, the value and the rule. */
  fail(input: string, value: string, rule: string): void;
  bool(name: string): boolean | undefined;
  int(name: string, min: number, max: number): number | undefined;
}

// Limits from the CreateTrainingJob API reference (VpcConfig, KmsKeyId, TrainingEnvironmentMap,
// TagList, RetryStrategy, ResourceConfig.KeepAlivePeriodInSeconds).
export const LOCKDOWN_LIMITS = {
  subnets: 16,
  securityGroups: 5,
  vpcIdMax: 32,
  kmsKeyMax: 2048,
  environment: 100,
  environmentNameMax: 512,
  environmentValueMax: 512,
  tags: 50,
  tagKeyMax: 128,
  tagValueMax: 256,
  retryAttemptsMax: 30,
  keepAliveSecondsMax: 21600,
} as const;

/** Tags the action itself may add (buildTags in training/request.ts): user tags share the 50. */
export const OWN_TAGS_MAX = 8;
export const OWN_TAG_PREFIX = 'sagemaker-yolo:';

const SUBNET = /^subnet-[0-9a-zA-Z]+$/;
const SECURITY_GROUP = /^sg-[0-9a-zA-Z]+$/;
// A key ID (UUID or multi-Region mrk-), a key ARN, alias/<name>, or an alias ARN.
const KMS_KEY =
  /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[a-zA-Z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(?:key\/(?:[0-9a-f-]{36}|mrk-[0-9a-f]{32})|alias\/[a-zA-Z0-9/_-]{1,250}))$/;
const ENV_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const chars = (s: string) => Array.from(s).length;

function idList(
  input: string,
  text: string,
  pattern: RegExp,
  example: string,
  max: number,
  fail: LockdownInputs['fail'],
): string[] {
  const ids = text.split(/[\s,]+/).filter(Boolean);
  const seen = new Set<string>();
  for (const id of ids) {
    if (id.length > LOCKDOWN_LIMITS.vpcIdMax || !pattern.test(id)) {
      fail(
        input,
        id,
        `is not ${example} (letters and digits after the prefix, at most 32 characters)`,
      );
    } else if (seen.has(id)) {
      fail(input, id, 'is listed twice');
    }
    seen.add(id);
  }
  if (ids.length > max)
    fail(input, text, `lists ${ids.length} IDs; SageMaker allows at most ${max}`);
  return ids;
}

/** KEY=VALUE lines into a Map (a Map keeps a key like __proto__ an ordinary entry). */
function keyValueLines(
  input: string,
  text: string,
  fail: LockdownInputs['fail'],
  checkKey: (key: string) => string | undefined,
  checkValue: (value: string) => string | undefined,
): Map<string, string> {
  const entries = new Map<string, string>();
  text.split(/\r?\n/).forEach((line, index) => {
    const entry = line.trim();
    if (entry === '') return;
    const eq = entry.indexOf('=');
    const key = eq > 0 ? entry.slice(0, eq).trim() : '';
    const value = eq > 0 ? entry.slice(eq + 1).trim() : '';
    const where = `(line ${index + 1})`;
    const keyRule = key === '' ? 'must be KEY=VALUE' : checkKey(key);
    const valueRule = keyRule ? undefined : checkValue(value);
    if (keyRule) fail(input, entry, `${where} ${keyRule}`);
    else if (valueRule) fail(input, entry, `${where} ${valueRule}`);
    else if (entries.has(key)) fail(input, entry, `${where} sets ${key} a second time`);
    else entries.set(key, value);
  });
  return entries;
}

function tagKeyRule(key: string): string | undefined {
  if (chars(key) > LOCKDOWN_LIMITS.tagKeyMax || !TAG_TEXT.test(key)) {
    return `has a key that breaks the AWS tag rules (1-${LOCKDOWN_LIMITS.tagKeyMax} letters, digits, spaces and _ . : / = + - @)`;
  }
  if (/^aws:/i.test(key)) return 'uses the reserved key prefix aws:';
  if (key.toLowerCase().startsWith(OWN_TAG_PREFIX)) {
    return `uses the key prefix ${OWN_TAG_PREFIX}, which the action's own tags use`;
  }
  return undefined;
}

function tagValueRule(value: string): string | undefined {
  return chars(value) > LOCKDOWN_LIMITS.tagValueMax || !TAG_TEXT.test(value)
    ? `has a value that breaks the AWS tag rules (at most ${LOCKDOWN_LIMITS.tagValueMax} letters, digits, spaces and _ . : / = + - @)`
    : undefined;
}

function envNameRule(name: string): string | undefined {
  return name.length > LOCKDOWN_LIMITS.environmentNameMax || !ENV_NAME.test(name)
    ? `has a name SageMaker rejects: it must match [a-zA-Z_][a-zA-Z0-9_]* and be at most ${LOCKDOWN_LIMITS.environmentNameMax} characters`
    : undefined;
}

function envValueRule(value: string): string | undefined {
  return value.length > LOCKDOWN_LIMITS.environmentValueMax
    ? `has a value longer than ${LOCKDOWN_LIMITS.environmentValueMax} characters`
    : undefined;
}

/** Reads and checks the locked-down account inputs; `spot` is the effective spot setting. */
export function readLockdown(inputs: LockdownInputs, spot: boolean): LockdownSettings {
  const { get, given, fail } = inputs;
  const settings: LockdownSettings = {
    networkIsolation: inputs.bool('network-isolation') ?? false,
    encryptInterContainerTraffic: inputs.bool('encrypt-inter-container-traffic') ?? false,
    profiler: inputs.bool('profiler') ?? false,
    tags: {},
    environment: {},
    inputMode: 'File',
  };

  const subnets = given('subnets')
    ? idList(
        'subnets',
        get('subnets'),
        SUBNET,
        'a subnet ID like subnet-0abc12',
        LOCKDOWN_LIMITS.subnets,
        fail,
      )
    : [];
  const groups = given('security-group-ids')
    ? idList(
        'security-group-ids',
        get('security-group-ids'),
        SECURITY_GROUP,
        'a security group ID like sg-0abc12',
        LOCKDOWN_LIMITS.securityGroups,
        fail,
      )
    : [];
  if (subnets.length > 0 && groups.length === 0) {
    fail('security-group-ids', '', 'is required with subnets: a VPC job needs both (VpcConfig)');
  } else if (groups.length > 0 && subnets.length === 0) {
    fail('subnets', '', 'is required with security-group-ids: a VPC job needs both (VpcConfig)');
  } else if (subnets.length > 0) {
    settings.vpc = { subnets, securityGroupIds: groups };
  }

  for (const [input, field] of [
    ['volume-kms-key', 'volumeKmsKey'],
    ['output-kms-key', 'outputKmsKey'],
  ] as const) {
    if (!given(input)) continue;
    const key = get(input);
    if (key.length > LOCKDOWN_LIMITS.kmsKeyMax || !KMS_KEY.test(key)) {
      fail(
        input,
        key,
        'must be a KMS key ID, key ARN, alias/<name> or alias ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      );
    } else {
      settings[field] = key;
    }
  }

  if (given('tags')) {
    const tags = keyValueLines('tags', get('tags'), fail, tagKeyRule, tagValueRule);
    const room = LOCKDOWN_LIMITS.tags - OWN_TAGS_MAX;
    if (tags.size > room) {
      fail(
        'tags',
        `${tags.size} tags`,
        `is too many: at most ${room} (SageMaker's 50 less the action's own ${OWN_TAGS_MAX})`,
      );
    }
    settings.tags = Object.fromEntries(tags);
  }

  if (given('environment')) {
    const env = keyValueLines('environment', get('environment'), fail, envNameRule, envValueRule);
    if (env.size > LOCKDOWN_LIMITS.environment) {
      fail(
        'environment',
        `${env.size} variables`,
        `is too many: SageMaker allows at most ${LOCKDOWN_LIMITS.environment}`,
      );
    }
    settings.environment = Object.fromEntries(env);
  }

  if (given('retry-attempts')) {
    const n = inputs.int('retry-attempts', 1, LOCKDOWN_LIMITS.retryAttemptsMax);
    if (n !== undefined) settings.retryAttempts = n;
  }

  const mode = get('input-mode');
  if (mode === 'File' || mode === 'FastFile') settings.inputMode = mode;
  else fail('input-mode', mode, 'must be File or FastFile');

  if (given('keep-alive-seconds')) {
    const text = get('keep-alive-seconds');
    const n = inputs.int('keep-alive-seconds', 1, LOCKDOWN_LIMITS.keepAliveSecondsMax);
    if (n !== undefined && spot) {
      fail(
        'keep-alive-seconds',
        text,
        'is not allowed with spot: true (SageMaker warm pools do not work with managed spot training); set spot: false or remove keep-alive-seconds',
      );
    } else if (n !== undefined) {
      settings.keepAliveSeconds = n;
    }
  }
  return settings;
}
