import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { backoffDelay, isTransientAwsError, withRetry } from '../../src/retry.js';

function awsError(name: string, status = 400): SageMakerServiceException {
  return new SageMakerServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message: `${name} happened`,
  });
}

describe('backoffDelay', () => {
  it('stays within [0, min(cap, base * 2^(attempt-1))) for any jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, base, cap, r) => {
          const d = backoffDelay(attempt, base, cap, () => r);
          const window = Math.min(cap, base * 2 ** (attempt - 1));
          return d >= 0 && d < Math.max(1, window) && Number.isInteger(d);
        },
      ),
    );
  });

  it('grows exponentially and is capped', () => {
    const top = () => 0.999999;
    expect(backoffDelay(1, 100, 10_000, top)).toBe(99);
    expect(backoffDelay(3, 100, 10_000, top)).toBe(399);
    expect(backoffDelay(20, 100, 10_000, top)).toBe(9999);
    expect(backoffDelay(5, 100, 10_000, () => 0)).toBe(0);
  });
});

describe('withRetry', () => {
  it('retries transient errors with jittered, growing delays and returns the result', async () => {
    const sleeps: number[] = [];
    const retries: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async (attempt) => {
        calls++;
        if (attempt < 4) throw awsError('ThrottlingException');
        return 'ok';
      },
      {
        attempts: 5,
        baseMs: 100,
        capMs: 250,
        random: () => 0.5,
        sleep: async (ms) => void sleeps.push(ms),
        onRetry: ({ attempt }) => void retries.push(attempt),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(retries).toEqual([1, 2, 3]);
    expect(sleeps).toEqual([50, 100, 125]); // 0.5 * min(250, 100, 200, 400)
  });

  it('gives up after `attempts` and rethrows the last error', async () => {
    let calls = 0;
    const err = awsError('ServiceUnavailable', 503);
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        { attempts: 3, sleep: async () => {} },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(3);
  });

  it('passes non-retryable errors through at once', async () => {
    let calls = 0;
    const err = awsError('AccessDeniedException', 403);
    await expect(
      withRetry(
        async () => {
          calls++;
          throw err;
        },
        { attempts: 5, sleep: async () => {} },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('honours a custom isRetryable', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error('flaky');
        },
        {
          attempts: 2,
          isRetryable: (e) => (e as Error).message === 'flaky',
          sleep: async () => {},
        },
      ),
    ).rejects.toThrow('flaky');
    expect(calls).toBe(2);
  });

  it('starts no attempt once the signal is aborted and does not retry after an abort', async () => {
    const aborted = new AbortController();
    aborted.abort();
    let calls = 0;
    const fn = async () => {
      calls++;
      return 'ok';
    };
    await expect(withRetry(fn, { signal: aborted.signal })).rejects.toThrow();
    expect(calls).toBe(0);

    const controller = new AbortController();
    const err = awsError('ThrottlingException');
    await expect(
      withRetry(
        async () => {
          calls++;
          controller.abort();
          throw err;
        },
        { attempts: 5, signal: controller.signal, sleep: async () => {} },
      ),
    ).rejects.toBe(err);
    expect(calls).toBe(1);
  });
});

describe('isTransientAwsError', () => {
  it.each([
    'ThrottlingException',
    'Throttling',
    'TooManyRequestsException',
    'RequestLimitExceeded',
    'ProvisionedThroughputExceededException',
    'TimeoutError',
  ])('treats %s as transient', (name) => {
    expect(isTransientAwsError(awsError(name))).toBe(true);
  });

  it('treats 5xx and 429 as transient, other 4xx not', () => {
    expect(isTransientAwsError(awsError('SomethingBroke', 500))).toBe(true);
    expect(isTransientAwsError(awsError('SomethingElse', 429))).toBe(true);
    expect(isTransientAwsError(awsError('ValidationException', 400))).toBe(false);
    expect(isTransientAwsError(awsError('ResourceLimitExceeded', 400))).toBe(false);
  });

  it('recognises network errors, also when wrapped as a cause', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']) {
      expect(isTransientAwsError(Object.assign(new Error('x'), { code }))).toBe(true);
    }
    expect(isTransientAwsError(new Error('socket hang up'))).toBe(true);
    const wrapped = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read'), { code: 'ECONNRESET' }),
    });
    expect(isTransientAwsError(wrapped)).toBe(true);
  });

  it('rejects plain errors and non-errors', () => {
    expect(isTransientAwsError(new Error('bad input'))).toBe(false);
    expect(isTransientAwsError(undefined)).toBe(false);
    expect(isTransientAwsError('ThrottlingException')).toBe(false);
  });
});
