import { describe, expect, it } from '@jest/globals';
import { parseCell, parseResultsCsv, RESULTS_COLUMNS } from '../../src/metrics/results-csv.js';

// Written by ultralytics < 8.3.9: every field right-aligned to 23 characters, no `time` column.
const PADDED = [
  '                  epoch,         train/box_loss,         train/cls_loss,         train/dfl_loss,   metrics/precision(B),      metrics/recall(B),       metrics/mAP50(B),    metrics/mAP50-95(B),           val/box_loss,           val/cls_loss,           val/dfl_loss,                 lr/pg0,                 lr/pg1,                 lr/pg2',
  '                      1,                 1.3089,                 2.1854,                 1.2467,                0.71329,                0.64107,                0.70364,                0.48162,                 1.1982,                 1.4541,                 1.1868,              0.0033223,              0.0033223,              0.0033223',
  '                      2,                 1.2034,                 1.5011,                 1.1902,                0.78112,                0.70015,                0.77719,                0.53305,                 1.1201,                 1.2107,                 1.1521,              0.0065901,              0.0065901,              0.0065901',
  '',
].join('\n');

// Written by ultralytics >= 8.3.9: compact, with `time` (seconds since start) after `epoch`.
const COMPACT = [
  'epoch,time,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2',
  '1,31.4159,1.30891,2.18541,1.24673,0,0,nan,nan,nan,nan,nan,0.0700000,0.00332231,0.00332231',
  '2,60.125,1.20341,1.50112,1.19021,0.78112,0.70015,0.77719,0.53305,1.12013,1.21071,1.15213,0.0400328,0.00659008,0.00659008',
  '3,88.75,1.1,1.4,1.1,0.8,0.75,0.8123,0.56,1.1,1.2,1.1,0.01,0.009,0.009',
].join('\r\n');

describe('parseResultsCsv', () => {
  it('reads the space-padded header of ultralytics before 8.3.9 by trimmed names', () => {
    const rows = parseResultsCsv(PADDED);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    expect(rows[1]?.values[RESULTS_COLUMNS.map50]).toBeCloseTo(0.77719, 6);
    expect(rows[0]?.values[RESULTS_COLUMNS.map50_95]).toBeCloseTo(0.48162, 6);
    expect(rows[0]?.values['lr/pg2']).toBeCloseTo(0.0033223, 8);
    expect(Object.keys(rows[0]?.values ?? {})).not.toContain('epoch');
    expect(rows[0]?.values).not.toHaveProperty('time');
  });

  it('reads the compact header with a time column, CRLF line endings and nan cells', () => {
    const rows = parseResultsCsv(COMPACT);
    expect(rows).toHaveLength(3);
    expect(rows[0]?.values.time).toBeCloseTo(31.4159, 6);
    expect(rows[0]?.values[RESULTS_COLUMNS.map50]).toBeNaN();
    expect(rows[0]?.values[RESULTS_COLUMNS.precision]).toBe(0);
    expect(rows[2]?.values[RESULTS_COLUMNS.map50]).toBeCloseTo(0.8123, 6);
    expect(rows[2]?.values[RESULTS_COLUMNS.recall]).toBeCloseTo(0.75, 6);
  });

  it('finds columns by name wherever they are, including segmentation (M) columns', () => {
    const csv = 'metrics/mAP50(M), epoch ,metrics/mAP50(B)\n0.5,7,0.6\n';
    const rows = parseResultsCsv(csv);
    expect(rows).toEqual([
      { epoch: 7, values: { 'metrics/mAP50(M)': 0.5, 'metrics/mAP50(B)': 0.6 } },
    ]);
  });

  it('tolerates a BOM, blank lines, short rows and a row cut off before its epoch', () => {
    const csv = '\uFEFFepoch,time,metrics/mAP50(B)\n\n1,2.5,0.4\n2,3.5\n,\n';
    const rows = parseResultsCsv(csv);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    expect(rows[1]?.values['metrics/mAP50(B)']).toBeNaN();
    expect(rows[1]?.values.time).toBe(3.5);
  });

  it('keeps the last row of an epoch repeated by a resumed run, in epoch order', () => {
    const csv =
      'epoch,metrics/mAP50(B)\n1,0.1\n2,0.2\n3,0.25\n3,0.3\nepoch,metrics/mAP50(B)\n4,0.4\n';
    const rows = parseResultsCsv(csv);
    expect(rows.map((r) => [r.epoch, r.values['metrics/mAP50(B)']])).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.3],
      [4, 0.4],
    ]);
  });

  it('returns no rows for an empty file or a header alone', () => {
    expect(parseResultsCsv('')).toEqual([]);
    expect(parseResultsCsv('\n\n')).toEqual([]);
    expect(parseResultsCsv('epoch,time\n')).toEqual([]);
  });

  it('rejects a file without an epoch column, naming what it found', () => {
    expect(() => parseResultsCsv('a,b\n1,2\n')).toThrow(/no "epoch" column.*a, b/);
  });
});

describe('parseCell', () => {
  it.each([
    ['  0.5 ', 0.5],
    ['1e-3', 0.001],
    ['inf', Infinity],
    ['-inf', -Infinity],
  ])('%j -> %d', (raw, expected) => {
    expect(parseCell(raw)).toBe(expected);
  });

  it.each(['nan', 'NaN', '', '   ', 'abc', '-nan'])('%j -> NaN', (raw) => {
    expect(parseCell(raw)).toBeNaN();
  });
});
