// S3 in: fills a local job's /opt/ml/input/data channels the way SageMaker does, from a snapshot's
// ManifestFile (content-addressed blobs, checked against their names) or from an S3 prefix.
import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { mapLimit } from '../dataset/concurrency.js';
import type { DatasetInput } from '../pipeline.js';
import { withRetry, type Sleep } from '../retry.js';
import { parseS3Uri } from '../s3.js';
import { channelPathFor, keyBasename, listPrefix, parseManifest } from './local-builders.js';

const SHA256_KEY = /^[0-9a-f]{64}$/;

interface Download {
  bucket: string;
  key: string;
  dest: string;
  sha256?: string;
}

export interface ChannelDeps {
  s3: S3Client;
  sleep: Sleep;
  /** Parallel downloads. */
  concurrency: number;
  log: (message: string) => void;
}

async function getText(deps: ChannelDeps, bucket: string, key: string): Promise<string> {
  return withRetry(
    async () => {
      const res = await deps.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await res.Body?.transformToString('utf8')) ?? '';
    },
    { sleep: deps.sleep },
  );
}

async function download(s3: S3Client, item: Download): Promise<void> {
  await fs.mkdir(path.dirname(item.dest), { recursive: true });
  const tmp = `${item.dest}.${process.pid}.part`;
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: item.bucket, Key: item.key }));
    if (!res.Body) throw new Error(`s3://${item.bucket}/${item.key} has no body`);
    const hash = createHash('sha256');
    await pipeline(
      res.Body as Readable,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(tmp),
    );
    // Content-addressed blobs carry their own checksum: the job sees exactly the snapshot.
    const digest = hash.digest('hex');
    if (item.sha256 && digest !== item.sha256) {
      throw new Error(`s3://${item.bucket}/${item.key} has sha256 ${digest}, not its name`);
    }
    await fs.rename(tmp, item.dest);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/** The objects SageMaker would put in each channel, with their destinations. */
async function channelDownloads(
  deps: ChannelDeps,
  input: DatasetInput,
  dataDir: string,
): Promise<Download[]> {
  const training = path.join(dataDir, 'training');
  if (input.kind === 'snapshot') {
    const loc = parseS3Uri(input.manifestUri);
    const manifest = parseManifest(await getText(deps, loc.bucket, loc.key));
    const items: Download[] = manifest.keys.map((rel) => ({
      bucket: manifest.prefix.bucket,
      key: manifest.prefix.key + rel, // SageMaker appends each entry to the prefix as is
      dest: path.join(training, rel.split('/').join(path.sep)),
      ...(SHA256_KEY.test(rel) ? { sha256: rel } : {}),
    }));
    const snap = parseS3Uri(input.snapshotUri);
    items.push({
      bucket: snap.bucket,
      key: snap.key,
      dest: path.join(dataDir, 'snapshot', keyBasename(snap.key)),
    });
    return items;
  }
  const loc = parseS3Uri(input.uri);
  const prefix = listPrefix(loc.key);
  const items: Download[] = [];
  for await (const page of paginateListObjectsV2(
    { client: deps.s3 },
    { Bucket: loc.bucket, Prefix: prefix },
  )) {
    for (const obj of page.Contents ?? []) {
      if (!obj.Key || obj.Key.endsWith('/')) continue; // "folder" markers hold no data
      const rel = channelPathFor(prefix, obj.Key);
      items.push({
        bucket: loc.bucket,
        key: obj.Key,
        dest: path.join(training, rel.split('/').join(path.sep)),
      });
    }
  }
  if (items.length === 0) throw new Error(`no objects under s3://${loc.bucket}/${prefix}`);
  return items;
}

/** Downloads every channel object of `input` under `dataDir` (retrying each object). */
export async function fillChannels(
  deps: ChannelDeps,
  input: DatasetInput,
  dataDir: string,
): Promise<void> {
  const items = await channelDownloads(deps, input, dataDir);
  deps.log(`Downloading ${items.length} objects into ${dataDir}`);
  await mapLimit(items, deps.concurrency, (item) =>
    withRetry(() => download(deps.s3, item), { sleep: deps.sleep }),
  );
}
