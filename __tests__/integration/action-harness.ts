// Runs the bundled action (dist/index.js, dist/post.js) the way the runner does: INPUT_* variables,
// an event payload file, GITHUB_OUTPUT/GITHUB_STEP_SUMMARY/GITHUB_STATE files, and the GitHub API
// pointed at a local stand-in. AWS goes to the moto server through AWS_ENDPOINT_URL.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
const catalogue = require('@octokit/webhooks-examples') as WebhookExamples[];

/** A real payload from @octokit/webhooks-examples (deep copy). */
export function webhookExample(event: string, action?: string): Record<string, unknown> {
  const entry = catalogue.find((e) => e.name === event);
  const found = entry?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${event} ${action ?? ''} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

/** Parses the runner's `name<<DELIM\nvalue\nDELIM` file format (GITHUB_OUTPUT, GITHUB_STATE). */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m) continue;
    const [, name, delimiter] = m;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    result[name as string] = value.join('\n');
  }
  return result;
}

export function distEntry(name: 'index.js' | 'post.js'): string {
  const file = path.resolve('dist', name);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run package\` first`);
  return file;
}

export async function runAction(options: {
  entry: 'index.js' | 'post.js';
  inputs: Record<string, string>;
  event: string;
  payload: Record<string, unknown>;
  env: Record<string, string>;
  state?: Record<string, string>;
}): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'action-run-'));
  const files = {
    event: path.join(dir, 'event.json'),
    output: path.join(dir, 'output'),
    summary: path.join(dir, 'summary.md'),
    state: path.join(dir, 'state'),
  };
  writeFileSync(files.event, JSON.stringify(options.payload));
  for (const f of [files.output, files.summary, files.state]) writeFileSync(f, '');

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '7001',
    GITHUB_RUN_ATTEMPT: '1',
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(options.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = value;
  }
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;

  const child = spawn(process.execPath, [distEntry(options.entry)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stdout += c.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  return {
    code,
    stdout,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    state: parseCommandFile(readFileSync(files.state, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}
