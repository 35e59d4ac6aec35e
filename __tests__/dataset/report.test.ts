import { describe, it, expect } from '@jest/globals';
import {
  datasetStats,
  droppedImages,
  formatFindings,
  formatValidationSummary,
  instancesPerClass,
  toAnnotations,
} from '../../src/dataset/report.js';
import type { Finding, ValidationReport } from '../../src/dataset/validate.js';

function report(
  errors: number,
  warnings: number,
  extra: Partial<ValidationReport> = {},
): ValidationReport {
  const findings: Finding[] = [
    ...Array.from({ length: errors }, (_, i) => ({
      severity: 'error' as const,
      outcome: 'fail' as const,
      rule: 'class-out-of-range',
      file: `ds/labels/e${i}.txt`,
      line: i + 1,
      message: `bad ${i}`,
    })),
    ...Array.from({ length: warnings }, (_, i) => ({
      severity: 'warning' as const,
      outcome: 'drop' as const,
      rule: 'image-too-small',
      split: 'train' as const,
      file: `ds/w${i}.png`,
      message: `odd ${i}`,
    })),
  ];
  return {
    dataset: 'ds',
    yaml: 'ds/data.yaml',
    names: ['room', 'door'],
    splits: [
      {
        split: 'train',
        images: 10,
        labels: 9,
        backgrounds: 2,
        instances: 30,
        dropped: 1,
        classes: [
          { id: 0, name: 'room', instances: 25 },
          { id: 1, name: 'door', instances: 5 },
        ],
      },
      {
        split: 'val',
        images: 4,
        labels: 4,
        backgrounds: 0,
        instances: 7,
        dropped: 0,
        classes: [
          { id: 0, name: 'room', instances: 6 },
          { id: 1, name: 'door', instances: 1 },
        ],
      },
    ],
    summary: { images: 14, labels: 13, backgrounds: 2, instances: 37, dropped: 1 },
    task: 'detect',
    findings,
    errors,
    warnings,
    notes: 0,
    omittedFindings: 0,
    seconds: 0.21,
    ...extra,
  };
}

describe('toAnnotations', () => {
  it('passes findings through with file and startLine when under the cap', () => {
    expect(toAnnotations(report(2, 1), 10)).toEqual([
      { severity: 'error', message: 'bad 0', file: 'ds/labels/e0.txt', startLine: 1 },
      { severity: 'error', message: 'bad 1', file: 'ds/labels/e1.txt', startLine: 2 },
      { severity: 'warning', message: 'odd 0', file: 'ds/w0.png' },
    ]);
  });

  it('caps each severity, the last slot saying how many more', () => {
    const a = toAnnotations(report(25, 10), 10);
    const errors = a.filter((x) => x.severity === 'error');
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 9).every((x) => x.file)).toBe(true);
    expect(errors[9]).toEqual({
      severity: 'error',
      message:
        'and 16 more errors in the dataset (see the log, or run: sagemaker-yolo validate --dataset ds --json)',
    });
    expect(a.filter((x) => x.severity === 'warning')).toHaveLength(10);
    expect(a.some((x) => /more warning/.test(x.message))).toBe(false);
  });

  it('counts findings the report did not keep', () => {
    const r = report(3, 0, { errors: 500, omittedFindings: 497 });
    const a = toAnnotations(r, 5);
    expect(a.map((x) => x.message)).toEqual([
      'bad 0',
      'bad 1',
      'bad 2',
      'and 497 more errors in the dataset (see the log, or run: sagemaker-yolo validate --dataset ds --json)',
    ]);
  });

  it('refuses a cap below 1', () => {
    expect(() => toAnnotations(report(1, 0), 0)).toThrow(
      'annotation cap must be an integer >= 1, got 0',
    );
  });
});

describe('formatValidationSummary / formatFindings', () => {
  it('prints split and class tables with totals and the counts', () => {
    const text = formatValidationSummary(report(1, 2));
    expect(text).toBe(
      [
        'Dataset ds (ds/data.yaml), detect: 2 classes',
        'split  images  labels  backgrounds  instances  dropped',
        'train      10       9            2         30        1',
        'val         4       4            0          7        0',
        'total      14      13            2         37        1',
        'Instances per class:',
        'class   train  val  total',
        '0 room     25    6     31',
        '1 door      5    1      6',
        '1 error, 2 warnings, 0 notes (0.2s); 1 image ultralytics would drop',
      ].join('\n'),
    );
  });

  it('lists errors before warnings and says how many were left out', () => {
    const r = report(2, 2, { omittedFindings: 3 });
    expect(formatFindings(r, 3).split('\n')).toEqual([
      'error: ds/labels/e0.txt:1: bad 0 [class-out-of-range]',
      'error: ds/labels/e1.txt:2: bad 1 [class-out-of-range]',
      'warning: ds/w0.png: odd 0 [image-too-small] (image dropped)',
      '... and 4 more finding(s)',
    ]);
  });
});

describe('droppedImages', () => {
  it('gives the dropped count per split with the first files and reasons, or nothing when none', () => {
    expect(droppedImages(report(0, 5), { percent: 5 }, 2)).toEqual({
      total: 1,
      images: 14,
      limit: '5%',
      splits: [
        {
          split: 'train',
          images: 10,
          dropped: 1,
          examples: [
            { file: 'ds/w0.png', reason: 'odd 0' },
            { file: 'ds/w1.png', reason: 'odd 1' },
          ],
        },
      ],
    });
    const none = report(0, 0);
    none.summary.dropped = 0;
    expect(droppedImages(none, { count: 0 })).toBeUndefined();
  });
});

describe('datasetStats', () => {
  it('keeps per-split per-class counts and totals them by name', () => {
    const stats = datasetStats(report(0, 0));
    expect(stats.splits[0]).toEqual({
      split: 'train',
      images: 10,
      labels: 9,
      backgrounds: 2,
      dropped: 1,
      instances: [25, 5],
    });
    expect([...instancesPerClass(stats)]).toEqual([
      ['room', 31],
      ['door', 6],
    ]);
  });
});
