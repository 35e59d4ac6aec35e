// A complete ReportData for the cost, chart and training-section tests (one place to extend).
import { evaluateGate } from '../../src/metrics/gate.js';
import type { ReportData } from '../../src/report/comment.js';
import type { EpochRow, JobOutcome, Metrics } from '../../src/types.js';

export function outcome(over: Partial<JobOutcome> = {}): JobOutcome {
  return {
    jobName: 'acme-floorplans-pr-12-abc1234',
    status: 'Completed',
    secondaryStatus: 'Completed',
    modelArtifactsUri: 's3://bucket/yolo-training/output/acme/output/model.tar.gz',
    trainingSeconds: 3723,
    billableSeconds: 1191,
    finalMetrics: {},
    instanceType: 'ml.p3.2xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl:
      'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/acme',
    region: 'us-east-1',
    ...over,
  };
}

/** results.csv rows as ultralytics 8.3+ writes them: a curve that learns, losses that fall. */
export function epochRows(n: number, classesSuffix = '(B)'): EpochRow[] {
  return Array.from({ length: n }, (_, i) => {
    const e = i + 1;
    const p = 1 - Math.exp(-e / (n / 4));
    return {
      epoch: e,
      values: {
        time: 3.5 * e,
        'train/box_loss': 2.5 - 1.5 * p,
        'train/cls_loss': 3 - 2.4 * p,
        'train/dfl_loss': 1.8 - 0.8 * p,
        [`metrics/precision${classesSuffix}`]: 0.2 + 0.7 * p,
        [`metrics/recall${classesSuffix}`]: 0.1 + 0.8 * p,
        [`metrics/mAP50${classesSuffix}`]: 0.05 + 0.9 * p,
        [`metrics/mAP50-95${classesSuffix}`]: 0.02 + 0.7 * p,
        'val/box_loss': 2.6 - 1.4 * p,
        'val/cls_loss': 3.2 - 2.5 * p,
        'val/dfl_loss': 1.9 - 0.8 * p,
        'lr/pg0': 0.01,
      },
    };
  });
}

export function reportData(
  over: { job?: Partial<JobOutcome>; metrics?: Partial<Metrics> } & Partial<
    Omit<ReportData, 'job' | 'metrics'>
  > = {},
): ReportData {
  const { job, metrics: m, ...rest } = over;
  const metrics: Metrics = {
    map50: 0.9012,
    map50_95: 0.6345,
    precision: 0.9321,
    recall: 0.8876,
    perClass: [],
    source: 'metrics.json',
    split: 'val',
    epochsCompleted: 30,
    bestEpoch: 28,
    epochs: epochRows(30),
    ...m,
  };
  return {
    gate: evaluateGate(metrics, [{ metric: 'map50', min: 0.85, input: 'map50-threshold' }]),
    metrics,
    job: outcome(job),
    dataset: { uri: 's3://bucket/yolo-training/datasets/snapshots/abc.manifest' },
    imageUri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-yolo:0123abcd',
    context: {
      repository: 'acme/floorplans',
      eventName: 'pull_request',
      ref: 'refs/pull/12/merge',
      sha: 'abc1234def5678900000',
      runId: '987654321',
      runAttempt: '1',
      serverUrl: 'https://github.com',
      prNumber: 12,
      isForkPullRequest: false,
    },
    hyperparameters: { epochs: 30, batch: 16, imgsz: 640 },
    ...rest,
  };
}
