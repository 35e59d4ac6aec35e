// Per-epoch charts and the Training section: every chart is checked with Mermaid's own parser
// (a chart that does not parse fails here), and the comment stays within GitHub's size limit with
// 300 epochs and 80 classes.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseResultsCsv } from '../../src/metrics/results-csv.js';
import {
  downsample,
  epochTable,
  LOSS_CHART,
  MAP_CHART,
  MAP_SERIES,
  textChart,
  totalLoss,
  xyChart,
} from '../../src/report/charts.js';
import { MAX_COMMENT_BYTES, renderReport } from '../../src/report/comment.js';
import { markdownSize } from '../../src/report/markdown.js';
import { secondsPerEpoch, trainingFacts } from '../../src/report/training-section.js';
import type { ClassMetrics } from '../../src/types.js';
import { decode, toHtml } from './render-html.js';
import { mermaidBlocks, parseMermaid, prefetchMermaid } from './mermaid.js';
import { epochRows, outcome, reportData } from './report-data.js';

// Every chart these tests parse, in one mermaid process (it takes seconds to start).
beforeAll(async () => {
  const good = xyChart(epochRows(5), MAP_CHART) as string;
  await prefetchMermaid([
    good,
    good.replace(/\]$/m, ''),
    good.replace('line [', 'line [oops, '),
    xyChart(epochRows(4), LOSS_CHART) as string,
    xyChart(epochRows(300), MAP_CHART) as string,
    ...mermaidBlocks(renderReport(reportData())),
  ]);
}, 120_000);

describe('the Mermaid parser as used here', () => {
  it('rejects a broken chart (so the tests below can fail)', async () => {
    const good = xyChart(epochRows(5), MAP_CHART) as string;
    await expect(parseMermaid(good)).resolves.toBe('xychart');
    await expect(parseMermaid(good.replace(/\]$/m, ''))).rejects.toThrow(/Parse error/);
    await expect(parseMermaid(good.replace('line [', 'line [oops, '))).rejects.toThrow();
  });
});

describe('xyChart', () => {
  it('draws mAP@0.5 and mAP@0.5:0.95 on a 0..1 axis, one x label per epoch', async () => {
    const source = xyChart(epochRows(5), MAP_CHART) as string;
    expect(source.split('\n')).toEqual([
      'xychart-beta',
      '  title "mAP@0.5 (upper line) and mAP@0.5:0.95 by epoch"',
      '  x-axis "epoch" [1, 2, 3, 4, 5]',
      '  y-axis "mAP" 0 --> 1',
      expect.stringMatching(/^ {2}line \[0\.\d+(, 0\.\d+){4}\]$/),
      expect.stringMatching(/^ {2}line \[0\.\d+(, 0\.\d+){4}\]$/),
    ]);
    await expect(parseMermaid(source)).resolves.toBe('xychart');
  });

  it('draws the summed train and val losses on an axis scaled to the data', async () => {
    const rows = epochRows(4);
    const source = xyChart(rows, LOSS_CHART) as string;
    expect(source).toContain('  y-axis "loss"\n');
    const first = rows[0] as (typeof rows)[number];
    expect(totalLoss(first, 'train')).toBeCloseTo(
      (first.values['train/box_loss'] as number) +
        (first.values['train/cls_loss'] as number) +
        (first.values['train/dfl_loss'] as number),
      10,
    );
    await expect(parseMermaid(source)).resolves.toBe('xychart');
  });

  it('parses from a real ultralytics results.csv (the container fixture format)', async () => {
    const csv = [
      'epoch,time,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2',
      '1,4.1,3.1,4.2,2.9,0.001,0.05,0.0021,0.0005,3.3,4.8,3.0,0.07,0.0003,0.0003',
      '2,8.0,2.8,3.6,2.5,0.01,0.12,0.031,0.009,nan,4.1,2.8,0.04,0.0006,0.0006',
      '3,11.9,2.4,2.9,2.2,0.2,0.33,0.18,0.061,2.7,3.0,2.4,0.01,0.0008,0.0008',
    ].join('\n');
    const rows = parseResultsCsv(csv);
    for (const spec of [MAP_CHART, LOSS_CHART]) {
      await expect(parseMermaid(xyChart(rows, spec) as string)).resolves.toBe('xychart');
    }
    // The epoch with a NaN val loss is left out of the loss chart (lines cannot have holes).
    expect(xyChart(rows, LOSS_CHART)).toContain('x-axis "epoch" [1, 3]');
    expect(secondsPerEpoch(rows)).toBeCloseTo(3.9, 10);
  });

  it('draws nothing from fewer than two usable epochs', () => {
    expect(xyChart(epochRows(1), MAP_CHART)).toBeUndefined();
    expect(xyChart([], LOSS_CHART)).toBeUndefined();
  });

  it('downsamples long runs, keeping the first and the last epoch', async () => {
    const rows = epochRows(300);
    const kept = downsample(rows, MAP_SERIES, 60);
    expect(kept).toHaveLength(60);
    expect(kept[0]?.epoch).toBe(1);
    expect(kept.at(-1)?.epoch).toBe(300);
    const source = xyChart(rows, MAP_CHART) as string;
    expect(source.match(/x-axis "epoch" \[(.*)\]/)?.[1]?.split(', ')).toHaveLength(60);
    await expect(parseMermaid(source)).resolves.toBe('xychart');
  });
});

