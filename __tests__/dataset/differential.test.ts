// The validator against ultralytics itself: a generated corpus of several hundred small datasets
// (tolerance edges, polygons, OBB and pose rows, bad values, every image format ultralytics lists,
// truncated and tiny images, Roboflow `../` and laptop `path:` yamls, .txt lists, nested folders),
// each judged by our validator and by the pinned ultralytics from .venv (oracle.py). The outcome
// (the run fails, or which images are dropped per split) must agree for every case.
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  compare,
  describeDisagreement,
  judgeWithUltralytics,
  makeCorpus,
  validateCorpus,
  verdictOf,
} from './differential/compare.js';
import { removeDir, tempDir } from './fixtures.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

describe('validator vs ultralytics (differential)', () => {
  it('predicts fail / drop / keep and the dropped count per split for every generated case', async () => {
    expect(existsSync('.venv/bin/python')).toBe(true); // scripts/setup-python.sh installs it
    const tmp = await tempDir('yolo-diff-');
    dirs.push(tmp);
    const corpus = path.join(tmp, 'corpus');
    await mkdir(corpus);
    const cases = await makeCorpus(corpus);
    expect(cases).toBeGreaterThanOrEqual(300);

    const ours = await validateCorpus(corpus); // before ultralytics re-saves JPEGs in place
    const oracle = await judgeWithUltralytics(corpus);
    expect(Object.keys(oracle)).toHaveLength(cases);

    // The corpus must exercise every outcome, or agreement would prove little.
    const verdicts = [...ours.values()].map(({ report }) => verdictOf(report));
    const fails = verdicts.filter((v) => v.outcome === 'fail').length;
    const drops = verdicts.filter(
      (v) => (v.dropped?.train ?? 0) + (v.dropped?.val ?? 0) > 0,
    ).length;
    const clean = verdicts.length - fails - drops;
    expect(fails).toBeGreaterThanOrEqual(20);
    expect(drops).toBeGreaterThanOrEqual(100);
    expect(clean).toBeGreaterThanOrEqual(100);

    const disagreements = compare(ours, oracle);
    if (disagreements.length > 0) {
      console.error(disagreements.map(describeDisagreement).join('\n'));
    }
    expect(disagreements.map((d) => `${d.id} ${d.name}`)).toEqual([]);
  }, 240_000);
});
