// comment-images: presigned. The plots go to S3 beside the job's output (`output/<job>/plots/`)
// and the comment shows a few of them through presigned GetObject URLs. A presigned URL is a
// bearer credential: it works for anyone until it expires, and it expires at the latest when the
// credentials that signed it do (7 days at most for SigV4), so the comment states the moment.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseS3Uri } from '../s3.js';

/** SigV4's longest presigned URL lifetime. */
export const PRESIGN_MAX_SECONDS = 7 * 24 * 3600;
/** Shorter than this left on the credentials: no point in a link. */
const PRESIGN_MIN_SECONDS = 60;

export interface PlotImages {
  /** The plots shown inline, in display order. */
  images: { name: string; url: string }[];
  /** When the links stop working. */
  expiresAt: Date;
  /** s3:// prefix the plots were uploaded under. */
  uri: string;
}

/** Which plots the comment shows inline: training curves, confusion, PR curve, predictions. Pure. */
export function inlinePlots(plots: readonly string[]): string[] {
  const sorted = [...plots].sort();
  const first = (test: (name: string) => boolean) => sorted.find(test);
  return [
    first((p) => p === 'results.png'),
    first((p) => p === 'confusion_matrix_normalized.png') ??
      first((p) => p === 'confusion_matrix.png'),
    first((p) => /PR_curve\.png$/.test(p)),
    first((p) => p === 'val_batch0_pred.jpg') ?? first((p) => /^val_batch\d+_pred\.jpg$/.test(p)),
  ].filter((p): p is string => p !== undefined);
}

/** `s3://b/p/output/<job>/output/output.tar.gz` -> bucket and `p/output/<job>/plots/`. Pure. */
export function plotsLocation(outputDataUri: string): { bucket: string; prefix: string } {
  const { bucket, key } = parseS3Uri(outputDataUri);
  const m = /^(.*\/)output\/[^/]+$/.exec(key);
  return { bucket, prefix: `${m ? m[1] : `${path.posix.dirname(key)}/`}plots/` };
}

/** Seconds a link may live: 7 days, or until the signing credentials expire. Pure. */
export function presignSeconds(now: Date, credentialsExpire?: Date): number {
  if (!credentialsExpire) return PRESIGN_MAX_SECONDS;
  const left = Math.floor((credentialsExpire.getTime() - now.getTime()) / 1000);
  return Math.max(0, Math.min(PRESIGN_MAX_SECONDS, left));
}

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

export async function publishPlotImages(
  s3: S3Client,
  options: { outputDataUri: string; dir: string; plots: readonly string[]; now?: Date },
): Promise<PlotImages | undefined> {
  const shown = inlinePlots(options.plots);
  if (shown.length === 0) return undefined;
  const now = options.now ?? new Date();
  const credentials = await s3.config.credentials();
  const seconds = presignSeconds(now, credentials.expiration);
  if (seconds < PRESIGN_MIN_SECONDS) {
    throw new Error(
      `the AWS credentials expire in ${seconds} s: too soon for presigned image links`,
    );
  }
  const { bucket, prefix } = plotsLocation(options.outputDataUri);
  const images: PlotImages['images'] = [];
  for (const name of shown) {
    const key = `${prefix}${name}`;
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: await readFile(path.join(options.dir, 'plots', name)),
        ContentType: CONTENT_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      }),
    );
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), {
      expiresIn: seconds,
      signingDate: now,
    });
    images.push({ name, url });
  }
  return {
    images,
    expiresAt: new Date(now.getTime() + seconds * 1000),
    uri: `s3://${bucket}/${prefix}`,
  };
}
