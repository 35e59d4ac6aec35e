// Lifecycle paths with a mocked SageMakerClient: moto completes jobs at once, so transitions,
// throttling, spot interruptions and re-runs are only testable this way.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  SageMakerClient,
  SageMakerServiceException,
  StopTrainingJobCommand,
  type CreateTrainingJobCommandInput,
} from '@aws-sdk/client-sagemaker';
import {
  describeToOutcome,
  pollTrainingJob,
  startOrAttach,
  stopTrainingJob,
  withJobName,
} from '../../src/training/sagemaker.js';
import { suffixJobName } from '../../src/jobname.js';
import { buildTrainingJobRequest, metricDefinitionsFromFile } from '../../src/training/request.js';
import type { TransitionEvent } from '../../src/training/status.js';
import {
  IMAGE,
  describeResponse,
  fakeClock,
  makeConfig,
  recordingLog,
  transition,
} from './fixtures.js';

const REGION = 'eu-west-1';
const client = new SageMakerClient({
  region: REGION,
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const sm = mockClient(client);

beforeEach(() => {
  sm.reset();
});

function awsError(name: string, message: string, status = 400): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });
}

const notFound = () => awsError('ValidationException', 'Requested resource not found.');
const throttled = () => awsError('ThrottlingException', 'Rate exceeded');

function pollOptions(clock = fakeClock(), log = recordingLog(), timeoutMs = 3_600_000) {
  const events: TransitionEvent[] = [];
  return {
    clock,
    log,
    events,
    options: {
      log,
      timeoutMs,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
      initialDelayMs: 5_000,
      maxDelayMs: 60_000,
      onTransition: (e: TransitionEvent) => void events.push(e),
      retry: { attempts: 4, baseMs: 1_000, capMs: 20_000 },
    },
  };
}

const S = transition('Starting', 0, 'Launching requested ML instances');
const D = transition('Downloading', 120, 'Downloading input data');
const T = transition('Training', 240, 'Training image download completed. Training in progress.');
const U = transition('Uploading', 3840, 'Uploading generated training model');
const C = transition('Completed', 3900, 'Training job completed');