describe('epochTable and textChart', () => {
  it('tabulates the numbers behind the charts, — for a missing value', () => {
    const rows = epochRows(3);
    (rows[1] as (typeof rows)[number]).values['metrics/recall(B)'] = Number.NaN;
    const md = epochTable(rows) as string;
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      '| Epoch | mAP@0.5 | mAP@0.5:0.95 | Precision | Recall | train loss | val loss |',
    );
    expect(lines).toHaveLength(2 + 3);
    expect(lines[3]).toMatch(/^\| 2 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| — \|/);
  });

  it('draws a terminal chart with the first and last value of each line', () => {
    const lines = textChart(epochRows(30), MAP_CHART);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^mAP@0\.5 {7}[▁▂▃▄▅▆▇█]{30} {2}0\.\d+ → 0\.\d+$/);
    expect(lines[0]?.charAt(14)).toBe('▂'); // 0.16 on the 0..1 axis
    expect(lines[0]?.charAt(43)).toBe('█');
  });
});

describe('Training section', () => {
  it('says how training went and shows two parsable charts with the table beside them', async () => {
    const md = renderReport(
      reportData({
        job: { spotInterruptions: 2, spotRestarts: 2 },
        metrics: { epochsCompleted: 30, bestEpoch: 28 },
      }),
    );
    const section = md.slice(md.indexOf('#### Training'));
    expect(section).toContain('- Epochs: 30 of 30 asked\n- Early stopping: no\n- Best epoch: 28');
    expect(section).toContain('- Time per epoch: 3.5s (median)');
    expect(section).toContain('- Spot interruptions: 2, resumed from a checkpoint 2 times');
    const charts = mermaidBlocks(md);
    expect(charts).toHaveLength(2);
    for (const chart of charts) await expect(parseMermaid(chart)).resolves.toBe('xychart');
    // The numbers are in a collapsed <details> that GitHub renders as a table.
    const html = toHtml(md);
    expect(html).toMatch(/<details><summary>Per-epoch numbers \(from results\.csv\)<\/summary>/);
    expect(decode(html)).toContain('<th align="right">mAP@0.5:0.95</th>');
  });

  it('reports early stopping with the patience when fewer epochs ran than asked', () => {
    const facts = trainingFacts(
      { perClass: [], epochs: epochRows(40), source: 'metrics.json', epochsCompleted: 40 },
      outcome(),
      { epochs: 100, patience: 10 },
    );
    expect(facts).toMatchObject({ completed: 40, asked: 100, earlyStopped: true, patience: 10 });
    const md = renderReport(
      reportData({
        hyperparameters: { epochs: 100, patience: 10 },
        metrics: { epochs: epochRows(40), epochsCompleted: 40, bestEpoch: 30 },
      }),
    );
    expect(md).toContain('- Epochs: 40 of 100 asked');
    expect(md).toContain(
      '- Early stopping: yes, no improvement for 10 epochs (patience); the best weights are kept',
    );
  });

  it('does not call a max-runtime stop early stopping, and estimates time per epoch without a time column', () => {
    const rows = epochRows(10).map((r) => ({
      epoch: r.epoch,
      values: Object.fromEntries(Object.entries(r.values).filter(([k]) => k !== 'time')),
    }));
    const facts = trainingFacts(
      { perClass: [], epochs: rows, source: 'metrics.json', epochsCompleted: 10 },
      outcome({ limitExceeded: 'MaxRuntimeExceeded', status: 'Stopped', trainingSeconds: 600 }),
      { epochs: 100 },
    );
    expect(facts.earlyStopped).toBe(false);
    expect(facts.secondsPerEpoch).toBe(60);
    expect(facts.perEpochEstimated).toBe(true);
  });
});

describe('comment size budget', () => {
  function cls(i: number): ClassMetrics {
    return {
      name: `class-with-a-rather-long-name-${String(i).padStart(3, '0')}`,
      instances: 1000 + i,
      ap50: 0.5 + i / 200,
      ap50_95: 0.3 + i / 300,
      precision: 0.8,
      recall: 0.7,
    };
  }

  it('300 epochs and 80 classes fit under 65,536 characters, charts intact and parsable', async () => {
    const md = renderReport(
      reportData({
        hyperparameters: { epochs: 300, batch: 16, imgsz: 640 },
        metrics: {
          epochs: epochRows(300),
          epochsCompleted: 300,
          bestEpoch: 287,
          perClass: Array.from({ length: 80 }, (_, i) => cls(i)),
        },
        model: {
          files: ['best.pt', 'last.pt', 'training_metrics.json'],
          plots: Array.from({ length: 40 }, (_, i) => `val_batch${i}_pred.jpg`),
          artifact: {
            name: 'yolo-model',
            url: 'https://github.com/acme/floorplans/actions/runs/1/artifacts/2',
          },
        },
      }),
    );
    expect(md).toContain('#### Model');
    expect(md.length).toBeLessThan(65_536);
    expect(markdownSize(md)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
    expect(md).not.toContain('report truncated');
    expect(md).toContain('60 of 300 epochs shown');
    expect(md).toContain('Per-class results (80 classes');
    const charts = mermaidBlocks(md);
    expect(charts).toHaveLength(2);
    for (const chart of charts) await expect(parseMermaid(chart)).resolves.toBe('xychart');
  });

  it('shrinks the per-epoch table (not the charts) when the budget is tight', async () => {
    const data = reportData({ metrics: { epochs: epochRows(300), epochsCompleted: 300 } });
    const full = renderReport(data);
    const tight = renderReport(data, { maxBytes: markdownSize(full) - 500 });
    expect(markdownSize(tight)).toBeLessThanOrEqual(markdownSize(full) - 500);
    expect(mermaidBlocks(tight)).toHaveLength(2);
    expect(tight).toMatch(/\d+ of 300 epochs shown/);
  });
});
