// The modules behind train, report, image, status, stop and logs, gathered so program.ts loads them
// with one dynamic import when such a command runs (see loadPipeline there).
export { getOctokit } from '@actions/github';
export { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
export { createAwsClients } from '../aws.js';
export { evaluateGate } from '../metrics/gate.js';
export { readJobMetrics } from '../metrics/read.js';
export { deliverModel } from '../model/delivery.js';
export { runPipeline } from '../pipeline.js';
export { commentMarker } from '../report/comment.js';
export { upsertStickyComment } from '../report/github.js';
export { priceListLookup } from '../report/price-list.js';
export { withJobCost } from '../report/price-source.js';
export { renderPipelineReport } from '../report/render.js';
export { renderTerminalReport } from '../report/terminal.js';
export { createStages } from '../stages.js';
export { TrainingLogTailer } from '../training/logs.js';
export { describeToOutcome, stopTrainingJob } from '../training/sagemaker.js';
export { formatOutcome } from '../training/status.js';
export { lineBatch } from '../untrusted.js';
