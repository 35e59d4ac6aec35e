import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import {
  actionInputReader,
  ConfigError,
  optionsInputReader,
  readActionConfig,
  readConfig,
} from '../../src/config.js';
import { BASE, CONTEXT, load, options, problemsOf, ROLE } from './helpers.js';

/** Exactly one problem, naming the input, quoting the value and stating the rule. */
function expectOneProblem(
  inputs: Record<string, string>,
  input: string,
  value: string,
  rule: string | RegExp,
) {
  const problems = problemsOf({ ...BASE, ...inputs });
  expect(problems).toHaveLength(1);
  const [problem] = problems as [string];
  expect(problem.startsWith(`${input}`)).toBe(true);
  expect(problem).toContain(JSON.stringify(value));
  if (typeof rule === 'string') expect(problem).toContain(rule);
  else expect(problem).toMatch(rule);
}

describe('readConfig defaults', () => {
  it('fills every default from the catalogue', () => {
    const config = load(BASE);
    expect(config).toMatchObject({
      region: 'us-east-1',
      role: ROLE,
      bucket: 'floorplans-ml',
      prefix: 'yolo-training',
      dataset: 'data/processed',
      ecrRepository: 'yolo-training',
      containerContext: path.join('/opt/action', 'training-container'),
      buildArgs: {},
      push: true,
      jobName: 'floorplans-pr-12-987654321-abc1234',
      jobNameExplicit: false,
      instanceType: 'ml.p3.2xlarge',
      instanceCount: 1,
      volumeSizeGb: 50,
      maxRuntimeSeconds: 43200,
      spot: true,
      maxWaitSeconds: 86400,
      hyperparameters: { model: 'yolov8m.pt', epochs: 100, batch: 16, imgsz: 640 },
      thresholds: [{ metric: 'map50', min: 0.85, input: 'map50-threshold' }],
      wait: true,
      waitTimeoutSeconds: 86400 + 1800,
      comment: true,
      context: CONTEXT,
    });
    expect(config.datasetS3Uri).toBeUndefined();
    expect(config.imageUri).toBeUndefined();
    // The default model's weights are baked so a job without network can load them.
    expect(config.pretrainedWeights).toBe('yolov8m.pt');
    expect(config.githubToken).toBeUndefined();
  });

  it('treats blank values as not given', () => {
    expect(load({ ...BASE, epochs: '   ', 'max-wait': '', 'job-name': ' ' })).toEqual(load(BASE));
  });

  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const inputs = { role: ROLE, bucket: 'floorplans-ml' };
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-central-1' };
    expect(load(inputs, { env }).region).toBe('eu-west-1');
    expect(load(inputs, { env: { AWS_DEFAULT_REGION: 'eu-central-1' } }).region).toBe(
      'eu-central-1',
    );
    expect(load({ ...inputs, 'aws-region': 'ap-south-1' }, { env }).region).toBe('ap-south-1');
  });

  it('requires a region from somewhere', () => {
    const problems = problemsOf({ role: ROLE, bucket: 'floorplans-ml' });
    expect(problems).toEqual([
      'aws-region: "" is required: set the input, AWS_REGION or AWS_DEFAULT_REGION',
    ]);
  });

  it('names the variable a bad region came from', () => {
    const problems = problemsOf(
      { role: ROLE, bucket: 'floorplans-ml' },
      { env: { AWS_REGION: 'Virginia' } },
    );
    expect(problems).toEqual([
      'aws-region (from AWS_REGION): "Virginia" must be an AWS region name like us-east-1',
    ]);
  });

  it('derives the wait timeout from max-runtime without spot', () => {
    const config = load({ ...BASE, spot: 'false', 'max-runtime': '3600' });
    expect(config.spot).toBe(false);
    expect(config.maxWaitSeconds).toBeUndefined();
    expect(config.waitTimeoutSeconds).toBe(3600 + 1800);
  });

  it('caps the default max-wait at 28 days and keeps it above max-runtime', () => {
    const config = load({ ...BASE, 'max-runtime': '2000000' });
    expect(config.maxWaitSeconds).toBe(2419200);
    expect(load({ ...BASE, 'max-runtime': '1' }).maxWaitSeconds).toBe(2);
  });

  it('takes the token from GITHUB_TOKEN when the input is empty (CLI)', () => {
    expect(load(BASE, { env: { GITHUB_TOKEN: 'ghs_env' } }).githubToken).toBe('ghs_env');
    expect(
      load({ ...BASE, 'github-token': 'ghs_in' }, { env: { GITHUB_TOKEN: 'x' } }).githubToken,
    ).toBe('ghs_in');
  });
});

