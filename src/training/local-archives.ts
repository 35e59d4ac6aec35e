// S3 out: packs a finished local job's model/ and output/data/ into the archives SageMaker writes
// (model.tar.gz, output.tar.gz) and uploads them where SageMaker would.
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { create as createTar } from 'tar';
import { withRetry, type Sleep } from '../retry.js';
import { isS3NotFound, parseS3Uri } from '../s3.js';
import { listDir } from './local-records.js';

export interface ArchiveDeps {
  s3: S3Client;
  sleep: Sleep;
}

/** Tars `srcDir` (entries at the archive root) into `archive` and uploads it; returns its URI. */
export async function packAndUpload(
  deps: ArchiveDeps,
  srcDir: string,
  archive: string,
  bucket: string,
  key: string,
): Promise<string> {
  await fs.mkdir(srcDir, { recursive: true }); // the container may have removed it
  const entries = await listDir(srcDir);
  await fs.mkdir(path.dirname(archive), { recursive: true });
  // An empty directory still makes a readable archive (`./` only), where a bare end-of-archive
  // block is refused by strict readers.
  await createTar(
    { gzip: true, file: archive, cwd: srcDir, portable: true },
    entries.length > 0 ? entries : ['.'],
  );
  await withRetry(
    () =>
      new Upload({
        client: deps.s3,
        params: {
          Bucket: bucket,
          Key: key,
          Body: createReadStream(archive),
          ContentType: 'application/x-gzip',
        },
      }).done(),
    { sleep: deps.sleep },
  );
  return `s3://${bucket}/${key}`;
}

export async function s3ObjectExists(s3: S3Client, uri: string): Promise<boolean> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (isS3NotFound(error)) return false;
    throw error;
  }
}
