// Cost in the comment and the outputs: the figure, the spot saving, where the price came from,
// "price unknown" rather than a number, and the max-cost stop variant.
import { describe, expect, it } from '@jest/globals';
import { renderReport } from '../../src/report/comment.js';
import { jobCost, tablePrice } from '../../src/report/cost.js';
import { metricsOutputs } from '../../src/report/summary.js';
import { decode, tables, toHtml } from './render-html.js';
import { outcome, reportData } from './report-data.js';

function jobRow(markdown: string, label: string): string | undefined {
  const t = tables(toHtml(markdown)).find((rows) => rows.some((r) => decode(r[0] ?? '') === 'Job'));
  const row = t?.find((r) => decode(r[0] ?? '') === label);
  return row ? decode((row[1] ?? '').replace(/<[^>]+>/g, '')) : undefined;
}

const p3 = tablePrice('ml.p3.2xlarge', 'us-east-1');
const spotJob = outcome();
const costed = { ...spotJob, cost: jobCost(spotJob, p3) };

describe('cost in the report', () => {
  it('shows the cost, the spot saving with the on-demand cost, the price and its source', () => {
    const md = renderReport(reportData({ job: costed }));
    expect(jobRow(md, 'Cost')).toBe(
      '$1.27 (managed spot, 68% saved; $3.96 on demand) · $3.825/h × 1, price from the price table in this action (us-east-1, on-demand)',
    );
  });

  it('shows hosts × instance type and bills every host of a multi-instance job', () => {
    const four = outcome({ instanceCount: 4 });
    const md = renderReport(reportData({ job: { ...four, cost: jobCost(four, p3) } }));
    expect(jobRow(md, 'Instance')).toBe('ml.p3.2xlarge × 4');
    // four times the one-instance figures above ($1.27 spot, $3.96 on demand)
    expect(jobRow(md, 'Cost')).toBe(
      '$5.06 (managed spot, 68% saved; $15.82 on demand) · $3.825/h × 4, price from the price table in this action (us-east-1, on-demand)',
    );
  });

  it('says "price unknown" and how to fix it, never a number, for an unknown type', () => {
    const g6 = outcome({ instanceType: 'ml.g6.xlarge', region: 'eu-west-1' });
    const md = renderReport(
      reportData({ job: { ...g6, cost: jobCost(g6, tablePrice('ml.g6.xlarge', 'eu-west-1')) } }),
    );
    expect(jobRow(md, 'Cost')).toBe(
      'price unknown: the price table has no prices for eu-west-1 (set instance-price to see the cost)',
    );
    expect(jobRow(md, 'Cost')).not.toMatch(/\$\d/);
  });

  it('names warm-pool time when the job kept its instances', () => {
    const warm = outcome({ spot: false, billableSeconds: 1800, warmPoolRetainedSeconds: 600 });
    const md = renderReport(reportData({ job: { ...warm, cost: jobCost(warm, p3) } }));
    expect(jobRow(md, 'Cost')).toBe(
      '$2.55 ($0.64 of it warm pool) · $3.825/h × 1, warm pool 10m 00s included, price from the price table in this action (us-east-1, on-demand)',
    );
  });

  it('has no cost row for a local run (no cost attached)', () => {
    const md = renderReport(reportData({ job: { instanceType: 'local', spot: false } }));
    expect(jobRow(md, 'Cost')).toBeUndefined();
  });

  it('explains a stop by max-cost in the headline and what to check', () => {
    const stopped = outcome({
      status: 'Stopped',
      secondaryStatus: 'Stopped',
      costCapStop: { maxCostUsd: 10, estimatedUsd: 9.83 },
    });
    const md = renderReport(reportData({ job: { ...stopped, cost: jobCost(stopped, p3) } }));
    expect(md).toContain('### ⏹️ Training job stopped at the max-cost spend cap');
    expect(md).toMatch(
      /This action stopped the job when its estimated cost reached \$9\.83 \(max-cost \$10\.00\)\. Raise `max-cost`/,
    );
  });

  it('sets the cost-usd output, empty when the price is unknown', () => {
    const gate = { passed: true, checks: [], message: '' };
    const metrics = { perClass: [], epochs: [], source: 'none' as const };
    expect(metricsOutputs(metrics, gate, costed)['cost-usd']).toBe(
      ((1191 * 3.825) / 3600).toFixed(4),
    );
    const unknown = { ...spotJob, cost: jobCost(spotJob, tablePrice('ml.g6.xlarge', 'us-east-1')) };
    expect(metricsOutputs(metrics, gate, unknown)['cost-usd']).toBe('');
    expect(metricsOutputs(metrics, gate, spotJob)['cost-usd']).toBe('');
  });
});
