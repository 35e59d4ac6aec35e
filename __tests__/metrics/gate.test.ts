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
    expect(gate.message).toBe('✗ map50 0.8123 < 0.85 (map50-threshold)');
    expect(gate.checks).toEqual([
      { metric: 'map50', input: 'map50-threshold', threshold: 0.85, value: 0.8123, passed: false },
    ]);
  });

  it('passes at exactly the threshold (value >= min)', () => {
    const gate = evaluateGate(metrics({ map50: 0.85 }), [MAP50]);
    expect(gate.passed).toBe(true);
    expect(gate.message).toBe('✓ map50 0.8500 >= 0.85 (map50-threshold)');
  });

  it('checks every threshold without stopping at the first failure', () => {
    const gate = evaluateGate(metrics({ map50: 0.9, precision: 0.8, recall: 0.84 }), [
      MAP50,
      PRECISION,
      RECALL,
    ]);
    expect(gate.passed).toBe(false);
    expect(gate.message.split('\n')).toEqual([
      '✓ map50 0.9000 >= 0.85 (map50-threshold)',
      '✗ precision 0.8000 < 0.9 (precision-threshold)',
      '✗ recall 0.8400 < 0.85 (recall-threshold)',
    ]);
    expect(gate.checks.map((c) => c.passed)).toEqual([true, false, false]);
  });

  it('fails a metric that was not reported (missing or NaN)', () => {
    const gate = evaluateGate(metrics({ map50: Number.NaN }), [MAP50, RECALL]);
    expect(gate.passed).toBe(false);
    expect(gate.checks.every((c) => c.value === undefined && !c.passed)).toBe(true);
    expect(gate.message).toBe(
      '✗ map50 not reported, needs >= 0.85 (map50-threshold)\n' +
        '✗ recall not reported, needs >= 0.85 (recall-threshold)',
    );
  });

  it('passes with no thresholds and says so', () => {
    const gate = evaluateGate(metrics({}), []);
    expect(gate).toEqual({ passed: true, checks: [], message: 'no thresholds configured' });
  });

  it('never prints a value that rounds onto the other side of its threshold', () => {
    const below = evaluateGate(metrics({ map50: 0.84996 }), [MAP50]);
    expect(below.passed).toBe(false);
    expect(below.message).toBe('✗ map50 0.84996 < 0.85 (map50-threshold)');
    const above = evaluateGate(metrics({ map50: 0.850004 }), [MAP50]);
    expect(above.message).toBe('✓ map50 0.8500 >= 0.85 (map50-threshold)');
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

describe('formatting', () => {
  it('formats thresholds as written and values with 4 decimals', () => {
    expect(formatThreshold(0.85)).toBe('0.85');
    expect(formatThreshold(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(0.5)).toBe('0.5000');
    expect(formatValue(1)).toBe('1.0000');
  });
});
