// Shared helpers for the config tests: a valid baseline and a reader over a plain object.
import { ConfigError, readConfig, type ReadConfigOptions } from '../../src/config.js';
import type { Config, RunContext } from '../../src/types.js';

export const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecution';

export const CONTEXT: RunContext = {
  repository: 'acme/floorplans',
  eventName: 'pull_request',
  ref: 'refs/pull/12/merge',
  sha: 'abc1234def5678abc1234def5678abc1234def56',
  runId: '987654321',
  runAttempt: '1',
  serverUrl: 'https://github.com',
  prNumber: 12,
  isForkPullRequest: false,
  baseRef: 'main',
  defaultBranch: 'main',
};

/** The fewest inputs a SageMaker run needs. */
export const BASE: Record<string, string> = {
  role: ROLE,
  bucket: 'floorplans-ml',
  'aws-region': 'us-east-1',
};

export function options(overrides: Partial<ReadConfigOptions> = {}): ReadConfigOptions {
  return { context: CONTEXT, env: {}, actionRoot: '/opt/action', ...overrides };
}

export function load(
  inputs: Record<string, string>,
  overrides: Partial<ReadConfigOptions> = {},
): Config {
  return readConfig((name) => inputs[name] ?? '', options(overrides));
}

/** The problems readConfig reports for these inputs (fails the test when it accepts them). */
export function problemsOf(
  inputs: Record<string, string>,
  overrides: Partial<ReadConfigOptions> = {},
): string[] {
  try {
    load(inputs, overrides);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(inputs)}`);
}
