// The S3 clients' retry strategy: per request, jittered, bounded by a deadline, with no shared
// quota for a bad minute to drain (the SDK's standard strategy refuses retries once its 500-token
// bucket is empty, and its adaptive mode shares that bucket).
import { describe, expect, it } from '@jest/globals';
import { createS3Client } from '../src/aws.js';
import { deadlineRetryStrategy, type SdkRetryErrorInfo } from '../src/retry.js';

const transient: SdkRetryErrorInfo = { errorType: 'TRANSIENT' };
const throttled: SdkRetryErrorInfo = { errorType: 'THROTTLING' };

describe('deadlineRetryStrategy', () => {
  it('never runs dry: thousands of retries across requests, each within its own deadline', async () => {
    const t = 0;
    const strategy = deadlineRetryStrategy({ now: () => t, random: () => 0.5 });
    let retries = 0;
    for (let request = 0; request < 500; request++) {
      let token = await strategy.acquireInitialRetryToken('');
      for (let i = 0; i < 4; i++) {
        token = await strategy.refreshRetryTokenForRetry(token, i % 2 ? throttled : transient);
        retries++;
      }
      strategy.recordSuccess(token);
    }
    expect(retries).toBe(2000);
  });

  it('backs off with full jitter, longer for throttling, and stops at the deadline', async () => {
    let t = 0;
    const strategy = deadlineRetryStrategy({
      now: () => t,
      random: () => 0.999,
      deadlineMs: 30_000,
      capMs: 10_000,
    });
    let token = await strategy.acquireInitialRetryToken('');
    const delays: number[] = [];
    for (;;) {
      try {
        token = await strategy.refreshRetryTokenForRetry(token, transient);
      } catch {
        break;
      }
      delays.push(token.getRetryDelay());
      t += token.getRetryDelay();
    }
    expect(delays.slice(0, 4)).toEqual([199, 399, 799, 1598]);
    expect(Math.max(...delays)).toBeLessThan(10_000);
    expect(t).toBeLessThanOrEqual(30_000);
    const slow = await strategy.refreshRetryTokenForRetry(
      await strategy.acquireInitialRetryToken(''),
      throttled,
    );
    expect(slow.getRetryDelay()).toBe(999);
  });

  it('does not retry client errors, and honours maxAttempts when given', async () => {
    const strategy = deadlineRetryStrategy({ maxAttempts: 2 });
    const first = await strategy.acquireInitialRetryToken('');
    await expect(
      strategy.refreshRetryTokenForRetry(first, { errorType: 'CLIENT_ERROR' }),
    ).rejects.toThrow();
    // S3's RequestTimeout is a 400 the SDK calls a client error; it is worth another attempt.
    const again = await strategy.refreshRetryTokenForRetry(first, {
      errorType: 'CLIENT_ERROR',
      error: Object.assign(new Error('timeout'), { name: 'RequestTimeout' }),
    });
    await expect(strategy.refreshRetryTokenForRetry(again, transient)).rejects.toThrow();
  });

  it('is what createS3Client uses', async () => {
    const s3 = createS3Client({
      region: 'us-east-1',
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' },
    });
    const strategy = (await s3.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('deadline');
    s3.destroy();
  });
});
