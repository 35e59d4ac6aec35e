import { describe, it, expect } from '@jest/globals';
import { checkLabelText, type LabelCheckOptions } from '../../src/dataset/labels.js';
import type { YoloTask } from '../../src/task.js';

const check = (text: string, nc = 2, extra: Partial<LabelCheckOptions> = {}) =>
  checkLabelText(text, { nc, ...extra });

const findings = (text: string, nc = 2, extra: Partial<LabelCheckOptions> = {}) =>
  check(text, nc, extra).findings.map(
    (f) => `${f.outcome}@${f.line ?? '-'} ${f.rule}: ${f.message}`,
  );

const instances = (text: string, nc = 2, task: YoloTask = 'detect') =>
  Object.fromEntries(check(text, nc, { task }).instances);

describe('checkLabelText: rows ultralytics keeps', () => {
  it('counts box rows per class', () => {
    const r = check('0 0.5 0.5 0.2 0.2\n1 0.1 0.1 0.05 0.05\n0 0.9 0.9 0.1 0.1\n');
    expect(r.findings).toEqual([]);
    expect(r.dropped).toBe(false);
    expect(r.rows).toBe(3);
    expect(Object.fromEntries(r.instances)).toEqual({ 0: 2, 1: 1 });
  });

  it('accepts coordinates up to 1.01 and values down to -0.01, noting that they are clipped', () => {
    for (const v of ['1.0000000000000002', '1.005', '1.01', '-0.009', '-0.01']) {
      const r = check(`0 ${v} 0.5 0.2 0.2`);
      expect(r.dropped).toBe(false);
      expect(r.findings.map((f) => f.rule)).toEqual(
        Math.fround(Number(v)) < 0 || Math.fround(Number(v)) > 1 ? ['coordinate-in-tolerance'] : [],
      );
    }
  });

  it('reads polygon and oriented-box rows as boxes for a detect model, with a note', () => {
    const r = check('0 0.1 0.1 0.9 0.1 0.5 0.9\n1 0.1 0.1 0.4 0.1 0.4 0.3 0.1 0.3\n');
    expect(r.dropped).toBe(false);
    expect(r.segments).toBe(true);
    expect(r.findings.map((f) => f.rule)).toEqual(['polygons-as-boxes']);
    expect(Object.fromEntries(r.instances)).toEqual({ 0: 1, 1: 1 });
  });

  it('removes duplicates as ultralytics does (same float32 row), keeping the first', () => {
    const r = check('0 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n0 0.50 0.5 0.1 0.10000000001\n');
    expect(
      findings('0 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n0 0.50 0.5 0.1 0.10000000001\n'),
    ).toEqual(['fix@3 duplicate-row: duplicate of line 1: ultralytics removes it']);
    expect(r.rows).toBe(2);
  });

  it('skips blank and whitespace-only lines, accepts one BOM, CR/LF/U+2028 line breaks and tabs', () => {
    expect(check('\n  \n0 0.5 0.5 0.1 0.1\n\t\n').rows).toBe(1);
    expect(check('\uFEFF0 0.5 0.5 0.1 0.1').dropped).toBe(false);
    expect(check('\uFEFF\uFEFF0 0.5 0.5 0.1 0.1').dropped).toBe(true);
    expect(check('0 0.5 0.5 0.1 0.1\r1 0.5 0.5 0.2 0.2\u20280\t0.1 0.1 0.1 0.1').rows).toBe(3);
  });

  it('parses numbers as Python float() does (underscores, unicode digits, inf and nan spelled out)', () => {
    expect(check('1_0 0.5 0.5 0.1 0.1', 11).dropped).toBe(false);
    expect(check('\u0661 0.5 0.5 0.1 0.1').dropped).toBe(false); // Arabic-Indic 1
    expect(findings('0 0x1 0.5 0.1 0.1')).toEqual([
      'drop@1 not-a-number: value "0x1" is not a number',
    ]);
  });

  it('uses the keypoints of pose rows only for a pose model', () => {
    const pose = '0 0.5 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 1';
    expect(check(pose, 1, { task: 'pose', kptShape: [2, 3] }).findings).toEqual([]);
    // visibility 2 is not a coordinate; a keypoint x above 1.01 is
    expect(
      findings('0 0.5 0.5 0.2 0.2 1.02 0.4 2 0.6 0.6 1', 1, { task: 'pose', kptShape: [2, 3] }),
    ).toEqual([
      'drop@1 coordinate-above-1.01: coordinate 1.0199999809265137 is above 1.01: coordinates are normalised by the image size (ultralytics tolerates up to 1.01)',
    ]);
    // a detect model trained on pose labels keeps the boxes
    const detect = check(pose, 1, { task: 'detect', kptShape: [2, 3] });
    expect(detect.dropped).toBe(false);
    expect(detect.findings.map((f) => f.rule)).toEqual(['keypoints-ignored']);
  });
});

