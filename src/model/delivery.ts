// The model stage after a completed job: download it (and the plots) into model-dir, then hand it
// to whatever publishes it (the action: a workflow artifact; the CLI: nothing). Its result feeds
// the outputs and the report.
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config, JobOutcome } from '../types.js';
import type { ArtifactRequest, ArtifactResult, UploadedArtifact } from './artifact.js';
import { downloadModel } from './download.js';
import { publishPlotImages, type PlotImages } from './plot-images.js';

export interface ModelDelivery {
  /** Absolute model directory. */
  dir: string;
  files: string[];
  bestPt?: string;
  plots: string[];
  artifact?: UploadedArtifact;
  /** Why no artifact was uploaded (off a runner, or the upload failed). */
  artifactSkipped?: string;
  /** comment-images: presigned: the plots shown inline and when their links expire. */
  images?: PlotImages;
}

export interface DeliveryDeps {
  s3: S3Client;
  log: { info(message: string): void; warning(message: string): void };
  /** The action's artifact upload; absent in the CLI. */
  publish?: (request: ArtifactRequest) => Promise<ArtifactResult>;
}

export async function deliverModel(
  deps: DeliveryDeps,
  config: Config,
  outcome: JobOutcome,
): Promise<ModelDelivery> {
  const downloaded = await downloadModel(deps.s3, outcome, config.modelDelivery.dir, (message) =>
    deps.log.info(message),
  );
  const delivery: ModelDelivery = { ...downloaded };
  if (config.modelDelivery.commentImages === 'presigned' && outcome.outputDataUri) {
    try {
      const images = await publishPlotImages(deps.s3, {
        outputDataUri: outcome.outputDataUri,
        dir: downloaded.dir,
        plots: downloaded.plots,
      });
      if (images) {
        delivery.images = images;
        deps.log.info(
          `Uploaded ${images.images.length} plot(s) to ${images.uri} for the comment; their links expire at ${images.expiresAt.toISOString()}`,
        );
      }
    } catch (error) {
      // Pictures are a convenience: the comment still lists the plots and links the artifact.
      deps.log.warning(`No inline plots in the comment: ${(error as Error).message}`);
    }
  }
  if (!deps.publish) return delivery;
  const { artifactName, artifactRetentionDays } = config.modelDelivery;
  try {
    const result = await deps.publish({
      name: artifactName,
      dir: downloaded.dir,
      files: downloaded.files,
      ...(artifactRetentionDays !== undefined ? { retentionDays: artifactRetentionDays } : {}),
    });
    if ('uploaded' in result) {
      delivery.artifact = result.uploaded;
      deps.log.info(`Uploaded workflow artifact ${artifactName}: ${result.uploaded.url}`);
    } else {
      delivery.artifactSkipped = result.skipped;
      deps.log.info(`Workflow artifact ${artifactName} skipped: ${result.skipped}`);
    }
  } catch (error) {
    // The model is downloaded and gated; a failed upload must not turn a good model red.
    delivery.artifactSkipped = `upload failed: ${(error as Error).message}`;
    deps.log.warning(
      `Workflow artifact ${artifactName} was not uploaded: ${(error as Error).message}`,
    );
  }
  return delivery;
}
