// Inputs for locked-down accounts and role-to-assume: each value is checked before any AWS call,
// and a bad one is reported naming the input, the value and SageMaker's rule.
import { describe, expect, it } from '@jest/globals';
import { BASE, load, problemsOf } from './helpers.js';

const NO_SPOT = { ...BASE, spot: 'false' };

/** Exactly one problem, starting with the input, quoting the value and stating the rule. */
function oneProblem(inputs: Record<string, string>, input: string, value: string, rule: RegExp) {
  const problems = problemsOf(inputs);
  expect(problems).toHaveLength(1);
  const [problem] = problems as [string];
  expect(problem.startsWith(`${input}: `)).toBe(true);
  expect(problem).toContain(JSON.stringify(value));
  expect(problem).toMatch(rule);
}

describe('locked-down account inputs', () => {
  it('defaults: no VPC, no KMS keys, no isolation, File mode, profiler off', () => {
    expect(load(BASE).lockdown).toEqual({
      networkIsolation: false,
      encryptInterContainerTraffic: false,
      profiler: false,
      tags: {},
      environment: {},
      inputMode: 'File',
    });
    expect(load(BASE).roleToAssume).toBeUndefined();
  });

  it('reads every setting', () => {
    const config = load({
      ...NO_SPOT,
      subnets: 'subnet-0a1b2c3d, subnet-0e1f2a3b\nsubnet-99',
      'security-group-ids': 'sg-0123abcd',
      'volume-kms-key': '1234abcd-12ab-34cd-56ef-1234567890ab',
      'output-kms-key': 'arn:aws:kms:us-east-1:123456789012:alias/training-output',
      'network-isolation': 'true',
      'encrypt-inter-container-traffic': 'true',
      tags: 'cost-center = ml-42\nowner=team floorplans',
      environment: 'MY_FLAG=1\nNOTE=a=b',
      'retry-attempts': '3',
      'input-mode': 'FastFile',
      'keep-alive-seconds': '1800',
      profiler: 'true',
    });
    expect(config.lockdown).toEqual({
      vpc: {
        subnets: ['subnet-0a1b2c3d', 'subnet-0e1f2a3b', 'subnet-99'],
        securityGroupIds: ['sg-0123abcd'],
      },
      volumeKmsKey: '1234abcd-12ab-34cd-56ef-1234567890ab',
      outputKmsKey: 'arn:aws:kms:us-east-1:123456789012:alias/training-output',
      networkIsolation: true,
      encryptInterContainerTraffic: true,
      tags: { 'cost-center': 'ml-42', owner: 'team floorplans' },
      environment: { MY_FLAG: '1', NOTE: 'a=b' },
      retryAttempts: 3,
      inputMode: 'FastFile',
      keepAliveSeconds: 1800,
      profiler: true,
    });
  });

  it.each([
    [{ subnets: 'subnet-1' }, 'security-group-ids', '', /required with subnets/],
    [{ 'security-group-ids': 'sg-1' }, 'subnets', '', /required with security-group-ids/],
    [{ subnets: 'sg-1', 'security-group-ids': 'sg-2' }, 'subnets', 'sg-1', /subnet ID/],
    [
      { subnets: 'subnet-1', 'security-group-ids': 'subnet-2' },
      'security-group-ids',
      'subnet-2',
      /security group ID/,
    ],
    [
      { subnets: 'subnet-1 subnet-1', 'security-group-ids': 'sg-1' },
      'subnets',
      'subnet-1',
      /twice/,
    ],
    [
      { subnets: 'subnet-1', 'security-group-ids': 'sg-1 sg-2 sg-3 sg-4 sg-5 sg-6' },
      'security-group-ids',
      'sg-1 sg-2 sg-3 sg-4 sg-5 sg-6',
      /at most 5/,
    ],
    [{ 'volume-kms-key': 'my key' }, 'volume-kms-key', 'my key', /KMS key ID, key ARN, alias/],
    [
      { 'output-kms-key': 'arn:aws:s3:::bucket' },
      'output-kms-key',
      'arn:aws:s3:::bucket',
      /KMS key/,
    ],
    [{ 'network-isolation': 'yes' }, 'network-isolation', 'yes', /true or false/],
    [{ profiler: 'on' }, 'profiler', 'on', /true or false/],
    [{ tags: 'aws:owner=me' }, 'tags', 'aws:owner=me', /reserved key prefix aws:/],
    [{ tags: 'sagemaker-yolo:pr=1' }, 'tags', 'sagemaker-yolo:pr=1', /action's own tags/],
    [{ tags: 'owner=a;b' }, 'tags', 'owner=a;b', /value that breaks the AWS tag rules/],
    [{ tags: 'owner' }, 'tags', 'owner', /KEY=VALUE/],
    [{ tags: 'a=1\na=2' }, 'tags', 'a=2', /second time/],
    [{ environment: '1BAD=x' }, 'environment', '1BAD=x', /\[a-zA-Z_\]\[a-zA-Z0-9_\]\*/],
    [{ environment: 'MY-VAR=x' }, 'environment', 'MY-VAR=x', /name SageMaker rejects/],
    [
      { environment: `LONG=${'x'.repeat(513)}` },
      'environment',
      `LONG=${'x'.repeat(513)}`,
      /longer than 512/,
    ],
    [{ 'retry-attempts': '0' }, 'retry-attempts', '0', /from 1 to 30/],
    [{ 'retry-attempts': '31' }, 'retry-attempts', '31', /from 1 to 30/],
    [{ 'input-mode': 'Pipe' }, 'input-mode', 'Pipe', /File or FastFile/],
    [{ 'keep-alive-seconds': '21601' }, 'keep-alive-seconds', '21601', /from 1 to 21600/],
  ])('rejects %j', (inputs, input, value, rule) => {
    oneProblem({ ...NO_SPOT, ...inputs }, input, value, rule);
  });

  it('rejects more than 42 user tags (SageMaker allows 50, the action uses up to 8)', () => {
    const tags = Array.from({ length: 43 }, (_, i) => `k${i}=v`).join('\n');
    oneProblem({ ...NO_SPOT, tags }, 'tags', '43 tags', /at most 42/);
  });

  it('rejects more than 100 environment variables', () => {
    const environment = Array.from({ length: 101 }, (_, i) => `V${i}=1`).join('\n');
    oneProblem({ ...NO_SPOT, environment }, 'environment', '101 variables', /at most 100/);
  });

  it('rejects warm pools with spot, since SageMaker does not allow them together', () => {
    oneProblem(
      { ...BASE, 'keep-alive-seconds': '600' },
      'keep-alive-seconds',
      '600',
      /not allowed with spot: true/,
    );
  });
});

describe('role-to-assume', () => {
  const ROLE_TO_ASSUME = 'arn:aws:iam::123456789012:role/GitHubTraining';
  const OIDC_ENV = {
    ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1:1/token?x=1',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token',
  };

  it('is read when the job can get an OIDC token', () => {
    const config = load({ ...BASE, 'role-to-assume': ROLE_TO_ASSUME }, { env: OIDC_ENV });
    expect(config.roleToAssume).toBe(ROLE_TO_ASSUME);
  });

  it('needs permissions: id-token: write (the runner then sets ACTIONS_ID_TOKEN_REQUEST_URL)', () => {
    const problems = problemsOf({ ...BASE, 'role-to-assume': ROLE_TO_ASSUME });
    expect(problems).toEqual([
      expect.stringMatching(/^role-to-assume: ".*GitHubTraining" needs .*id-token: write/),
    ]);
  });

  it('must be a role ARN', () => {
    const problems = problemsOf({ ...BASE, 'role-to-assume': 'GitHubTraining' }, { env: OIDC_ENV });
    expect(problems).toEqual([
      expect.stringMatching(/^role-to-assume: "GitHubTraining" must be an IAM role ARN/),
    ]);
  });
});
