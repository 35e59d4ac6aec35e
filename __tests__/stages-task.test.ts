// The pipeline validates the dataset for the task the job trains: a classify job's class folders
// need no yaml, and the same folders are refused for a detect job.
import { afterAll, describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { createStages, type StageDeps } from '../src/stages.js';
import type { AwsClients } from '../src/aws.js';
import { png, removeDir, tempDir, writeTree } from './dataset/fixtures.js';
import { testConfig } from './helpers/config.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map(removeDir));
});

async function classFolders(): Promise<string> {
  const tmp = await tempDir();
  dirs.push(tmp);
  const ds = path.join(tmp, 'cls');
  await writeTree(ds, {
    'train/cat/a.png': png(20, 20, 1),
    'train/dog/b.png': png(20, 20, 2),
    'val/cat/c.png': png(20, 20, 3),
    'val/dog/d.png': png(20, 20, 4),
  });
  return ds;
}

function deps(lines: string[]): StageDeps {
  const log: StageDeps['log'] = {
    info: (m: string) => lines.push(m),
    warning: (m: string) => lines.push(m),
    error: (m: string) => lines.push(m),
    annotate: () => undefined,
  };
  return {
    clients: {} as AwsClients, // validation makes no AWS call
    log,
    actionRoot: process.cwd(),
    report: async () => ({}),
  };
}

describe('validateDataset stage', () => {
  it('validates class folders for a classify job', async () => {
    const ds = await classFolders();
    const config = testConfig({ dataset: ds, task: 'classify' });
    const lines: string[] = [];
    await expect(
      createStages(config, deps(lines)).validateDataset(config),
    ).resolves.toBeUndefined();
    expect(lines.join('\n')).toMatch(/\b4\b/);
  });

  it('refuses the same folders for a detect job', async () => {
    const ds = await classFolders();
    const config = testConfig({ dataset: ds, task: 'detect' });
    await expect(createStages(config, deps([])).validateDataset(config)).rejects.toThrow(
      /error\(s\)/,
    );
  });
});
