// The cost inputs: max-cost and instance-price are checked before any AWS call, named in errors.
import { describe, expect, it } from '@jest/globals';
import { BASE, load, problemsOf } from './helpers.js';

describe('max-cost and instance-price', () => {
  it('are absent unless given', () => {
    const config = load(BASE);
    expect(config.maxCostUsd).toBeUndefined();
    expect(config.instancePriceUsd).toBeUndefined();
  });

  it('read positive dollar amounts', () => {
    const config = load({ ...BASE, 'max-cost': '25', 'instance-price': '3.825' });
    expect(config.maxCostUsd).toBe(25);
    expect(config.instancePriceUsd).toBe(3.825);
  });

  it.each([
    ['max-cost', '0', 'must be a positive number of US dollars'],
    ['max-cost', '-5', 'must be a positive number of US dollars'],
    ['max-cost', '$25', 'must be a positive number of US dollars'],
    ['max-cost', '1e9', 'must be a positive number of US dollars (e.g. 25), at most 1000000'],
    ['instance-price', 'cheap', 'must be a positive price in US dollars per instance-hour'],
    ['instance-price', 'NaN', 'must be a positive price in US dollars per instance-hour'],
  ])('rejects %s %j, naming the input, the value and the rule', (input, value, rule) => {
    const problems = problemsOf({ ...BASE, [input]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${input}: ${JSON.stringify(value)} ${rule}`);
  });

  it('rejects max-cost for a local run (nothing to cap)', () => {
    expect(
      problemsOf({
        bucket: 'floorplans-ml',
        'aws-region': 'us-east-1',
        'instance-type': 'local',
        'max-cost': '5',
      }),
    ).toEqual(['max-cost: "5" applies to SageMaker jobs; instance-type local costs nothing']);
  });
});
