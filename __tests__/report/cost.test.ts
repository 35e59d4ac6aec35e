// The cost formula, price resolution and the max-cost decision before a job starts. Pure.
import { describe, expect, it } from '@jest/globals';
import {
  decideMaxCost,
  formatCost,
  formatUsd,
  jobCost,
  resolvePrice,
  runningCostUsd,
  STOP_MARGIN_SECONDS,
  tablePrice,
  type CapInput,
  type PriceResult,
} from '../../src/report/cost.js';
import { createPriceSource } from '../../src/report/price-source.js';

const P3: PriceResult = tablePrice('ml.p3.2xlarge', 'us-east-1');

describe('tablePrice', () => {
  it('knows the us-east-1 prices of the types the issue lists', () => {
    expect(P3).toEqual({
      known: true,
      price: {
        instanceType: 'ml.p3.2xlarge',
        region: 'us-east-1',
        usdPerHour: 3.825,
        origin: 'table',
      },
    });
    for (const [type, usd] of [
      ['ml.g4dn.xlarge', 0.736],
      ['ml.p3.8xlarge', 14.688],
      ['ml.p3.16xlarge', 28.152],
    ] as const) {
      const r = tablePrice(type, 'us-east-1');
      expect(r.known && r.price.usdPerHour).toBe(usd);
    }
  });

  it('says "unknown" for a type or region it has no figure for, never a neighbour', () => {
    const type = tablePrice('ml.g6.48xlarge', 'us-east-1');
    expect(type).toEqual({
      known: false,
      reason: 'ml.g6.48xlarge is not in the price table for us-east-1',
    });
    // Same type, other region: prices differ by region, so no us-east-1 figure is borrowed.
    expect(tablePrice('ml.p3.2xlarge', 'eu-west-1')).toEqual({
      known: false,
      reason: 'the price table has no prices for eu-west-1',
    });
    // Object.prototype names are not instance types.
    expect(tablePrice('constructor', 'us-east-1').known).toBe(false);
    expect(tablePrice('ml.p3.2xlarge', '__proto__').known).toBe(false);
  });
});

describe('resolvePrice', () => {
  it('prefers instance-price, then a live answer, then the table', () => {
    const live: PriceResult = {
      known: true,
      price: {
        instanceType: 'ml.p3.2xlarge',
        region: 'us-east-1',
        usdPerHour: 3.9,
        origin: 'price-list-api',
      },
    };
    const base = { instanceType: 'ml.p3.2xlarge', region: 'us-east-1' };
    expect(resolvePrice({ ...base, override: 2, live })).toMatchObject({
      price: { usdPerHour: 2, origin: 'input' },
    });
    expect(resolvePrice({ ...base, live })).toBe(live);
    expect(resolvePrice({ ...base, live: { known: false, reason: 'denied' } })).toEqual(P3);
  });

  it('keeps both reasons when neither the API nor the table knows', () => {
    expect(
      resolvePrice({
        instanceType: 'ml.g6.xlarge',
        region: 'eu-west-1',
        live: { known: false, reason: 'the Price List API did not answer (AccessDenied)' },
      }),
    ).toEqual({
      known: false,
      reason:
        'the price table has no prices for eu-west-1; the Price List API did not answer (AccessDenied)',
    });
  });
});

describe('createPriceSource', () => {
  it('asks the live look-up once per run and falls back on the table when it fails', async () => {
    let calls = 0;
    const warnings: string[] = [];
    const source = createPriceSource({
      instanceType: 'ml.p3.2xlarge',
      region: 'us-east-1',
      live: async () => {
        calls++;
        throw new Error('AccessDeniedException: not authorized to perform pricing:GetProducts');
      },
      note: (m) => warnings.push(m),
    });
    const [a, b] = await Promise.all([source(), source()]);
    expect(await source()).toEqual(P3);
    expect(a).toEqual(P3);
    expect(b).toEqual(P3);
    expect(calls).toBe(1);
    expect(warnings).toEqual([
      'Instance price: the Price List API did not answer (AccessDeniedException: not authorized to perform pricing:GetProducts); using the price table.',
    ]);
  });

  it('never calls the look-up when instance-price is set', async () => {
    const source = createPriceSource({
      instanceType: 'ml.g6.xlarge',
      region: 'eu-west-1',
      override: 1.25,
      live: async () => {
        throw new Error('must not be called');
      },
    });
    expect(await source()).toMatchObject({ known: true, price: { usdPerHour: 1.25 } });
  });
});

