// Pure S3 rules shared by every stage: bucket names, s3:// URIs and "the object is not there".
// No client here: src/aws.ts makes clients, and config.ts stays the one place inputs are read.

/** The first S3 general purpose bucket naming rule `name` breaks, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be 3-63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) {
    return 'may contain only lowercase letters, digits, dots and hyphens';
  }
  if (!/^[a-z0-9].*[a-z0-9]$/.test(name)) return 'must start and end with a letter or digit';
  if (name.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'must not be formatted as an IP address';
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) {
    if (name.startsWith(prefix)) return `must not start with the reserved prefix "${prefix}"`;
  }
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) {
    if (name.endsWith(suffix)) return `must not end with the reserved suffix "${suffix}"`;
  }
  return undefined;
}

export interface S3Location {
  bucket: string;
  /** '' for the bucket root (`s3://bucket` or `s3://bucket/`). */
  key: string;
}

/** `s3://bucket/some/key` -> { bucket, key }, or undefined; surrounding whitespace is ignored. */
export function tryParseS3Uri(uri: string): S3Location | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  return match ? { bucket: match[1] as string, key: match[2] as string } : undefined;
}

/** As tryParseS3Uri, but a value that is not an s3:// URI is an error naming it. */
export function parseS3Uri(uri: string): S3Location {
  const location = tryParseS3Uri(uri);
  if (!location) throw new Error(`not an s3:// URI (s3://bucket/key): "${uri}"`);
  return location;
}

/**
 * The object (key) does not exist: GetObject's NoSuchKey, HeadObject's bodiless NotFound, or any
 * 404. A missing bucket (NoSuchBucket, also a 404) is not "not found" but a configuration error.
 */
export function isS3NotFound(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | undefined;
  if (e?.name === 'NoSuchBucket') return false;
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}
