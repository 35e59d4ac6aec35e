// Real container output per task (training-container/tests/make_ts_fixture.py --tasks: a 1-epoch
// CPU run of each task's model on tiny generated data), read by the same code as a job's output.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { evaluateGate } from '../../src/metrics/gate.js';
import {
  extractOutputArchive,
  metricsFromFinalMetricData,
  parseMetricsJson,
} from '../../src/metrics/read.js';
import {
  ACCURACY_COLUMNS,
  parseResultsCsv,
  progressColumn,
  resultsColumn,
} from '../../src/metrics/results-csv.js';
import {
  compileMetricDefinitions,
  finalMetricsFromLog,
} from '../../src/training/local-builders.js';
import { metricDefinitionsFromFile } from '../../src/training/request.js';
import { TASKS, type MetricKind, type YoloTask } from '../../src/task.js';
import type { EpochRow, Metrics } from '../../src/types.js';

const DIR = path.resolve('__tests__/fixtures/container-output/tasks');
const SET = ['map50', 'map50_95', 'precision', 'recall'] as const;
const BLOCKS: Record<YoloTask, MetricKind[]> = {
  detect: ['box'],
  segment: ['mask', 'box'],
  obb: ['box'],
  pose: ['box', 'pose'],
  classify: [],
};

async function fixture(task: YoloTask): Promise<{ metrics: Metrics; epochs: EpochRow[] }> {
  const out = await extractOutputArchive(readFileSync(path.join(DIR, task, 'output.tar.gz')));
  return {
    metrics: parseMetricsJson(out.metricsJson),
    epochs: parseResultsCsv(out.resultsCsv ?? ''),
  };
}

/** What SageMaker would record as FinalMetricDataList from the job's log. */
function scraped(task: YoloTask): Record<string, number> {
  const log = readFileSync(path.join(DIR, task, 'metric-lines.log'), 'utf8');
  return finalMetricsFromLog(log, compileMetricDefinitions(metricDefinitionsFromFile()));
}

describe.each(TASKS)('real %s output', (task) => {
  it('says its task and carries that task’s metrics', async () => {
    const { metrics } = await fixture(task);
    expect(metrics.task).toBe(task);
    if (task === 'classify') {
      expect(metrics.top1).toEqual(expect.any(Number));
      expect(metrics.top5).toBe(1); // two classes: always in the top 5
      for (const key of SET) expect(metrics[key]).toBeUndefined();
      expect(metrics.blocks).toBeUndefined();
      return;
    }
    expect(Object.keys(metrics.blocks ?? {}).sort()).toEqual([...BLOCKS[task]].sort());
    for (const kind of BLOCKS[task]) {
      for (const key of SET) expect(metrics.blocks?.[kind]?.[key]).toEqual(expect.any(Number));
    }
    const primary = BLOCKS[task][0] as MetricKind;
    for (const key of SET) expect(metrics[key]).toBe(metrics.blocks?.[primary]?.[key]);
    expect(metrics.perClass.map((c) => c.name)).toEqual(['box']);
  });

  it('has the task’s results.csv columns, looked up by name', async () => {
    const { metrics, epochs } = await fixture(task);
    const last = epochs[epochs.length - 1] as EpochRow;
    expect(last.epoch).toBe(metrics.epochsCompleted);
    expect(last.values).toHaveProperty(progressColumn(task));
    if (task === 'classify') {
      expect(last.values).toHaveProperty(ACCURACY_COLUMNS.top5);
    }
    for (const kind of BLOCKS[task]) {
      for (const key of SET) expect(last.values).toHaveProperty(resultsColumn(key, kind));
    }
    // no block the task does not report
    const others = (['box', 'mask', 'pose'] as const).filter((k) => !BLOCKS[task].includes(k));
    for (const kind of others) {
      expect(last.values).not.toHaveProperty(resultsColumn('map50', kind));
    }
  });

  it('reads the same epoch numbers from the log lines when metrics.json is missing', async () => {
    const { epochs } = await fixture(task);
    const last = (epochs[epochs.length - 1] as EpochRow).values;
    const fallback = metricsFromFinalMetricData(scraped(task), task);
    expect(fallback.source).toBe('final-metric-data');
    if (task === 'classify') {
      expect(fallback.top1).toBeCloseTo(last[ACCURACY_COLUMNS.top1] as number, 5);
      expect(fallback.top5).toBeCloseTo(last[ACCURACY_COLUMNS.top5] as number, 5);
      return;
    }
    const primary = BLOCKS[task][0] as MetricKind;
    for (const key of SET) {
      expect(fallback[key]).toBeCloseTo(last[resultsColumn(key, primary)] as number, 5);
    }
  });
});

describe('the gate on real output', () => {
  it('reads masks for segment and top-1 for classify, and says so', async () => {
    const seg = (await fixture('segment')).metrics;
    const segGate = evaluateGate(seg, [{ metric: 'map50', min: 0, input: 'map50-threshold' }]);
    expect(segGate.checks[0]).toMatchObject({ kind: 'mask', value: seg.blocks?.mask?.map50 });
    expect(segGate.message).toMatch(/^✓ map50 \S+ >= 0 \(map50-threshold\) on masks \(M\)$/);
    const cls = (await fixture('classify')).metrics;
    const clsGate = evaluateGate(cls, [{ metric: 'top1', min: 0.99, input: 'top1-threshold' }]);
    expect(clsGate.passed).toBe((cls.top1 as number) >= 0.99);
    expect(clsGate.message).toMatch(/^[✓✗] top1 \S+ (>=|<) 0\.99 \(top1-threshold\)$/);
  });
});
