// max-cost and job cost through the SageMaker lifecycle, with a mocked SageMakerClient (moto has no
// running jobs, no StopTrainingJob and no billable time): refuse before starting, stop while
// running, and the cost attached to what the backend returns.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { describeFailure } from '../../src/pipeline.js';
import { decideMaxCost, tablePrice, type PriceResult } from '../../src/report/cost.js';
import { billingStartMs, pollTrainingJob } from '../../src/training/sagemaker.js';
import { CostCapError, createSageMakerBackend } from '../../src/training/sagemaker-backend.js';
import {
  IMAGE,
  T0,
  describeResponse,
  fakeClock,
  makeConfig,
  recordingLog,
  transition,
} from './fixtures.js';

const REGION = 'us-east-1';
const client = new SageMakerClient({
  region: REGION,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const sm = mockClient(client);

beforeEach(() => {
  sm.reset();
});

const P3 = tablePrice('ml.p3.2xlarge', REGION);
const S = transition('Starting', 0, 'Launching requested ML instances');
const D = transition('Downloading', 120, 'Downloading input data');
const T = transition('Training', 240, 'Training in progress.');

/** $10 cap on one ml.p3.2xlarge: stop point $10 − 180 s × $3.825/h ≈ $9.81, ≈ 9232 s after billing began. */
function capPlan(maxCostUsd = 10) {
  const d = decideMaxCost({
    maxCostUsd,
    price: P3,
    instanceType: 'ml.p3.2xlarge',
    region: REGION,
    instanceCount: 1,
    maxRuntimeSeconds: 43200,
    wait: true,
    waitTimeoutSeconds: 86400,
  });
  if (d.action !== 'start' || !d.plan) throw new Error(d.message);
  return d.plan;
}

describe('billingStartMs', () => {
  it('prefers TrainingStartTime, else the first transition past Starting', () => {
    const started = new Date(T0.getTime() + 90_000);
    expect(
      billingStartMs(describeResponse('InProgress', [S, D], { TrainingStartTime: started })),
    ).toBe(started.getTime());
    expect(billingStartMs(describeResponse('InProgress', [S, D, T]))).toBe(T0.getTime() + 120_000);
    expect(billingStartMs(describeResponse('InProgress', [S]))).toBeUndefined();
  });
});

describe('pollTrainingJob with max-cost', () => {
  it('stops the job once its running cost reaches the cap, then reports the stop', async () => {
    const clock = fakeClock(T0.getTime());
    const log = recordingLog();
    let stopped = false;
    sm.on(StopTrainingJobCommand).callsFake(() => {
      stopped = true;
      return {};
    });
    let describesAfterStop = 0;
    sm.on(DescribeTrainingJobCommand).callsFake(() => {
      if (!stopped) return describeResponse('InProgress', [S, D, T]);
      describesAfterStop++;
      return describesAfterStop === 1
        ? describeResponse('Stopping', [S, D, T, transition('Stopping', 9500)])
        : describeResponse('Stopped', [S, D, T, transition('Stopped', 9600)], {
            TrainingTimeInSeconds: 9480,
            BillableTimeInSeconds: 9480,
            EnableManagedSpotTraining: false,
          });
    });

    const outcome = await pollTrainingJob(client, 'job-1', {
      log,
      timeoutMs: 86_400_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      costCap: capPlan(),
    });

    expect(sm.commandCalls(StopTrainingJobCommand)).toHaveLength(1);
    expect(sm.commandCalls(StopTrainingJobCommand)[0]?.args[0].input).toEqual({
      TrainingJobName: 'job-1',
    });
    expect(outcome.status).toBe('Stopped');
    expect(outcome.costCapStop?.maxCostUsd).toBe(10);
    // Stopped at the first poll past the stop point, still under the cap itself.
    expect(outcome.costCapStop?.estimatedUsd).toBeGreaterThanOrEqual(capPlan().stopAtUsd);
    expect(outcome.costCapStop?.estimatedUsd).toBeLessThan(10);
    const error = log.lines.find((l) => l.level === 'error');
    expect(error?.message).toMatch(
      /^job-1: estimated cost \$9\.8\d reached the max-cost stop point \$9\.81 \(max-cost \$10\.00 less the time a stop takes\); stopping the job\.$/,
    );
    // The run fails with a message that names the cap.
    expect(describeFailure(outcome)).toMatch(
      /^Training job job-1 was stopped by max-cost: its estimated cost \$9\.8\d reached the cap of \$10\.00 .*it ended Stopped\. Raise max-cost/,
    );
  });

  it('leaves a job under the cap alone', async () => {
    const clock = fakeClock(T0.getTime());
    let polls = 0;
    sm.on(DescribeTrainingJobCommand).callsFake(() =>
      ++polls < 20
        ? describeResponse('InProgress', [S, D, T])
        : describeResponse('Completed', [S, D, T], {
            TrainingTimeInSeconds: 600,
            BillableTimeInSeconds: 600,
          }),
    );
    const outcome = await pollTrainingJob(client, 'job-1', {
      log: recordingLog(),
      timeoutMs: 86_400_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      costCap: capPlan(1000),
    });
    expect(outcome.status).toBe('Completed');
    expect(outcome.costCapStop).toBeUndefined();
    expect(sm.commandCalls(StopTrainingJobCommand)).toHaveLength(0);
  });

  it('does not count time before the instances started (Starting only)', async () => {
    const clock = fakeClock(T0.getTime() + 100 * 3_600_000); // long after creation
    let polls = 0;
    sm.on(DescribeTrainingJobCommand).callsFake(() =>
      ++polls < 3 ? describeResponse('InProgress', [S]) : describeResponse('Failed', [S]),
    );
    await pollTrainingJob(client, 'job-1', {
      log: recordingLog(),
      timeoutMs: 86_400_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      costCap: capPlan(),
    });
    expect(sm.commandCalls(StopTrainingJobCommand)).toHaveLength(0);
  });
});

describe('SageMaker backend with a price', () => {
  const image = { imageUri: IMAGE, tag: 'abc123', built: false };
  const dataset = {
    ref: { uri: 's3://floorplans-ml/datasets/v3/' },
    input: { kind: 's3-prefix' as const, uri: 's3://floorplans-ml/datasets/v3/' },
  };
  const backend = (price: PriceResult = P3, log = recordingLog()) =>
    createSageMakerBackend({
      sagemaker: client,
      region: REGION,
      log,
      timeoutMs: 3_600_000,
      sleep: async () => {},
      price: async () => price,
    });

  it('refuses before any SageMaker call when the worst case exceeds max-cost and nothing would stop it', async () => {
    const config = makeConfig({ maxCostUsd: 10, wait: false });
    await expect(backend().launch(config, image, dataset)).rejects.toThrow(CostCapError);
    await expect(backend().launch(config, image, dataset)).rejects.toThrow(
      /^max-cost: Worst case \$45\.90 .* exceeds max-cost \$10\.00, and with wait: false nothing stops the job/,
    );
    expect(sm.calls()).toHaveLength(0);
  });

  it('refuses max-cost with an unknown price, and starts when the cap allows the job', async () => {
    const unknown = tablePrice('ml.g6.xlarge', REGION);
    await expect(
      backend(unknown).launch(
        makeConfig({ maxCostUsd: 10, instanceType: 'ml.g6.xlarge' }),
        image,
        dataset,
      ),
    ).rejects.toThrow(/price unknown for ml\.g6\.xlarge in us-east-1 .*Set instance-price/);
    expect(sm.calls()).toHaveLength(0);

    sm.on(DescribeTrainingJobCommand).rejects(
      Object.assign(new Error('Requested resource not found.'), { name: 'ValidationException' }),
    );
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const log = recordingLog();
    await backend(P3, log).launch(makeConfig({ maxCostUsd: 100 }), image, dataset);
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(1);
    expect(log.lines.map((l) => l.message)).toContain(
      'max-cost: Worst case $45.90 (max-runtime 12h 00m 00s × 1 × $3.825/h from the price table in this action (us-east-1, on-demand)) is within max-cost $100.00.',
    );
  });

  it('attaches the cost (warm pool included) to the outcome it returns', async () => {
    sm.on(DescribeTrainingJobCommand).resolves(
      describeResponse('Completed', [S, D, T], {
        TrainingTimeInSeconds: 3723,
        BillableTimeInSeconds: 1191,
        WarmPoolStatus: { Status: 'Terminated', ResourceRetainedBillableTimeInSeconds: 0 },
      }),
    );
    const outcome = await backend().wait('job-1');
    expect(outcome.warmPoolRetainedSeconds).toBe(0);
    expect(outcome.cost).toMatchObject({
      known: true,
      cost: { price: { usdPerHour: 3.825, origin: 'table' } },
    });
    if (!outcome.cost?.known) throw new Error('expected a cost');
    expect(outcome.cost.cost.usd).toBeCloseTo((1191 * 3.825) / 3600, 10);
    expect(outcome.cost.cost.spotSavings).toBeCloseTo(1 - 1191 / 3723, 10);
  });
});

describe('pollTrainingJob with max-cost when StopTrainingJob fails', () => {
  it('tries the stop again at the next poll, and reports the stop once it went through', async () => {
    const clock = fakeClock(T0.getTime());
    const log = recordingLog();
    let stopCalls = 0;
    let stopped = false;
    sm.on(StopTrainingJobCommand).callsFake(() => {
      stopCalls++;
      if (stopCalls === 1) {
        throw Object.assign(new Error('not authorized to perform sagemaker:StopTrainingJob'), {
          name: 'AccessDeniedException',
        });
      }
      stopped = true;
      return {};
    });
    sm.on(DescribeTrainingJobCommand).callsFake(() =>
      stopped
        ? describeResponse('Stopped', [S, D, T, transition('Stopped', 9700)])
        : describeResponse('InProgress', [S, D, T]),
    );
    const outcome = await pollTrainingJob(client, 'job-1', {
      log,
      timeoutMs: 86_400_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      retry: { attempts: 1 },
      costCap: capPlan(),
    });
    expect(stopCalls).toBe(2);
    expect(outcome.status).toBe('Stopped');
    expect(outcome.costCapStop?.maxCostUsd).toBe(10);
    expect(log.lines.some((l) => l.level === 'warning' && /Could not stop/.test(l.message))).toBe(
      true,
    );
  });
});
