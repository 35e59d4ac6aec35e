import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchLogsClient,
  CloudWatchLogsServiceException,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { TrainingLogTailer, hostOfStream } from '../../src/training/logs.js';

const client = new CloudWatchLogsClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const cw = mockClient(client);
beforeEach(() => {
  cw.reset();
});

const ev = (message: string) => ({ message, timestamp: 1, ingestionTime: 1 });
const missing = () =>
  new CloudWatchLogsServiceException({
    name: 'ResourceNotFoundException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'The specified log group does not exist.',
  });

describe('TrainingLogTailer', () => {
  it('prints nothing (and does not fail) before the log group or streams exist', async () => {
    cw.on(DescribeLogStreamsCommand).rejectsOnce(missing()).resolves({ logStreams: [] });
    const lines: string[] = [];
    const tailer = new TrainingLogTailer(client, 'job-1', { write: (l) => void lines.push(l) });
    expect(await tailer.poll()).toBe(0);
    expect(await tailer.poll()).toBe(0);
    expect(lines).toEqual([]);
    expect(cw.commandCalls(DescribeLogStreamsCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: '/aws/sagemaker/TrainingJobs',
      logStreamNamePrefix: 'job-1/',
    });
  });

  it('continues each stream from its forward token and prints every line once', async () => {
    cw.on(DescribeLogStreamsCommand).resolves({
      logStreams: [{ logStreamName: 'job-1/algo-1-1700' }],
    });
    cw.on(GetLogEventsCommand)
      .resolvesOnce({ events: [ev('epoch 1\n'), ev('epoch 2')], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/1' })
      .resolvesOnce({ events: [ev('epoch 3')], nextForwardToken: 'f/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2' });
    const lines: string[] = [];
    const tailer = new TrainingLogTailer(client, 'job-1', { write: (l) => void lines.push(l) });
    expect(await tailer.poll()).toBe(2);
    expect(await tailer.poll()).toBe(1);
    expect(lines).toEqual(['epoch 1', 'epoch 2', 'epoch 3']);
    const tokens = cw.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.nextToken);
    expect(tokens).toEqual([undefined, 'f/1', 'f/1', 'f/2']);
  });

  it('picks up a stream that appears after a spot restart and prefixes lines by host', async () => {
    cw.on(DescribeLogStreamsCommand)
      .resolvesOnce({ logStreams: [{ logStreamName: 'job-1/algo-1-1700' }] })
      .resolves({
        logStreams: [
          { logStreamName: 'job-1/algo-1-1700' },
          { logStreamName: 'job-1/algo-1-1900' },
        ],
      });
    cw.on(GetLogEventsCommand, { logStreamName: 'job-1/algo-1-1700' })
      .resolvesOnce({ events: [ev('before')], nextForwardToken: 'a1' })
      .resolves({ events: [], nextForwardToken: 'a1' })
      .on(GetLogEventsCommand, { logStreamName: 'job-1/algo-1-1900' })
      .resolvesOnce({ events: [ev('resumed from last.pt')], nextForwardToken: 'b1' })
      .resolves({ events: [], nextForwardToken: 'b1' });
    const lines: string[] = [];
    const tailer = new TrainingLogTailer(client, 'job-1', { write: (l) => void lines.push(l) });
    await tailer.poll();
    await tailer.poll();
    expect(lines).toEqual(['before', '[algo-1] resumed from last.pt']);
    expect(tailer.streams).toEqual(['job-1/algo-1-1700', 'job-1/algo-1-1900']);
  });

  it('bounds the pages read per poll', async () => {
    cw.on(DescribeLogStreamsCommand).resolves({
      logStreams: [{ logStreamName: 'job-1/algo-1-1' }],
    });
    let n = 0;
    cw.on(GetLogEventsCommand).callsFake(() => ({
      events: [ev('x')],
      nextForwardToken: `t${++n}`,
    }));
    const tailer = new TrainingLogTailer(client, 'job-1', {
      write: () => {},
      maxPagesPerStream: 3,
    });
    expect(await tailer.poll()).toBe(3);
  });

  it('names the host of a stream', () => {
    expect(hostOfStream('job-1', 'job-1/algo-2-1700000000')).toBe('algo-2');
  });
});
