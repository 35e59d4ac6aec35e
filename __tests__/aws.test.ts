import { describe, expect, it } from '@jest/globals';
import { createS3Client, endpointFor } from '../src/aws.js';

describe('endpointFor', () => {
  it('prefers the service-specific variable over the global one', () => {
    const env = { AWS_ENDPOINT_URL: 'http://global:1', AWS_ENDPOINT_URL_S3: 'http://s3:2' };
    expect(endpointFor('S3', env)).toBe('http://s3:2');
    expect(endpointFor('SAGEMAKER', env)).toBe('http://global:1');
  });

  it('returns undefined when nothing is set or the value is blank', () => {
    expect(endpointFor('ECR', {})).toBeUndefined();
    expect(endpointFor('ECR', { AWS_ENDPOINT_URL: '  ' })).toBeUndefined();
  });
});

describe('createS3Client', () => {
  it('uses path-style addressing only when the endpoint is overridden', async () => {
    const local = createS3Client({
      region: 'us-east-1',
      env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' },
    });
    const aws = createS3Client({ region: 'us-east-1', env: {} });
    expect(local.config.forcePathStyle).toBe(true);
    expect(aws.config.forcePathStyle).toBe(false);
    const endpoint = await local.config.endpoint?.();
    expect(endpoint?.hostname).toBe('127.0.0.1');
  });
});

describe('credentials', () => {
  it('come from the given environment when it carries static keys', async () => {
    const client = createS3Client({
      region: 'us-east-1',
      env: {
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'tok',
      },
    });
    const credentials = await client.config.credentials();
    expect(credentials).toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'tok',
    });
  });
});
