// Classification datasets: no yaml, a directory with train/ (and val/, validation/ or valid/,
// test/) holding one folder per class, as ultralytics' check_cls_dataset and ClassificationDataset
// (torchvision ImageFolder + verify_image) read them. Images only: no label files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mapLimit } from './concurrency.js';
import { compareCodePoints, walkDataset } from './files.js';
import type { ContentHashes } from '../content-hashes.js';
import { inspectImageFile, isImagePath } from './images.js';
import type { Collector, SplitReport } from './validate.js';
import type { SplitName } from './yaml.js';

const VAL_NAMES = ['val', 'validation', 'valid'] as const;

async function isDir(abs: string): Promise<boolean> {
  return (await fs.stat(abs).catch(() => undefined))?.isDirectory() ?? false;
}

export async function validateClassifyDataset(
  rootAbs: string,
  ctx: {
    out: Collector;
    concurrency: number;
    membership: Map<string, SplitName>;
    hashes: ContentHashes;
  },
): Promise<{ root?: string; names: string[]; splits: SplitReport[] }> {
  const { out } = ctx;
  if (!(await isDir(rootAbs))) {
    out.error(
      rootAbs,
      'a classify dataset is a directory holding train/ and val/, each with one folder of images per class',
      undefined,
      'classify-layout',
    );
    return { names: [], splits: [] };
  }
  if (!(await isDir(path.join(rootAbs, 'train')))) {
    out.error(
      rootAbs,
      'no train/ folder: a classify dataset needs train/<class>/<images> (and val/<class>/<images>)',
      undefined,
      'classify-layout',
    );
    return { root: rootAbs, names: [], splits: [] };
  }
  const { files } = await walkDataset(rootAbs);
  const dirsOf = async (split: string) =>
    (await fs.readdir(path.join(rootAbs, split), { withFileTypes: true }))
      .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || e.isSymbolicLink()))
      .map((e) => e.name)
      .sort(compareCodePoints);
  const names = await dirsOf('train');

  const splitDirs: [SplitName, string][] = [['train', 'train']];
  for (const v of VAL_NAMES) {
    if (await isDir(path.join(rootAbs, v))) {
      splitDirs.push(['val', v]);
      break;
    }
  }
  if (await isDir(path.join(rootAbs, 'test'))) splitDirs.push(['test', 'test']);
  if (splitDirs.length === 1) {
    out.add(
      'keep',
      'classify-no-val',
      rootAbs,
      'no val/ folder: ultralytics validates on test/ or not at all',
    );
  }

  const splits: SplitReport[] = [];
  for (const [split, dir] of splitDirs) {
    const prefix = `${dir}/`;
    const classes = new Set(await dirsOf(dir));
    const images: { rel: string; cls: string }[] = [];
    for (const f of files) {
      if (!f.rel.startsWith(prefix) || !isImagePath(f.rel)) continue;
      const rest = f.rel.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) {
        out.add(
          'keep',
          'classify-image-outside-class',
          f.abs,
          'image is not in a class folder: ignored',
        );
        continue;
      }
      images.push({ rel: f.rel, cls: rest.slice(0, slash) });
    }
    for (const cls of classes) {
      if (!names.includes(cls)) {
        out.add(
          'keep',
          'classify-unknown-class',
          path.join(rootAbs, dir, cls),
          `class folder '${cls}' is not in train/: the model has no such class`,
          { split },
        );
      }
    }
    const perClass = new Map<string, number>();
    let dropped = 0;
    await mapLimit(images, ctx.concurrency, async (image) => {
      if (!ctx.membership.has(image.rel)) ctx.membership.set(image.rel, split);
      const abs = path.join(rootAbs, image.rel);
      const inspected = await inspectImageFile(abs, ctx.hashes);
      let bad = false;
      for (const f of inspected.findings) {
        out.add(f.outcome, f.rule, abs, f.message, { split });
        if (f.outcome === 'drop') bad = true;
      }
      if (bad) dropped++;
      else perClass.set(image.cls, (perClass.get(image.cls) ?? 0) + 1);
    });
    if (split === 'train' && images.length === 0) {
      out.error(
        path.join(rootAbs, dir),
        'train/ holds no images in class folders ("no training images found")',
        undefined,
        'classify-no-images',
      );
    }
    const kept = images.length - dropped;
    splits.push({
      split,
      images: images.length,
      labels: kept,
      backgrounds: 0,
      instances: kept,
      dropped,
      classes: names.map((name, id) => ({ id, name, instances: perClass.get(name) ?? 0 })),
    });
  }
  return { root: rootAbs, names, splits };
}