describe('jobCost', () => {
  it('on demand: billable seconds × count × hourly price, no savings line', () => {
    const r = jobCost(
      { spot: false, instanceCount: 1, trainingSeconds: 3600, billableSeconds: 3600 },
      P3,
    );
    expect(r.known && r.cost.usd).toBeCloseTo(3.825, 10);
    expect(r.known && r.cost.onDemandUsd).toBeUndefined();
    expect(formatCost(r)).toBe('$3.83');
  });

  it('spot: bills the billable seconds and shows the on-demand cost and the saving beside it', () => {
    const r = jobCost(
      { spot: true, instanceCount: 1, trainingSeconds: 3723, billableSeconds: 1191 },
      P3,
    );
    if (!r.known) throw new Error('expected a cost');
    expect(r.cost.usd).toBeCloseTo((1191 * 3.825) / 3600, 10);
    expect(r.cost.onDemandUsd).toBeCloseTo((3723 * 3.825) / 3600, 10);
    expect(r.cost.spotSavings).toBeCloseTo(1 - 1191 / 3723, 10);
    expect(formatCost(r)).toBe('$1.27 (managed spot, 68% saved; $3.96 on demand)');
  });

  it('multiplies by the instance count (SageMaker bills each instance)', () => {
    const one = jobCost({ spot: false, instanceCount: 1, billableSeconds: 1000 }, P3);
    const four = jobCost({ spot: false, instanceCount: 4, billableSeconds: 1000 }, P3);
    expect(one.known && four.known && four.cost.usd / one.cost.usd).toBeCloseTo(4, 10);
  });

  it('adds warm-pool retained time at the same rate', () => {
    const r = jobCost(
      { spot: false, instanceCount: 2, billableSeconds: 1800, warmPoolRetainedSeconds: 600 },
      P3,
    );
    if (!r.known) throw new Error('expected a cost');
    expect(r.cost.usd).toBeCloseTo(((1800 + 600) * 2 * 3.825) / 3600, 10);
    expect(r.cost.warmPoolUsd).toBeCloseTo((600 * 2 * 3.825) / 3600, 10);
    expect(formatCost(r)).toBe('$5.10 ($1.27 of it warm pool)');
  });

  it('unknown instance type -> "price unknown" with the reason, never a number', () => {
    const r = jobCost(
      { spot: true, instanceCount: 1, trainingSeconds: 100, billableSeconds: 50 },
      tablePrice('ml.g6.xlarge', 'eu-west-1'),
    );
    expect(r).toEqual({ known: false, reason: 'the price table has no prices for eu-west-1' });
    expect(formatCost(r)).toBe('price unknown: the price table has no prices for eu-west-1');
  });

  it('no billable time reported -> unknown, with the price kept for the report', () => {
    const r = jobCost({ spot: false, instanceCount: 1 }, P3);
    expect(r).toMatchObject({ known: false, price: { usdPerHour: 3.825 } });
    expect(formatCost(r)).toBe('unknown: SageMaker reported no billable time for the job (yet)');
  });

  it('formats small and large amounts', () => {
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(0.004)).toBe('< $0.01');
    expect(formatUsd(0.04)).toBe('$0.04');
    expect(formatUsd(1234.567)).toBe('$1234.57');
  });
});

