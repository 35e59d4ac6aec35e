import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { evaluateGate, formatThreshold, formatValue } from '../../src/metrics/gate.js';
import type { Metrics, Threshold } from '../../src/types.js';

const metrics = (m: Partial<Metrics>): Metrics => ({
  perClass: [],
  source: 'metrics.json',
  epochs: [],
  ...m,
});
const MAP50: Threshold = { metric: 'map50', min: 0.85, input: 'map50-threshold' };
const PRECISION: Threshold = { metric: 'precision', min: 0.9, input: 'precision-threshold' };
const RECALL: Threshold = { metric: 'recall', min: 0.85, input: 'recall-threshold' };

describe('evaluateGate', () => {
  it('fails below the threshold with one line naming value, threshold and input', () => {
    const gate = evaluateGate(metrics({ map50: 0.8123 }), [MAP50]);
    expect(gate.passed).toBe(false);
    expect(gate.message).toBe('✗ map50 0.8123 < 0.85 (map50-threshold) on boxes (B)');
    expect(gate.checks).toEqual([
      {
        metric: 'map50',
        kind: 'box',
        input: 'map50-threshold',
        threshold: 0.85,
        value: 0.8123,
        passed: false,
      },
    ]);
  });

  it('passes at exactly the threshold (value >= min)', () => {
    const gate = evaluateGate(metrics({ map50: 0.85 }), [MAP50]);
    expect(gate.passed).toBe(true);
    expect(gate.message).toBe('✓ map50 0.8500 >= 0.85 (map50-threshold) on boxes (B)');
  });

  it('checks every threshold without stopping at the first failure', () => {
    const gate = evaluateGate(metrics({ map50: 0.9, precision: 0.8, recall: 0.84 }), [
      MAP50,
      PRECISION,
      RECALL,
    ]);
    expect(gate.passed).toBe(false);
    expect(gate.message.split('\n')).toEqual([
      '✓ map50 0.9000 >= 0.85 (map50-threshold) on boxes (B)',
      '✗ precision 0.8000 < 0.9 (precision-threshold) on boxes (B)',
      '✗ recall 0.8400 < 0.85 (recall-threshold) on boxes (B)',
    ]);
    expect(gate.checks.map((c) => c.passed)).toEqual([true, false, false]);
  });

  it('fails a metric that was not reported (missing or NaN)', () => {
    const gate = evaluateGate(metrics({ map50: Number.NaN }), [MAP50, RECALL]);
    expect(gate.passed).toBe(false);
    expect(gate.checks.every((c) => c.value === undefined && !c.passed)).toBe(true);
    expect(gate.message).toBe(
      '✗ map50 not reported, needs >= 0.85 (map50-threshold) on boxes (B)\n' +
        '✗ recall not reported, needs >= 0.85 (recall-threshold) on boxes (B)',
    );
  });

  it('passes with no thresholds and says so', () => {
    const gate = evaluateGate(metrics({}), []);
    expect(gate).toEqual({
      passed: true,
      task: 'detect',
      checks: [],
      message: 'no thresholds configured',
    });
  });

  it('never prints a value that rounds onto the other side of its threshold', () => {
    const below = evaluateGate(metrics({ map50: 0.84996 }), [MAP50]);
    expect(below.passed).toBe(false);
    expect(below.message).toBe('✗ map50 0.84996 < 0.85 (map50-threshold) on boxes (B)');
    const above = evaluateGate(metrics({ map50: 0.850004 }), [MAP50]);
    expect(above.message).toBe('✓ map50 0.8500 >= 0.85 (map50-threshold) on boxes (B)');
  });

  it('agrees with value >= min for any value and threshold (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (value, min) => {
          const gate = evaluateGate(metrics({ map50_95: value }), [
            { metric: 'map50_95', min, input: 'x' },
          ]);
          expect(gate.passed).toBe(value >= min);
          const printed = Number(/map50_95 (\S+)/.exec(gate.message)?.[1]);
          expect(printed >= min).toBe(value >= min);
        },
      ),
    );
  });
});

describe('evaluateGate per task', () => {
  const TOP1: Threshold = { metric: 'top1', min: 0.8, input: 'top1-threshold' };
  const boxes = { map50: 0.95, map50_95: 0.7, precision: 0.9, recall: 0.9 };
  const masks = { map50: 0.6, map50_95: 0.3, precision: 0.7, recall: 0.6 };

  it('gates a segment model on its masks, not its boxes, and says so', () => {
    const gate = evaluateGate(
      metrics({ task: 'segment', ...masks, blocks: { mask: masks, box: boxes } }),
      [MAP50],
    );
    expect(gate.passed).toBe(false);
    expect(gate.checks[0]).toMatchObject({ kind: 'mask', value: 0.6 });
    expect(gate.message).toBe('✗ map50 0.6000 < 0.85 (map50-threshold) on masks (M)');
  });

  it('reads the block even where the top-level numbers disagree with it', () => {
    // the block is what the check names; the top level is only the fallback for older files
    const gate = evaluateGate(
      metrics({ task: 'segment', ...boxes, blocks: { mask: masks, box: boxes } }),
      [MAP50],
    );
    expect(gate.checks[0]?.value).toBe(0.6);
  });

  it('gates pose and obb models on their boxes', () => {
    const pose = evaluateGate(
      metrics({ task: 'pose', ...boxes, blocks: { box: boxes, pose: masks } }),
      [MAP50],
    );
    expect(pose.message).toBe('✓ map50 0.9500 >= 0.85 (map50-threshold) on boxes (B)');
    const obb = evaluateGate(metrics({ task: 'obb', map50: 0.5 }), [MAP50]);
    expect(obb.message).toBe('✗ map50 0.5000 < 0.85 (map50-threshold) on boxes (B)');
  });

  it('gates a classify model on top-1 accuracy', () => {
    const pass = evaluateGate(metrics({ task: 'classify', top1: 0.82, top5: 1 }), [TOP1]);
    expect(pass).toMatchObject({ passed: true, task: 'classify' });
    expect(pass.message).toBe('✓ top1 0.8200 >= 0.8 (top1-threshold)');
    const fail = evaluateGate(metrics({ task: 'classify', top1: 0.5 }), [TOP1]);
    expect(fail.message).toBe('✗ top1 0.5000 < 0.8 (top1-threshold)');
  });

  it('fails an mAP threshold on a classify model, and top1 on any other, naming why', () => {
    const classify = evaluateGate(metrics({ task: 'classify', top1: 0.99 }), [MAP50, TOP1]);
    expect(classify.passed).toBe(false);
    expect(classify.message).toBe(
      '✗ map50: does not apply to a classify model, which reports top-1/top-5 accuracy: use top1-threshold (map50-threshold)\n' +
        '✓ top1 0.9900 >= 0.8 (top1-threshold)',
    );
    const detect = evaluateGate(metrics({ map50: 0.99 }), [TOP1]);
    expect(detect.passed).toBe(false);
    expect(detect.message).toBe(
      '✗ top1: only classify models report it; this detect model does not (top1-threshold)',
    );
  });

  it('says which threshold a classify model needs when none is set', () => {
    expect(evaluateGate(metrics({ task: 'classify', top1: 0.4 }), []).message).toBe(
      'no thresholds configured (classify: set top1-threshold)',
    );
  });
});

describe('formatting', () => {
  it('formats thresholds as written and values with 4 decimals', () => {
    expect(formatThreshold(0.85)).toBe('0.85');
    expect(formatThreshold(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(0.5)).toBe('0.5000');
    expect(formatValue(1)).toBe('1.0000');
  });
});
