// Fuzz worker (run in its own process by fuzz.test.ts, so its peak RSS is its own): throws
// generated label files and dataset yamls of every shape at the checkers and a few whole datasets
// at the validator, and prints {cases, maxRssMb}. Any exception ends the process non-zero.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NO_DROP_LIMIT } from '../../../src/dataset/dropped.js';
import { fixLabelText } from '../../../src/dataset/fix.js';
import { checkLabelText } from '../../../src/dataset/labels.js';
import { validateDataset } from '../../../src/dataset/validate.js';
import { parseDatasetYaml } from '../../../src/dataset/yaml.js';
import { TASKS } from '../../../src/task.js';

const seed = Number(process.argv[2] ?? 1);
const labelCases = Number(process.argv[3] ?? 10_000);

/** mulberry32: small, seeded, good enough to pick shapes. */
function rng(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(seed);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;

const TOKENS = [
  '0', '1', '2', '-1', '0.5', '1.01', '1.0100001', '-0.01', '-0.011', 'nan', 'inf', '-inf',
  '1e39', '1_0', '١', '0x1', 'abc', '', '.', '5.', '.5', '+1', '1e', '٣.٥', '\u0000', '#',
  '9'.repeat(400), '0.' + '1'.repeat(300),
]; // prettier-ignore
const SEPARATORS = [' ', '  ', '\t', '\u00a0', '\u3000', '\ufeff', '\x1f'];
const BREAKS = ['\n', '\r\n', '\r', '\v', '\f', '\u2028', '\u0085', '\n\n', '\n  \n'];

/** Row counts and widths stay small; a few cases (every 1,000th) are the huge ones. */
function labelText(huge = false): string {
  if (huge) {
    // one huge row (the issue's 130,000 values), sometimes past the per-line limit
    const n = pick([130_000, 260_001]);
    let row = '0';
    for (let i = 0; i < n; i++) row += ` 0.${int(1000)}`;
    return row;
  }
  const shape = int(10);
  if (shape === 1) {
    // many small rows
    const rows: string[] = [];
    for (let i = 0, n = 50 + int(200); i < n; i++) rows.push(`${int(3)} 0.5 0.5 0.1 0.1`);
    return rows.join('\n');
  }
  if (shape === 2) {
    // random bytes as text
    let s = '';
    for (let i = 0, n = int(400); i < n; i++) s += String.fromCharCode(int(0x3000));
    return s;
  }
  const rows: string[] = [];
  for (let r = 0, n = int(12); r < n; r++) {
    const width = pick([1, 2, 4, 5, 5, 5, 6, 7, 9, 9, 11, 13, 56]);
    const parts: string[] = [];
    for (let i = 0; i < width; i++)
      parts.push(rand() < 0.8 ? String(rand().toFixed(int(8))) : pick(TOKENS));
    rows.push(parts.join(pick(SEPARATORS)));
  }
  return (rand() < 0.1 ? '\ufeff' : '') + rows.join(pick(BREAKS)) + (rand() < 0.5 ? '\n' : '');
}

function yamlText(): string {
  const shape = int(8);
  const base = 'train: images/train\nval: images/val\n';
  switch (shape) {
    case 0:
      return `${base}nc: ${pick([1_000_000, 10_000_000, 100_000, 2 ** 53, -1, 0, 2.5, '"12"'])}\n`;
    case 1: {
      // billion laughs in names
      const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 8; i++) {
        const prev = String.fromCharCode(96 + i);
        lines.push(
          `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${prev}`).join(',')}]`,
        );
      }
      return `${base}${lines.join('\n')}\nnames: *h\n`;
    }
    case 2:
      return `${base}names: [${Array.from({ length: int(2_000) }, (_, i) => `c${i}`).join(', ')}]\n`;
    case 3:
      return `${base}names:\n  - "room\\n::warning title=X::y"\n  - "a\\u2028b"\n  - ok\n`;
    case 4:
      return `${base}names: {0: a, 99999999: b, x: c}\nkpt_shape: [${int(40)}, ${int(5)}]\n`;
    case 5:
      return `${'['.repeat(int(200))}${']'.repeat(int(200))}`;
    case 6:
      return `train: ${'../'.repeat(int(50))}x\nval: [${Array(int(300)).fill('a').join(',')}]\nnames: [a]\npath: /${'x/'.repeat(int(500))}\n`;
    default:
      return `${base}names: [a, b]\n${'x: y\n'.repeat(int(100))}`;
  }
}

async function datasets(): Promise<number> {
  const root = path.join(os.tmpdir(), `yolo-fuzz-${process.pid}`);
  let n = 0;
  const png = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000010000000100802000000909168360000001549444154789c63fccfc0f09f8101' +
      '8c4a0305c30100c47b1fe1c92f10d60000000049454e44ae426082',
    'hex',
  );
  for (const yaml of [
    'train: images/train\nval: images/train\nnc: 1000000\n',
    'train: images/train\nval: images/train\nnc: 10000000\n',
    'train: images/train\nval: images/train\nnames: [a]\n',
  ]) {
    for (const label of [labelText(), labelText(true)]) {
      await rm(root, { recursive: true, force: true });
      await mkdir(path.join(root, 'images/train'), { recursive: true });
      await mkdir(path.join(root, 'labels/train'), { recursive: true });
      await writeFile(path.join(root, 'data.yaml'), yaml);
      await writeFile(path.join(root, 'images/train/a.png'), png);
      await writeFile(path.join(root, 'labels/train/a.txt'), label);
      const r = await validateDataset(root, { cwd: root, maxDropped: NO_DROP_LIMIT });
      if (
        /nc: 1000+\n/.test(yaml) &&
        !r.findings.some((f) => f.file === 'data.yaml' && f.line === 3)
      ) {
        throw new Error(`no finding on the nc line for ${JSON.stringify(yaml)}`);
      }
      n++;
    }
  }
  await rm(root, { recursive: true, force: true });
  return n;
}

let cases = 0;
for (let i = 0; i < labelCases; i++) {
  const text = labelText(i % 1000 === 0);
  const nc = pick([1, 2, 80, 100_000]);
  const task = pick(TASKS.filter((t) => t !== 'classify'));
  const kptShape = pick([undefined, [17, 3], [2, 2], [1, 3]] as const);
  const options = {
    nc,
    task,
    ...(kptShape ? { kptShape: [kptShape[0], kptShape[1]] as [number, number] } : {}),
  };
  checkLabelText(text, options);
  if (i % 10 === 0) fixLabelText(text, options);
  cases++;
}
for (let i = 0; i < labelCases / 5; i++) {
  parseDatasetYaml(yamlText(), '/ds/data.yaml');
  cases++;
}
cases += await datasets();
process.stdout.write(
  JSON.stringify({ cases, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }),
);
