// Static credentials (configure-aws-credentials' one hour) expiring mid-poll: the action says so
// in words, leaves the job running (the post step must not try to stop it) and says how to gate
// it later; never a bare SDK error.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeTrainingJobCommand,
  SageMakerClient,
  SageMakerServiceException,
} from '@aws-sdk/client-sagemaker';
import { runPipeline, type PipelineIO, type Stages } from '../../src/pipeline.js';
import { pollTrainingJob } from '../../src/training/sagemaker.js';
import { testConfig } from '../helpers/config.js';
import { describeResponse, fakeClock, recordingLog, transition } from './fixtures.js';

const client = new SageMakerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 'c' },
});
const sm = mockClient(client);
beforeEach(() => {
  sm.reset();
});

const expired = (name: string) =>
  new SageMakerServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'The security token included in the request is expired',
  });

const training = describeResponse('InProgress', [
  transition('Starting', 0),
  transition('Training', 240),
]);

describe('credentials that expire while polling', () => {
  it.each(['ExpiredTokenException', 'ExpiredToken'])(
    '%s: the wait ends in words, the job is left running, and the way to gate it later is given',
    async (code) => {
      sm.on(DescribeTrainingJobCommand)
        .resolvesOnce(training)
        .resolvesOnce(training)
        .rejects(expired(code));
      const clock = fakeClock();
      const log = recordingLog();
      const outcome = await pollTrainingJob(client, 'job-1', {
        log,
        timeoutMs: 6 * 3600_000,
        sleep: clock.sleep,
        now: clock.now,
        random: () => 0.5,
      });
      expect(outcome).toMatchObject({
        jobName: 'job-1',
        status: 'InProgress',
        credentialsExpired: true,
      });
      expect(outcome.timedOut).toBeUndefined();
      // No retry of an error that no retry can fix.
      expect(sm.commandCalls(DescribeTrainingJobCommand)).toHaveLength(3);
      const errors = log.lines.filter((l) => l.level === 'error').map((l) => l.message);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(
        `The AWS credentials expired while waiting for training job job-1 (${code})`,
      );
      expect(errors[0]).toContain(
        'The job keeps running: https://eu-west-1.console.aws.amazon.com/',
      );
      expect(errors[0]).toContain('`sagemaker-yolo report job-1`');
      expect(errors[0]).toContain('role-to-assume');
      expect(errors[0]).not.toMatch(/\n\s+at /); // no stack
    },
  );

  it('other credential errors (access denied) still end the wait with the error', async () => {
    sm.on(DescribeTrainingJobCommand).rejects(
      new SageMakerServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
        message: 'not authorized',
      }),
    );
    const clock = fakeClock();
    await expect(
      pollTrainingJob(client, 'job-1', {
        log: recordingLog(),
        timeoutMs: 60_000,
        sleep: clock.sleep,
        now: clock.now,
      }),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
  });

  it('the pipeline reports it, fails with the same advice, and marks the wait over so the post step leaves the job alone', async () => {
    const jobStates: [string, boolean][] = [];
    const reported: unknown[] = [];
    const stages = {
      validateDataset: async () => {},
      prepareDataset: async () => ({
        ref: { uri: 's3://b/d/' },
        input: { kind: 's3-prefix', uri: 's3://b/d/' },
      }),
      resolveImage: async () => ({ imageUri: 'img:1', tag: '1', built: false }),
      training: {
        kind: 'sagemaker',
        launch: async () => ({ jobName: 'job-1', attached: false }),
        wait: async () => ({
          jobName: 'job-1',
          status: 'InProgress',
          finalMetrics: {},
          instanceType: 'ml.g5.xlarge',
          instanceCount: 1,
          spot: true,
          consoleUrl: '',
          region: 'us-east-1',
          credentialsExpired: true,
        }),
        describe: async () => {
          throw new Error('not called');
        },
      },
      readMetrics: async () => {
        throw new Error('no metrics for a running job');
      },
      report: async (input) => (reported.push(input.outcome), {}),
    } satisfies Stages;
    const io: PipelineIO = {
      group: (_name, fn) => fn(),
      info: () => {},
      notice: () => {},
      setOutput: () => {},
      jobState: (job, ended) => void jobStates.push([job, ended]),
    };
    const result = await runPipeline(testConfig({ datasetS3Uri: 's3://b/d/' }), stages, io);
    expect(result.passed).toBe(false);
    expect(result.failure).toMatch(
      /^The AWS credentials expired while waiting for training job job-1; the job keeps running/,
    );
    expect(result.failure).toContain('`sagemaker-yolo report job-1`');
    expect(jobStates.at(-1)).toEqual(['job-1', true]);
    expect(reported).toHaveLength(1);
  });
});
