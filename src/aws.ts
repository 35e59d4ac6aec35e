// The one place AWS clients are made; S3 and the settings they share (endpoint overrides,
// credentials, retries) live in s3-client.ts.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { PricingClient } from '@aws-sdk/client-pricing';
import type { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { baseConfig, createS3Client, type AwsOptions } from './s3-client.js';

export { createS3Client, endpointFor, type AwsOptions, type ServiceId } from './s3-client.js';

export interface AwsClients {
  s3: S3Client;
  sagemaker: SageMakerClient;
  ecr: ECRClient;
  logs: CloudWatchLogsClient;
  /** Price List API (instance prices); optional so stand-in client sets need not make one. */
  pricing?: PricingClient;
}

export function createAwsClients(options: AwsOptions): AwsClients {
  return {
    s3: createS3Client(options),
    sagemaker: new SageMakerClient(baseConfig('SAGEMAKER', options)),
    ecr: new ECRClient(baseConfig('ECR', options)),
    logs: new CloudWatchLogsClient(baseConfig('CLOUDWATCH_LOGS', options)),
    // The Price List API is served from us-east-1 whatever the job's region; one quick try is
    // enough (the price table answers otherwise).
    pricing: new PricingClient({
      ...baseConfig('PRICING', { ...options, region: 'us-east-1' }),
      maxAttempts: 2,
    }),
  };
}
