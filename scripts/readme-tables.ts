// The README's inputs/outputs tables, generated from action.yml so they cannot drift:
// `npx tsx scripts/readme-tables.ts` rewrites them; __tests__/readme.test.ts fails when stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
}

const START = '<!-- action-tables:start -->';
const END = '<!-- action-tables:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderActionTables(actionYml: string): string {
  const action = parse(actionYml) as ActionYml;
  const inputs = Object.entries(action.inputs).map(([name, spec]) => {
    const fallback =
      spec.default === undefined || spec.default === '' ? '' : `\`${cell(spec.default)}\``;
    return `| \`${name}\` | ${spec.required ? 'yes' : ''} | ${fallback} | ${cell(spec.description)} |`;
  });
  const outputs = Object.entries(action.outputs).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`,
  );
  return [
    START,
    '#### Inputs',
    '',
    '| Input | Required | Default | Description |',
    '|---|:-:|---|---|',
    ...inputs,
    '',
    '#### Outputs',
    '',
    '| Output | Description |',
    '|---|---|',
    ...outputs,
    END,
  ].join('\n');
}

function replaceSection(readme: string, start: string, end: string, body: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} ... ${end} section`);
  return readme.slice(0, from) + body + readme.slice(to + end.length);
}

/** The README with its tables section replaced by a fresh rendering. */
export function withActionTables(readme: string, actionYml: string): string {
  return replaceSection(readme, START, END, renderActionTables(actionYml));
}

const IAM_START = '<!-- iam-policies:start -->';
const IAM_END = '<!-- iam-policies:end -->';
export const IAM_POLICIES = [
  ['Workflow role: trust policy (GitHub OIDC)', 'iam/trust-policy-github-oidc.json'],
  ['Workflow role: permissions', 'iam/workflow-role-policy.json'],
  ['SageMaker execution role: permissions', 'iam/sagemaker-execution-role-policy.json'],
  ['Scheduled gate (long-jobs example): extra permission', 'iam/scheduled-gate-policy.json'],
] as const;

/** The IAM policy documents of iam/, embedded so the README shows them whole. */
export function withIamPolicies(readme: string, read: (file: string) => string): string {
  const blocks = IAM_POLICIES.map(
    ([title, file]) =>
      `<details><summary>${title} (<a href="${file}">${file}</a>)</summary>\n\n\`\`\`json\n${read(file).trim()}\n\`\`\`\n\n</details>`,
  );
  return replaceSection(readme, IAM_START, IAM_END, [IAM_START, ...blocks, IAM_END].join('\n'));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const readme = readFileSync('README.md', 'utf8');
  const tables = withActionTables(readme, readFileSync('action.yml', 'utf8'));
  writeFileSync(
    'README.md',
    withIamPolicies(tables, (file) => readFileSync(file, 'utf8')),
  );
}
