// The life cycle's decisions inside the pipeline, every stage faked: when a recorded job is
// reused, when it is not, and what a lost promotion race or a failed registration does.
import { describe, expect, it } from '@jest/globals';
import { runPipeline, type PipelineIO, type Stages } from '../../src/pipeline.js';
import type { ModelStages } from '../../src/model/lifecycle.js';
import { ChampionRaceError } from '../../src/model/store.js';
import type { RunRecord } from '../../src/model/run-key.js';
import type { Config, JobOutcome } from '../../src/types.js';
import { testConfig } from '../helpers/config.js';

const PUSH = {
  ...testConfig().context,
  eventName: 'push',
  ref: 'refs/heads/main',
  defaultBranch: 'main',
};
delete (PUSH as { prNumber?: number }).prNumber;

function config(model: Partial<Config['model']> = {}): Config {
  return testConfig({
    jobName: 'job-2',
    thresholds: [{ metric: 'map50', min: 0.85, input: 'map50-threshold' }],
    context: PUSH,
    model: { promote: 'auto', forceRetrain: false, approveModel: false, ...model },
  });
}

function outcome(jobName: string, status = 'Completed'): JobOutcome {
  return {
    jobName,
    status,
    finalMetrics: {},
    instanceType: 'ml.g5.xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl: `https://console/${jobName}`,
    region: 'us-east-1',
    trainingSeconds: 600,
    billableSeconds: 200,
    modelArtifactsUri: `s3://b/p/output/${jobName}/output/model.tar.gz`,
  };
}

function fakes(options: {
  record?: RunRecord;
  recordedStatus?: string;
  promote?: () => Promise<{ uri: string }>;
  register?: () => Promise<{ modelPackageArn: string }>;
}) {
  const calls: string[] = [];
  const outputs: Record<string, string> = {};
  const model: ModelStages = {
    findRun: async () => (calls.push('findRun'), options.record),
    recordRun: async (r) => (calls.push(`recordRun:${r.jobName}`), 's3://b/p/runs/x.json'),
    baseline: async () => ({ branch: 'main' }),
    promote: async (c) => (
      calls.push(`promote:${c.jobName}`),
      (options.promote ?? (async () => ({ uri: 's3://c' })))()
    ),
    register: async () => (
      calls.push('register'),
      (options.register ?? (async () => ({ modelPackageArn: 'arn:p' })))()
    ),
  };
  const stages: Stages = {
    validateDataset: async () => undefined,
    prepareDataset: async () => ({
      ref: { uri: 's3://b/m.manifest', snapshot: 'f'.repeat(64) },
      input: {
        kind: 'snapshot',
        manifestUri: 's3://b/m',
        snapshotUri: 's3://b/s',
        fingerprint: 'f'.repeat(64),
      },
    }),
    resolveImage: async () => ({
      imageUri: 'repo:src-0123456789ab',
      tag: 'src-0123456789ab',
      built: false,
    }),
    training: {
      kind: 'sagemaker',
      launch: async () => (calls.push('launch'), { jobName: 'job-2', attached: false }),
      wait: async (job) => outcome(job),
      describe: async (job) => (
        calls.push(`describe:${job}`),
        outcome(job, options.recordedStatus)
      ),
    },
    readMetrics: async () => ({ map50: 0.9, perClass: [], epochs: [], source: 'metrics.json' }),
    report: async () => ({}),
    model,
  };
  const io: PipelineIO = {
    group: (_n, fn) => fn(),
    info: () => undefined,
    notice: (m) => void calls.push(`notice:${m}`),
    setOutput: (n, v) => void (outputs[n] = v),
    jobState: () => undefined,
  };
  return { stages, io, calls, outputs };
}

const RECORD: RunRecord = {
  version: 1,
  key: 'k',
  jobName: 'job-1',
  consoleUrl: 'https://console/job-1',
  passed: true,
  recordedAt: '2026-12-01T00:00:00.000Z',
};