describe('readConfig values', () => {
  it('reads every optional input', () => {
    const config = load({
      ...BASE,
      prefix: 'team/yolo',
      dataset: 'datasets/floorplans/data.yaml',
      'dataset-s3-uri': 's3://other-bucket/datasets/floorplans',
      'image-uri': '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
      'ecr-repository': 'ml/yolo-training',
      'container-context': 'docker/train',
      'build-args': 'ULTRALYTICS_VERSION=8.3.40\n\n  EXTRA=a=b  \n',
      'pretrained-weights': 'yolov8s.pt',
      push: 'False',
      'job-name': 'Floorplans-Nightly-2024',
      'instance-type': 'ml.g5.12xlarge',
      'volume-size': '16384',
      'max-runtime': '7200',
      spot: 'TRUE',
      'max-wait': '7201',
      model: 'yolov8n.pt',
      epochs: '3',
      'batch-size': '-1',
      imgsz: '1024',
      patience: '0',
      workers: '8',
      lr0: '1e-3',
      hyperparameters: 'optimizer: AdamW\ncos_lr: true\ncache: false\nlrf: .01',
      'map50-threshold': '0',
      'map50-95-threshold': '1',
      'precision-threshold': '0.9',
      'recall-threshold': '.85',
      wait: 'false',
      'wait-timeout': '60',
      comment: 'false',
    });
    expect(config).toMatchObject({
      prefix: 'team/yolo',
      dataset: 'datasets/floorplans/data.yaml',
      datasetS3Uri: 's3://other-bucket/datasets/floorplans/',
      imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
      ecrRepository: 'ml/yolo-training',
      containerContext: 'docker/train',
      buildArgs: { ULTRALYTICS_VERSION: '8.3.40', EXTRA: 'a=b' },
      pretrainedWeights: 'yolov8s.pt',
      push: false,
      jobName: 'Floorplans-Nightly-2024',
      jobNameExplicit: true,
      instanceType: 'ml.g5.12xlarge',
      volumeSizeGb: 16384,
      maxRuntimeSeconds: 7200,
      spot: true,
      maxWaitSeconds: 7201,
      wait: false,
      waitTimeoutSeconds: 60,
      comment: false,
    });
    expect(config.hyperparameters).toEqual({
      model: 'yolov8n.pt',
      epochs: 3,
      batch: -1,
      imgsz: 1024,
      patience: 0,
      workers: 8,
      lr0: 0.001,
      task: 'detect',
      optimizer: 'AdamW',
      cos_lr: true,
      cache: 'false',
      lrf: 0.01,
    });
    expect(config.thresholds).toEqual([
      { metric: 'map50', min: 0, input: 'map50-threshold' },
      { metric: 'map50_95', min: 1, input: 'map50-95-threshold' },
      { metric: 'precision', min: 0.9, input: 'precision-threshold' },
      { metric: 'recall', min: 0.85, input: 'recall-threshold' },
    ]);
  });

  it('keeps a build arg named __proto__ as an ordinary value', () => {
    const { buildArgs } = load({ ...BASE, 'build-args': '__proto__=x\nA=1' });
    expect(Object.entries(buildArgs)).toEqual([
      ['__proto__', 'x'],
      ['A', '1'],
    ]);
  });

  it('accepts hyperparameters as JSON', () => {
    const config = load({ ...BASE, hyperparameters: '{"mosaic": 0.5, "seed": 7, "amp": false}' });
    expect(config.hyperparameters).toMatchObject({ mosaic: 0.5, seed: 7, amp: false });
  });

  it('accepts an empty hyperparameters document', () => {
    expect(load({ ...BASE, hyperparameters: '# nothing yet' }).hyperparameters).toEqual(
      load(BASE).hyperparameters,
    );
  });

  it('runs locally without a role, spot or max-wait', () => {
    const config = load({
      bucket: 'demo',
      'aws-region': 'us-east-1',
      'instance-type': 'local',
      'max-wait': '99999',
    });
    expect(config).toMatchObject({ instanceType: 'local', role: '', spot: false });
    expect(config.maxWaitSeconds).toBeUndefined();
    expect(config.waitTimeoutSeconds).toBe(43200 + 1800);
  });

  it('trains on several instances, with spot too (multi-host through torchrun)', () => {
    for (const count of ['2', '4', '64']) {
      const config = load({ ...BASE, 'instance-count': count, spot: 'true' });
      expect(config.instanceCount).toBe(Number(count));
      expect(config.spot).toBe(true);
    }
    expect(load({ ...BASE, 'instance-type': 'local', 'instance-count': '2' }).instanceCount).toBe(
      2,
    );
  });

  it('accepts role ARNs of every partition and with paths', () => {
    for (const role of [
      'arn:aws-cn:iam::123456789012:role/service-role/AmazonSageMaker-ExecutionRole-20240101T000000',
      'arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@-_',
    ]) {
      expect(load({ ...BASE, role }).role).toBe(role);
    }
  });

  it('accepts image references with ports, digests and local names', () => {
    for (const image of [
      'localhost:5000/yolo:dev',
      'yolo-training:dev',
      `123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo@sha256:${'a'.repeat(64)}`,
      'registry.example.com/team/yolo__train:v1.2-rc.3',
    ]) {
      expect(load({ ...BASE, 'image-uri': image }).imageUri).toBe(image);
    }
  });
});

