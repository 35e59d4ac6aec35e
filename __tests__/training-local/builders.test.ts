import { describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import {
  buildDockerRunArgs,
  buildInputDataConfig,
  channelPathFor,
  compileMetricDefinitions,
  decideEnd,
  finalMetricsFromLog,
  keyBasename,
  lastNonEmptyLine,
  listPrefix,
  outcomeFromRecord,
  outputKeys,
  parseJobRecord,
  parseManifest,
  safeRelativePath,
  type LocalJobRecord,
} from '../../src/training/local-builders.js';
import { hostNames, hostResourceConfig, hostRoot } from '../../src/training/local-hosts.js';
import { metricDefinitionsFromFile } from '../../src/training/request.js';

const snapshotInput = {
  kind: 'snapshot' as const,
  manifestUri: 's3://b/p/datasets/snapshots/f.manifest',
  snapshotUri: 's3://b/p/datasets/snapshots/f.json',
  fingerprint: 'f',
};

describe('config files', () => {
  it('resourceconfig is a single algo-1 host', () => {
    expect(hostResourceConfig('algo-1', hostNames(1))).toEqual({
      current_host: 'algo-1',
      hosts: ['algo-1'],
      network_interface_name: 'eth0',
    });
  });

  it('several hosts: each names itself among algo-1..N, talking over loopback', () => {
    const hosts = hostNames(3);
    expect(hosts).toEqual(['algo-1', 'algo-2', 'algo-3']);
    expect(hostResourceConfig('algo-2', hosts)).toEqual({
      current_host: 'algo-2',
      hosts: ['algo-1', 'algo-2', 'algo-3'],
      network_interface_name: 'lo',
    });
    expect(hostRoot('/jobs/j', 'algo-1', hosts)).toBe('/jobs/j');
    expect(hostRoot('/jobs/j', 'algo-3', hosts)).toBe('/jobs/j/hosts/algo-3');
  });

  it('inputdataconfig has one File channel per SageMaker channel', () => {
    const channel = {
      TrainingInputMode: 'File',
      S3DistributionType: 'FullyReplicated',
      RecordWrapperType: 'None',
    };
    expect(buildInputDataConfig(snapshotInput)).toEqual({ training: channel, snapshot: channel });
    expect(buildInputDataConfig({ kind: 's3-prefix', uri: 's3://b/data/' })).toEqual({
      training: channel,
    });
  });
});

describe('S3 keys and channel paths', () => {
  it('parses a manifest: prefix first, each key once', () => {
    const sha = 'a'.repeat(64);
    const m = parseManifest(JSON.stringify([{ prefix: 's3://b/p/objects/' }, sha, 'x/y', sha]));
    expect(m).toEqual({ prefix: { bucket: 'b', key: 'p/objects/' }, keys: [sha, 'x/y'] });
  });

  it.each([
    ['not json', 'nope', /not JSON/],
    ['empty', '[]', /JSON array/],
    ['no prefix', '["abc"]', /start with/],
    ['non-s3 prefix', '[{"prefix":"/tmp/"}]', /start with/],
    ['non-string key', '[{"prefix":"s3://b/"}, 3]', /entry 1 is not a string/],
    ['escaping key', '[{"prefix":"s3://b/"}, "../etc/passwd"]', /cannot be used/],
  ])('rejects a manifest that is %s', (_name, text, error) => {
    expect(() => parseManifest(text)).toThrow(error);
  });

  it('refuses keys that would leave the channel directory', () => {
    for (const bad of ['', '/abs', 'a/../b', 'a//b', './a', 'a\\b', 'a/']) {
      expect(() => safeRelativePath(bad)).toThrow(/cannot be used/);
    }
    expect(safeRelativePath('images/train/1.jpg')).toBe('images/train/1.jpg');
  });

  it('lists a prefix as a directory and maps keys under it', () => {
    expect(listPrefix('data')).toBe('data/');
    expect(listPrefix('data/')).toBe('data/');
    expect(listPrefix('')).toBe('');
    expect(channelPathFor('data/', 'data/images/a.jpg')).toBe('images/a.jpg');
    expect(() => channelPathFor('data/', 'other/a.jpg')).toThrow(/not under/);
    expect(keyBasename('p/datasets/snapshots/f.json')).toBe('f.json');
  });

  it('puts archives where SageMaker writes them', () => {
    expect(outputKeys('b', 'yolo-training/', 'job-1')).toEqual({
      bucket: 'b',
      modelKey: 'yolo-training/output/job-1/output/model.tar.gz',
      outputKey: 'yolo-training/output/job-1/output/output.tar.gz',
      modelUri: 's3://b/yolo-training/output/job-1/output/model.tar.gz',
      outputUri: 's3://b/yolo-training/output/job-1/output/output.tar.gz',
    });
    expect(outputKeys('b', '', 'j').modelKey).toBe('output/j/output/model.tar.gz');
  });
});

describe('docker run arguments', () => {
  it('mounts the job dir as /opt/ml, gives no network and runs `<image> train`', () => {
    const args = buildDockerRunArgs({
      jobDir: '/tmp/jobs/j1',
      image: 'repo/img:tag',
      containerName: 'sagemaker-yolo-j1',
      gpus: true,
      user: '1001:121',
      env: { CUDA_VISIBLE_DEVICES: '0' },
    });
    expect(args.slice(0, 8)).toEqual([
      'run',
      '--rm',
      '--name',
      'sagemaker-yolo-j1',
      '--network',
      'none',
      '-v',
      '/tmp/jobs/j1:/opt/ml',
    ]);
    expect(args.slice(-2)).toEqual(['repo/img:tag', 'train']);
    expect(args).toEqual(expect.arrayContaining(['--gpus', 'all', '--user', '1001:121']));
    expect(args).toContain('CUDA_VISIBLE_DEVICES=0');
    expect(args).toContain('HOME=/tmp');
  });

  it('adds no GPU or user flags when not asked to', () => {
    const args = buildDockerRunArgs({ jobDir: '/j', image: 'i', containerName: 'c', gpus: false });
    expect(args).not.toContain('--gpus');
    expect(args).not.toContain('--user');
  });
});

describe('metric lines', () => {
  const defs = compileMetricDefinitions(metricDefinitionsFromFile());

  it('keeps the last value of each shared metric definition, ignoring other lines', () => {
    const log = [
      'Epoch 1/2 ...',
      '[yolo-metrics] epoch=1 precision=0.5 recall=0.25 map50=0.1 map50_95=0.05 train_box_loss=2.5',
      'noise map50=0.99',
      '[yolo-metrics] epoch=2 precision=0.75 recall=0.5 map50=0.3 map50_95=1.5e-1 val_dfl_loss=1.25',
      '',
    ].join('\n');
    expect(finalMetricsFromLog(log, defs)).toEqual({
      epoch: 2,
      precision: 0.75,
      recall: 0.5,
      map50: 0.3,
      map50_95: 0.15,
      'train:box_loss': 2.5,
      'val:dfl_loss': 1.25,
    });
  });

  it('finds nothing in a log without metric lines', () => {
    expect(finalMetricsFromLog('map50=0.9\nprecision=1', defs)).toEqual({});
  });
});

describe('decideEnd', () => {
  const base = { modelFiles: [] as string[], stopRequested: false };

  it('exit 0 without a failure file completes', () => {
    expect(decideEnd({ ...base, exit: { code: 0, signal: null } })).toEqual({
      status: 'Completed',
    });
  });

  it('a failure file fails, its text clipped to 1024 characters', () => {
    const end = decideEnd({
      ...base,
      exit: { code: 1, signal: null },
      failureText: `${'x'.repeat(2000)}\n`,
    });
    expect(end.status).toBe('Failed');
    expect(end.failureReason).toHaveLength(1024);
  });

  it('a failure file fails even with exit 0', () => {
    expect(
      decideEnd({ ...base, exit: { code: 0, signal: null }, failureText: 'bad data' }),
    ).toEqual({
      status: 'Failed',
      failureReason: 'bad data',
    });
  });

  it('a non-zero exit without a failure file names the code and the last line', () => {
    expect(
      decideEnd({ ...base, exit: { code: 3, signal: null }, lastLogLine: 'Traceback: boom' }),
    ).toEqual({
      status: 'Failed',
      failureReason:
        'AlgorithmError: the training process exited with code 3; last output: Traceback: boom',
    });
    expect(decideEnd({ ...base, exit: { code: null, signal: 'SIGKILL' } }).failureReason).toMatch(
      /killed by SIGKILL/,
    );
  });

  it('a requested stop is Stopped whatever the exit', () => {
    expect(
      decideEnd({
        ...base,
        stopRequested: true,
        exit: { code: 1, signal: null },
        failureText: 'SIGTERM',
      }),
    ).toEqual({ status: 'Stopped' });
  });

  it('an unknown exit is judged by the outputs', () => {
    expect(decideEnd({ ...base, modelFiles: ['best.pt'] })).toEqual({ status: 'Completed' });
    expect(decideEnd(base).status).toBe('Failed');
    expect(decideEnd({ ...base, modelFiles: ['last.pt'], failureText: 'oom' }).status).toBe(
      'Failed',
    );
  });
});

describe('job record and outcome', () => {
  const record: LocalJobRecord = {
    version: 1,
    jobName: 'job-1',
    status: 'Completed',
    startedAt: 1_000,
    endedAt: 62_400,
    logOffset: 0,
    bucket: 'b',
    prefix: 'p',
    region: 'eu-west-1',
    maxRuntimeSeconds: 3600,
    waitTimeoutSeconds: 3600,
    finalMetrics: { map50: 0.5 },
    modelArtifactsUri: 's3://b/p/output/job-1/output/model.tar.gz',
    outputDataUri: 's3://b/p/output/job-1/output/output.tar.gz',
  };

  it('builds a local JobOutcome with a file:// console link', () => {
    const outcome = outcomeFromRecord(record, '/tmp/jobs/job-1', 999_999);
    expect(outcome).toEqual({
      jobName: 'job-1',
      status: 'Completed',
      secondaryStatus: 'Completed',
      modelArtifactsUri: 's3://b/p/output/job-1/output/model.tar.gz',
      outputDataUri: 's3://b/p/output/job-1/output/output.tar.gz',
      trainingSeconds: 61,
      billableSeconds: 61,
      finalMetrics: { map50: 0.5 },
      instanceType: 'local',
      instanceCount: 1,
      spot: false,
      consoleUrl: 'file:///tmp/jobs/job-1',
      region: 'eu-west-1',
    });
    expect(fileURLToPath(outcome.consoleUrl)).toBe('/tmp/jobs/job-1');
  });

  it('prices a running job up to now and reports the runtime limit', () => {
    const running = outcomeFromRecord(
      { ...record, status: 'InProgress', endedAt: undefined, finalMetrics: undefined },
      '/j',
      11_000,
    );
    expect(running).toMatchObject({
      status: 'InProgress',
      secondaryStatus: 'Training',
      trainingSeconds: 10,
    });
    const limited = outcomeFromRecord(
      { ...record, status: 'Stopped', limitExceeded: 'MaxRuntimeExceeded' },
      '/j',
      0,
    );
    expect(limited).toMatchObject({
      status: 'Stopped',
      secondaryStatus: 'MaxRuntimeExceeded',
      limitExceeded: 'MaxRuntimeExceeded',
    });
  });

  it('reads back only a well-formed record', () => {
    expect(parseJobRecord(JSON.stringify(record))).toEqual(record);
    expect(parseJobRecord('{"version":2,"jobName":"j","status":"Completed"}')).toBeUndefined();
    expect(parseJobRecord('{broken')).toBeUndefined();
  });

  it('finds the last non-empty line', () => {
    expect(lastNonEmptyLine('a\nb\n\n  \n')).toBe('b');
    expect(lastNonEmptyLine('')).toBeUndefined();
  });
});
