// The one mapping from a pipeline run to the comment's data, shared by the action and the CLI.
import type { ReportInput } from '../pipeline.js';
import type { ModelDelivery } from '../model/delivery.js';
import { renderReport } from './comment.js';
import type { ModelReport } from './model-section.js';

/** A failed or stopped job has no gate: the comment shows the failure variant instead. */
const NO_GATE = { passed: false, checks: [], message: '' };

export function renderPipelineReport(input: ReportInput): string {
  return renderReport({
    gate: input.gate ?? NO_GATE,
    metrics: input.metrics,
    job: input.outcome,
    dataset: input.dataset,
    imageUri: input.image.imageUri,
    context: input.config.context,
    hyperparameters: input.config.hyperparameters,
    ...(input.lifecycle ? { lifecycle: input.lifecycle } : {}),
    ...(input.model ? { model: modelReport(input.model) } : {}),
  });
}

function modelReport(model: ModelDelivery): ModelReport {
  return {
    files: model.files.filter((f) => !f.startsWith('plots/')),
    plots: model.plots,
    ...(model.artifact ? { artifact: { name: model.artifact.name, url: model.artifact.url } } : {}),
    ...(model.artifactSkipped ? { artifactSkipped: model.artifactSkipped } : {}),
    ...(model.images
      ? { images: model.images.images, imagesExpireAt: model.images.expiresAt }
      : {}),
  };
}
