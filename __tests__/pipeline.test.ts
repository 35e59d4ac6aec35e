// The stage order and the decisions between stages, with every stage faked.
import { describe, expect, it } from '@jest/globals';
import { runPipeline, type PipelineIO, type Stages } from '../src/pipeline.js';
import type { Config, JobOutcome, Metrics } from '../src/types.js';
import { testConfig } from './helpers/config.js';

const config: Config = testConfig({
  jobName: 'job-1',
  thresholds: [{ metric: 'map50', min: 0.85, input: 'map50-threshold' }],
});

function outcome(over: Partial<JobOutcome> = {}): JobOutcome {
  return {
    jobName: 'job-1',
    status: 'Completed',
    finalMetrics: {},
    instanceType: 'ml.g5.xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl: '',
    region: 'us-east-1',
    modelArtifactsUri: 's3://b/p/output/job-1/output/model.tar.gz',
    ...over,
  };
}

function fakes(
  end: JobOutcome,
  metrics: Metrics = { map50: 0.9, perClass: [], epochs: [], source: 'metrics.json' },
) {
  const calls: string[] = [];
  const outputs: Record<string, string> = {};
  const jobStates: [string, boolean][] = [];
  const stages: Stages = {
    validateDataset: async () => void calls.push('validate'),
    prepareDataset: async () => {
      calls.push('sync');
      return {
        ref: { uri: 's3://b/m.manifest', snapshot: 'f'.repeat(64) },
        input: {
          kind: 'snapshot',
          manifestUri: 's3://b/m.manifest',
          snapshotUri: 's3://b/s.json',
          fingerprint: 'f'.repeat(64),
        },
      };
    },
    resolveImage: async () => {
      calls.push('image');
      return { imageUri: 'img:src-1', tag: 'src-1', built: false };
    },
    training: {
      kind: 'sagemaker',
      launch: async () => (calls.push('launch'), { jobName: 'job-1', attached: false }),
      wait: async () => (calls.push('wait'), end),
      describe: async () => (calls.push('describe'), outcome({ status: 'InProgress' })),
    },
    readMetrics: async () => (calls.push('metrics'), metrics),
    report: async (input) => (
      calls.push(`report:${input.gate ? 'gated' : 'failure'}`),
      { commentUrl: 'https://c' }
    ),
  };
  const io: PipelineIO = {
    group: (_name, fn) => fn(),
    info: () => undefined,
    notice: (m) => void calls.push(`notice:${m.split(':')[0]}`),
    setOutput: (name, value) => void (outputs[name] = value),
    jobState: (job, ended) => void jobStates.push([job, ended]),
  };
  return { stages, io, calls, outputs, jobStates };
}

describe('runPipeline', () => {
  it('runs the stages in order and passes the gate', async () => {
    const f = fakes(outcome());
    const result = await runPipeline(config, f.stages, f.io);
    expect(f.calls).toEqual([
      'validate',
      'sync',
      'image',
      'launch',
      'wait',
      'metrics',
      'report:gated',
    ]);
    expect(result.passed).toBe(true);
    expect(f.outputs).toMatchObject({
      'job-name': 'job-1',
      passed: 'true',
      map50: '0.9',
      snapshot: 'f'.repeat(64),
      'comment-url': 'https://c',
    });
    // Known as running before the wait (so cancel can stop it), ended after.
    expect(f.jobStates).toEqual([
      ['job-1', false],
      ['job-1', true],
    ]);
  });

  it('skips validate and sync for a dataset already in S3', async () => {
    const f = fakes(outcome());
    await runPipeline({ ...config, datasetS3Uri: 's3://b/data/' }, f.stages, f.io);
    expect(f.calls.slice(0, 2)).toEqual(['image', 'launch']);
    expect(f.outputs['dataset-uri']).toBe('s3://b/data/');
  });

  it('fails the gate with every check in the failure', async () => {
    const f = fakes(outcome(), { map50: 0.5, perClass: [], epochs: [], source: 'metrics.json' });
    const result = await runPipeline(config, f.stages, f.io);
    expect(result.passed).toBe(false);
    expect(result.failure).toMatch(/Quality gate failed:\n.*map50 0\.5000? < 0\.85/);
  });

  it('reports a failed job without reading metrics', async () => {
    const f = fakes(
      outcome({ status: 'Failed', failureReason: 'CUDA out of memory with batch-size 16' }),
    );
    const result = await runPipeline(config, f.stages, f.io);
    expect(f.calls).not.toContain('metrics');
    expect(f.calls).toContain('report:failure');
    expect(result.failure).toBe(
      'Training job job-1 ended Failed: CUDA out of memory with batch-size 16',
    );
    expect(f.outputs).toMatchObject({ passed: 'false', 'job-status': 'Failed' });
    expect(f.outputs['model-uri']).toBeUndefined();
  });

  it('a timed-out wait says so and leaves the job running (no stop on cleanup)', async () => {
    const f = fakes(outcome({ status: 'InProgress', timedOut: true }));
    const result = await runPipeline(config, f.stages, f.io);
    expect(result.failure).toMatch(/Gave up waiting .* may still be running/);
    // The post step must leave it running: the action stopped waiting, not the job.
    expect(f.jobStates.at(-1)).toEqual(['job-1', true]);
  });

  it("a fork's pull request only validates, unless fork-pull-requests is train", async () => {
    const fork: Config = { ...config, context: { ...config.context, isForkPullRequest: true } };
    const f = fakes(outcome());
    const result = await runPipeline(fork, f.stages, f.io);
    expect(f.calls).toEqual(['validate', 'notice:Pull request from a fork']);
    expect(result).toEqual({});
    expect(f.outputs).toEqual({});

    const trusted = fakes(outcome());
    await runPipeline({ ...fork, trainForkPullRequests: true }, trusted.stages, trusted.io);
    expect(trusted.calls).toContain('wait');
  });

  it('wait: false starts the job and returns without gating', async () => {
    const f = fakes(outcome());
    const result = await runPipeline({ ...config, wait: false }, f.stages, f.io);
    expect(result.passed).toBeUndefined();
    expect(f.calls).toEqual([
      'validate',
      'sync',
      'image',
      'launch',
      'describe',
      'notice:Job job-1 is running detached (wait',
    ]);
    expect(f.outputs['job-status']).toBe('InProgress');
  });
});
