// What a training job cost, what it could cost at worst, and whether a spend cap allows it. Pure:
// prices come in (table, input or Price List API), dollars and decisions come out.
//
// SageMaker bills BillableTimeInSeconds × InstanceCount at the instance's hourly price; managed
// spot shows its discount as fewer billable than training seconds (savings = 1 − billable /
// training), so the on-demand cost of the same job is training seconds at the same price. A warm
// pool's retained time (WarmPoolStatus.ResourceRetainedBillableTimeInSeconds) is billed the same
// way, per instance. (SageMaker API reference, DescribeTrainingJob.)
import { formatDuration } from '../format.js';
import { TRAINING_PRICES } from './price-table.js';

export type PriceOrigin = 'input' | 'price-list-api' | 'table';

export interface InstancePrice {
  instanceType: string;
  region: string;
  usdPerHour: number;
  origin: PriceOrigin;
}

/** A price, or why there is none (shown as "price unknown" with the reason). */
export type PriceResult = { known: true; price: InstancePrice } | { known: false; reason: string };

/** The figure from the project's table, or why there is none. */
export function tablePrice(instanceType: string, region: string): PriceResult {
  const regional = TRAINING_PRICES[region];
  const entry =
    regional && Object.hasOwn(regional, instanceType) ? regional[instanceType] : undefined;
  if (entry) {
    return {
      known: true,
      price: { instanceType, region, usdPerHour: entry.usdPerHour, origin: 'table' },
    };
  }
  const where = regional
    ? `${instanceType} is not in the price table for ${region}`
    : `the price table has no prices for ${region}`;
  return { known: false, reason: where };
}

/** The `instance-price` input wins over everything: the user knows their own rate (discounts, plans). */
export function resolvePrice(options: {
  instanceType: string;
  region: string;
  override?: number;
  /** A Price List API answer, when one was asked for and came back. */
  live?: PriceResult;
}): PriceResult {
  const { instanceType, region, override, live } = options;
  if (override !== undefined) {
    return { known: true, price: { instanceType, region, usdPerHour: override, origin: 'input' } };
  }
  if (live?.known) return live;
  const table = tablePrice(instanceType, region);
  if (table.known || !live) return table;
  return { known: false, reason: `${table.reason}; ${live.reason}` };
}

export function describePriceOrigin(price: InstancePrice): string {
  switch (price.origin) {
    case 'input':
      return 'the instance-price input';
    case 'price-list-api':
      return `the AWS Price List API (${price.region}, on-demand)`;
    case 'table':
      return `the price table in this action (${price.region}, on-demand)`;
  }
}

export interface CostFacts {
  spot: boolean;
  instanceCount: number;
  trainingSeconds?: number;
  billableSeconds?: number;
  /** Warm pool time the instances were kept after the job. */
  warmPoolRetainedSeconds?: number;
}

export interface JobCost {
  /** What the job is billed: (billable + warm pool seconds) × count × price. */
  usd: number;
  /** Managed spot: the same training time on demand. */
  onDemandUsd?: number;
  /** Managed spot: 1 − billable / training. */
  spotSavings?: number;
  /** Part of `usd` that is warm-pool retention. */
  warmPoolUsd?: number;
  price: InstancePrice;
}

/** Everything the report needs about cost, including why it is unknown. */
export type CostReport =
  { known: true; cost: JobCost } | { known: false; reason: string; price?: InstancePrice };

const finiteNonNegative = (n: number | undefined): n is number =>
  n !== undefined && Number.isFinite(n) && n >= 0;

export function usdFor(seconds: number, instanceCount: number, usdPerHour: number): number {
  return (seconds * instanceCount * usdPerHour) / 3600;
}

/** The cost of an ended job; unknown (with the reason) when SageMaker reported no billable time. */
export function jobCost(facts: CostFacts, price: PriceResult): CostReport {
  if (!price.known) return { known: false, reason: price.reason };
  const { usdPerHour } = price.price;
  const count = facts.instanceCount;
  if (!finiteNonNegative(facts.billableSeconds)) {
    return {
      known: false,
      reason: 'SageMaker reported no billable time for the job (yet)',
      price: price.price,
    };
  }
  const warm = finiteNonNegative(facts.warmPoolRetainedSeconds)
    ? usdFor(facts.warmPoolRetainedSeconds, count, usdPerHour)
    : 0;
  const cost: JobCost = {
    usd: usdFor(facts.billableSeconds, count, usdPerHour) + warm,
    price: price.price,
  };
  if (warm > 0) cost.warmPoolUsd = warm;
  if (facts.spot && finiteNonNegative(facts.trainingSeconds) && facts.trainingSeconds > 0) {
    cost.onDemandUsd = usdFor(facts.trainingSeconds, count, usdPerHour) + warm;
    cost.spotSavings = Math.min(1, Math.max(0, 1 - facts.billableSeconds / facts.trainingSeconds));
  }
  return { known: true, cost };
}

/** `$12.35`; small amounts keep cents visible (`$0.04`), sub-cent ones say so. */
export function formatUsd(usd: number): string {
  if (!Number.isFinite(usd)) return 'unknown';
  if (usd > 0 && usd < 0.005) return '< $0.01';
  return `$${usd.toFixed(2)}`;
}

export function formatHourly(price: InstancePrice): string {
  return `$${price.usdPerHour.toFixed(3)}/h`;
}

