// Hostile and random input never crashes the validator and memory stays flat: 10,000 generated
// label files and 2,000 yaml shapes (nc in the millions, alias bombs, 130,000-value rows, control
// characters) in a child process whose peak RSS is read back.
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const PEAK_RSS_MB = 400;

describe('validator fuzz', () => {
  it('survives 10,000 generated label files and yaml shapes with a bounded peak RSS', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '__tests__/dataset/fuzz/worker.ts', '20261202', '10000'],
      { maxBuffer: 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    const result = JSON.parse(stdout) as { cases: number; maxRssMb: number };
    expect(result.cases).toBeGreaterThanOrEqual(12_000);
    expect(result.maxRssMb).toBeLessThan(PEAK_RSS_MB);
  }, 120_000);
});
