// The README promises what the repository does: its tables match action.yml, its two first-screen
// commands exist, and every example workflow it points to is there.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { withActionTables, withIamPolicies } from '../scripts/readme-tables.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('has the inputs/outputs tables and the IAM policies exactly as generated from action.yml and iam/', () => {
    const tables = withActionTables(readme, readFileSync('action.yml', 'utf8'));
    const fresh = withIamPolicies(tables, (file) => readFileSync(file, 'utf8'));
    // On failure: run `npx tsx scripts/readme-tables.ts` and commit README.md.
    expect(readme).toBe(fresh);
  });

  it('gives the demo and test commands first, and both scripts are executable', () => {
    const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.split('#')[0]?.trim());
    expect(commands).toEqual(['./scripts/demo.sh', './scripts/test.sh']);
    for (const script of ['scripts/demo.sh', 'scripts/test.sh']) {
      expect(statSync(script).mode & 0o111).not.toBe(0);
    }
    expect(readFileSync('.ci/run', 'utf8')).toMatch(/\n\.\/scripts\/test\.sh\n?$/);
  });

  it('links only files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?:\.\/)?[\w./-]+)\)/g)].map((m) => m[1] as string);
    for (const link of links.filter((l) => !l.startsWith('http')))
      expect(existsSync(link)).toBe(true);
  });
});