describe('pollTrainingJob', () => {
  it('follows Starting -> Downloading -> Training -> Uploading -> Completed, printing each transition once', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', []))
      .resolvesOnce(describeResponse('InProgress', [S]))
      .resolvesOnce(describeResponse('InProgress', [S]))
      .resolvesOnce(describeResponse('InProgress', [S, D]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T, U]))
      .resolves(
        describeResponse('Completed', [S, D, T, U, C], {
          TrainingTimeInSeconds: 3900,
          BillableTimeInSeconds: 1200,
          ModelArtifacts: {
            S3ModelArtifacts: 's3://floorplans-ml/yolo-training/output/job-1/output/model.tar.gz',
          },
          FinalMetricDataList: [
            { MetricName: 'map50', Value: 0.91, Timestamp: new Date() },
            { MetricName: 'recall', Value: 0.88, Timestamp: new Date() },
          ],
        }),
      );
    const { options, log, events, clock } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);

    expect(events.map((e) => e.status)).toEqual([
      'Starting',
      'Downloading',
      'Training',
      'Uploading',
      'Completed',
    ]);
    const info = log.lines.filter((l) => l.level === 'info').map((l) => l.message);
    expect(info.slice(0, 5)).toEqual([
      '[+0s] Starting: Launching requested ML instances',
      '[+2m 00s] Downloading: Downloading input data',
      '[+4m 00s] Training: Training image download completed. Training in progress.',
      '[+1h 04m 00s] Uploading: Uploading generated training model',
      '[+1h 05m 00s] Completed: Training job completed',
    ]);
    expect(info[5]).toBe(
      'Training job job-1: Completed, training 1h 05m 00s, billable 20m 00s, spot savings 69%',
    );
    expect(log.lines.some((l) => l.level !== 'info')).toBe(false);
    expect(sm.commandCalls(DescribeTrainingJobCommand)).toHaveLength(8);
    // Short at first, growing, reset after each new transition.
    expect(clock.sleeps).toEqual([5000, 5000, 7500, 5000, 5000, 7500, 5000]);

    expect(outcome).toMatchObject({
      jobName: 'job-1',
      status: 'Completed',
      secondaryStatus: 'Completed',
      modelArtifactsUri: 's3://floorplans-ml/yolo-training/output/job-1/output/model.tar.gz',
      outputDataUri: 's3://floorplans-ml/yolo-training/output/job-1/output/output.tar.gz',
      trainingSeconds: 3900,
      billableSeconds: 1200,
      finalMetrics: { map50: 0.91, recall: 0.88 },
      spot: true,
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/sagemaker/home?region=eu-west-1#/jobs/job-1',
    });
    expect(outcome.timedOut).toBeUndefined();
  });

  it('caps the poll interval at maxDelayMs while nothing changes', async () => {
    const responses = [describeResponse('InProgress', [S, D, T])];
    let call = 0;
    sm.on(DescribeTrainingJobCommand).callsFake(() =>
      ++call < 12 ? responses[0] : describeResponse('Completed', [S, D, T, C]),
    );
    const { options, clock } = pollOptions();
    await pollTrainingJob(client, 'job-1', options);
    expect(Math.max(...clock.sleeps)).toBe(60_000);
    expect(clock.sleeps.slice(0, 4)).toEqual([5000, 7500, 11250, 16875]);
  });

  it('reports a spot interruption and waits through the restart', async () => {
    const I = transition('Interrupted', 1000, 'Spot instance was interrupted');
    const R = transition('Restarting', 1300, 'Restarting training job');
    const T2 = transition('Training', 1500, 'Training in progress.');
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [S, D, T]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T, I]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T, I, R]))
      .resolvesOnce(describeResponse('InProgress', [S, D, T, I, R, T2]))
      .resolves(describeResponse('Completed', [S, D, T, I, R, T2, C]));
    const { options, log, events } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome.status).toBe('Completed');
    expect(events.map((e) => e.status)).toEqual([
      'Starting',
      'Downloading',
      'Training',
      'Interrupted',
      'Restarting',
      'Training',
      'Completed',
    ]);
    const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /job-1: \[\+16m 40s\] Interrupted: Spot instance was interrupted — spot capacity reclaimed, SageMaker will resume from the last checkpoint/,
    );
    expect(log.lines.map((l) => l.message)).toContainEqual(
      expect.stringMatching(
        /Restarting: Restarting training job — restarting on new spot capacity/,
      ),
    );
  });

  it('ends on Failed with the reason as an error', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [S, D]))
      .resolves(
        describeResponse('Failed', [S, D, transition('Failed', 300, 'Training job failed')], {
          FailureReason: 'AlgorithmError: dataset yaml not found',
        }),
      );
    const { options, log } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome.status).toBe('Failed');
    expect(outcome.failureReason).toBe('AlgorithmError: dataset yaml not found');
    expect(outcome.modelArtifactsUri).toBeUndefined();
    expect(outcome.outputDataUri).toBe(
      's3://floorplans-ml/yolo-training/output/job-1/output/output.tar.gz',
    );
    expect(log.lines.filter((l) => l.level === 'error')).toEqual([
      {
        level: 'error',
        message: 'Training job job-1 failed: AlgorithmError: dataset yaml not found',
      },
    ]);
  });

  it('waits through Stopping and ends on Stopped', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [S, D, T]))
      .resolvesOnce(describeResponse('Stopping', [S, D, T, transition('Stopping', 500)]))
      .resolves(
        describeResponse('Stopped', [
          S,
          D,
          T,
          transition('Stopping', 500),
          transition('Stopped', 560),
        ]),
      );
    const { options, events } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome.status).toBe('Stopped');
    expect(outcome.limitExceeded).toBeUndefined();
    expect(events.map((e) => e.status).slice(-2)).toEqual(['Stopping', 'Stopped']);
  });

  it('flags MaxRuntimeExceeded', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [S, D, T]))
      .resolves(
        describeResponse('Stopped', [
          S,
          D,
          T,
          transition('MaxRuntimeExceeded', 43200, 'Job stopped'),
        ]),
      );
    const { options, log } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome).toMatchObject({
      status: 'Stopped',
      secondaryStatus: 'MaxRuntimeExceeded',
      limitExceeded: 'MaxRuntimeExceeded',
    });
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      expect.stringContaining('MaxRuntimeExceeded: Job stopped — the job hit max-runtime'),
    ]);
  });

  it('survives throttled describes with jittered retries', async () => {
    sm.on(DescribeTrainingJobCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolvesOnce(describeResponse('InProgress', [S]))
      .rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      .resolves(describeResponse('Completed', [S, C]));
    const { options, clock, log } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome.status).toBe('Completed');
    // Retry waits: 0.5 * 1000, 0.5 * 2000, 0.5 * 4000; then the poll interval; then one more retry.
    expect(clock.sleeps).toEqual([500, 1000, 2000, 5000, 500]);
    expect(log.lines.filter((l) => /ThrottlingException; retrying/.test(l.message))).toHaveLength(
      3,
    );
    expect(log.lines.some((l) => l.level === 'warning')).toBe(false);
  });

  it('keeps waiting through an outage longer than one retry budget', async () => {
    let call = 0;
    sm.on(DescribeTrainingJobCommand).callsFake(() => {
      call++;
      if (call === 1) return describeResponse('InProgress', [S]);
      if (call <= 10) throw throttled();
      return describeResponse('Completed', [S, C]);
    });
    const { options, log } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome.status).toBe('Completed');
    const warnings = log.lines.filter((l) => l.level === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /keeps failing \(ThrottlingException\); still waiting for job-1/,
    );
  });

  it('calls onPoll after every describe, also the last, and only warns once when it fails', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce(describeResponse('InProgress', [S]))
      .resolvesOnce(describeResponse('InProgress', [S, D]))
      .resolves(describeResponse('Failed', [S, D], { FailureReason: 'boom' }));
    let calls = 0;
    const { options, log } = pollOptions();
    await pollTrainingJob(client, 'job-1', {
      ...options,
      onPoll: async () => {
        calls++;
        if (calls > 1) throw new Error('log group gone');
      },
    });
    expect(calls).toBe(3);
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toEqual([
      'Could not follow the training log: log group gone',
    ]);
  });

  it('does not retry an error that retrying cannot fix', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(
      awsError('AccessDeniedException', 'not allowed', 403),
    );
    const { options } = pollOptions();
    await expect(pollTrainingJob(client, 'job-1', options)).rejects.toThrow('not allowed');
    expect(sm.commandCalls(DescribeTrainingJobCommand)).toHaveLength(1);
  });

  it('stops at the overall timeout with the last status seen', async () => {
    sm.on(DescribeTrainingJobCommand).resolves(describeResponse('InProgress', [S, D, T]));
    const { options, log, clock } = pollOptions(fakeClock(), recordingLog(), 10 * 60_000);
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(outcome).toMatchObject({
      status: 'InProgress',
      secondaryStatus: 'Training',
      timedOut: true,
    });
    expect(clock.t).toBe(10 * 60_000);
    expect(log.lines.at(-1)).toEqual({
      level: 'warning',
      message: expect.stringContaining(
        'Stopped waiting for job-1 after 600 s; it is still InProgress (Training)',
      ),
    });
  });

  it('falls back on SecondaryStatus when no transitions are reported, and accepts unknown statuses', async () => {
    sm.on(DescribeTrainingJobCommand)
      .resolvesOnce({ ...describeResponse('InProgress', []), SecondaryStatus: 'Starting' })
      .resolvesOnce({ ...describeResponse('InProgress', []), SecondaryStatus: 'Starting' })
      .resolvesOnce({ ...describeResponse('InProgress', []), SecondaryStatus: 'Pending' as never })
      .resolves({ ...describeResponse('Completed', []), SecondaryStatus: 'Completed' });
    const { options, events } = pollOptions();
    const outcome = await pollTrainingJob(client, 'job-1', options);
    expect(events.map((e) => e.status)).toEqual(['Starting', 'Pending', 'Completed']);
    expect(outcome.status).toBe('Completed');
  });
});

