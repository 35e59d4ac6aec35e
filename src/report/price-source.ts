// Where a run's instance price comes from, asked at most once per run: the instance-price input,
// else the AWS Price List API (when a look-up is wired and the role may call it), else the table.
import { errorMessage } from '../errors.js';
import type { JobOutcome } from '../types.js';
import { resolvePrice, withCost, type PriceResult } from './cost.js';

/** A live look-up: the on-demand training price of one instance, or why there is none. */
export type LivePriceLookup = (instanceType: string, region: string) => Promise<PriceResult>;

export interface PriceSourceOptions {
  instanceType: string;
  region: string;
  override?: number;
  live?: LivePriceLookup;
  /** Told once when the live look-up has no answer (then the table answers). */
  note?: (message: string) => void;
}

export function createPriceSource(options: PriceSourceOptions): () => Promise<PriceResult> {
  let cached: Promise<PriceResult> | undefined;
  const ask = async (): Promise<PriceResult> => {
    const { instanceType, region, override, live } = options;
    if (override !== undefined || !live) return resolvePrice({ instanceType, region, override });
    let answer: PriceResult;
    try {
      answer = await live(instanceType, region);
    } catch (error) {
      answer = {
        known: false,
        reason: `the Price List API did not answer (${errorMessage(error)})`,
      };
    }
    if (!answer.known) options.note?.(`Instance price: ${answer.reason}; using the price table.`);
    return resolvePrice({ instanceType, region, live: answer });
  };
  return () => (cached ??= ask());
}

/** A described job with its cost attached (for `report` and `status`, which start no job). */
export async function withJobCost(
  outcome: JobOutcome,
  options: Omit<PriceSourceOptions, 'instanceType' | 'region'>,
): Promise<JobOutcome> {
  if (outcome.instanceType === 'local') return outcome;
  const price = await createPriceSource({
    ...options,
    instanceType: outcome.instanceType,
    region: outcome.region,
  })();
  return withCost(outcome, price);
}
