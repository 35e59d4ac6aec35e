import { describe, it, expect, afterAll } from '@jest/globals';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { NO_DROP_LIMIT } from '../../src/dataset/dropped.js';
import {
  inspectDataset,
  labelPathFor,
  validateDataset,
  type ValidationReport,
} from '../../src/dataset/validate.js';
import {
  basicDataset,
  jpeg,
  png,
  removeDir,
  splitDir,
  tempDir,
  writeTree,
  type Layout,
} from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

/** Writes `files` under <tmp>/ds and validates it with cwd = <tmp> (findings read ds/...). */
async function run(
  files: Record<string, string | Buffer>,
  dataset = 'ds',
): Promise<ValidationReport> {
  const tmp = await tempDir();
  dirs.push(tmp);
  await writeTree(path.join(tmp, 'ds'), files);
  return validateDataset(dataset, { cwd: tmp, maxDropped: NO_DROP_LIMIT });
}

const messages = (r: ValidationReport, severity?: 'error' | 'warning') =>
  r.findings
    .filter((f) => !severity || f.severity === severity)
    .map((f) => `${f.file}${f.line ? `:${f.line}` : ''}: ${f.message}`);

describe('labelPathFor (ultralytics img2label_paths)', () => {
  it('swaps the last /images/ for /labels/ and the suffix for .txt', () => {
    expect(labelPathFor('images/train/a.jpg')).toBe('labels/train/a.txt');
    expect(labelPathFor('train/images/a.b.png')).toBe('train/labels/a.b.txt');
    expect(labelPathFor('images/x/images/y/a.jpg')).toBe('images/x/labels/y/a.txt');
    expect(labelPathFor('flat/a.jpg')).toBe('flat/a.txt');
  });
});

