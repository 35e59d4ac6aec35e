// The one mapping from a pipeline run to the comment's data, shared by the action and the CLI.
import type { ReportInput } from '../pipeline.js';
import { renderReport } from './comment.js';

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
  });
}