describe('describeToOutcome', () => {
  it('is tolerant of a sparse response', () => {
    const outcome = describeToOutcome({ TrainingJobName: 'x' } as never, 'us-east-1');
    expect(outcome).toMatchObject({
      jobName: 'x',
      status: 'Unknown',
      finalMetrics: {},
      spot: false,
      instanceCount: 1,
    });
  });

  it('records MaxWaitTimeExceeded', () => {
    const outcome = describeToOutcome(
      describeResponse('Stopped', [transition('MaxWaitTimeExceeded', 10)]),
      REGION,
    );
    expect(outcome.limitExceeded).toBe('MaxWaitTimeExceeded');
  });
});

describe('startOrAttach', () => {
  const request = (): CreateTrainingJobCommandInput =>
    buildTrainingJobRequest({
      config: makeConfig(),
      imageUri: IMAGE,
      dataset: { kind: 's3-prefix', uri: 's3://floorplans-ml/datasets/v3/' },
      hyperparameters: { epochs: '100' },
      metricDefinitions: metricDefinitionsFromFile(),
      jobName: 'floorplans-pr-12-abc1234',
    });
  const fast = { sleep: async () => {}, random: () => 0 };

  it('creates the job when none exists', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(notFound());
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const log = recordingLog();
    const result = await startOrAttach(client, request(), { derivedName: true, log, retry: fast });
    expect(result).toMatchObject({ jobName: 'floorplans-pr-12-abc1234', attached: false });
    expect(result.alreadyEnded).toBeUndefined();
    expect(sm.commandCalls(CreateTrainingJobCommand)[0]?.args[0].input).toEqual(request());
    expect(log.lines[0]?.message).toContain('Started training job floorplans-pr-12-abc1234');
  });

  it('also treats ResourceNotFound as absent', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(awsError('ResourceNotFound', 'nope'));
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const result = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(result.attached).toBe(false);
  });

  it('attaches to a job that is already in progress', async () => {
    sm.on(DescribeTrainingJobCommand).resolves(describeResponse('InProgress', [S, D, T]));
    const log = recordingLog();
    const result = await startOrAttach(client, request(), { derivedName: true, log, retry: fast });
    expect(result).toMatchObject({ jobName: 'floorplans-pr-12-abc1234', attached: true });
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
    expect(log.lines[0]?.message).toMatch(/already InProgress; attaching/);
  });

  it('reports a Completed job without retraining', async () => {
    sm.on(DescribeTrainingJobCommand).resolves(
      describeResponse('Completed', [S, C], {
        TrainingJobName: 'floorplans-pr-12-abc1234',
        FinalMetricDataList: [{ MetricName: 'map50', Value: 0.9, Timestamp: new Date() }],
      }),
    );
    const result = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
    expect(result.attached).toBe(true);
    expect(result.alreadyEnded).toMatchObject({
      status: 'Completed',
      finalMetrics: { map50: 0.9 },
      region: REGION,
    });
  });

  it('an explicit job-name reports its Completed job only when it trained the same inputs', async () => {
    const req = request();
    const same = describeResponse('Completed', [S, C], {
      TrainingJobName: req.TrainingJobName,
      AlgorithmSpecification: req.AlgorithmSpecification,
      HyperParameters: req.HyperParameters,
      InputDataConfig: req.InputDataConfig,
    });
    sm.on(DescribeTrainingJobCommand).resolves(same);
    const result = await startOrAttach(client, req, {
      derivedName: false,
      log: recordingLog(),
      retry: fast,
    });
    expect(result.alreadyEnded?.status).toBe('Completed');

    // Same name, new data and epochs (a nightly workflow with a fixed name): refuse, name the differences.
    sm.reset();
    sm.on(DescribeTrainingJobCommand).resolves({
      ...same,
      HyperParameters: { ...req.HyperParameters, epochs: '1' },
      InputDataConfig: [
        {
          ChannelName: 'training',
          DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/old/' } },
        },
      ],
    });
    await expect(
      startOrAttach(client, req, { derivedName: false, log: recordingLog(), retry: fast }),
    ).rejects.toThrow(
      /already exists \(Completed\) with different hyperparameters, data\. .*set a new job-name/,
    );
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  it('starts a fresh -r2 job (with its own checkpoints) after a Failed one', async () => {
    sm.on(DescribeTrainingJobCommand, { TrainingJobName: 'floorplans-pr-12-abc1234' })
      .resolves(describeResponse('Failed', [S], { FailureReason: 'CapacityError' }))
      .on(DescribeTrainingJobCommand, { TrainingJobName: 'floorplans-pr-12-abc1234-r2' })
      .rejects(notFound());
    sm.on(CreateTrainingJobCommand).resolves({ TrainingJobArn: 'arn' });
    const result = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(result).toMatchObject({ jobName: 'floorplans-pr-12-abc1234-r2', attached: false });
    const sent = sm.commandCalls(CreateTrainingJobCommand)[0]?.args[0].input;
    expect(sent?.TrainingJobName).toBe('floorplans-pr-12-abc1234-r2');
    expect(sent?.CheckpointConfig?.S3Uri).toBe(
      's3://floorplans-ml/yolo-training/checkpoints/floorplans-pr-12-abc1234-r2/',
    );
  });

  it('skips suffixes whose jobs also ended and attaches to a running -r3', async () => {
    sm.on(DescribeTrainingJobCommand, { TrainingJobName: 'floorplans-pr-12-abc1234' })
      .resolves(describeResponse('Stopped', [S]))
      .on(DescribeTrainingJobCommand, { TrainingJobName: 'floorplans-pr-12-abc1234-r2' })
      .resolves(describeResponse('Failed', [S]))
      .on(DescribeTrainingJobCommand, { TrainingJobName: 'floorplans-pr-12-abc1234-r3' })
      .resolves(describeResponse('InProgress', [S]));
    const result = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(result).toMatchObject({ jobName: 'floorplans-pr-12-abc1234-r3', attached: true });
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  it('refuses to replace a failed job with an explicit name', async () => {
    sm.on(DescribeTrainingJobCommand).resolves(
      describeResponse('Failed', [S], { FailureReason: 'oom' }),
    );
    await expect(
      startOrAttach(client, request(), { derivedName: false, log: recordingLog(), retry: fast }),
    ).rejects.toThrow(/already exists and ended Failed \(oom\).*set a new job-name/);
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(0);
  });

  it('attaches when another run wins the race to create the same name', async () => {
    sm.on(DescribeTrainingJobCommand)
      .rejectsOnce(notFound())
      .resolves(describeResponse('InProgress', [S]));
    sm.on(CreateTrainingJobCommand).rejects(
      awsError('ResourceInUse', 'Training job already exists'),
    );
    const result = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(result.jobName).toBe('floorplans-pr-12-abc1234');
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(1);
  });

  it('retries a throttled create and validates the request before sending it', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(notFound());
    sm.on(CreateTrainingJobCommand).rejectsOnce(throttled()).resolves({ TrainingJobArn: 'arn' });
    const ok = await startOrAttach(client, request(), {
      derivedName: true,
      log: recordingLog(),
      retry: fast,
    });
    expect(ok.attached).toBe(false);
    expect(sm.commandCalls(CreateTrainingJobCommand)).toHaveLength(2);

    const bad = { ...request(), RoleArn: 'nope' };
    await expect(
      startOrAttach(client, bad, { derivedName: true, log: recordingLog(), retry: fast }),
    ).rejects.toThrow(/RoleArn "nope"/);
  });
});

describe('job name helpers', () => {
  it('suffixes within 63 characters without leaving a trailing hyphen', () => {
    expect(suffixJobName('abc', 2)).toBe('abc-r2');
    const long = `${'a'.repeat(59)}-bcdef`;
    const name = suffixJobName(long, 12);
    expect(name).toBe(`${'a'.repeat(59)}-r12`);
    expect(name.length).toBeLessThanOrEqual(63);
    expect(suffixJobName('x'.repeat(63), 3)).toHaveLength(63);
  });

  it('moves the checkpoint dir with the name', () => {
    const req = {
      TrainingJobName: 'a',
      CheckpointConfig: { S3Uri: 's3://b/p/checkpoints/a/' },
    } as CreateTrainingJobCommandInput;
    expect(withJobName(req, 'a-r2').CheckpointConfig?.S3Uri).toBe('s3://b/p/checkpoints/a-r2/');
  });
});

describe('stopTrainingJob', () => {
  it('calls StopTrainingJob', async () => {
    sm.on(StopTrainingJobCommand).resolves({});
    const result = await stopTrainingJob(client, 'job-1', recordingLog());
    expect(result.action).toBe('stop-requested');
    expect(sm.commandCalls(StopTrainingJobCommand)[0]?.args[0].input).toEqual({
      TrainingJobName: 'job-1',
    });
  });

  it('is tolerant of a job that already ended or does not exist', async () => {
    sm.on(StopTrainingJobCommand)
      .rejectsOnce(
        awsError(
          'ValidationException',
          'The request was rejected because the training job is in status Completed.',
        ),
      )
      .rejectsOnce(notFound());
    expect((await stopTrainingJob(client, 'job-1', recordingLog())).action).toBe('already-ended');
    expect((await stopTrainingJob(client, 'job-1', recordingLog())).action).toBe('not-found');
  });

  it('turns other failures into a warning instead of throwing', async () => {
    sm.on(StopTrainingJobCommand).rejects(
      awsError('AccessDeniedException', 'no sagemaker:StopTrainingJob', 403),
    );
    const log = recordingLog();
    const result = await stopTrainingJob(client, 'job-1', log);
    expect(result.action).toBe('failed');
    expect(log.lines).toEqual([
      {
        level: 'warning',
        message: expect.stringContaining(
          'Could not stop training job job-1: AccessDeniedException',
        ),
      },
    ]);
  });
});
