// Benchmark: `validate` on a generated 5,000-image dataset shaped like the users' (JPEGs of ~30 KB
// with a few boxes each, a fifth PNGs whose chunks and CRCs are read whole, 80/20 train/val).
// Prints the best and median of a few runs; the figure goes in the README.
//
//   npx tsx scripts/bench-validate.ts            (BENCH_IMAGES=500 for a quick run)
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jpeg, png } from '../__tests__/dataset/fixtures.js';
import { NO_DROP_LIMIT } from '../src/dataset/dropped.js';
import { validateDataset } from '../src/dataset/validate.js';

const IMAGES = Number(process.env.BENCH_IMAGES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORK = path.resolve('.bench/validate');

function filler(size: number): Buffer {
  const body = randomBytes(size);
  for (let i = 0; i < body.length; i++) if (body[i] === 0xff) body[i] = 0xfe; // no stray markers
  return body;
}

async function generate(): Promise<void> {
  await rm(WORK, { recursive: true, force: true });
  for (const split of ['train', 'val']) {
    await mkdir(path.join(WORK, 'images', split), { recursive: true });
    await mkdir(path.join(WORK, 'labels', split), { recursive: true });
  }
  await writeFile(
    path.join(WORK, 'data.yaml'),
    'train: images/train\nval: images/val\nnames: [room, door, window]\n',
  );
  for (let i = 0; i < IMAGES; i++) {
    const split = i % 5 === 0 ? 'val' : 'train';
    const name = `im${String(i).padStart(5, '0')}`;
    const image = i % 5 === 1 ? png(320, 240, i) : jpeg(1024, 768, filler(30 * 1024));
    await writeFile(
      path.join(WORK, 'images', split, `${name}.${i % 5 === 1 ? 'png' : 'jpg'}`),
      image,
    );
    const rows: string[] = [];
    for (let r = 0, n = 3 + (i % 12); r < n; r++) {
      rows.push(
        `${r % 3} ${(0.1 + (r % 8) * 0.1).toFixed(4)} ${(0.2 + (r % 6) * 0.1).toFixed(4)} 0.0800 0.0600`,
      );
    }
    await writeFile(path.join(WORK, 'labels', split, `${name}.txt`), `${rows.join('\n')}\n`);
  }
}

await generate();
const seconds: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const report = await validateDataset(WORK, { cwd: WORK, maxDropped: NO_DROP_LIMIT });
  if (report.errors > 0 || report.summary.images !== IMAGES || report.summary.dropped !== 0) {
    throw new Error(
      `unexpected report: ${JSON.stringify(report.summary)}, ${report.errors} errors`,
    );
  }
  seconds.push(report.seconds);
}
seconds.sort((a, b) => a - b);
console.log(
  `validate: ${IMAGES} images (${IMAGES / 5} PNG, the rest ~30 KB JPEG), ${RUNS} runs: best ${seconds[0]?.toFixed(2)} s, median ${seconds[Math.floor(RUNS / 2)]?.toFixed(2)} s`,
);
await rm(WORK, { recursive: true, force: true });
