// Shared helpers for the config tests: a valid baseline and a reader over a plain object.
import { ConfigError, readConfig, type ReadConfigOptions } from '../../src/config.js';
import type { Config } from '../../src/types.js';

export { ROLE, PR_CONTEXT as CONTEXT } from '../helpers/config.js';
import { ROLE, PR_CONTEXT as CONTEXT } from '../helpers/config.js';

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