/** One line: "$1.23 (managed spot, 70% saved; $4.10 on demand)". */
export function formatCost(report: CostReport): string {
  if (!report.known) return `${report.price ? 'unknown' : 'price unknown'}: ${report.reason}`;
  const { cost } = report;
  const parts: string[] = [];
  if (cost.spotSavings !== undefined && cost.onDemandUsd !== undefined) {
    parts.push(
      `managed spot, ${Math.round(cost.spotSavings * 100)}% saved; ${formatUsd(cost.onDemandUsd)} on demand`,
    );
  }
  if (cost.warmPoolUsd !== undefined) parts.push(`${formatUsd(cost.warmPoolUsd)} of it warm pool`);
  return `${formatUsd(cost.usd)}${parts.length ? ` (${parts.join('; ')})` : ''}`;
}

/**
 * Seconds of margin the running-cost cap keeps below `max-cost`: one poll interval (at most 60 s)
 * before the action sees the cost pass, plus the 120 s a stopped container gets to checkpoint.
 */
export const STOP_MARGIN_SECONDS = 180;

export interface CapPlan {
  maxCostUsd: number;
  price: InstancePrice;
  instanceCount: number;
  /** Running cost at which the action requests StopTrainingJob: max-cost less the stop margin. */
  stopAtUsd: number;
  /** Billable seconds after which that happens. */
  stopAfterSeconds: number;
}

export type CapDecision =
  { action: 'start'; message: string; plan?: CapPlan } | { action: 'refuse'; message: string };

export interface CapInput {
  maxCostUsd: number;
  price: PriceResult;
  instanceType: string;
  region: string;
  instanceCount: number;
  maxRuntimeSeconds: number;
  wait: boolean;
  waitTimeoutSeconds: number;
}

/**
 * Before starting: the worst case is max-runtime × count × price. Within the cap, start. Above
 * it, start only when the action will itself stop the job before the cap (it waits, and its wait
 * lasts past that point); otherwise refuse and say which limit to change.
 */
export function decideMaxCost(input: CapInput): CapDecision {
  const { maxCostUsd, price, instanceCount, maxRuntimeSeconds } = input;
  const cap = formatUsd(maxCostUsd);
  if (!price.known) {
    return {
      action: 'refuse',
      message:
        `max-cost ${cap} cannot be enforced: price unknown for ${input.instanceType} in ${input.region} ` +
        `(${price.reason}). Set instance-price to the hourly price of one instance.`,
    };
  }
  const rate = usdFor(1, instanceCount, price.price.usdPerHour); // USD per second, all instances
  const worst = rate * maxRuntimeSeconds;
  const worstText = `${formatUsd(worst)} (max-runtime ${formatDuration(maxRuntimeSeconds)} × ${instanceCount} × ${formatHourly(price.price)} from ${describePriceOrigin(price.price)})`;
  const stopAtUsd = maxCostUsd - rate * STOP_MARGIN_SECONDS;
  const plan: CapPlan = {
    maxCostUsd,
    price: price.price,
    instanceCount,
    stopAtUsd,
    stopAfterSeconds: stopAtUsd / rate,
  };
  if (worst <= maxCostUsd) {
    return {
      action: 'start',
      message: `Worst case ${worstText} is within max-cost ${cap}.`,
      plan,
    };
  }
  if (stopAtUsd <= 0) {
    return {
      action: 'refuse',
      message: `max-cost ${cap} is less than ${formatDuration(STOP_MARGIN_SECONDS)} of ${input.instanceType} × ${instanceCount} (${formatUsd(rate * STOP_MARGIN_SECONDS)}), the least a stopped job can cost; the worst case is ${worstText}. Raise max-cost.`,
    };
  }
  const stopIn = formatDuration(plan.stopAfterSeconds);
  if (!input.wait) {
    return {
      action: 'refuse',
      message: `Worst case ${worstText} exceeds max-cost ${cap}, and with wait: false nothing stops the job at the cap. Lower max-runtime to ${Math.floor(maxCostUsd / rate)} s or less, raise max-cost, or set wait: true.`,
    };
  }
  if (input.waitTimeoutSeconds < plan.stopAfterSeconds) {
    return {
      action: 'refuse',
      message: `Worst case ${worstText} exceeds max-cost ${cap}, and wait-timeout (${formatDuration(input.waitTimeoutSeconds)}) ends the wait before the cap would stop the job (after about ${stopIn} of billing). Lower max-runtime to ${Math.floor(maxCostUsd / rate)} s or less, raise max-cost, or raise wait-timeout.`,
    };
  }
  return {
    action: 'start',
    message: `Worst case ${worstText} exceeds max-cost ${cap}: the job is expected to stop sooner, because this action stops it when its estimated cost reaches ${formatUsd(stopAtUsd)} (after about ${stopIn} of billing).`,
    plan,
  };
}

/** Upper bound on what a running job has cost: wall time since its instances started, on demand. */
export function runningCostUsd(elapsedSeconds: number, plan: CapPlan): number {
  return usdFor(Math.max(0, elapsedSeconds), plan.instanceCount, plan.price.usdPerHour);
}

/** The outcome with its cost (or the reason it is unknown) attached. */
export function withCost<T extends CostFacts>(
  outcome: T,
  price: PriceResult,
): T & { cost: CostReport } {
  return { ...outcome, cost: jobCost(outcome, price) };
}
