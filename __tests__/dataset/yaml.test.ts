import { describe, it, expect } from '@jest/globals';
import path from 'node:path';
import { parseDatasetYaml } from '../../src/dataset/yaml.js';

const YAML = '/repo/data/processed/data.yaml';
const DIR = path.dirname(YAML);
const parse = (text: string) => parseDatasetYaml(text, YAML);
const errors = (text: string) =>
  parse(text)
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${f.line ?? '-'}: ${f.message}`);

describe('parseDatasetYaml', () => {
  it('reads directories relative to path, itself relative to the yaml', () => {
    const { config, findings } = parse(
      'path: sub\ntrain: images/train\nval: images/val\ntest: images/test\nnames: [room]\n',
    );
    expect(findings).toEqual([]);
    expect(config?.datasetRoot).toBe(path.join(DIR, 'sub'));
    expect(config?.splits.train).toEqual([
      { value: 'images/train', abs: path.join(DIR, 'sub/images/train'), line: 2 },
    ]);
    expect(config?.splits.test?.[0]?.abs).toBe(path.join(DIR, 'sub/images/test'));
  });

  it("gives a single '../x' split ultralytics' second try (x under the root); not list entries", () => {
    const { config } = parse('train: ../train/images\nval: [../valid/images]\nnames: [room]\n');
    expect(config?.splits.train?.[0]).toMatchObject({
      abs: path.join(DIR, '../train/images'),
      fallback: path.join(DIR, 'train/images'),
    });
    expect(config?.splits.val?.[0]?.fallback).toBeUndefined();
  });

  it("warns about an absolute laptop path (naming its line) and resolves from the yaml's folder", () => {
    const { config, findings } = parse(
      'names: [room]\npath: /Users/me/datasets/rooms\ntrain: a\nval: b\n',
    );
    expect(config?.datasetRoot).toBe(DIR);
    expect(findings).toEqual([expect.objectContaining({ severity: 'warning', line: 2 })]);
    expect(findings[0]?.message).toMatch(/absolute path outside the dataset/);
  });

  it('defaults path to the yaml directory', () => {
    expect(parse('train: a\nval: b\nnames: [x]').config?.datasetRoot).toBe(DIR);
  });

  it('accepts lists of directories and .txt lists, with the line of each entry', () => {
    const { config } = parse('train:\n  - images/a\n  - images/b\nval: val.txt\nnames: [x]\n');
    expect(config?.splits.train?.map((s) => [s.value, s.line])).toEqual([
      ['images/a', 2],
      ['images/b', 3],
    ]);
    expect(config?.splits.val?.[0]?.abs).toBe(path.join(DIR, 'val.txt'));
  });

  it('reads names as a list or as an id mapping (string or int keys)', () => {
    expect(parse('train: a\nval: b\nnames: [room, door]').config?.names).toEqual(['room', 'door']);
    expect(parse('train: a\nval: b\nnames:\n  1: door\n  0: room\n').config?.names).toEqual([
      'room',
      'door',
    ]);
    expect(parse("train: a\nval: b\nnames: {'0': room}").config?.names).toEqual(['room']);
  });

  it('makes class_N names from nc alone, and requires nc to match names', () => {
    expect(parse('train: a\nval: b\nnc: 2').config?.names).toEqual(['class_0', 'class_1']);
    expect(errors('train: a\nval: b\nnc: 3\nnames: [a, b]')).toEqual([
      '3: nc is 3 but names has 2 entries: they must match',
    ]);
    expect(errors('train: a\nval: b\nnc: two\nnames: [a]')).toEqual([
      '3: nc must be an integer >= 1, got "two"',
    ]);
  });

  it('rejects mappings with gaps, missing names and empty names', () => {
    expect(errors('train: a\nval: b\nnames:\n  0: a\n  2: c\n')).toEqual([
      '3: a 2-class names mapping needs ids 0-1; 1 id(s) are outside, the first 2',
    ]);
    expect(errors('train: a\nval: b\nnames:\n  x: a\n')[0]).toMatch(
      /names key 'x' must be a class id/,
    );
    expect(errors('train: a\nval: b')).toEqual([
      '-: names is required (a list of class names, or a mapping of id -> name)',
    ]);
    expect(errors('train: a\nval: b\nnames: []')).toEqual([
      '3: names is empty: a dataset needs at least one class',
    ]);
    expect(errors('train: a\nval: b\nnames: room')[0]).toMatch(/names must be a list or a mapping/);
  });

  it('requires train and val (validation is accepted for val), test is optional', () => {
    expect(errors('train: a\nnames: [x]')).toEqual([
      '-: val is required (a directory, a list of directories or a .txt list of images)',
    ]);
    expect(errors('val: a\nnames: [x]')[0]).toMatch(/train is required/);
    expect(parse('train: a\nvalidation: v\nnames: [x]').config?.splits.val?.[0]?.value).toBe('v');
    expect(errors('train: a\nval: []\nnames: [x]')[0]).toMatch(/^2: val is required/);
  });

  it('reports YAML syntax errors with their line, and non-mapping documents', () => {
    const e = errors('train: a\nval: [b\nnames: [x]\n');
    expect(e[0]).toMatch(/invalid YAML/);
    expect(errors('- a\n- b')).toEqual([
      '-: the dataset yaml must be a mapping with train, val and names',
    ]);
  });

  it('rejects class names with control characters, naming the line of the name', () => {
    for (const bad of ['"room\\n::warning::x"', '"a\\rb"', '"a\\u2028b"', '"a\\x1bb"']) {
      expect(errors(`train: a\nval: b\nnames:\n  - ok\n  - ${bad}\n`)).toEqual([
        expect.stringMatching(/^5: names\[1\] [\s\S]* contains a control character/),
      ]);
    }
    expect(errors('train: a\nval: b\nnames:\n  0: ok\n  1: "x\\ny"\n')[0]).toMatch(/^5: /);
  });

  it('bounds nc and names, and stops a YAML alias bomb with a clear message', () => {
    expect(errors('train: a\nval: b\nnc: 1000000')).toEqual([
      '3: nc is 1000000; this validator allows at most 100000 classes',
    ]);
    expect(errors('train: a\nval: b\nnc: 10000000')[0]).toMatch(/at most 100000 classes/);
    expect(parse('train: a\nval: b\nnc: 2.0').config?.names).toHaveLength(2);
    expect(parse("train: a\nval: b\nnc: '3'").config?.names).toHaveLength(3);
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'train: x',
      'val: y',
      'names: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    expect(errors(bomb)).toEqual([expect.stringMatching(/^-: the yaml expands too far .*aliases/)]);
  });

  it('checks kpt_shape', () => {
    expect(parse('train: a\nval: b\nnames: [p]\nkpt_shape: [17, 3]').config?.kptShape).toEqual([
      17, 3,
    ]);
    expect(errors('train: a\nval: b\nnames: [p]\nkpt_shape: [17, 4]')).toEqual([
      '4: kpt_shape must be [keypoints >= 1, 2 or 3], got [17,4]',
    ]);
  });
});