describe('decideMaxCost', () => {
  const base: CapInput = {
    maxCostUsd: 50,
    price: P3,
    instanceType: 'ml.p3.2xlarge',
    region: 'us-east-1',
    instanceCount: 1,
    maxRuntimeSeconds: 43200, // 12 h × $3.825 = $45.90
    wait: true,
    waitTimeoutSeconds: 6 * 3600,
  };

  it('starts a job whose worst case is within the cap', () => {
    const d = decideMaxCost(base);
    expect(d.action).toBe('start');
    expect(d.message).toBe(
      'Worst case $45.90 (max-runtime 12h 00m 00s × 1 × $3.825/h from the price table in this action (us-east-1, on-demand)) is within max-cost $50.00.',
    );
  });

  it('refuses a detached job (wait: false) whose worst case exceeds the cap, saying what to change', () => {
    const d = decideMaxCost({ ...base, maxCostUsd: 10, wait: false });
    expect(d.action).toBe('refuse');
    expect(d.message).toMatch(/^Worst case \$45\.90 .* exceeds max-cost \$10\.00/);
    expect(d.message).toMatch(/with wait: false nothing stops the job at the cap/);
    // 10 / 3.825 h = 9411.7 s
    expect(d.message).toMatch(/Lower max-runtime to 9411 s or less/);
  });

  it('refuses when wait-timeout ends before the cap could stop the job', () => {
    const d = decideMaxCost({ ...base, maxCostUsd: 10, waitTimeoutSeconds: 3600 });
    expect(d.action).toBe('refuse');
    expect(d.message).toMatch(/wait-timeout \(1h 00m 00s\) ends the wait before the cap/);
  });

  it('starts when the action itself will stop the job sooner, and says when', () => {
    const d = decideMaxCost({ ...base, maxCostUsd: 10 });
    expect(d.action).toBe('start');
    if (d.action !== 'start' || !d.plan) throw new Error('expected a plan');
    const rate = 3.825 / 3600;
    expect(d.plan.stopAtUsd).toBeCloseTo(10 - rate * STOP_MARGIN_SECONDS, 10);
    expect(d.plan.stopAfterSeconds).toBeCloseTo(10 / rate - STOP_MARGIN_SECONDS, 6);
    expect(d.message).toMatch(
      /exceeds max-cost \$10\.00: the job is expected to stop sooner, because this action stops it when its estimated cost reaches \$9\.81 \(after about 2h 33m 52s of billing\)/,
    );
  });

  it('counts every instance in the worst case', () => {
    expect(decideMaxCost({ ...base, instanceCount: 2, wait: false }).action).toBe('refuse');
  });

  it('refuses a cap it cannot enforce: unknown price', () => {
    const d = decideMaxCost({
      ...base,
      instanceType: 'ml.g6.xlarge',
      price: tablePrice('ml.g6.xlarge', 'us-east-1'),
    });
    expect(d).toEqual({
      action: 'refuse',
      message:
        'max-cost $50.00 cannot be enforced: price unknown for ml.g6.xlarge in us-east-1 (ml.g6.xlarge is not in the price table for us-east-1). Set instance-price to the hourly price of one instance.',
    });
  });

  it('refuses a cap smaller than what stopping a job costs', () => {
    const d = decideMaxCost({ ...base, maxCostUsd: 0.1 });
    expect(d.action).toBe('refuse');
    expect(d.message).toMatch(/^max-cost \$0\.10 is less than 3m 00s of ml\.p3\.2xlarge × 1/);
  });

  it('running cost is wall time since billing began, on demand, every instance', () => {
    const d = decideMaxCost({ ...base, instanceCount: 2, maxCostUsd: 500 });
    if (d.action !== 'start' || !d.plan) throw new Error('expected a plan');
    expect(runningCostUsd(3600, d.plan)).toBeCloseTo(7.65, 10);
    expect(runningCostUsd(-5, d.plan)).toBe(0);
  });
});
