import { describe, expect, it } from '@jest/globals';
import { evaluateGate } from '../../src/metrics/gate.js';
import {
  commentMarker,
  MAX_COMMENT_BYTES,
  normalizeCommentKey,
  renderReport,
  runUrl,
  sortClasses,
  sparkline,
  type ReportData,
} from '../../src/report/comment.js';
import { markdownSize } from '../../src/report/markdown.js';
import type { ClassMetrics, JobOutcome, Metrics, Threshold } from '../../src/types.js';
import { decode, tables, tagNames, toHtml } from './render-html.js';

const THRESHOLDS: Threshold[] = [
  { metric: 'map50', min: 0.85, input: 'map50-threshold' },
  { metric: 'precision', min: 0.9, input: 'precision-threshold' },
];
const FP = 'f'.repeat(8) + '0123456789abcdef'.repeat(3) + '0'.repeat(8);
const BASE_FP = 'b'.repeat(64);
// Tags the report itself emits; user text must never add one.
const OWN_TAGS = new Set([
  'h3',
  'h4',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'details',
  'summary',
  'sub',
  'a',
  'code',
  'blockquote',
  'strong',
  'ul',
  'li',
  'em',
]);

function cls(name: string, ap50: number, instances = 10): ClassMetrics {
  return { name, instances, ap50, ap50_95: ap50 / 2, precision: 0.9, recall: 0.8 };
}

function job(over: Partial<JobOutcome> = {}): JobOutcome {
  return {
    jobName: 'acme-floorplans-pr-12-abc1234',
    status: 'Completed',
    secondaryStatus: 'Completed',
    modelArtifactsUri:
      's3://bucket/yolo-training/output/acme-floorplans-pr-12-abc1234/output/model.tar.gz',
    outputDataUri:
      's3://bucket/yolo-training/output/acme-floorplans-pr-12-abc1234/output/output.tar.gz',
    trainingSeconds: 3723,
    billableSeconds: 1191,
    finalMetrics: {},
    instanceType: 'ml.p3.2xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl:
      'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/acme-floorplans-pr-12-abc1234',
    region: 'us-east-1',
    ...over,
  };
}

type Overrides = Omit<Partial<ReportData>, 'metrics' | 'job'> & {
  metrics?: Partial<Metrics>;
  job?: Partial<JobOutcome>;
};

function data(over: Overrides = {}): ReportData {
  const { metrics: m, job: j, ...rest } = over;
  const metrics: Metrics = {
    map50: 0.9012,
    map50_95: 0.6345,
    precision: 0.9321,
    recall: 0.8876,
    perClass: [cls('room', 0.9012, 5120)],
    source: 'metrics.json',
    split: 'val',
    epochsCompleted: 100,
    bestEpoch: 87,
    model: 'yolov8m.pt',
    imgsz: 640,
    ultralyticsVersion: '8.3.40',
    epochs: [],
    ...m,
  };
  return {
    gate: evaluateGate(metrics, THRESHOLDS),
    metrics,
    job: job(j),
    dataset: {
      uri: `s3://bucket/yolo-training/datasets/snapshots/${FP}.manifest`,
      snapshot: FP,
      diff: {
        baseSnapshot: BASE_FP,
        added: 12,
        removed: 3,
        changed: 1,
        instancesPerClass: [
          { name: 'room', before: 5000, after: 5120 },
          { name: 'door', before: 7, after: 7 },
        ],
      },
    },
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
    hyperparameters: { epochs: 100, batch: 16, imgsz: 640 },
    ...rest,
  };
}

/** Every table in the rendered HTML has the same number of cells in each row as its header. */
function expectWellFormedTables(html: string): void {
  for (const t of tables(html)) {
    const width = t[0]?.length;
    for (const row of t) expect(row).toHaveLength(width as number);
  }
}

/** Rows of the table whose header starts with `first`, as decoded text. */
function tableByHeader(html: string, first: string): string[][] {
  const found = tables(html).find((t) => decode(t[0]?.[0] ?? '') === first);
  if (!found) throw new Error(`no table with header ${first}`);
  return found.map((row) => row.map((c) => decode(c.replace(/<[^>]+>/g, ''))));
}

