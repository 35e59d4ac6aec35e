// The S3 client and the settings every AWS client shares (aws.ts makes the others from them). Its
// own module so that `sync` and `validate` load the S3 SDK alone, not SageMaker, ECR, Logs and
// Pricing too. Endpoint overrides follow the SDKs' and CLI's convention (AWS_ENDPOINT_URL_<SERVICE>
// beats AWS_ENDPOINT_URL) so the same code talks to AWS, to a local emulator in tests and the
// demo, or to a VPC endpoint.
import { S3Client } from '@aws-sdk/client-s3';
import type { CredentialProvider } from './credentials.js';
import { deadlineRetryStrategy } from './retry.js';

export type ServiceId = 'S3' | 'SAGEMAKER' | 'ECR' | 'CLOUDWATCH_LOGS' | 'STS' | 'PRICING';

export interface AwsOptions {
  region: string;
  env?: NodeJS.ProcessEnv;
  /**
   * SDK-level attempts per request. SageMaker, ECR and Logs: adaptive retry mode (default 6). S3:
   * no limit but the per-request deadline unless given (deadlineRetryStrategy).
   */
  maxAttempts?: number;
  /** One shared, refreshing provider (role-to-assume); beats keys in `env`. */
  credentials?: CredentialProvider;
  /** How long one S3 request may keep retrying (default 120 s). */
  s3RetryDeadlineMs?: number;
}

/** The endpoint for a service, or undefined for the AWS default. Pure. */
export function endpointFor(service: ServiceId, env: NodeJS.ProcessEnv): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${service}`]?.trim();
  if (specific) return specific;
  const global = env.AWS_ENDPOINT_URL?.trim();
  return global || undefined;
}

/**
 * Static keys from the given environment, when it has them. The SDK's default chain reads
 * process.env only; taking them from `env` keeps one source for endpoint and credentials.
 */
function credentialsFrom(env: NodeJS.ProcessEnv | undefined) {
  const accessKeyId = env?.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env?.AWS_SECRET_ACCESS_KEY;
  if (!env || env === process.env || !accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export function baseConfig(service: ServiceId, options: AwsOptions) {
  const endpoint = endpointFor(service, options.env ?? process.env);
  const credentials = options.credentials ?? credentialsFrom(options.env);
  return {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: 'adaptive' as const,
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
  };
}

export function createS3Client(options: AwsOptions): S3Client {
  // No retryMode: the retryStrategy below replaces the SDK's standard/adaptive ones.
  const config = { ...baseConfig('S3', options), retryMode: undefined };
  const overridden = 'endpoint' in config;
  return new S3Client({
    ...config,
    // Per-request retries bounded by a deadline, not the SDK's shared quota (see retry.ts): a sync
    // sends thousands of requests, and under sustained faults the quota ran dry mid-sync.
    retryStrategy: deadlineRetryStrategy({
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.s3RetryDeadlineMs !== undefined ? { deadlineMs: options.s3RetryDeadlineMs } : {}),
    }),
    // A connection that goes silent is dropped and retried rather than waited on for ever.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
    // Emulators and most S3-compatible stores serve path-style only; AWS serves both.
    forcePathStyle: overridden,
    // Newer SDKs add CRC32 checksums to every request; emulators without CRT reject some of them.
    ...(overridden
      ? {
          requestChecksumCalculation: 'WHEN_REQUIRED' as const,
          responseChecksumValidation: 'WHEN_REQUIRED' as const,
        }
      : {}),
  });
}
