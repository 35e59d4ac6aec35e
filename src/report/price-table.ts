// On-demand SageMaker *training* prices in USD per instance-hour, by region. Data only.
//
// Only figures found in public pricing material are listed; a type or region that is not here is
// "price unknown" (set `instance-price`, or let the Price List API answer), never a guess: GPU
// prices differ by region and change over time, and a wrong number in a cost cap is worse than
// none. Where a figure came from:
// - ml.g4dn.xlarge, ml.p3.2xlarge, ml.p3.8xlarge, ml.p3.16xlarge (us-east-1): the original team's
//   launcher notes, quoted in this project's issue 13 (AWS SageMaker pricing page, us-east-1).
// - ml.g5.2xlarge (us-east-1): Price List API output (`<type>-Training`, "US East (N. Virginia)")
//   printed in AWS's own sample aws-samples/amazon-sagemaker-training-jobs-benchmarks,
//   instance_types_RoBERTa_benchmark/instance_types_benchmark_roberta.ipynb, which also prints
//   ml.p3.2xlarge at 3.825 (matching the figure above).
// Other g5/g6/p4d/p5 sizes were searched for in AWS's public material and not found in a form
// this project could cite; third-party copies disagree with each other (ml.g5.2xlarge is quoted
// at four different prices), so they are left out.

export interface PriceTableEntry {
  usdPerHour: number;
  /** Where the figure was found, for the report. */
  source: string;
}

export const PRICE_TABLE_SOURCE = 'AWS SageMaker on-demand training price';

export const TRAINING_PRICES: Readonly<Record<string, Readonly<Record<string, PriceTableEntry>>>> =
  {
    'us-east-1': {
      'ml.g4dn.xlarge': { usdPerHour: 0.736, source: PRICE_TABLE_SOURCE },
      'ml.p3.2xlarge': { usdPerHour: 3.825, source: PRICE_TABLE_SOURCE },
      'ml.p3.8xlarge': { usdPerHour: 14.688, source: PRICE_TABLE_SOURCE },
      'ml.p3.16xlarge': { usdPerHour: 28.152, source: PRICE_TABLE_SOURCE },
      'ml.g5.2xlarge': { usdPerHour: 1.515, source: PRICE_TABLE_SOURCE },
    },
  };
