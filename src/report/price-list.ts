// The live price: AWS Price List API (GetProducts, service AmazonSageMaker). SageMaker training
// products are named `<instance type>-Training` in the `instanceType` attribute and carry the
// region in `regionCode`; the on-demand USD price per hour sits under terms.OnDemand.*.
// priceDimensions.* (AWS's sample aws-samples/amazon-sagemaker-training-jobs-benchmarks reads it
// the same way). The API answers from us-east-1; the role needs pricing:GetProducts.
import { GetProductsCommand, type PricingClient } from '@aws-sdk/client-pricing';
import { errorMessage, errorName } from '../errors.js';
import type { PriceResult } from './cost.js';
import type { LivePriceLookup } from './price-source.js';

interface PriceDimension {
  unit?: string;
  pricePerUnit?: Record<string, string>;
}
interface Product {
  product?: { attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, PriceDimension> }> };
}

/**
 * The one on-demand hourly USD price in a GetProducts answer. Pure. Several different prices, no
 * price, or a price that is not a positive number make it unknown: a cap needs one right number.
 */
export function priceFromPriceList(
  priceList: readonly string[],
  instanceType: string,
  region: string,
): PriceResult {
  const prices = new Set<number>();
  for (const item of priceList) {
    let product: Product;
    try {
      product = JSON.parse(item) as Product;
    } catch {
      continue;
    }
    const attributes = product.product?.attributes ?? {};
    if (attributes.instanceType !== `${instanceType}-Training`) continue;
    if (attributes.regionCode !== undefined && attributes.regionCode !== region) continue;
    for (const term of Object.values(product.terms?.OnDemand ?? {})) {
      for (const dimension of Object.values(term.priceDimensions ?? {})) {
        if (!/^hrs?$/i.test(dimension.unit ?? '')) continue;
        const usd = Number(dimension.pricePerUnit?.USD);
        if (Number.isFinite(usd) && usd > 0) prices.add(usd);
      }
    }
  }
  if (prices.size === 1) {
    const [usdPerHour] = [...prices] as [number];
    return {
      known: true,
      price: { instanceType, region, usdPerHour, origin: 'price-list-api' },
    };
  }
  return {
    known: false,
    reason:
      prices.size === 0
        ? `the Price List API has no on-demand training price for ${instanceType} in ${region}`
        : `the Price List API lists ${prices.size} different training prices for ${instanceType} in ${region}`,
  };
}

/** GetProducts for one instance type and region (first page is enough: the filter is exact). */
export function priceListLookup(client: PricingClient): LivePriceLookup {
  return async (instanceType, region) => {
    try {
      const answer = await client.send(
        new GetProductsCommand({
          ServiceCode: 'AmazonSageMaker',
          Filters: [
            { Type: 'TERM_MATCH', Field: 'instanceType', Value: `${instanceType}-Training` },
            { Type: 'TERM_MATCH', Field: 'regionCode', Value: region },
          ],
          MaxResults: 20,
        }),
      );
      return priceFromPriceList(answer.PriceList ?? [], instanceType, region);
    } catch (error) {
      const name = errorName(error);
      return {
        known: false,
        reason: /AccessDenied/i.test(name)
          ? 'the role may not call the Price List API (pricing:GetProducts)'
          : `the Price List API did not answer (${name || errorMessage(error)})`,
      };
    }
  };
}