describe('run-key reuse in the pipeline', () => {
  it('reuses a recorded completed job: no launch, 0 seconds, not recorded again', async () => {
    const f = fakes({ record: RECORD });
    const result = await runPipeline(config(), f.stages, f.io);
    expect(result.passed).toBe(true);
    expect(f.calls).not.toContain('launch');
    expect(f.calls.filter((c) => c.startsWith('recordRun'))).toEqual([]);
    expect(result.outcome).toMatchObject({
      jobName: 'job-1',
      trainingSeconds: 0,
      billableSeconds: 0,
    });
    expect(f.outputs).toMatchObject({
      reused: 'true',
      'job-name': 'job-1',
      'billable-seconds': '0',
    });
  });

  it('trains when the recorded job did not complete, and records the new one', async () => {
    const f = fakes({ record: RECORD, recordedStatus: 'Failed' });
    await runPipeline(config(), f.stages, f.io);
    expect(f.calls).toContain('launch');
    expect(f.calls).toContain('recordRun:job-2');
    expect(f.outputs.reused).toBe('false');
  });

  it('an image on a movable tag turns reuse off: no run key, no record', async () => {
    const f = fakes({ record: RECORD });
    f.stages.resolveImage = async () => ({ imageUri: 'repo:latest', tag: 'latest', built: false });
    await runPipeline(config(), f.stages, f.io);
    expect(f.calls).not.toContain('findRun');
    expect(f.calls).toContain('launch');
    expect(f.outputs['run-key']).toBeUndefined();
  });

  it('force-retrain does not even look for a record', async () => {
    const f = fakes({ record: RECORD });
    await runPipeline(config({ forceRetrain: true }), f.stages, f.io);
    expect(f.calls).not.toContain('findRun');
    expect(f.calls).toContain('launch');
  });
});

describe('promotion and registration in the pipeline', () => {
  it('a lost promotion race is a notice, not a failure', async () => {
    const f = fakes({
      promote: async () => {
        throw new ChampionRaceError(
          's3://b/p/models/main/champion.json changed while this run was promoting job-2',
        );
      },
    });
    const result = await runPipeline(config(), f.stages, f.io);
    expect(result.failure).toBeUndefined();
    expect(f.outputs.promoted).toBe('false');
    expect(f.calls).toContain(
      'notice:Not promoted: s3://b/p/models/main/champion.json changed while this run was promoting job-2',
    );
  });

  it('registers a passing model when a group is set, and fails the run when registration fails', async () => {
    const ok = fakes({});
    await runPipeline(config({ modelPackageGroup: 'rooms' }), ok.stages, ok.io);
    expect(ok.outputs['model-package-arn']).toBe('arn:p');
    const bad = fakes({
      register: async () => {
        throw new Error('AccessDenied');
      },
    });
    const result = await runPipeline(config({ modelPackageGroup: 'rooms' }), bad.stages, bad.io);
    expect(result.passed).toBe(true);
    expect(result.failure).toBe(
      'Could not register the model in model package group rooms: AccessDenied',
    );
  });

  it('a reused job registered before is not registered twice; a new one records its ARN', async () => {
    const reused = fakes({ record: { ...RECORD, modelPackageArn: 'arn:before' } });
    await runPipeline(config({ modelPackageGroup: 'rooms' }), reused.stages, reused.io);
    expect(reused.calls).not.toContain('register');
    expect(reused.outputs['model-package-arn']).toBe('arn:before');
    const fresh = fakes({});
    let recorded: RunRecord | undefined;
    fresh.stages.model!.recordRun = async (r) => ((recorded = r), 's3://x');
    await runPipeline(config({ modelPackageGroup: 'rooms' }), fresh.stages, fresh.io);
    expect(recorded).toMatchObject({ jobName: 'job-2', passed: true, modelPackageArn: 'arn:p' });
  });

  it('promote never and a group-less run touch neither the champion nor the registry', async () => {
    const f = fakes({});
    await runPipeline(config({ promote: 'never' }), f.stages, f.io);
    expect(f.calls.filter((c) => c.startsWith('promote') || c === 'register')).toEqual([]);
    expect(f.outputs.promoted).toBe('false');
  });
});