describe('validateDataset', () => {
  it.each<Layout>(['images-first', 'split-first'])(
    'accepts a clean dataset in the %s layout and counts it',
    async (layout) => {
      const r = await run(basicDataset(layout));
      expect(messages(r)).toEqual([]);
      expect(r.errors).toBe(0);
      expect(r.yaml).toBe('ds/data.yaml');
      expect(r.names).toEqual(['room', 'door']);
      expect(r.splits).toEqual([
        {
          split: 'train',
          images: 3,
          labels: 2,
          backgrounds: 1,
          instances: 4,
          dropped: 0,
          classes: [
            { id: 0, name: 'room', instances: 3 },
            { id: 1, name: 'door', instances: 1 },
          ],
        },
        {
          split: 'val',
          images: 2,
          labels: 2,
          backgrounds: 0,
          instances: 2,
          dropped: 0,
          classes: [
            { id: 0, name: 'room', instances: 1 },
            { id: 1, name: 'door', instances: 1 },
          ],
        },
      ]);
    },
  );

  it('accepts the yaml path itself, and dataset.yaml before data.yaml (with a warning)', async () => {
    const files = basicDataset();
    const viaYaml = await run(files, 'ds/data.yaml');
    expect(viaYaml.errors).toBe(0);
    const both = await run({ ...files, 'dataset.yaml': files['data.yaml'] as string });
    expect(both.yaml).toBe('ds/dataset.yaml');
    expect(messages(both, 'warning')).toEqual(['ds/data.yaml: ignored: ds/dataset.yaml is used']);
  });

  it('reports a missing yaml against the directory', async () => {
    const r = await run({ 'images/train/a.png': png(20, 20) });
    expect(r.errors).toBe(1);
    expect(messages(r)[0]).toMatch(/^ds: dataset '.*ds' has no dataset.yaml or data.yaml$/);
  });

  it('counts an empty label file as a background; a bad row drops its image, named at file:line', async () => {
    const r = await run({
      ...basicDataset(),
      'labels/train/c.txt': '',
      'labels/train/a.txt': '0 0.5 0.5 0.2 0.2\n5 0.5 0.5 0.1 0.1\n',
    });
    expect(messages(r)).toEqual(['ds/labels/train/a.txt:2: class id 5 is outside [0, 1] (nc = 2)']);
    expect(r.findings[0]).toMatchObject({
      outcome: 'drop',
      rule: 'class-out-of-range',
      split: 'train',
    });
    expect(r.errors).toBe(0);
    expect(r.splits[0]).toMatchObject({ images: 3, labels: 2, backgrounds: 1, dropped: 1 });
  });

  it('reports a same-size label edit that changes a class id to an invalid one', async () => {
    const r = await run({ ...basicDataset(), 'labels/val/v2.txt': '7 0.5 0.5 0.2 0.3\n' });
    expect(messages(r)).toEqual(['ds/labels/val/v2.txt:1: class id 7 is outside [0, 1] (nc = 2)']);
  });

  it('drops images as ultralytics does: size, format by content, readability, truncated JPEG', async () => {
    const r = await run({
      ...basicDataset(),
      'images/train/small.png': png(5, 8),
      'images/train/anim.gif': Buffer.from('GIF89a\x40\x00\x20\x00\x00\x00\x00', 'binary'),
      'images/train/fake.jpg': Buffer.from('GIF89a\x40\x00\x20\x00\x00\x00\x00', 'binary'),
      'images/train/noise.png': Buffer.from('this is not an image at all, just text'),
      'images/train/empty.jpg': Buffer.alloc(0),
      'images/train/cut.jpg': jpeg(64, 48, Buffer.alloc(32, 1), true),
      'images/train/png-named.jpg': png(12, 12),
    });
    expect(messages(r)).toEqual([
      'ds/images/train/cut.jpg: JPEG (64x48) is truncated (no FFD9 end marker after the image data): ultralytics cannot re-save it and ignores the image',
      'ds/images/train/empty.jpg: unreadable image: the file is empty',
      'ds/images/train/fake.jpg: the file is GIF (64x32), a format ultralytics does not train on',
      'ds/images/train/noise.png: unreadable image: the header bytes match no known image format',
      'ds/images/train/small.png: image is 5x8 px: ultralytics needs at least 10 px on each side',
    ]);
    // anim.gif is not an image suffix ultralytics collects, so it is not part of the split at all.
    expect(r.splits[0]?.images).toBe(3 + 6);
    expect(r.errors).toBe(0);
    expect(r.warnings).toBe(5);
    expect(r.splits[0]?.dropped).toBe(5);
  });

  it('reports labels without images as errors, labels of unused images as warnings, and ignores classes.txt', async () => {
    const r = await run({
      ...basicDataset(),
      'labels/train/ghost.txt': '0 0.5 0.5 0.1 0.1\n',
      'labels/train/classes.txt': 'room\ndoor\n',
      'images/extra/e.png': png(20, 20),
      'labels/extra/e.txt': '0 0.5 0.5 0.1 0.1\n',
    });
    expect(messages(r)).toEqual([
      'ds/labels/extra/e.txt: its image images/extra/e.png is in no split (train/val/test): unused',
      'ds/labels/train/ghost.txt: label without an image (no images/train/ghost.{jpg,png,...})',
    ]);
  });

  it('reports a label without an image in the flat layout (labels beside images)', async () => {
    const r = await run({
      'data.yaml': 'train: train\nval: val\nnames: [room]\n',
      'train/a.png': png(20, 20, 1),
      'train/a.txt': '0 0.5 0.5 0.2 0.2\n',
      'train/stray.txt': '0 0.5 0.5 0.2 0.2\n',
      'val/b.png': png(20, 20, 2),
      'val/b.txt': '0 0.5 0.5 0.2 0.2\n',
      'notes/todo.txt': 'not beside any image: not a label',
    });
    expect(r.splits.map((s) => [s.split, s.images, s.labels])).toEqual([
      ['train', 1, 1],
      ['val', 1, 1],
    ]);
    expect(messages(r)).toEqual([
      'ds/train/stray.txt: label without an image (no train/stray.{jpg,png,...})',
    ]);
  });

  it('reports missing split directories, splits without images and paths outside the dataset', async () => {
    const files = basicDataset();
    const r = await run({
      ...files,
      'data.yaml': 'train: images/train\nval: images/nope\ntest: empty\nnames: [room, door]\n',
      'empty/readme.md': 'no images here',
    });
    expect(messages(r, 'error')).toEqual([
      `ds/data.yaml:2: val: 'images/nope' not found (resolved to ds/images/nope): ultralytics stops with "images not found"`,
      `ds/data.yaml:2: val has no images ('images/nope'): ultralytics stops with "No images found"`,
    ]);
    // ultralytics never reads test while training: a warning, and the job reports val metrics
    expect(messages(r, 'warning')).toContain(
      `ds/data.yaml:3: test has no images ('empty'): ultralytics trains without it (it checks only val), and the job reports val metrics`,
    );
    const outside = await run({
      ...files,
      'data.yaml': 'path: ../elsewhere\ntrain: a\nval: b\nnames: [room, door]\n',
    });
    expect(messages(outside)[0]).toMatch(
      /^ds\/data.yaml: path resolves to elsewhere, outside the dataset directory ds: use a path relative to the yaml/,
    );
    const splitOutside = await run({
      ...files,
      'data.yaml': 'train: ../../x\nval: images/val\nnames: [room, door]\n',
    });
    expect(messages(splitOutside, 'error')[0]).toBe(
      "ds/data.yaml:1: train: '../../x' is outside the dataset directory ds; the snapshot only holds files under it",
    );
  });

  it('reads .txt image lists: ./ entries relative to the list, other forms rejected, with list lines', async () => {
    const r = await run({
      ...basicDataset(),
      'data.yaml': 'train: train.txt\nval: [images/val]\nnames: [room, door]\n',
      'train.txt':
        './images/train/a.png\n\n./images/train/b.jpg\nimages/train/c.png\n./images/train/missing.png\n./notes.md\n',
    });
    expect(messages(r)).toEqual([
      "ds/train.txt:4: 'images/train/c.png' must start with './' (relative to this list's directory): other paths depend on the training machine",
      "ds/train.txt:5: image './images/train/missing.png' not found: ultralytics ignores it",
      "ds/train.txt:6: './notes.md' is not an image suffix ultralytics reads: ignored",
    ]);
    expect(r.splits[0]).toMatchObject({
      split: 'train',
      images: 3,
      labels: 2,
      backgrounds: 0,
      dropped: 1,
    });
  });

  it('warns when an image is in two splits', async () => {
    const r = await run({
      ...basicDataset(),
      'data.yaml':
        'train: images/train\nval: [images/val, images/train/a.png]\nnames: [room, door]\n',
    });
    expect(messages(r)).toEqual([
      "ds/data.yaml:2: val: 'images/train/a.png' is a file but not a .txt list of images",
    ]);
    const dup = await run({
      ...basicDataset(),
      'data.yaml': 'train: images\nval: images/val\nnames: [room, door]\n',
    });
    expect(messages(dup, 'warning')).toEqual([
      'ds/data.yaml: 2 image(s) of val are also in train (e.g. images/val/v1.png)',
    ]);
  });

  it('leaves hidden files and *.cache out', async () => {
    const r = await run({
      ...basicDataset(),
      'images/train/.hidden.png': png(20, 20),
      'labels/train.cache': 'x',
      'images/train/.ipynb_checkpoints/a.png': png(3, 3),
    });
    expect(r.errors).toBe(0);
    expect(r.splits[0]?.images).toBe(3);
  });

  it('refuses symlinks that resolve outside the dataset and never reads them; links inside are fine', async () => {
    const tmp = await tempDir();
    dirs.push(tmp);
    const ds = path.join(tmp, 'ds');
    await writeTree(ds, basicDataset());
    await writeTree(path.join(tmp, 'secret'), {
      'env.txt': 'SECRET_TOKEN=hunter2\n',
      'list.txt': './SECRET_TOKEN=hunter2.png\n',
      'dir/x.png': png(8, 8),
    });
    const link = async (target: string, rel: string) => {
      await mkdir(path.dirname(path.join(ds, rel)), { recursive: true });
      await symlink(target, path.join(ds, rel));
    };
    await link('/proc/self/environ', 'images/train/env.jpg');
    await link('../../../secret/env.txt', 'labels/train/c.txt'); // the label of images/train/c.png
    await link('../secret/dir', 'extra');
    await link('../secret/list.txt', 'val.txt');
    await link('../train/a.png', 'images/val/v3.png'); // inside: allowed
    await link('labels', 'labels-alias'); // inside: allowed
    await writeTree(ds, {
      'data.yaml': 'train: images/train\nval: [images/val, val.txt]\nnames: [room, door]\n',
    });
    const r = await validateDataset('ds', { cwd: tmp });
    const outside =
      'is a symbolic link that resolves outside the dataset directory ds: it is neither read nor uploaded (copy the file into the dataset instead)';
    expect(messages(r)).toEqual([
      `ds/extra: ${outside}`,
      `ds/images/train/env.jpg: ${outside}`,
      `ds/labels/train/c.txt: ${outside}`,
      `ds/val.txt: ${outside}`,
    ]);
    expect(JSON.stringify(r)).not.toContain('hunter2');
    expect(r.splits.map((s) => [s.split, s.images, s.labels])).toEqual([
      ['train', 3, 2],
      ['val', 3, 2],
    ]);
  });

  it('does not read a dataset yaml linked from outside the dataset', async () => {
    const tmp = await tempDir();
    dirs.push(tmp);
    await writeTree(tmp, { 'secret.yaml': 'SECRET: [hunter2\n' });
    await writeTree(path.join(tmp, 'ds'), { ...basicDataset() });
    const { rm } = await import('node:fs/promises');
    await rm(path.join(tmp, 'ds/data.yaml'));
    await symlink('../secret.yaml', path.join(tmp, 'ds/data.yaml'));
    const r = await validateDataset('ds', { cwd: tmp });
    expect(messages(r)).toEqual([
      'ds/data.yaml: is a symbolic link that resolves outside the dataset directory ds: it is neither read nor uploaded (copy the file into the dataset instead)',
    ]);
    expect(JSON.stringify(r)).not.toContain('hunter2');
  });

  it('maps each image and label to its split', async () => {
    const tmp = await tempDir();
    dirs.push(tmp);
    await writeTree(tmp, basicDataset('split-first'));
    const { membership, root } = await inspectDataset(tmp);
    expect(root).toBe(tmp);
    expect(membership.get('train/images/a.png')).toBe('train');
    expect(membership.get('train/labels/a.txt')).toBe('train');
    expect(membership.get('val/labels/v2.txt')).toBe('val');
    expect(membership.has('data.yaml')).toBe(false);
    expect(membership.size).toBe(3 + 2 + 2 + 2);
  });

  it('keeps counts exact when findings are capped', async () => {
    const bad = Array.from({ length: 40 }, () => '9 0.5 0.5 0.1 0.1').join('\n');
    const tmp = await tempDir();
    dirs.push(tmp);
    await writeTree(tmp, {
      ...basicDataset(),
      'labels/train/a.txt': bad,
      'labels/train/b.txt': bad,
    });
    const r = await validateDataset(tmp, {
      cwd: tmp,
      maxFindingsPerFile: 3,
      maxFindings: 5,
      maxDropped: NO_DROP_LIMIT,
    });
    expect(r.warnings).toBe(80);
    expect(r.summary.dropped).toBe(2);
    expect(r.findings).toHaveLength(5);
    expect(r.omittedFindings).toBe(3); // 2 files x (3 kept + 1 note) = 8 entries, 5 kept
  });

  it('uses the split-first layout with one label per image found through /images/ -> /labels/', async () => {
    const d = (k: 'images' | 'labels') => splitDir('split-first', 'train', k);
    const r = await run({
      ...basicDataset('split-first'),
      [`${d('labels')}/b.txt`]: '0 0.5 0.5 0.4 0.4\n0 0.5 0.5 0.4 0.4\n',
    });
    expect(messages(r)).toEqual([
      'ds/train/labels/b.txt:2: duplicate of line 1: ultralytics removes it',
    ]);
    expect(r.splits[0]?.classes.map((c) => c.instances)).toEqual([3, 0]);
  });
});
