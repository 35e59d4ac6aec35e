// readConfig's purpose: `report` gates a job that already ran, so it needs no role to start one.
import { describe, expect, it } from '@jest/globals';
import { BASE, load, problemsOf, ROLE } from '../config/helpers.js';

const NO_ROLE = { bucket: BASE.bucket as string, 'aws-region': 'us-east-1' };

describe('readConfig purpose', () => {
  it('train (the default) requires a role for SageMaker', () => {
    expect(problemsOf(NO_ROLE)).toEqual([expect.stringMatching(/^role: "" is required/)]);
    expect(problemsOf(NO_ROLE, { purpose: 'train' })).toEqual([
      expect.stringMatching(/^role: "" is required/),
    ]);
  });

  it('report accepts no role, and still checks one that is given', () => {
    const config = load({ ...NO_ROLE, 'map50-threshold': '0.85' }, { purpose: 'report' });
    expect(config.role).toBe('');
    expect(config.thresholds).toEqual([{ metric: 'map50', min: 0.85, input: 'map50-threshold' }]);
    expect(load({ ...NO_ROLE, role: ROLE }, { purpose: 'report' }).role).toBe(ROLE);
    expect(problemsOf({ ...NO_ROLE, role: 'not-an-arn' }, { purpose: 'report' })).toEqual([
      expect.stringMatching(/^role: "not-an-arn" must be an IAM role ARN/),
    ]);
  });

  it('report still requires everything else it needs (bucket, region)', () => {
    const problems = problemsOf({}, { purpose: 'report' });
    expect(problems.some((p) => p.startsWith('bucket: ""'))).toBe(true);
    expect(problems.some((p) => p.startsWith('aws-region: ""'))).toBe(true);
    expect(problems.some((p) => p.startsWith('role:'))).toBe(false);
  });
});
