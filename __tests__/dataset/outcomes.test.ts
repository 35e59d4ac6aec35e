// max-dropped-images, the dropped-images section of the PR comment, validate --fix's rewriting and
// classify datasets (folders of images per class, no yaml).
import { afterAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { checkDropLimit, parseDropLimit } from '../../src/dataset/dropped.js';
import { fixLabelText } from '../../src/dataset/fix.js';
import { buildSnapshot } from '../../src/dataset/snapshot.js';
import { validateDataset } from '../../src/dataset/validate.js';
import { droppedSection } from '../../src/report/comment.js';
import { png, removeDir, tempDir, writeTree } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe('max-dropped-images', () => {
  it('reads a count or a percentage and names the input, the value and the rule otherwise', () => {
    expect(parseDropLimit('5%')).toEqual({ percent: 5 });
    expect(parseDropLimit(' 0 ')).toEqual({ count: 0 });
    expect(parseDropLimit('2.5%')).toEqual({ percent: 2.5 });
    for (const bad of ['', '-1', '5 %', '101%', 'all', '1e3']) {
      expect(() => parseDropLimit(bad)).toThrow(
        `max-dropped-images must be a count of images (e.g. 20, 0 to allow none) or a percentage of all images from 0% to 100% (e.g. 5%), got ${JSON.stringify(bad)}`,
      );
    }
  });

  it('fails only past the limit, saying how many and why', () => {
    const reasons = new Map([
      ['coordinate-above-1.01', 7],
      ['image-too-small', 2],
    ]);
    expect(checkDropLimit({ images: 200, dropped: 10 }, { percent: 5 })).toBeUndefined();
    expect(checkDropLimit({ images: 200, dropped: 11 }, { percent: 5 }, reasons)).toBe(
      'ultralytics would drop 11 of 200 images (5.5%), more than max-dropped-images 5% allows (10); reasons: coordinate-above-1.01 ×7, image-too-small ×2. Fix the files named above (sagemaker-yolo validate --fix repairs label rows) or raise max-dropped-images.',
    );
    expect(checkDropLimit({ images: 200, dropped: 1 }, { count: 0 })).toMatch(/allows \(0\)/);
  });
});

describe('droppedSection (job summary and PR comment)', () => {
  it('shows the count per split with the first files and reasons, escaped', () => {
    const md = droppedSection({
      total: 4,
      images: 50,
      limit: '5%',
      splits: [
        {
          split: 'train',
          images: 40,
          dropped: 4,
          examples: [
            {
              file: 'ds/labels/train/<img src=x>.txt',
              line: 3,
              reason: 'class id 7 is outside [0, 1]',
            },
            { file: 'ds/images/train/a|b.png', reason: 'image is 5x5 px' },
          ],
        },
      ],
    });
    expect(md).toContain('ultralytics will drop 4 of 50 images (max-dropped-images 5%)');
    expect(md).toContain('- train: 4 of 40');
    expect(md).toContain('…and 2 more');
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/a\|b/);
  });
});

describe('fixLabelText', () => {
  it('clips into [0, 1], removes duplicates, blank lines and trailing fields, keeps the rest byte for byte', () => {
    const r = fixLabelText(
      '0 0.5 0.5 0.2 0.2\r\n\r\n0 0.5 0.5 0.2 0.2\r\n1\t-0.02 0.5 0.1 0.1 x\r\n',
      {
        nc: 2,
      },
    );
    expect(r).toEqual({
      ok: true,
      text: '0 0.5 0.5 0.2 0.2\r\n1 0.015 0.5 0.03 0.1\r\n',
      changes: [
        { line: 2, before: '' },
        { line: 3, before: '0 0.5 0.5 0.2 0.2' },
        { line: 4, before: '1\t-0.02 0.5 0.1 0.1 x', after: '1 0.015 0.5 0.03 0.1' },
      ],
    });
    expect(fixLabelText('0 0.5 0.5 0.2 0.2\n', { nc: 1 })).toEqual({
      ok: true,
      text: '0 0.5 0.5 0.2 0.2\n',
      changes: [],
    });
  });

  it('turns a box row in a polygon file into a rectangle and clips polygon points', () => {
    const r = fixLabelText('0 0.1 0.1 0.9 0.1 0.5 1.2\n0 0.5 0.5 0.2 0.2\n', { nc: 1 });
    expect(r.ok && r.text).toBe('0 0.1 0.1 0.9 0.1 0.5 1\n0 0.4 0.4 0.6 0.4 0.6 0.6 0.4 0.6\n');
  });

  it('refuses what it cannot repair without guessing, naming the line', () => {
    expect(fixLabelText('0 0.5 0.5 0.2 0.2\n3 0.5 0.5 0.1 0.1\n', { nc: 2 })).toEqual({
      ok: false,
      line: 2,
      reason: 'class id 3 is not one of 0..1',
    });
    expect(fixLabelText('0 0.5 nan 0.2 0.2', { nc: 1 })).toMatchObject({ ok: false, line: 1 });
    expect(fixLabelText('0 abc 0.5 0.2 0.2', { nc: 1 })).toMatchObject({ ok: false, line: 1 });
    expect(fixLabelText('0 0.5 0.5 0.2 0.2 0.3', { nc: 1 })).toMatchObject({ ok: false });
    expect(fixLabelText('0 1.5 0.5 0.2 0.2', { nc: 1 })).toEqual({
      ok: false,
      line: 1,
      reason: 'the box lies outside the image',
    });
  });

  it('clips pose keypoints but not their visibility', () => {
    const r = fixLabelText('0 0.5 0.5 0.2 0.2 1.02 0.4 2\n', {
      nc: 1,
      task: 'pose',
      kptShape: [1, 3],
    });
    expect(r.ok && r.text).toBe('0 0.5 0.5 0.2 0.2 1 0.4 2\n');
  });
});

describe('classify datasets', () => {
  it('reads train/ and val/ class folders (images only), drops what ultralytics drops, config ""', async () => {
    const tmp = await tempDir();
    dirs.push(tmp);
    const ds = path.join(tmp, 'cls');
    await writeTree(ds, {
      'train/cat/a.png': png(20, 20, 1),
      'train/cat/b.png': png(20, 20, 2),
      'train/dog/c.png': png(20, 20, 3),
      'train/dog/tiny.png': png(5, 5, 4),
      'val/cat/d.png': png(20, 20, 5),
      'val/dog/e.png': png(20, 20, 6),
    });
    const r = await validateDataset('cls', {
      cwd: tmp,
      task: 'classify',
      maxDropped: { count: 1 },
    });
    expect(r.errors).toBe(0);
    expect(r.names).toEqual(['cat', 'dog']);
    expect(r.splits.map((s) => [s.split, s.images, s.dropped, s.instances])).toEqual([
      ['train', 4, 1, 3],
      ['val', 2, 0, 2],
    ]);
    expect(r.findings).toEqual([
      expect.objectContaining({ file: 'cls/train/dog/tiny.png', outcome: 'drop', split: 'train' }),
    ]);
    expect((await buildSnapshot(ds, { task: 'classify' })).document.config).toBe('');

    const noTrain = await validateDataset('cls/val', { cwd: tmp, task: 'classify' });
    expect(noTrain.errors).toBe(1);
    expect(noTrain.findings[0]?.message).toMatch(/no train\/ folder/);
  });
});