describe('readConfig rules', () => {
  const cases: [string, Record<string, string>, string, string, string | RegExp][] = [
    // [title, inputs, input named, value quoted, rule]
    [
      'job name with underscore',
      { 'job-name': 'my_job' },
      'job-name',
      'my_job',
      '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$',
    ],
    [
      'job name ending in a hyphen',
      { 'job-name': 'job-' },
      'job-name',
      'job-',
      'letters, digits and hyphens',
    ],
    [
      'job name too long',
      { 'job-name': 'a'.repeat(64) },
      'job-name',
      'a'.repeat(64),
      'is 64 characters; SageMaker allows at most 63',
    ],
    [
      'role name instead of ARN',
      { role: 'SageMakerRole' },
      'role',
      'SageMakerRole',
      'must be an IAM role ARN',
    ],
    [
      'role ARN with a short account',
      { role: 'arn:aws:iam::12345:role/x' },
      'role',
      'arn:aws:iam::12345:role/x',
      'arn:aws:iam::<12-digit account>:role/<path/name>',
    ],
    [
      'user ARN',
      { role: 'arn:aws:iam::123456789012:user/bob' },
      'role',
      'arn:aws:iam::123456789012:user/bob',
      'must be an IAM role ARN',
    ],
    [
      'missing role',
      { role: '' },
      'role',
      '',
      'is required (the SageMaker execution role ARN) unless instance-type is local',
    ],
    ['missing bucket', { bucket: '' }, 'bucket', '', 'is required'],
    [
      'bucket with capitals',
      { bucket: 'MyBucket' },
      'bucket',
      'MyBucket',
      'may contain only lowercase letters, digits, dots and hyphens',
    ],
    ['bucket too short', { bucket: 'ab' }, 'bucket', 'ab', 'must be 3-63 characters long'],
    [
      'bucket too long',
      { bucket: 'a'.repeat(64) },
      'bucket',
      'a'.repeat(64),
      'must be 3-63 characters long',
    ],
    [
      'bucket ending in a hyphen',
      { bucket: 'bucket-' },
      'bucket',
      'bucket-',
      'must start and end with a letter or digit',
    ],
    ['bucket with two dots', { bucket: 'my..bucket' }, 'bucket', 'my..bucket', 'two adjacent dots'],
    ['bucket like an IP', { bucket: '192.168.5.4' }, 'bucket', '192.168.5.4', 'IP address'],
    [
      'bucket with xn-- prefix',
      { bucket: 'xn--bucket' },
      'bucket',
      'xn--bucket',
      'reserved prefix "xn--"',
    ],
    [
      'bucket with sthree- prefix',
      { bucket: 'sthree-bucket' },
      'bucket',
      'sthree-bucket',
      'reserved prefix "sthree-"',
    ],
    [
      'bucket with -s3alias suffix',
      { bucket: 'data-s3alias' },
      'bucket',
      'data-s3alias',
      'reserved suffix "-s3alias"',
    ],
    [
      'bucket with --ol-s3 suffix',
      { bucket: 'data--ol-s3' },
      'bucket',
      'data--ol-s3',
      'reserved suffix "--ol-s3"',
    ],
    [
      'prefix with a leading slash',
      { prefix: '/yolo' },
      'prefix',
      '/yolo',
      'must not start or end with a slash',
    ],
    [
      'prefix with a trailing slash',
      { prefix: 'yolo/' },
      'prefix',
      'yolo/',
      'must not start or end with a slash',
    ],
    [
      'prefix with an empty segment',
      { prefix: 'a//b' },
      'prefix',
      'a//b',
      'empty, "." or ".." path segments',
    ],
    ['prefix with a space', { prefix: 'my data' }, 'prefix', 'my data', 'may contain only'],
    [
      'dataset URI without s3://',
      { 'dataset-s3-uri': 'my-bucket/data' },
      'dataset-s3-uri',
      'my-bucket/data',
      'must be s3://<bucket>/<prefix>',
    ],
    [
      'dataset URI without a prefix',
      { 'dataset-s3-uri': 's3://my-bucket/' },
      'dataset-s3-uri',
      's3://my-bucket/',
      'must be s3://<bucket>/<prefix>',
    ],
    [
      'dataset URI with a bad bucket',
      { 'dataset-s3-uri': 's3://My_Bucket/data' },
      'dataset-s3-uri',
      's3://My_Bucket/data',
      'invalid S3 bucket "My_Bucket"',
    ],
    [
      'image with spaces',
      { 'image-uri': 'my image' },
      'image-uri',
      'my image',
      'must be an image reference',
    ],
    [
      'image with uppercase path',
      { 'image-uri': 'registry.io/Yolo:1' },
      'image-uri',
      'registry.io/Yolo:1',
      'must be an image reference',
    ],
    [
      'ECR repository with capitals',
      { 'ecr-repository': 'Yolo' },
      'ecr-repository',
      'Yolo',
      'must be an ECR repository name',
    ],
    [
      'build arg without =',
      { 'build-args': 'A=1\nNOVALUE' },
      'build-args',
      'NOVALUE',
      '(line 2) must be KEY=VALUE',
    ],
    [
      'build arg set twice',
      { 'build-args': 'A=1\nA=2' },
      'build-args',
      'A=2',
      'sets A a second time',
    ],
    [
      'weights that are not .pt',
      { 'pretrained-weights': 'yolov8m.onnx' },
      'pretrained-weights',
      'yolov8m.onnx',
      'must be .pt weights file names',
    ],
    [
      'weights given as a URL (the image build bakes release names only)',
      { 'pretrained-weights': 'https://example.com/w/best.pt' },
      'pretrained-weights',
      'https://example.com/w/best.pt',
      'must be .pt weights file names',
    ],
    ['push not a boolean', { push: 'yes' }, 'push', 'yes', 'must be true or false'],
    [
      'push false for a SageMaker job without an image-uri',
      { push: 'false' },
      'push',
      'false',
      'needs instance-type local or an image-uri',
    ],
    [
      'fork-pull-requests not a known mode',
      { 'fork-pull-requests': 'maybe' },
      'fork-pull-requests',
      'maybe',
      'must be validate or train',
    ],
    [
      'instance type without ml.',
      { 'instance-type': 'p3.2xlarge' },
      'instance-type',
      'p3.2xlarge',
      'ml.<family>.<size>',
    ],
    [
      'instance type with capitals',
      { 'instance-type': 'ml.P3.2xlarge' },
      'instance-type',
      'ml.P3.2xlarge',
      'or local',
    ],
    [
      'a fractional instance count',
      { 'instance-count': '1.5' },
      'instance-count',
      '1.5',
      'must be a whole number >= 1',
    ],
    [
      'zero instances',
      { 'instance-count': '0' },
      'instance-count',
      '0',
      'must be a whole number >= 1',
    ],
    [
      'instance count not a number',
      { 'instance-count': 'one' },
      'instance-count',
      'one',
      'must be a whole number >= 1',
    ],
    [
      'volume of 0 GB',
      { 'volume-size': '0' },
      'volume-size',
      '0',
      'must be a whole number from 1 to 16384',
    ],
    [
      'volume too large',
      { 'volume-size': '16385' },
      'volume-size',
      '16385',
      'must be a whole number from 1 to 16384',
    ],
    [
      'fractional volume',
      { 'volume-size': '50.5' },
      'volume-size',
      '50.5',
      'must be a whole number',
    ],
    [
      'max runtime over 28 days',
      { 'max-runtime': '2419201', spot: 'false' },
      'max-runtime',
      '2419201',
      'must be a whole number from 1 to 2419200',
    ],
    [
      'max runtime with units',
      { 'max-runtime': '12h' },
      'max-runtime',
      '12h',
      'must be a whole number',
    ],
    [
      'max runtime of 28 days with spot',
      { 'max-runtime': '2419200' },
      'max-runtime',
      '2419200',
      'leaves no room for max-wait with spot: true',
    ],
    [
      'max wait without spot',
      { spot: 'false', 'max-wait': '90000' },
      'max-wait',
      '90000',
      'is only valid with spot: true (spot is false)',
    ],
    [
      'max wait equal to max runtime',
      { 'max-wait': '43200' },
      'max-wait',
      '43200',
      'must be greater than max-runtime (43200)',
    ],
    [
      'max wait below max runtime',
      { 'max-wait': '3600' },
      'max-wait',
      '3600',
      'must be greater than max-runtime',
    ],
    [
      'max wait over 28 days',
      { 'max-wait': '2419201' },
      'max-wait',
      '2419201',
      'must be a whole number from 2 to 2419200',
    ],
    ['spot not a boolean', { spot: 'on' }, 'spot', 'on', 'must be true or false'],
    [
      'model without extension',
      { model: 'yolov8m' },
      'model',
      'yolov8m',
      'must be a string matching',
    ],
    ['zero epochs', { epochs: '0' }, 'epochs', '0', 'must be an integer >= 1 and <= 10000'],
    ['fractional epochs', { epochs: '2.5' }, 'epochs', '2.5', 'must be an integer'],
    [
      'batch size below -1',
      { 'batch-size': '-2' },
      'batch-size',
      '-2',
      'must be an integer from 1',
    ],
    // ultralytics would read 0 as AutoBatch; an explicit 0 is a mistake, named with the rule.
    ['batch size 0', { 'batch-size': '0' }, 'batch-size', '0', '0 is not a batch size'],
    [
      'fractional batch above 1',
      { 'batch-size': '1.5' },
      'batch-size',
      '1.5',
      'a fraction between 0 and 1',
    ],
    ['imgsz not a multiple of 32', { imgsz: '650' }, 'imgsz', '650', 'a multiple of 32'],
    ['imgsz too small', { imgsz: '32' }, 'imgsz', '32', 'must be an integer >= 64'],
    ['negative patience', { patience: '-1' }, 'patience', '-1', 'must be an integer >= 0'],
    ['too many workers', { workers: '129' }, 'workers', '129', '<= 128'],
    ['zero learning rate', { lr0: '0' }, 'lr0', '0', 'must be a number > 0 and <= 1'],
    ['learning rate as text', { lr0: 'fast' }, 'lr0', 'fast', 'must be a number'],
    [
      'threshold above 1',
      { 'map50-threshold': '1.5' },
      'map50-threshold',
      '1.5',
      'must be a number from 0 to 1',
    ],
    [
      'threshold as percent',
      { 'precision-threshold': '90%' },
      'precision-threshold',
      '90%',
      'must be a number from 0 to 1',
    ],
    [
      'negative threshold',
      { 'recall-threshold': '-0.1' },
      'recall-threshold',
      '-0.1',
      'must be a number from 0 to 1',
    ],
    [
      'threshold NaN',
      { 'map50-95-threshold': 'NaN' },
      'map50-95-threshold',
      'NaN',
      'must be a number from 0 to 1',
    ],
    ['wait not a boolean', { wait: 'maybe' }, 'wait', 'maybe', 'must be true or false'],
    [
      'zero wait timeout',
      { 'wait-timeout': '0' },
      'wait-timeout',
      '0',
      'must be a whole number from 1 to 2592000',
    ],
    ['comment not a boolean', { comment: '1' }, 'comment', '1', 'must be true or false'],
  ];

  it.each(cases)('rejects %s', (_title, inputs, input, value, rule) => {
    expectOneProblem(inputs, input, value, rule);
  });

  it('rejects a bad region from the input', () => {
    expectOneProblem({ 'aws-region': 'US-EAST-1' }, 'aws-region', 'US-EAST-1', 'AWS region name');
  });
});

