// The CLI's text report: the same facts as the comment, aligned, with text charts.
import { describe, expect, it } from '@jest/globals';
import { jobCost, tablePrice } from '../../src/report/cost.js';
import { renderTerminalReport } from '../../src/report/terminal.js';
import { reportData } from './report-data.js';

describe('renderTerminalReport', () => {
  it('shows the verdict, metrics against thresholds, training with charts, job and cost', () => {
    const data = reportData();
    const job = { ...data.job, cost: jobCost(data.job, tablePrice('ml.p3.2xlarge', 'us-east-1')) };
    const text = renderTerminalReport({
      job,
      metrics: data.metrics,
      gate: data.gate,
      hyperparameters: data.hyperparameters,
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe('== PASSED the quality gate: acme-floorplans-pr-12-abc1234');
    expect(text).toMatch(/^mAP@0\.5 +0\.9012 +>= 0\.85 +ok$/m);
    expect(text).toMatch(/^Precision +0\.9321 +— *$/m);
    expect(text).toContain('  Epochs: 30 of 30 asked');
    expect(text).toMatch(/^ {2}mAP@0\.5 {7}[▁▂▃▄▅▆▇█]{30} {2}0\.\d+ → 0\.\d+$/m);
    expect(text).toMatch(/^ {2}val loss {6}[▁▂▃▄▅▆▇█]{30} /m);
    expect(text).toContain(
      'Cost      $1.27 (managed spot, 68% saved; $3.96 on demand) at $3.825/h from the price table in this action (us-east-1, on-demand)',
    );
    // No markdown in a terminal.
    expect(text).not.toMatch(/\||```|<details>/);
  });

  it('strips control characters from names that came from AWS', () => {
    const data = reportData({ job: { jobName: 'evil\u001b[2Jjob', failureReason: 'x\u0007y' } });
    const text = renderTerminalReport({ job: data.job, metrics: data.metrics, gate: data.gate });
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u001b\u007f]/);
    expect(text).toContain('evil [2Jjob');
  });
});
