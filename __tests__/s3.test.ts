import { describe, expect, it } from '@jest/globals';
import { bucketNameProblem, isS3NotFound, parseS3Uri, tryParseS3Uri } from '../src/s3.js';

describe('parseS3Uri', () => {
  it('splits bucket and key', () => {
    expect(parseS3Uri('s3://b/output/j/output/output.tar.gz')).toEqual({
      bucket: 'b',
      key: 'output/j/output/output.tar.gz',
    });
    expect(parseS3Uri('s3://bucket/a/b.json')).toEqual({ bucket: 'bucket', key: 'a/b.json' });
    expect(parseS3Uri(' s3://bucket/p/ ')).toEqual({ bucket: 'bucket', key: 'p/' });
  });

  it('reads the bucket root as an empty key', () => {
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', key: '' });
    expect(parseS3Uri('s3://bucket/')).toEqual({ bucket: 'bucket', key: '' });
  });

  it('names a value that is not an s3:// URI', () => {
    expect(() => parseS3Uri('https://b/k')).toThrow(
      'not an s3:// URI (s3://bucket/key): "https://b/k"',
    );
    expect(() => parseS3Uri('s3:///k')).toThrow(/not an s3/);
    expect(tryParseS3Uri('bucket/key')).toBeUndefined();
  });
});

describe('isS3NotFound', () => {
  const err = (name: string, status?: number) =>
    Object.assign(new Error(name), {
      name,
      ...(status ? { $metadata: { httpStatusCode: status } } : {}),
    });

  it('recognises a missing object from GetObject and HeadObject', () => {
    expect(isS3NotFound(err('NoSuchKey', 404))).toBe(true);
    expect(isS3NotFound(err('NotFound', 404))).toBe(true);
    expect(isS3NotFound(err('NotFound'))).toBe(true);
    expect(isS3NotFound(err('UnknownError', 404))).toBe(true);
  });

  it('does not take a missing bucket or other errors for a missing object', () => {
    expect(isS3NotFound(err('NoSuchBucket', 404))).toBe(false);
    expect(isS3NotFound(err('AccessDenied', 403))).toBe(false);
    expect(isS3NotFound(new Error('boom'))).toBe(false);
    expect(isS3NotFound(undefined)).toBe(false);
    expect(isS3NotFound('NoSuchKey')).toBe(false);
  });
});

describe('bucketNameProblem', () => {
  it('accepts valid bucket names', () => {
    for (const bucket of ['abc', 'my.bucket-1', 'a'.repeat(63), '1bucket', 'xn-ok']) {
      expect(bucketNameProblem(bucket)).toBeUndefined();
    }
  });

  it('names the rule a bad name breaks', () => {
    expect(bucketNameProblem('ab')).toBe('must be 3-63 characters long');
    expect(bucketNameProblem('Bad_Bucket')).toMatch(/lowercase letters/);
    expect(bucketNameProblem('-start')).toMatch(/start and end/);
    expect(bucketNameProblem('a..b')).toMatch(/adjacent dots/);
    expect(bucketNameProblem('192.168.1.1')).toMatch(/IP address/);
    expect(bucketNameProblem('xn--bucket')).toMatch(/reserved prefix "xn--"/);
    expect(bucketNameProblem('bucket-s3alias')).toMatch(/reserved suffix "-s3alias"/);
  });
});
