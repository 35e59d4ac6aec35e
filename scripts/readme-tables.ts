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

/** The README with its tables section replaced by a fresh rendering. */
export function withActionTables(readme: string, actionYml: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the ${START} ... ${END} section`);
  return readme.slice(0, start) + renderActionTables(actionYml) + readme.slice(end + END.length);
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const readme = readFileSync('README.md', 'utf8');
  writeFileSync('README.md', withActionTables(readme, readFileSync('action.yml', 'utf8')));
}
