// Tiny datasets for the dataset tests: real PNG files and JPEG files with a real header.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A complete, decodable grayscale PNG; `seed` varies the pixels (and so the bytes). */
export function png(width: number, height: number, seed = 0): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) raw[y * (width + 1) + 1 + x] = (x * 7 + y * 13 + seed) & 0xff;
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** JPEG markers SOI, APP0 (JFIF), SOF0 with the size, `payload` filler bytes, then EOI (unless `truncated`). */
export function jpeg(
  width: number,
  height: number,
  payload: Buffer = Buffer.alloc(16),
  truncated = false,
): Buffer {
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00,
  ]);
  const sof = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  const sos = Buffer.from([
    0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
  ]);
  // Scan data must not contain marker bytes: keep payload below 0xff.
  const scan = Buffer.from(payload.map((b) => (b === 0xff ? 0xfe : b)));
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    app0,
    sof,
    sos,
    scan,
    truncated ? Buffer.alloc(0) : Buffer.from([0xff, 0xd9]),
  ]);
}

export async function tempDir(prefix = 'yolo-ds-'): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

export async function writeTree(
  root: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export type Layout = 'images-first' | 'split-first';

/** images/<split> + labels/<split> (images-first) or <split>/images + <split>/labels (split-first). */
export function splitDir(layout: Layout, split: string, kind: 'images' | 'labels'): string {
  return layout === 'images-first' ? `${kind}/${split}` : `${split}/${kind}`;
}

/**
 * A small valid two-class dataset: train has 3 images (one background without a label file),
 * val has 2 images. Instances: train room 3 door 1, val room 1 door 1.
 */
export function basicDataset(layout: Layout = 'images-first'): Record<string, string | Buffer> {
  const d = (split: string, kind: 'images' | 'labels') => splitDir(layout, split, kind);
  return {
    'data.yaml': `path: .\ntrain: ${d('train', 'images')}\nval: ${d('val', 'images')}\nnames:\n  - room\n  - door\n`,
    [`${d('train', 'images')}/a.png`]: png(32, 24, 1),
    [`${d('train', 'images')}/b.jpg`]: jpeg(640, 480),
    [`${d('train', 'images')}/c.png`]: png(16, 16, 2),
    [`${d('train', 'labels')}/a.txt`]: '0 0.5 0.5 0.2 0.2\n0 0.3 0.3 0.1 0.1\n',
    [`${d('train', 'labels')}/b.txt`]: '0 0.5 0.5 0.4 0.4\n1 0.2 0.2 0.1 0.1\n',
    [`${d('val', 'images')}/v1.png`]: png(20, 20, 3),
    [`${d('val', 'images')}/v2.jpg`]: jpeg(100, 50),
    [`${d('val', 'labels')}/v1.txt`]: '0 0.5 0.5 0.5 0.5\n',
    [`${d('val', 'labels')}/v2.txt`]: '1 0.5 0.5 0.2 0.3\n',
  };
}
