import { describe, it, expect } from '@jest/globals';
import { checkLabelText } from '../../src/dataset/labels.js';

const check = (text: string, nc = 2, kptShape?: [number, number]) =>
  checkLabelText(text, { nc, ...(kptShape ? { kptShape } : {}) });

const only = (text: string, nc = 2) => {
  const r = check(text, nc);
  return r.findings.map((f) => `${f.severity}@${f.line}: ${f.message}`);
};

describe('checkLabelText: valid rows', () => {
  it('counts detection rows per class', () => {
    const r = check('0 0.5 0.5 0.2 0.2\n1 0.1 0.1 0.05 0.05\n0 0.9 0.9 0.1 0.1\n');
    expect(r.findings).toEqual([]);
    expect(r.instances).toEqual([2, 1]);
    expect(r.rows).toBe(3);
  });

  it('accepts polygon rows (class + >= 3 points) and oriented boxes (class + 4 points)', () => {
    const polygon = '0 0.1 0.1 0.9 0.1 0.5 0.9';
    const obb = '1 0.1 0.1 0.4 0.1 0.4 0.3 0.1 0.3';
    const r = check(`${polygon}\n${obb}\n`);
    expect(r.findings).toEqual([]);
    expect(r.instances).toEqual([1, 1]);
  });

  it('treats empty text and surrounding blank lines as no rows, with CRLF line ends', () => {
    expect(check('').rows).toBe(0);
    const r = check('\r\n\r\n0 0.5 0.5 0.1 0.1\r\n\r\n');
    expect(r.findings).toEqual([]);
    expect(r.instances).toEqual([1, 0]);
  });

  it('tolerates coordinates down to -0.01 as ultralytics does', () => {
    expect(check('0 0.05 0.5 0.1 0.2\n0 -0.005 0.5 0.01 0.01').errors).toBe(0);
  });

  it('checks pose rows against kpt_shape', () => {
    const ok = '0 0.5 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 1';
    expect(check(ok, 1, [2, 3]).findings).toEqual([]);
    expect(check(ok, 1, [2, 3]).instances).toEqual([1]);
    // Without kpt_shape the same 7 values are a valid 3-point polygon.
    expect(only('0 0.5 0.5 0.2 0.2 0.4 0.4', 1)).toEqual([]);
    const wrong = check('0 0.5 0.5 0.2 0.2 0.4 0.4', 1, [2, 3]);
    expect(wrong.findings[0]?.message).toMatch(
      /has 7 values; pose rows with kpt_shape \[2, 3\] need 11/,
    );
  });
});

