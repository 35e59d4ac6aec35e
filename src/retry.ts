// Jittered exponential backoff shared by every stage. The SDK clients retry too (adaptive mode);
// this layer covers what outlives those attempts: sustained throttling on long polls, flaky
// networks on self-hosted runners, and emulators that drop connections.

export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) =>
  new Promise((resolve) => {
    setTimeout(resolve, Math.max(0, ms));
  });

export interface RetryInfo {
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  /** How long we wait before the next attempt. */
  delayMs: number;
  error: unknown;
}

export interface RetryOptions {
  /** Total attempts including the first; default 5. */
  attempts?: number;
  /** Scale of the first backoff window; default 500 ms. */
  baseMs?: number;
  /** Largest backoff window; default 20 s. */
  capMs?: number;
  /** Which errors are worth another attempt; default isTransientAwsError. */
  isRetryable?: (error: unknown) => boolean;
  sleep?: Sleep;
  /** In [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
  onRetry?: (info: RetryInfo) => void;
  /** Once aborted, no further attempt starts and a failure is not retried. */
  signal?: AbortSignal;
}

/**
 * Full-jitter backoff (uniform in [0, min(cap, base * 2^(attempt-1)))): spreads out clients that
 * were throttled together instead of having them retry in lockstep.
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const window = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * window);
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const baseMs = options.baseMs ?? 500;
  const capMs = options.capMs ?? 20_000;
  const isRetryable = options.isRetryable ?? isTransientAwsError;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error) || options.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt, baseMs, capMs, random);
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
]);

const TRANSIENT_SERVER = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'ECONNREFUSED',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  $retryable?: unknown;
}

/** Throttling, 5xx/429, timeouts and dropped connections: worth another attempt. */
export function isTransientAwsError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as ErrorLike;
  const names = [e.name, e.code, e.Code].filter((v): v is string => typeof v === 'string');
  if (names.some((n) => THROTTLING.has(n) || TRANSIENT_SERVER.has(n) || NETWORK_CODES.has(n))) {
    return true;
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && (status >= 500 || status === 429)) return true;
  if (e.$retryable) return true;
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET|ETIMEDOUT/i.test(e.message)) {
    return true;
  }
  // fetch/undici and the SDK wrap the network error that matters.
  return isTransientAwsError(e.cause, depth + 1);
}

/** The shape of the SDK's RetryStrategyV2 (@smithy/types), kept here to depend on no internals. */
export interface SdkRetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}
export interface SdkRetryErrorInfo {
  errorType: 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR';
  error?: unknown;
  retryAfterHint?: Date;
}
export interface SdkRetryStrategy {
  mode?: string;
  acquireInitialRetryToken(scope: string): Promise<SdkRetryToken>;
  refreshRetryTokenForRetry(token: SdkRetryToken, info: SdkRetryErrorInfo): Promise<SdkRetryToken>;
  recordSuccess(token: SdkRetryToken): void;
}

export interface DeadlineRetryOptions {
  /** How long one request may keep retrying, from its first attempt; default 120 s. */
  deadlineMs?: number;
  /** Attempts per request at most (default: no limit but the deadline). */
  maxAttempts?: number;
  /** First backoff window; default 200 ms (throttling: 1 s). */
  baseMs?: number;
  /** Largest backoff window; default 10 s. */
  capMs?: number;
  random?: () => number;
  now?: () => number;
}

interface DeadlineToken extends SdkRetryToken {
  readonly started: number;
  readonly count: number;
  readonly delay: number;
}

/**
 * The SDK retry strategy for S3: every request (HEAD, LIST, PUT, each multipart part, ...) retries
 * throttling, 5xx, timeouts and dropped connections with full-jitter backoff until its own deadline.
 * The SDK's standard and adaptive strategies share a retry quota (a 500-token bucket, 5 per retry,
 * 10 per timeout) across the client: a minute of heavy faults empties it, and from then on every
 * request gets one attempt. Here each request has its own budget, so one bad minute costs time, not
 * the sync.
 */
export function deadlineRetryStrategy(options: DeadlineRetryOptions = {}): SdkRetryStrategy {
  const deadlineMs = options.deadlineMs ?? 120_000;
  const maxAttempts = options.maxAttempts ?? Number.POSITIVE_INFINITY;
  const baseMs = options.baseMs ?? 200;
  const capMs = options.capMs ?? 10_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const token = (started: number, count: number, delay: number): DeadlineToken => ({
    started,
    count,
    delay,
    getRetryCount: () => count,
    getRetryDelay: () => delay,
  });
  return {
    mode: 'deadline',
    acquireInitialRetryToken: async () => token(now(), 0, 0),
    async refreshRetryTokenForRetry(previous, info) {
      const t = previous as DeadlineToken;
      const retryable =
        info.errorType !== 'CLIENT_ERROR' ||
        (info.error !== undefined && isTransientAwsError(info.error));
      if (!retryable) throw new Error('not retryable');
      const attempt = t.count + 1;
      if (attempt >= maxAttempts) throw new Error('out of attempts');
      const base = info.errorType === 'THROTTLING' ? Math.max(baseMs, 1_000) : baseMs;
      let delay = backoffDelay(attempt, base, capMs, random);
      const hint = info.retryAfterHint ? info.retryAfterHint.getTime() - now() : 0;
      if (hint > delay) delay = Math.min(hint, capMs);
      if (now() + delay - t.started > deadlineMs) throw new Error('past the deadline');
      return token(t.started, attempt, delay);
    },
    recordSuccess: () => undefined,
  };
}
