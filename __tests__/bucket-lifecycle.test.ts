// iam/bucket-lifecycle.json: what a killed sync leaves behind (incomplete multipart uploads, checked
// copies' staging objects under datasets/uploads/) is cleaned up by S3 itself, and nothing the
// snapshots rely on (objects/, snapshots/, branches/) can ever expire.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { createS3Client } from '../src/aws.js';
import { datasetKeys } from '../src/dataset/keys.js';
import { inputSpec } from '../src/inputs.js';
import { startMoto, type Moto } from './helpers/moto.js';

const FILE = 'iam/bucket-lifecycle.json';
const lifecycle = JSON.parse(readFileSync(FILE, 'utf8')) as { Rules: LifecycleRule[] };
const keys = datasetKeys(inputSpec('prefix').default ?? 'yolo-training');
const enabled = lifecycle.Rules.filter((r) => r.Status === 'Enabled');
const covers = (rule: LifecycleRule, key: string) => key.startsWith(rule.Filter?.Prefix ?? '');

describe(FILE, () => {
  it('aborts incomplete multipart uploads wherever the sync starts them', () => {
    const abort = enabled.filter((r) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation);
    // lib-storage uploads to datasets/uploads/; copies above 5 GiB are multipart into objects/.
    for (const key of [keys.upload('x'), keys.object('0'.repeat(64))]) {
      expect(abort.some((r) => covers(r, key))).toBe(true);
    }
  });

  it('expires the staging prefix, and nothing a snapshot needs', () => {
    const expiring = enabled.filter((r) => r.Expiration);
    expect(expiring.some((r) => covers(r, keys.upload('x')))).toBe(true);
    for (const key of [
      keys.object('0'.repeat(64)),
      keys.snapshot('f'),
      keys.plainSnapshot('f'),
      keys.manifest('f'),
      keys.stats('f'),
      keys.branch('main'),
    ]) {
      expect(expiring.filter((r) => covers(r, key))).toEqual([]);
    }
  });

  describe('as S3 takes it (put-bucket-lifecycle-configuration on the emulator)', () => {
    let moto: Moto;
    beforeAll(async () => {
      moto = await startMoto();
    }, 30_000);
    afterAll(async () => moto?.stop());

    it('is accepted and read back unchanged', async () => {
      const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
      await s3.send(new CreateBucketCommand({ Bucket: 'lifecycle' }));
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: 'lifecycle',
          LifecycleConfiguration: lifecycle,
        }),
      );
      const back = await s3.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: 'lifecycle' }),
      );
      expect(back.Rules?.map((r) => r.ID)).toEqual(lifecycle.Rules.map((r) => r.ID));
      expect(back.Rules?.map((r) => r.Filter?.Prefix)).toEqual(
        lifecycle.Rules.map((r) => r.Filter?.Prefix),
      );
      s3.destroy();
    });
  });
});
