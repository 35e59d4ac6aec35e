// The regression gate (pure), the comparison with the champion, the dataset diff per split, and
// how the comment shows them.
import { describe, expect, it } from '@jest/globals';
import { evaluateGate } from '../../src/metrics/gate.js';
import { compareMetrics, deltaSymbol, formatDelta } from '../../src/model/compare.js';
import type { Champion } from '../../src/model/champion.js';
import type { LifecycleReport } from '../../src/model/lifecycle.js';
import { diffSplits, splitOfPath } from '../../src/dataset/split-diff.js';
import type { SnapshotDocument } from '../../src/dataset/snapshot.js';
import { renderReport } from '../../src/report/comment.js';
import type { JobOutcome, Metrics, Threshold } from '../../src/types.js';
import { PR_CONTEXT } from '../helpers/config.js';

const metrics = (m: Partial<Metrics>): Metrics => ({
  perClass: [],
  source: 'metrics.json',
  epochs: [],
  ...m,
});
const MAP50: Threshold = { metric: 'map50', min: 0.85, input: 'map50-threshold' };
const RECALL: Threshold = { metric: 'recall', min: 0.5, input: 'recall-threshold' };
const room = (ap50: number) => ({
  name: 'room',
  instances: 40,
  ap50,
  ap50_95: 0.5,
  precision: 0.9,
  recall: 0.9,
});
const door = (ap50: number) => ({
  name: 'door',
  instances: 9,
  ap50,
  ap50_95: 0.4,
  precision: 0.8,
  recall: 0.8,
});

describe('max-regression in the gate', () => {
  const baseline = { map50: 0.92, recall: 0.9, precision: 0.95 };

  it('fails a model above the threshold that fell more than max-regression below the baseline', () => {
    const gate = evaluateGate(metrics({ map50: 0.88, recall: 0.9 }), [MAP50], {
      baseline,
      maxRegression: 0.02,
    });
    expect(gate.passed).toBe(false);
    expect(gate.checks[0]?.passed).toBe(true); // 0.88 >= 0.85
    expect(gate.regressions).toEqual([
      {
        metric: 'map50',
        kind: 'box',
        baseline: 0.92,
        value: 0.88,
        maxRegression: 0.02,
        floor: 0.92 - 0.02,
        passed: false,
      },
    ]);
    expect(gate.message).toBe(
      '✓ map50 0.8800 >= 0.85 (map50-threshold) on boxes (B)\n✗ map50 0.8800 < baseline 0.9200 − max-regression 0.02 (-0.0400)',
    );
  });

  it('passes a fall of exactly max-regression (no rounding noise) and any gain', () => {
    const exact = evaluateGate(metrics({ map50: 0.9 }), [MAP50], { baseline, maxRegression: 0.02 });
    expect(exact.passed).toBe(true);
    const gain = evaluateGate(metrics({ map50: 0.95 }), [MAP50], { baseline, maxRegression: 0 });
    expect(gain.passed).toBe(true);
    expect(gain.message).toContain('(+0.0300)');
  });

  it('checks each thresholded metric too, and skips a metric the baseline never reported', () => {
    const gate = evaluateGate(
      metrics({ map50: 0.92, recall: 0.7, map50_95: 0.1 }),
      [MAP50, RECALL, { metric: 'map50_95', min: 0, input: 'map50-95-threshold' }],
      { baseline, maxRegression: 0.05 },
    );
    expect(gate.regressions?.map((r) => [r.metric, r.passed])).toEqual([
      ['map50', true],
      ['recall', false],
    ]);
    expect(gate.passed).toBe(false);
  });

  it('is absent without a baseline: only the thresholds decide', () => {
    const gate = evaluateGate(metrics({ map50: 0.5 }), [{ ...MAP50, min: 0.4 }]);
    expect(gate.passed).toBe(true);
    expect(gate.regressions).toBeUndefined();
  });
});

describe('comparison with the champion', () => {
  it('shows a delta only where both sides have the number; classes from both sides', () => {
    const cmp = compareMetrics(metrics({ map50: 0.9, precision: 0.91, perClass: [room(0.93)] }), {
      map50: 0.92,
      recall: 0.8,
      perClass: [room(0.9), door(0.7)],
    });
    expect(cmp.metrics.map((r) => [r.label, r.delta])).toEqual([
      ['mAP@0.5', 0.9 - 0.92],
      ['mAP@0.5:0.95', undefined],
      ['Precision', undefined],
      ['Recall', undefined],
    ]);
    expect(cmp.classes.map((c) => [c.name, c.value, c.baseline])).toEqual([
      ['room', 0.93, 0.9],
      ['door', undefined, 0.7],
    ]);
  });

  it('marks deltas with colour-free symbols at the shown precision', () => {
    expect(formatDelta(0.0123)).toBe('↑ +0.0123');
    expect(formatDelta(-0.05)).toBe('↓ −0.0500');
    expect(formatDelta(0.00001)).toBe('= 0.0000');
    expect(deltaSymbol(-0.00004)).toBe('=');
  });
});

