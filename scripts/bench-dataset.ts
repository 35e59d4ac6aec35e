// The benchmarks' generated YOLO dataset: floor plans of the users' shape (one class, 1-12 boxes per
// image, train/val split 4:1), JPEG headers with random pixels, deterministic from a seed. Shared by
// bench-sync.ts (against the peers) and bench-memory.ts (our peak memory and time by size).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface DatasetShape {
  images: number;
  /** Mean image size; each image is 60-140% of it. */
  imageBytes: number;
  seed?: number;
}

/** Deterministic pseudo-random numbers, so every run generates the same dataset shape. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A JPEG that passes header checks: SOI, APP0, SOF0 (640x480), SOS, filler without FF, EOI. */
function jpegBytes(size: number): Buffer {
  const head = Buffer.from([
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
    0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0x01, 0x22,
    0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11,
    0x03, 0x11, 0x00, 0x3f, 0x00,
  ]);
  const body = randomBytes(Math.max(0, size - head.length - 2));
  for (let i = 0; i < body.length; i++) if (body[i] === 0xff) body[i] = 0xfe;
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

export function imageRel(i: number): string {
  const split = i % 5 === 0 ? 'val' : 'train';
  return `images/${split}/plan_${String(i).padStart(5, '0')}.jpg`;
}
export const labelRel = (img: string) =>
  img.replace(/^images\//, 'labels/').replace(/\.jpg$/, '.txt');

/** Writes the dataset into `dir` (emptied first); returns its file count and bytes. */
export async function generateDataset(
  dir: string,
  shape: DatasetShape,
): Promise<{ files: number; bytes: number }> {
  const random = rng(shape.seed ?? 16);
  const imageSize = () => Math.round(shape.imageBytes * (0.6 + random() * 0.8));
  const labelText = (rows: number) => {
    const r = () => (0.2 + random() * 0.6).toFixed(6);
    const s = () => (0.01 + random() * 0.1).toFixed(6);
    return Array.from({ length: rows }, () => `0 ${r()} ${r()} ${s()} ${s()}`).join('\n') + '\n';
  };
  await rm(dir, { recursive: true, force: true });
  for (const d of ['images/train', 'images/val', 'labels/train', 'labels/val']) {
    await mkdir(path.join(dir, d), { recursive: true });
  }
  const yaml = 'path: .\ntrain: images/train\nval: images/val\nnames:\n  0: room\n';
  await writeFile(path.join(dir, 'data.yaml'), yaml);
  let bytes = yaml.length;
  for (let i = 0; i < shape.images; i++) {
    const img = imageRel(i);
    const pixels = jpegBytes(imageSize());
    const label = labelText(1 + (i % 12));
    await writeFile(path.join(dir, img), pixels);
    await writeFile(path.join(dir, labelRel(img)), label);
    bytes += pixels.length + label.length;
  }
  return { files: 2 * shape.images + 1, bytes };
}

/**
 * 1% of the files: a same-size edit of every 100th label (what `--size-only` cannot see) and new
 * pixels of a different size for every 100th image from the 50th. Returns the changed paths.
 */
export async function changeOnePercent(dir: string, shape: DatasetShape): Promise<string[]> {
  const random = rng((shape.seed ?? 16) + 1);
  const changed: string[] = [];
  for (let i = 0; i < shape.images; i += 100) {
    const lbl = labelRel(imageRel(i));
    const text = await readFile(path.join(dir, lbl), 'utf8');
    const edited = text.replace(
      /^0 0\.(\d{5})(\d)/,
      (_m, a: string, d: string) => `0 0.${a}${(Number(d) + 1) % 10}`,
    );
    await writeFile(path.join(dir, lbl), edited);
    changed.push(lbl);
  }
  for (let i = 50; i < shape.images; i += 100) {
    const img = imageRel(i);
    const before = (await stat(path.join(dir, img))).size;
    let size = Math.round(shape.imageBytes * (0.6 + random() * 0.8));
    if (size === before) size++;
    await writeFile(path.join(dir, img), jpegBytes(size));
    changed.push(img);
  }
  return changed.sort();
}
