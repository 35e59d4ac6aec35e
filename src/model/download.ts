// Brings a finished job's model home, as the old launcher did: model.tar.gz (best.pt, last.pt,
// training_metrics.json: training-container/yolojob/outputs.py) unpacked into the model directory,
// and ultralytics' plots from output.tar.gz (`plots/` there) into `<dir>/plots/`.
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { isS3NotFound, parseS3Uri } from '../s3.js';
import type { JobOutcome } from '../types.js';
import { unpackArchive } from './unpack.js';

export interface DownloadedModel {
  /** The model directory (absolute). */
  dir: string;
  /** Files written, relative to dir: the model's, then `plots/<name>`. */
  files: string[];
  /** Absolute path of best.pt, when the archive had one. */
  bestPt?: string;
  /** Plot file names (without `plots/`), sorted. */
  plots: string[];
}

/** The plot images ultralytics writes into its run directory, as the container packs them. */
const PLOT = /^plots\/([^/]+\.(?:png|jpe?g))$/i;

export function selectPlot(entryPath: string): string | undefined {
  const m = PLOT.exec(entryPath);
  return m ? `plots/${m[1]}` : undefined;
}

async function objectStream(s3: S3Client, uri: string): Promise<Readable> {
  const { bucket, key } = parseS3Uri(uri);
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!res.Body) throw new Error(`${uri}: empty body`);
  return res.Body as Readable;
}

export async function downloadModel(
  s3: S3Client,
  outcome: Pick<JobOutcome, 'jobName' | 'modelArtifactsUri' | 'outputDataUri'>,
  dir: string,
  log: (message: string) => void,
): Promise<DownloadedModel> {
  const absolute = path.resolve(dir);
  if (!outcome.modelArtifactsUri) {
    throw new Error(`job ${outcome.jobName} has no model artifacts (ModelArtifacts is empty)`);
  }
  const modelStream = await objectStream(s3, outcome.modelArtifactsUri).catch((error: unknown) => {
    if (!isS3NotFound(error)) throw error;
    throw new Error(
      `${outcome.modelArtifactsUri} does not exist: nothing to download (download-model: false, or --no-download, skips the download)`,
    );
  });
  const modelFiles = await unpackArchive(modelStream, absolute, {
    label: outcome.modelArtifactsUri,
  });

  let plots: string[] = [];
  if (outcome.outputDataUri) {
    try {
      plots = await unpackArchive(await objectStream(s3, outcome.outputDataUri), absolute, {
        label: outcome.outputDataUri,
        select: selectPlot,
        limits: { maxFiles: 200, maxFileBytes: 50 * 1024 ** 2, maxTotalBytes: 500 * 1024 ** 2 },
      });
    } catch (error) {
      if (!isS3NotFound(error)) throw error;
      log(`${outcome.outputDataUri} not found: no plots`);
    }
  }
  const files = [...modelFiles, ...plots];
  log(`Downloaded ${outcome.modelArtifactsUri} to ${absolute}: ${files.join(', ')}`);
  return {
    dir: absolute,
    files,
    ...(modelFiles.includes('best.pt') ? { bestPt: path.join(absolute, 'best.pt') } : {}),
    plots: plots.map((p) => p.slice('plots/'.length)),
  };
}