describe('renderReport: passing run', () => {
  const body = renderReport(data());
  const html = toHtml(body);

  it('starts with the default marker and the verdict', () => {
    expect(body.split('\n')[0]).toBe('<!-- sagemaker-yolo-action:default -->');
    expect(body).toContain('### ✅ Model passed the quality gate');
  });

  it('tables every metric with its threshold and verdict', () => {
    expect(tableByHeader(html, 'Metric')).toEqual([
      ['Metric', 'Value', 'Threshold', ''],
      ['mAP@0.5', '0.9012', '≥ 0.85', '✓'],
      ['mAP@0.5:0.95', '0.6345', '—', ''],
      ['Precision', '0.9321', '≥ 0.9', '✓'],
      ['Recall', '0.8876', '—', ''],
    ]);
  });

  it('describes the job with a console link, spot savings and human times', () => {
    const rows = Object.fromEntries(
      tableByHeader(html, '')
        .slice(1)
        .map(([k, v]) => [k, v]),
    );
    expect(rows.Job).toBe('acme-floorplans-pr-12-abc1234');
    expect(html).toContain(`href="${job().consoleUrl}"`);
    expect(rows.Instance).toBe('ml.p3.2xlarge × 1');
    expect(rows['Managed spot']).toBe('yes, saved 68%'); // 1 - 1191/3723 = 0.680
    expect(rows['Training time']).toBe('1h 02m 03s');
    expect(rows['Billable time']).toBe('19m 51s');
    expect(rows.Image).toBe('123456789012.dkr.ecr.us-east-1.amazonaws.com/sagemaker-yolo:0123abcd');
    expect(rows.Model).toBe(job().modelArtifactsUri);
    expect(rows.Hyperparameters).toBe('batch=16, epochs=100, imgsz=640');
  });

  it('names the dataset snapshot and its diff against the base', () => {
    const rows = Object.fromEntries(
      tables(html)
        .filter((t) => decode(t[1]?.[0] ?? '') === 'Data')[0]!
        .slice(1)
        .map((r) => r.map((c) => decode(c.replace(/<[^>]+>/g, '')))),
    );
    expect(rows.Data).toBe(`s3://bucket/yolo-training/datasets/snapshots/${FP}.manifest`);
    expect(rows.Snapshot).toBe(FP.slice(0, 12));
    expect(rows.Changes).toBe(
      `12 added, 3 removed, 1 changed files against base snapshot ${BASE_FP.slice(0, 12)}`,
    );
    expect(tableByHeader(html, 'Class').slice(0, 1)).toBeDefined();
    const diff = tables(html).find((t) => decode(t[0]?.[3] ?? '') === 'Δ')!;
    expect(diff.slice(1).map((r) => r.map(decode))).toEqual([
      ['room', '5000', '5120', '+120'],
      ['door', '7', '7', '0'],
    ]);
  });

  it('links the workflow run and names the event and commit', () => {
    expect(html).toContain('href="https://github.com/acme/floorplans/actions/runs/987654321"');
    expect(body).toMatch(/pull&#95;request · `abc1234`/);
  });

  it('says where the metrics came from', () => {
    expect(decode(body)).toContain(
      'Metrics from metrics.json (val split) · task detect, gated on boxes (B) · yolov8m.pt · imgsz 640 · ultralytics 8.3.40 · 100 epochs (best 87)',
    );
  });

  it('renders the same bytes for the same data (no clock in the body)', () => {
    expect(renderReport(data())).toBe(body);
  });

  it('stays well-formed markdown', () => {
    expectWellFormedTables(html);
    for (const tag of tagNames(html)) expect(OWN_TAGS).toContain(tag);
  });
});

describe('renderReport: gate failure', () => {
  it('says the model did not pass and marks each failing check', () => {
    const body = renderReport(data({ metrics: { map50: 0.8123, precision: undefined } }));
    expect(body).toContain('### ❌ Model did not pass the quality gate');
    const rows = tableByHeader(toHtml(body), 'Metric');
    expect(rows[1]).toEqual(['mAP@0.5', '0.8123', '≥ 0.85', '✗']);
    expect(rows[3]).toEqual(['Precision', 'not reported', '≥ 0.9', '✗']);
  });

  it('says when the numbers come from FinalMetricDataList', () => {
    const body = renderReport(data({ metrics: { source: 'final-metric-data', perClass: [] } }));
    expect(body).toContain('from the last values SageMaker recorded in the training log');
    expect(body).not.toContain('Per-class');
  });

  it('draws mAP@0.5 per epoch from results.csv rows', () => {
    const epochs = [0.1, 0.4, 0.7, 0.8].map((v, i) => ({
      epoch: i + 1,
      values: { 'metrics/mAP50(B)': v, time: i },
    }));
    const body = renderReport(data({ metrics: { epochs } }));
    expect(body).toContain('mAP@0.5 by epoch: ▁▄▇█ (0.1000 → 0.8000)');
  });
});

describe('renderReport: tasks', () => {
  const masks = { map50: 0.61, map50_95: 0.33, precision: 0.72, recall: 0.64 };
  const boxes = { map50: 0.95, map50_95: 0.71, precision: 0.93, recall: 0.9 };

  it('shows the masks (gated) and boxes of a segment model, and says what was gated', () => {
    const body = renderReport(
      data({
        metrics: { task: 'segment', ...masks, blocks: { mask: masks, box: boxes } },
      }),
    );
    expect(body).toContain('### ❌ Model did not pass the quality gate');
    expect(tableByHeader(toHtml(body), 'Metric')).toEqual([
      ['Metric', 'Value', 'Threshold', ''],
      ['mAP@0.5 (masks)', '0.6100', '≥ 0.85', '✗'],
      ['mAP@0.5:0.95 (masks)', '0.3300', '—', ''],
      ['Precision (masks)', '0.7200', '≥ 0.9', '✗'],
      ['Recall (masks)', '0.6400', '—', ''],
      ['mAP@0.5 (boxes)', '0.9500', '—', ''],
      ['mAP@0.5:0.95 (boxes)', '0.7100', '—', ''],
      ['Precision (boxes)', '0.9300', '—', ''],
      ['Recall (boxes)', '0.9000', '—', ''],
    ]);
    expect(decode(body)).toContain('task segment, gated on masks (M)');
    expect(body).toContain('Per-class results (1 class, masks, worst mAP@0.5 first)');
  });

  it('draws the primary block per epoch: masks for segment', () => {
    const epochs = [0.2, 0.5].map((v, i) => ({
      epoch: i + 1,
      values: { 'metrics/mAP50(B)': 0.9, 'metrics/mAP50(M)': v },
    }));
    const body = renderReport(data({ metrics: { task: 'segment', epochs } }));
    expect(body).toContain('mAP@0.5 (masks) by epoch: ▁█ (0.2000 → 0.5000)');
  });

  it('shows the keypoints of a pose model beside its (gated) boxes', () => {
    const body = renderReport(
      data({ metrics: { task: 'pose', ...boxes, blocks: { box: boxes, pose: masks } } }),
    );
    const rows = tableByHeader(toHtml(body), 'Metric');
    expect(rows[1]).toEqual(['mAP@0.5 (boxes)', '0.9500', '≥ 0.85', '✓']);
    expect(rows[5]).toEqual(['mAP@0.5 (keypoints)', '0.6100', '—', '']);
    expect(decode(body)).toContain('task pose, gated on boxes (B)');
  });

  it('shows top-1/top-5 accuracy of a classify model, gated on top-1', () => {
    const metrics: Metrics = {
      task: 'classify',
      top1: 0.875,
      top5: 1,
      perClass: [],
      source: 'metrics.json',
      epochs: [1, 2, 3].map((epoch) => ({
        epoch,
        values: { 'metrics/accuracy_top1': epoch / 4 },
      })),
    };
    const gate = evaluateGate(metrics, [{ metric: 'top1', min: 0.8, input: 'top1-threshold' }]);
    const body = renderReport({ ...data(), metrics, gate });
    expect(body).toContain('### ✅ Model passed the quality gate');
    expect(tableByHeader(toHtml(body), 'Metric')).toEqual([
      ['Metric', 'Value', 'Threshold', ''],
      ['Top-1 accuracy', '0.8750', '≥ 0.8', '✓'],
      ['Top-5 accuracy', '1.0000', '—', ''],
    ]);
    expect(decode(body)).toContain('task classify, gated on top-1 accuracy');
    expect(body).toContain('Top-1 accuracy by epoch: ▁▅█ (0.2500 → 0.7500)');
    expect(body).not.toContain('Per-class');
  });

  it('shows an mAP threshold that cannot apply to a classify model as failed', () => {
    const metrics: Metrics = {
      task: 'classify',
      top1: 0.9,
      perClass: [],
      source: 'metrics.json',
      epochs: [],
    };
    const body = renderReport({ ...data(), metrics, gate: evaluateGate(metrics, THRESHOLDS) });
    const rows = tableByHeader(toHtml(body), 'Metric');
    expect(rows.slice(3)).toEqual([
      ['mAP@0.5', 'does not apply', '≥ 0.85', '✗'],
      ['Precision', 'does not apply', '≥ 0.9', '✗'],
    ]);
  });
});

describe('renderReport: escaping', () => {
  const HOSTILE = '<img src=x onerror=alert(1)>|**x**';
  const TRICKY = 'back`tick`s\nnew|line\n\n# h1 @team';

  it('renders hostile class names, job names and failure reasons as literal text', () => {
    const body = renderReport(
      data({
        metrics: { perClass: [cls(HOSTILE, 0.1), cls(TRICKY, 0.2), cls('room', 0.9)] },
        job: { jobName: 'job`<b>x</b>`', failureReason: '<script>alert(1)</script>\n| a | b |' },
        dataset: {
          uri: 's3://b/<i>p</i>',
          diff: {
            baseSnapshot: '<u>base</u>',
            added: 0,
            removed: 0,
            changed: 0,
            instancesPerClass: [{ name: HOSTILE, before: 1, after: 2 }],
          },
        },
        imageUri: 'img:<svg onload=alert(1)>',
      }),
    );
    const html = toHtml(body);
    for (const tag of tagNames(html)) expect(OWN_TAGS).toContain(tag);
    expectWellFormedTables(html);
    const perClass = tableByHeader(html, 'Class');
    expect(perClass[1]?.[0]).toBe(HOSTILE);
    expect(perClass[2]?.[0]?.replace(/\u200B/g, '')).toBe('back`tick`s new|line # h1 @team');
    expect(html).not.toMatch(/<a [^>]*>@/); // no mention link
    expect(decode(html)).toContain('<img src=x onerror=alert(1)>|**x**');
  });

  it('shows an escaped failure reason in the failure variant', () => {
    const body = renderReport(
      data({
        job: {
          status: 'Failed',
          failureReason: 'AlgorithmError: <b>CUDA</b> out of memory\n- see log',
        },
      }),
    );
    const html = toHtml(body);
    for (const tag of tagNames(html)) expect(OWN_TAGS).toContain(tag);
    expect(decode(html)).toContain('AlgorithmError: <b>CUDA</b> out of memory');
    expect(body).toContain('streams starting with `acme-floorplans-pr-12-abc1234/`');
    expect(html).not.toContain('<li>see log');
  });
});

describe('renderReport: size limit', () => {
  const many = Array.from({ length: 5000 }, (_, i) =>
    cls(`class-${String(i).padStart(4, '0')}-${'<>|`'.repeat(20)}`, (i % 1000) / 1000, i),
  );

  it('caps the per-class table of a 5,000-class dataset and stays under the limit', () => {
    const body = renderReport(
      data({
        metrics: { perClass: many },
        dataset: {
          uri: 's3://b/d',
          snapshot: FP,
          diff: {
            baseSnapshot: BASE_FP,
            added: 1,
            removed: 0,
            changed: 0,
            instancesPerClass: many.map((c, i) => ({
              name: c.name,
              before: i,
              after: i + (i % 3),
            })),
          },
        },
      }),
    );
    expect(markdownSize(body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(body.length).toBeLessThan(65536);
    expect(body.startsWith('<!-- sagemaker-yolo-action:default -->\n')).toBe(true);
    const html = toHtml(body);
    expectWellFormedTables(html);
    const rows = tableByHeader(html, 'Class').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(body).toContain(`…and ${5000 - rows.length} more classes`);
    // Worst first: the shown rows are the lowest mAP@0.5 of all.
    expect(rows.every((r) => Number(r[2]) <= 0.01)).toBe(true);
    expect(body).toContain('Per-class results (5000 classes, worst mAP@0.5 first)');
  });

  it('bounds a huge failure reason', () => {
    const body = renderReport(
      data({ job: { status: 'Failed', failureReason: 'x'.repeat(200_000) } }),
    );
    expect(markdownSize(body)).toBeLessThan(10_000);
    expect(body).toContain('x…');
  });

  it('cuts the tail as a last resort but never the marker', () => {
    const body = renderReport(data({ key: 'nightly' }), { maxBytes: 600 });
    expect(markdownSize(body)).toBeLessThanOrEqual(600);
    expect(body.startsWith('<!-- sagemaker-yolo-action:nightly -->\n')).toBe(true);
    expect(body).toContain('report truncated');
  });
});

describe('renderReport: failure variant', () => {
  const none: Partial<Metrics> = {
    source: 'none',
    perClass: [],
    map50: undefined,
    map50_95: undefined,
    precision: undefined,
    recall: undefined,
  };

  it.each([
    [
      { status: 'Failed', failureReason: 'AlgorithmError: boom' },
      '❌ Training job failed',
      /batch-size/,
    ],
    [{ status: 'Stopped' }, '⏹️ Training job was stopped', /StopTrainingJob/],
    [
      { status: 'Stopped', limitExceeded: 'MaxRuntimeExceeded' },
      '❌ Training job stopped at its maximum runtime',
      /max-runtime/,
    ],
    [
      { status: 'Stopped', limitExceeded: 'MaxWaitTimeExceeded' },
      '❌ Training job ran out of spot wait time',
      /max-wait/,
    ],
    [
      { status: 'InProgress', timedOut: true },
      '⏳ Stopped waiting for the training job: it may still be running',
      /still|status/,
    ],
    [
      { status: 'InProgress', credentialsExpired: true },
      '🔑 The AWS credentials expired while waiting: the training job keeps running',
      /sagemaker-yolo report .* --pr <number>/,
    ],
  ] as [Partial<JobOutcome>, string, RegExp][])('%j', (over, headline, hint) => {
    const body = renderReport(data({ metrics: none, job: over }));
    expect(body).toContain(`### ${headline}`);
    expect(body).toContain(`Status: **${over.status}**`);
    expect(body).toContain('**What to check**');
    expect(body).toMatch(hint);
    expect(body).not.toContain('| Metric |');
    expect(body).not.toContain('| Model |');
    expect(body).toContain('| Job |');
  });

  it('still shows partial metrics when a stopped job reported some', () => {
    const body = renderReport(
      data({ metrics: { source: 'final-metric-data' }, job: { status: 'Stopped' } }),
    );
    expect(body).toContain('| Metric |');
  });
});

describe('helpers', () => {
  it('normalises keys into something an HTML comment cannot be closed by', () => {
    expect(commentMarker()).toBe('<!-- sagemaker-yolo-action:default -->');
    expect(commentMarker('gpu nightly')).toBe('<!-- sagemaker-yolo-action:gpu-nightly -->');
    expect(normalizeCommentKey('a-->b<script>')).toBe('a-b-script');
    expect(normalizeCommentKey('-->')).toBe('default');
    expect(normalizeCommentKey('  ')).toBe('default');
  });

  it('builds the run URL, with the attempt after the first', () => {
    const ctx = data().context;
    expect(runUrl({ ...ctx, runAttempt: '2' })).toBe(
      'https://github.com/acme/floorplans/actions/runs/987654321/attempts/2',
    );
    expect(runUrl({ ...ctx, runId: '' })).toBeUndefined();
    expect(runUrl({ ...ctx, eventName: 'cli' })).toBeUndefined();
  });

  it('sorts classes worst first with unreported last', () => {
    const sorted = sortClasses([cls('b', 0.5), cls('n', Number.NaN), cls('a', 0.5), cls('z', 0.1)]);
    expect(sorted.map((c) => c.name)).toEqual(['z', 'a', 'b', 'n']);
  });

  it('draws sparklines over finite values and downsamples long series', () => {
    expect(sparkline([0, 1])).toBe('▁█');
    // Flat series sit at their value on 0..1: all zeros is the lowest bar, not the highest.
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([1, 1])).toBe('██');
    expect(sparkline([0.5, 0.5, 0.5])).toMatch(/^([▃▄▅])\1\1$/);
    expect(sparkline([Number.NaN, 0.2])).toBe('');
    expect(
      sparkline(
        Array.from({ length: 300 }, (_, i) => i),
        60,
      ),
    ).toHaveLength(60);
  });
});