describe('hyperparameters input', () => {
  const bad: [string, string, RegExp][] = [
    [
      'unknown key',
      'foo: 1',
      /^hyperparameters: "foo" \(value 1\) is not an allowed ultralytics train argument \(model, epochs/,
    ],
    ['wrong type', 'cos_lr: 3', /^hyperparameters: "cos_lr" = 3: expected true or false$/],
    [
      'out of range',
      'mosaic: 1.5',
      /^hyperparameters: "mosaic" = 1\.5: expected a number >= 0 and <= 1$/,
    ],
    [
      'bad enum',
      'optimizer: sgd',
      /^hyperparameters: "optimizer" = "sgd": expected one of auto, SGD, Adam, AdamW/,
    ],
    [
      'dedicated key',
      'epochs: 50',
      /^hyperparameters: "epochs" \(value 50\) has its own input: use the epochs input instead$/,
    ],
    [
      'dedicated key by ultralytics name',
      '{"batch": 8}',
      /^hyperparameters: "batch" \(value 8\) has its own input: use the batch-size input instead$/,
    ],
    ['dedicated key by input name', 'batch-size: 8', /use the batch-size input instead/],
    ['empty value', 'lrf:', /^hyperparameters: "lrf" has no value$/],
    [
      'list value',
      'lrf: [0.1, 0.2]',
      /^hyperparameters: "lrf" = \[0\.1,0\.2\] must be a single value/,
    ],
    [
      'not a mapping',
      '- lrf',
      /^hyperparameters: "- lrf" must be a mapping of ultralytics train arguments/,
    ],
    ['a scalar', 'epochs=5', /^hyperparameters: "epochs=5" must be a mapping/],
    [
      'invalid YAML',
      'lrf: [0.1',
      /^hyperparameters: "lrf: \[0\.1" is not a valid YAML or JSON mapping: /,
    ],
    ['invalid JSON', '{"lrf": 0.1,, }', /is not a valid YAML or JSON mapping/],
    ['duplicate key', 'lrf: 0.1\nlrf: 0.2', /is not a valid YAML or JSON mapping: .*[Uu]nique/],
  ];

  it.each(bad)('rejects %s', (_title, text, message) => {
    const problems = problemsOf({ ...BASE, hyperparameters: text });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('rejects keys that only exist on Object.prototype', () => {
    const problems = problemsOf({ ...BASE, hyperparameters: 'toString: 1\n__proto__: 2' });
    expect(problems).toEqual([
      expect.stringMatching(/^hyperparameters: "toString" \(value 1\) is not an allowed/),
      expect.stringMatching(/^hyperparameters: "__proto__" \(value 2\) is not an allowed/),
    ]);
  });

  it('reports every bad key, not just the first', () => {
    const problems = problemsOf({
      ...BASE,
      hyperparameters: 'foo: 1\nbar: 2\nlrf: 0.5\nmosaic: 2',
    });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/"foo".*\n.*"bar".*\n.*"mosaic"/);
  });
});

describe('ConfigError', () => {
  it('lists every problem, one per line, in input order', () => {
    let caught: unknown;
    try {
      load({
        role: 'nope',
        bucket: 'BAD',
        'aws-region': 'us-east-1',
        epochs: '0',
        'map50-threshold': '2',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.name).toBe('ConfigError');
    expect(error.problems).toHaveLength(4);
    expect(error.message.split('\n')).toEqual([
      'Invalid configuration (4 problems):',
      ...error.problems,
    ]);
    expect(error.problems.map((p) => p.split(':')[0])).toEqual([
      'role',
      'bucket',
      'epochs',
      'map50-threshold',
    ]);
  });

  it('never quotes the GitHub token', () => {
    const problems = problemsOf({ 'github-token': 'ghs_secret', bucket: 'x' });
    expect(problems.join('\n')).not.toContain('ghs_secret');
  });
});

describe('input readers', () => {
  it('reads INPUT_* variables like @actions/core', () => {
    const read = actionInputReader({ 'INPUT_BATCH-SIZE': ' 8 ', INPUT_MY_INPUT: 'x' });
    expect(read('batch-size')).toBe('8');
    expect(read('my input')).toBe('x');
    expect(read('epochs')).toBe('');
  });

  it('reads commander options by camelCased name', () => {
    const read = optionsInputReader({
      batchSize: 8,
      spot: false,
      mapFifty: undefined,
      map5095Threshold: '0.5',
    });
    expect(read('batch-size')).toBe('8');
    expect(read('spot')).toBe('false');
    expect(read('epochs')).toBe('');
    expect(read('map50-95-threshold')).toBe('0.5');
  });

  it('gives the CLI (options) and the action (INPUT_*) the same Config', () => {
    const fromCli = readConfig(
      optionsInputReader({
        role: ROLE,
        bucket: BASE.bucket,
        awsRegion: 'us-east-1',
        epochs: 5,
      }),
      options(),
    );
    const fromAction = readConfig(
      actionInputReader({
        INPUT_ROLE: ROLE,
        INPUT_BUCKET: BASE.bucket,
        'INPUT_AWS-REGION': 'us-east-1',
        INPUT_EPOCHS: '5',
      }),
      options(),
    );
    expect(fromCli).toEqual(fromAction);
    expect(fromCli.hyperparameters.epochs).toBe(5);
  });

  it('reads the whole action environment: inputs and event payload', () => {
    const config = readActionConfig(
      {
        INPUT_ROLE: ROLE,
        INPUT_BUCKET: 'floorplans-ml',
        AWS_REGION: 'us-west-2',
        GITHUB_REPOSITORY: 'acme/floorplans',
        GITHUB_EVENT_NAME: 'workflow_dispatch',
        GITHUB_RUN_ID: '42',
        GITHUB_SHA: 'ffffffffffffffffffffffffffffffffffffffff',
      },
      '/action',
    );
    expect(config.region).toBe('us-west-2');
    expect(config.jobName).toBe('floorplans-dispatch-42-fffffff');
    expect(config.containerContext).toBe(path.join('/action', 'training-container'));
  });
});

describe('pretrained weights for the image build', () => {
  const read = (inputs: Record<string, string>) =>
    load(inputs, { env: { AWS_REGION: 'us-east-1' } });
  const base = { role: 'arn:aws:iam::123456789012:role/R', bucket: 'my-bucket' };

  it('bake the .pt model the job trains from, unless pretrained-weights says otherwise', () => {
    expect(read({ ...base, model: 'yolov8s.pt' }).pretrainedWeights).toBe('yolov8s.pt');
    expect(
      read({ ...base, model: 'yolov8s.pt', 'pretrained-weights': 'yolov8s.pt yolov8n.pt' })
        .pretrainedWeights,
    ).toBe('yolov8s.pt yolov8n.pt');
  });

  it('bake nothing for a model trained from a yaml', () => {
    expect(read({ ...base, model: 'yolov8n.yaml' }).pretrainedWeights).toBeUndefined();
  });
});
