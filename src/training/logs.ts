// Tails a training job's CloudWatch log into the action log while it is polled. Streams are
// `<job>/algo-<host>-<epoch>` in /aws/sagemaker/TrainingJobs; they appear only once the
// container starts, and a spot restart adds a new one, so the stream list is re-read each poll.
import {
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  type CloudWatchLogsClient,
} from '@aws-sdk/client-cloudwatch-logs';
import { withRetry, type RetryOptions } from '../retry.js';

export const TRAINING_LOG_GROUP = '/aws/sagemaker/TrainingJobs';

export interface LogTailOptions {
  /** Receives each log line, already prefixed with its host when the job has several streams. */
  write: (line: string) => void;
  retry?: Pick<RetryOptions, 'attempts' | 'baseMs' | 'capMs' | 'sleep' | 'random'>;
  /** Bounds one poll's work so a chatty job cannot stall the status polling. */
  maxPagesPerStream?: number;
  maxStreamPages?: number;
}

/** `job/algo-1-1700000000` -> `algo-1`. */
export function hostOfStream(jobName: string, stream: string): string {
  const rest = stream.startsWith(`${jobName}/`) ? stream.slice(jobName.length + 1) : stream;
  return rest.replace(/-\d+$/, '');
}

function isMissing(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';
}

export class TrainingLogTailer {
  private readonly tokens = new Map<string, string | undefined>();
  private readonly options: Required<Omit<LogTailOptions, 'retry'>> & Pick<LogTailOptions, 'retry'>;

  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly jobName: string,
    options: LogTailOptions,
  ) {
    this.options = { maxPagesPerStream: 5, maxStreamPages: 5, ...options };
  }

  /** Streams seen so far, in the order they were found. */
  get streams(): string[] {
    return [...this.tokens.keys()];
  }

  /** Writes the lines logged since the last call; returns how many. */
  async poll(): Promise<number> {
    await this.discoverStreams();
    const names = this.streams;
    const prefix = names.length > 1;
    let written = 0;
    for (const stream of names) {
      written += await this.drain(stream, prefix ? `[${hostOfStream(this.jobName, stream)}] ` : '');
    }
    return written;
  }

  private async discoverStreams(): Promise<void> {
    let nextToken: string | undefined;
    for (let page = 0; page < this.options.maxStreamPages; page++) {
      let res;
      try {
        res = await withRetry(
          () =>
            this.client.send(
              new DescribeLogStreamsCommand({
                logGroupName: TRAINING_LOG_GROUP,
                logStreamNamePrefix: `${this.jobName}/`,
                ...(nextToken ? { nextToken } : {}),
              }),
            ),
          this.options.retry,
        );
      } catch (error) {
        if (isMissing(error)) return; // no job has logged in this account/region yet
        throw error;
      }
      for (const s of res.logStreams ?? []) {
        if (s.logStreamName && !this.tokens.has(s.logStreamName)) {
          this.tokens.set(s.logStreamName, undefined);
        }
      }
      nextToken = res.nextToken;
      if (!nextToken) return;
    }
  }

  private async drain(stream: string, prefix: string): Promise<number> {
    let written = 0;
    for (let page = 0; page < this.options.maxPagesPerStream; page++) {
      const token = this.tokens.get(stream);
      const res = await withRetry(
        () =>
          this.client.send(
            new GetLogEventsCommand({
              logGroupName: TRAINING_LOG_GROUP,
              logStreamName: stream,
              startFromHead: true,
              ...(token ? { nextToken: token } : {}),
            }),
          ),
        this.options.retry,
      );
      for (const event of res.events ?? []) {
        const message = (event.message ?? '').replace(/\r?\n$/, '');
        this.options.write(`${prefix}${message}`);
        written++;
      }
      // The same forward token back means the end of the stream for now.
      const next = res.nextForwardToken;
      const done = !next || next === token;
      if (next) this.tokens.set(stream, next);
      if (done || (res.events ?? []).length === 0) break;
    }
    return written;
  }
}