describe('checkLabelText: rows that drop the image', () => {
  it.each([
    ['0 1.0100001 0.5 0.1 0.1', 'coordinate-above-1.01'],
    ['0 0.5 -0.011 0.1 0.1', 'value-below-0.01'],
    ['-1 0.5 0.5 0.1 0.1', 'value-below-0.01'],
    ['0 0.5 0.5 -0.001 0.1', 'negative-size'],
    ['0.5 0.5 0.5 0.1 0.1', 'class-not-integer'],
    ['2 0.5 0.5 0.1 0.1', 'class-out-of-range'],
    ['0 nan 0.5 0.1 0.1', 'not-finite'],
    ['inf 0.5 0.5 0.1 0.1', 'class-not-integer'],
    ['0 0.5 abc 0.1 0.1', 'not-a-number'],
    ['0 0.5 0.5 0.1', 'row-width'],
    ['0 0.5 0.5 0.1 0.1 0.9', 'row-width'],
    ['0 0.1 0.1 0.9 0.1 0.5 0.9 0.4', 'odd-polygon'],
    ['0 0.5 0.5 0.1 0.1\n0 0.1 0.1 0.9 0.1 0.5 0.9', 'mixed-segment-and-box-rows'],
    ['0 0.5 0.5 0.1 0.1\n0 0.5 0.5 0.1', 'mixed-row-widths'],
  ])('%j: %s', (text, rule) => {
    const r = check(text);
    expect(r.dropped).toBe(true);
    expect(r.rows).toBe(0);
    expect(r.findings.map((f) => f.rule)).toContain(rule);
    expect(r.findings.every((f) => f.line !== undefined)).toBe(true);
  });

  it('lets -0.005 pass unless some row has a negative size (the min check covers every column)', () => {
    expect(check('0 -0.005 0.5 0.1 0.2').dropped).toBe(false);
    expect(check('0 -0.005 0.5 0.1 0.2\n1 0.5 0.5 0.1 -0.0001').dropped).toBe(true);
  });

  it('checks a polygon through its bounding box, as segments2boxes does', () => {
    expect(check('0 0.5 0.5 1.5 0.5 1.0 0.9').dropped).toBe(false); // box cx 1.0, w 1.0
    expect(check('0 -0.2 0.1 0.9 0.1 0.5 0.9').dropped).toBe(true); // width 1.1
  });

  it('reports every bad line and caps what it keeps, counting the rest', () => {
    const text = Array.from({ length: 30 }, (_, i) => `${i % 2 ? 9 : 0} 0.5 0.5 0.1 0.1`).join(
      '\n',
    );
    const r = checkLabelText(text, { nc: 2, maxFindings: 5 });
    expect(r.dropped).toBe(true);
    expect(r.findings.map((f) => f.line)).toEqual([2, 4, 6, 8, 10]);
    expect(r.omitted).toBe(10);
  });
});

describe('checkLabelText: bounds', () => {
  it('handles a row with 130,000 values without spreading it (no stack overflow)', () => {
    const row = `0 ${Array.from({ length: 130_000 }, (_, i) => (i % 2 ? 0.5 : 0.25)).join(' ')}`;
    const r = check(row);
    expect(r.dropped).toBe(false); // a 65,000-point polygon: ultralytics keeps it
    expect(r.rows).toBe(1);
    expect(check(`${row} 0.5`).findings.map((f) => f.rule)).toEqual(['odd-polygon']);
    expect(instances('0 0.1 0.1 0.9 0.1 0.5 0.9')).toEqual({ 0: 1 });
  });

  it('refuses a line longer than its limit with a finding on that line', () => {
    const long = `0 ${'0.5 '.repeat(300_000)}`;
    const r = check(`0 0.5 0.5 0.1 0.1\n${long}`);
    expect(r.failed).toBe(true);
    expect(r.findings).toEqual([
      expect.objectContaining({ outcome: 'fail', rule: 'line-too-long', line: 2 }),
    ]);
  });
});
