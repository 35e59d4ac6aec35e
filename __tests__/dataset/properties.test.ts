// Property-based tests: arbitrary bytes never crash the validator; valid rows are always accepted
// and counted; the canonical JSON does not depend on key order.
import { describe, it, expect, afterAll } from '@jest/globals';
import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NO_DROP_LIMIT } from '../../src/dataset/dropped.js';
import { checkLabelText } from '../../src/dataset/labels.js';
import { canonicalJson } from '../../src/dataset/snapshot.js';
import { validateDataset } from '../../src/dataset/validate.js';
import { basicDataset, removeDir, tempDir, writeTree } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

// Bytes biased towards what label files are made of, so rows get past the first token often.
const labelish = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  fc
    .array(
      fc.constantFrom(
        '0',
        '1',
        '2',
        '9',
        '.',
        '5',
        '-',
        'e',
        ' ',
        '\t',
        '\n',
        '\r',
        'nan',
        '\uFEFF',
        '1.0',
        '0.5 ',
      ),
      { maxLength: 120 },
    )
    .map((parts) => new TextEncoder().encode(parts.join(''))),
);

describe('label checker on arbitrary input', () => {
  it('never throws and keeps its counts consistent', () => {
    fc.assert(
      fc.property(labelish, fc.integer({ min: 1, max: 5 }), fc.boolean(), (bytes, nc, pose) => {
        const text = new TextDecoder().decode(bytes);
        const r = checkLabelText(text, {
          nc,
          maxFindings: 7,
          ...(pose ? { task: 'pose' as const, kptShape: [1, 3] as [number, number] } : {}),
        });
        const lineCount = text.split(/\r\n|\n|\r/).length;
        const omitted = [...r.omittedByRule.values()].reduce((a, o) => a + o.count, 0);
        expect(omitted).toBe(r.omitted);
        expect(r.findings.length).toBeLessThanOrEqual(7);
        // A dropped file keeps nothing; a kept one counts every row it keeps, by class < nc.
        expect(r.dropped).toBe(
          r.findings.some((f) => f.outcome === 'drop') ||
            (r.omitted > 0 && [...r.omittedByRule.values()].some((o) => o.outcome === 'drop')),
        );
        let counted = 0;
        for (const [id, n] of r.instances) {
          expect(Number.isInteger(id) && id >= 0 && id < nc).toBe(true);
          counted += n;
        }
        expect(counted).toBe(r.rows);
        if (r.dropped) expect(r.rows).toBe(0);
        for (const f of r.findings) {
          if (f.line === undefined) continue;
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lineCount);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts any well-formed box rows and counts them per class', () => {
    const unit = fc.double({ min: 0.05, max: 0.95, noNaN: true });
    const row = fc.record({
      cls: fc.integer({ min: 0, max: 3 }),
      cx: unit,
      cy: unit,
      w: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
      h: fc.double({ min: 0.001, max: 0.05, noNaN: true }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { maxLength: 30, selector: (r) => `${r.cx} ${r.cy}` }),
        (rows) => {
          const text = rows.map((r) => `${r.cls} ${r.cx} ${r.cy} ${r.w} ${r.h}`).join('\n');
          const result = checkLabelText(text, { nc: 4 });
          expect(result.findings).toEqual([]);
          const expected = [0, 1, 2, 3].map((c) => rows.filter((r) => r.cls === c).length);
          expect([0, 1, 2, 3].map((c) => result.instances.get(c) ?? 0)).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('validateDataset with random bytes in label files', () => {
  it('returns a report (never throws) whose label findings point into the label files', async () => {
    const tmp = await tempDir();
    dirs.push(tmp);
    await writeTree(tmp, basicDataset());
    const labelFiles = ['labels/train/a.txt', 'labels/train/b.txt', 'labels/val/v1.txt'];
    await fc.assert(
      fc.asyncProperty(fc.tuple(labelish, labelish, labelish), async (contents) => {
        await Promise.all(
          contents.map((bytes, i) => writeFile(path.join(tmp, labelFiles[i] as string), bytes)),
        );
        const r = await validateDataset(tmp, { cwd: tmp, maxDropped: NO_DROP_LIMIT });
        expect(r.splits.map((s) => s.images)).toEqual([3, 2]);
        const dropFiles = new Set(
          r.findings.filter((f) => f.outcome === 'drop').map((f) => f.file),
        );
        expect(r.summary.dropped).toBe(dropFiles.size);
        expect(r.errors).toBe(r.findings.filter((f) => f.severity === 'error').length);
        for (const f of r.findings) expect(labelFiles.concat(['data.yaml'])).toContain(f.file);
      }),
      { numRuns: 40 },
    );
  });
});

describe('canonicalJson', () => {
  it('is independent of key insertion order and parses back to the same value', () => {
    const key = fc.string({ unit: 'binary', maxLength: 8 });
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.record({ sha256: fc.string(), size: fc.nat() })),
        (files) => {
          const entries = Object.entries(files);
          const a = canonicalJson({
            version: 1,
            files: Object.fromEntries(entries),
            config: 'd.yaml',
          });
          const b = canonicalJson({
            config: 'd.yaml',
            files: Object.fromEntries(entries.reverse()),
            version: 1,
          });
          expect(a).toBe(b);
          expect(JSON.parse(a)).toEqual({ version: 1, files, config: 'd.yaml' });
        },
      ),
      { numRuns: 300 },
    );
  });
});