describe('checkLabelText: every rule', () => {
  it('rejects a class id outside [0, nc)', () => {
    expect(only('2 0.5 0.5 0.1 0.1')).toEqual(['error@1: class id 2 is outside [0, 1] (nc = 2)']);
    expect(only('-1 0.5 0.5 0.1 0.1')[0]).toMatch(/class id -1 is outside/);
  });

  it('catches a same-size edit that changes a class id', () => {
    const before = '0 0.5 0.5 0.2 0.2\n';
    const after = '3 0.5 0.5 0.2 0.2\n';
    expect(after.length).toBe(before.length);
    expect(check(before).errors).toBe(0);
    expect(only(after)).toEqual(['error@1: class id 3 is outside [0, 1] (nc = 2)']);
    // A same-size edit to another valid class moves the count between classes.
    expect(check('1 0.5 0.5 0.2 0.2\n').instances).toEqual([0, 1]);
  });

  it('rejects a non-integer class id', () => {
    expect(only('1.5 0.5 0.5 0.1 0.1')).toEqual(['error@1: class id "1.5" is not an integer']);
    expect(check('1.0 0.5 0.5 0.1 0.1').instances).toEqual([0, 1]);
  });

  it('rejects coordinates above 1 or below -0.01', () => {
    expect(only('0 1.2 0.5 0.1 0.1')[0]).toMatch(/^error@1: coordinate 1.2 is outside \[0, 1\]/);
    expect(only('0 0.5 -0.02 0.1 0.1')[0]).toMatch(/coordinate -0.02 is outside/);
    expect(only('0 0.1 0.1 0.9 0.1 0.5 1.5')[0]).toMatch(/coordinate 1.5/);
  });

  it('rejects non-numbers and non-finite values', () => {
    expect(only('0 0.5 abc 0.1 0.1')).toEqual(['error@1: value "abc" is not a number']);
    expect(only('0 0.5 nan 0.1 0.1')).toEqual(['error@1: value "nan" is not finite']);
    expect(only('0 inf 0.5 0.1 0.1')).toEqual(['error@1: value "inf" is not finite']);
    expect(only('0 0x1 0.5 0.1 0.1')[0]).toMatch(/"0x1" is not a number/);
  });

  it('rejects boxes with no width or height', () => {
    expect(only('0 0.5 0.5 0 0.1')).toEqual([
      'error@1: box has width 0 and height 0.1: both must be > 0',
    ]);
  });

  it('rejects rows with the wrong number of values', () => {
    for (const row of [
      '0',
      '0 0.5 0.5 0.1',
      '0 0.1 0.2 0.3 0.4 0.5',
      '0 0.1 0.2 0.3 0.4 0.5 0.6 0.7 0.8 0.9',
    ]) {
      const n = row.split(' ').length;
      expect(only(row)).toEqual([
        `error@1: has ${n} values; expected 5 (class cx cy w h), a polygon (class + at least 3 x y pairs) or an oriented box (class + 4 x y pairs)`,
      ]);
    }
  });

  it('flags box rows mixed with polygon rows and does not count them', () => {
    const r = check('0 0.5 0.5 0.1 0.1\n1 0.1 0.1 0.9 0.1 0.5 0.9\n0 0.2 0.2 0.1 0.1\n');
    expect(r.errors).toBe(1);
    expect(r.findings[0]).toMatchObject({ line: 1, severity: 'error' });
    expect(r.findings[0]?.message).toMatch(
      /box row in a file with polygon rows \(2 box rows, 1 polygon rows\)/,
    );
    expect(r.instances).toEqual([0, 1]);
  });

  it('warns about duplicate rows (ultralytics drops them) and counts them once', () => {
    const r = check('0 0.5 0.5 0.1 0.1\n1 0.2 0.2 0.1 0.1\n0 0.50 0.5 0.1 0.10\n');
    expect(r.findings).toEqual([
      { severity: 'warning', line: 3, message: 'duplicate of line 1: ultralytics drops it' },
    ]);
    expect(r.instances).toEqual([1, 1]);
  });

  it('warns when a box extends outside the image', () => {
    expect(only('0 0.95 0.5 0.2 0.1')).toEqual([
      'warning@1: box (cx 0.95, cy 0.5, w 0.2, h 0.1) extends outside the image',
    ]);
  });

  it('rejects whitespace-only lines between rows and a byte order mark', () => {
    expect(only('0 0.5 0.5 0.1 0.1\n   \n1 0.5 0.5 0.1 0.1')).toEqual([
      'error@2: line holds only whitespace: ultralytics rejects the file (delete the spaces)',
    ]);
    expect(only('\uFEFF0 0.5 0.5 0.1 0.1')[0]).toMatch(
      /^error@1: file starts with a UTF-8 byte order mark/,
    );
  });

  it('reports the line of each finding and caps what it keeps, counting the rest', () => {
    const text = Array.from(
      { length: 30 },
      (_, i) => `${i % 2 ? 9 : 0} 0.5 0.5 0.1 ${0.01 * (i + 1)}`,
    ).join('\n');
    const r = checkLabelText(text, { nc: 2, maxFindings: 5 });
    expect(r.errors).toBe(15);
    expect(r.findings.map((f) => f.line)).toEqual([2, 4, 6, 8, 10]);
    expect(r.omitted).toBe(10);
    expect(r.instances).toEqual([15, 0]);
  });
});
