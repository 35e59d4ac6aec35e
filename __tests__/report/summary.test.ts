import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { evaluateGate } from '../../src/metrics/gate.js';
import { metricsOutputs, writeJobSummary } from '../../src/report/summary.js';
import type { JobOutcome, Metrics } from '../../src/types.js';

const outcome = (over: Partial<JobOutcome> = {}): JobOutcome => ({
  jobName: 'acme-pr-12-abc1234',
  status: 'Completed',
  modelArtifactsUri: 's3://b/output/acme-pr-12-abc1234/output/model.tar.gz',
  billableSeconds: 1191.4,
  trainingSeconds: 3723,
  finalMetrics: {},
  instanceType: 'ml.p3.2xlarge',
  instanceCount: 1,
  spot: true,
  consoleUrl: 'https://console',
  region: 'us-east-1',
  ...over,
});
const metrics = (over: Partial<Metrics> = {}): Metrics => ({
  map50: 0.9012,
  map50_95: 0.6345,
  precision: 0.9321,
  recall: 0.8876,
  perClass: [],
  source: 'metrics.json',
  epochs: [],
  ...over,
});
const THRESHOLDS = [{ metric: 'map50' as const, min: 0.85, input: 'map50-threshold' }];

describe('metricsOutputs', () => {
  it('maps a completed, passing job onto the action outputs', () => {
    const m = metrics();
    expect(metricsOutputs(m, evaluateGate(m, THRESHOLDS), outcome())).toEqual({
      map50: '0.9012',
      'map50-95': '0.6345',
      precision: '0.9321',
      recall: '0.8876',
      passed: 'true',
      'job-status': 'Completed',
      'job-name': 'acme-pr-12-abc1234',
      'model-uri': 's3://b/output/acme-pr-12-abc1234/output/model.tar.gz',
      'billable-seconds': '1191',
      'cost-usd': '', // no price attached: unknown, not 0
    });
  });

  it('reports a failing gate and leaves unreported metrics empty', () => {
    const m = metrics({ map50: 0.5, recall: Number.NaN, precision: undefined });
    const out = metricsOutputs(
      m,
      evaluateGate(m, THRESHOLDS),
      outcome({ billableSeconds: undefined }),
    );
    expect(out.passed).toBe('false');
    expect(out.map50).toBe('0.5');
    expect(out.recall).toBe('');
    expect(out.precision).toBe('');
    expect(out['billable-seconds']).toBe('');
  });

  it('never passes a job that did not complete, and gives no model for it', () => {
    const m = metrics();
    const gate = evaluateGate(m, []);
    const failed = metricsOutputs(m, gate, outcome({ status: 'Failed' }));
    expect(failed.passed).toBe('false');
    expect(failed['job-status']).toBe('Failed');
    expect(failed['model-uri']).toBe('');
    const waiting = metricsOutputs(m, gate, outcome({ status: 'InProgress', timedOut: true }));
    expect(waiting.passed).toBe('false');
    expect(waiting['job-status']).toBe('InProgress');
  });
});

describe('writeJobSummary', () => {
  let dir: string;
  let file: string;
  const saved = process.env.GITHUB_STEP_SUMMARY;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'summary-'));
    file = path.join(dir, 'step_summary.md');
    writeFileSync(file, 'earlier step\n');
    process.env.GITHUB_STEP_SUMMARY = file;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends the markdown to the step summary file', async () => {
    await writeJobSummary('<!-- m -->\n### ✅ passed');
    expect(readFileSync(file, 'utf8')).toBe('earlier step\n<!-- m -->\n### ✅ passed\n');
  });
});