describe('dataset diff per split', () => {
  const doc = (files: Record<string, string>): SnapshotDocument => ({
    version: 1,
    config: 'data.yaml',
    files: Object.fromEntries(
      Object.entries(files).map(([k, sha]) => [k, { sha256: sha, size: 1 }]),
    ),
  });

  it('counts images and labels added, removed and changed in each split', () => {
    const before = doc({
      'data.yaml': '1',
      'images/train/a.jpg': 'a',
      'labels/train/a.txt': 'la',
      'images/val/v.png': 'v',
      'labels/val/v.txt': 'lv',
    });
    const after = doc({
      'data.yaml': '2',
      'images/train/a.jpg': 'a',
      'labels/train/a.txt': 'la2',
      'images/train/b.jpg': 'b',
      'labels/train/b.txt': 'lb',
      'images/val/v.png': 'v',
    });
    expect(diffSplits(before, after)).toEqual([
      {
        split: 'train',
        images: { added: 1, removed: 0, changed: 0 },
        labels: { added: 1, removed: 0, changed: 1 },
      },
      {
        split: 'val',
        images: { added: 0, removed: 0, changed: 0 },
        labels: { added: 0, removed: 1, changed: 0 },
      },
    ]);
    expect(diffSplits(before, before)).toEqual([]);
  });

  it('reads the split from the Roboflow and classify layouts too', () => {
    expect(splitOfPath('train/images/a.jpg')).toBe('train');
    expect(splitOfPath('valid/labels/a.txt')).toBe('val');
    expect(splitOfPath('val/cat/a.jpg')).toBe('val');
    expect(splitOfPath('extra/a.jpg')).toBe('other');
    // a file named like a split is not a folder
    expect(splitOfPath('images/test')).toBe('other');
  });
});

describe('the comment', () => {
  const job: JobOutcome = {
    jobName: 'floorplans-pr-12-abc',
    status: 'Completed',
    finalMetrics: {},
    instanceType: 'ml.g5.xlarge',
    instanceCount: 1,
    spot: false,
    consoleUrl:
      'https://console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/floorplans-pr-12-abc',
    region: 'us-east-1',
  };
  const champion: Champion = {
    version: 1,
    branch: 'main',
    jobName: 'floorplans-main-1',
    consoleUrl: 'https://console.aws.amazon.com/sagemaker/home#/jobs/floorplans-main-1',
    metrics: { map50: 0.92, precision: 0.93, recall: 0.9, map50_95: 0.6, perClass: [room(0.92)] },
    image: 'repo:tag',
    modelUri: 's3://b/p/output/floorplans-main-1/output/model.tar.gz',
    commit: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    promotedAt: '2026-12-01T03:00:00.000Z',
  };
  const m = metrics({
    map50: 0.88,
    precision: 0.93,
    recall: 0.91,
    map50_95: 0.6,
    perClass: [room(0.88)],
  });
  const render = (lifecycle: LifecycleReport, maxRegression?: number) =>
    renderReport({
      gate: evaluateGate(
        m,
        [MAP50],
        maxRegression === undefined ? undefined : { baseline: champion.metrics, maxRegression },
      ),
      metrics: m,
      job,
      dataset: { uri: 's3://b/p/datasets/snapshots/x.manifest' },
      imageUri: 'repo:tag',
      context: PR_CONTEXT,
      lifecycle,
    });

  it('shows each metric beside the champion with its delta, per class, and the dataset per split', () => {
    const body = render({
      baseline: {
        branch: 'main',
        champion,
        splits: [
          {
            split: 'train',
            images: { added: 2, removed: 0, changed: 0 },
            labels: { added: 2, removed: 1, changed: 3 },
          },
        ],
      },
    });
    expect(body).toContain('#### Compared with the champion of `main`');
    expect(body).toContain('| mAP@0.5 | 0.8800 | 0.9200 | ↓ −0.0400 |');
    expect(body).toContain('| Precision | 0.9300 | 0.9300 | = 0.0000 |');
    expect(body).toContain('| Recall | 0.9100 | 0.9000 | ↑ +0.0100 |');
    expect(body).toContain('| room | 0.8800 | 0.9200 | ↓ −0.0400 |');
    expect(body).toContain('| train | +2 −0 ~0 | +2 −1 ~3 |');
    expect(body).toContain('at `ec26c3e`');
  });

  it('says plainly when there is no champion, with no delta anywhere', () => {
    const body = render({ baseline: { branch: 'main' } });
    expect(body).toContain(
      'No champion on `main` yet: there is nothing to compare with, so no deltas are shown.',
    );
    expect(body).not.toMatch(/[↑↓]/);
    expect(body).not.toContain('| Champion |');
  });

  it('puts max-regression beside the absolute threshold in the gate table', () => {
    const body = render({ baseline: { branch: 'main', champion } }, 0.02);
    expect(body).toContain(
      '| mAP@0.5 | 0.8800 | ≥ 0.85 and ≥ 0.9000 (champion 0.9200 − max-regression 0.02) | ✗ |',
    );
    expect(body).toContain('❌ Model did not pass the quality gate');
  });

  it('says a reused job was reused, with its link, and escapes a hostile branch name', () => {
    const body = render({
      reused: { jobName: job.jobName, consoleUrl: job.consoleUrl },
      baseline: { branch: 'x`<img src=x>|*' },
      promotion: {
        promote: false,
        reason: 'promote is auto and pull_request runs are not promoted',
      },
    });
    expect(body).toContain(`♻️ Reused [${job.jobName}](<${job.consoleUrl}>) (identical inputs)`);
    expect(body).not.toContain('<img');
    expect(body).toContain(
      'Not promoted: promote is auto and pull&#95;request runs are not promoted.',
    );
  });
});
