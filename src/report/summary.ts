// Job summary and step outputs. writeJobSummary is the thin I/O part; metricsOutputs is pure so the
// lead's boundary can feed it to core.setOutput and tests can check every value.
import * as core from '@actions/core';
import { isReported } from '../metrics/gate.js';
import type { GateResult, JobOutcome, Metrics } from '../types.js';

/** Appends the report to $GITHUB_STEP_SUMMARY (every event, forks included). */
export async function writeJobSummary(markdown: string): Promise<void> {
  await core.summary.addRaw(markdown, true).write();
}

function metricOutput(value: number | undefined): string {
  // Empty, not "NaN": `if: steps.x.outputs.map50 != ''` is how workflows test for a value.
  return isReported(value) ? String(value) : '';
}

export function metricsOutputs(
  metrics: Metrics,
  gate: GateResult,
  outcome: JobOutcome,
): Record<string, string> {
  return {
    map50: metricOutput(metrics.map50),
    'map50-95': metricOutput(metrics.map50_95),
    precision: metricOutput(metrics.precision),
    recall: metricOutput(metrics.recall),
    passed: String(gate.passed && outcome.status === 'Completed' && !outcome.timedOut),
    'job-status': outcome.status,
    'job-name': outcome.jobName,
    'model-uri': outcome.status === 'Completed' ? (outcome.modelArtifactsUri ?? '') : '',
    'billable-seconds':
      outcome.billableSeconds !== undefined && Number.isFinite(outcome.billableSeconds)
        ? String(Math.round(outcome.billableSeconds))
        : '',
    // Cents are what a bill shows; four decimals keep short jobs from reading 0.
    'cost-usd': outcome.cost?.known ? outcome.cost.cost.usd.toFixed(4) : '',
  };
}
