// The live price from the AWS Price List API, with a mocked PricingClient (moto does not implement
// the Price List API): the request it sends, reading the answer, and every way it stays unknown.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  GetProductsCommand,
  PricingClient,
  PricingServiceException,
} from '@aws-sdk/client-pricing';
import { priceFromPriceList, priceListLookup } from '../../src/report/price-list.js';
import { createPriceSource } from '../../src/report/price-source.js';

const client = new PricingClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
});
const pricing = mockClient(client);
beforeEach(() => {
  pricing.reset();
});

/** One product as the Price List API returns it: a JSON string per product. */
function product(instanceType: string, regionCode: string, usd: string, unit = 'Hrs'): string {
  return JSON.stringify({
    product: {
      productFamily: 'ML Instance',
      attributes: {
        instanceType,
        regionCode,
        component: 'Training',
        servicecode: 'AmazonSageMaker',
      },
    },
    terms: {
      OnDemand: {
        'SKU.TERM': {
          priceDimensions: {
            'SKU.TERM.RATE': { unit, pricePerUnit: { USD: usd }, description: 'per hour' },
          },
        },
      },
    },
  });
}

describe('priceFromPriceList', () => {
  it('reads the one on-demand hourly USD price of the training product', () => {
    expect(
      priceFromPriceList(
        [product('ml.g5.xlarge-Training', 'us-west-2', '1.4080000000')],
        'ml.g5.xlarge',
        'us-west-2',
      ),
    ).toEqual({
      known: true,
      price: {
        instanceType: 'ml.g5.xlarge',
        region: 'us-west-2',
        usdPerHour: 1.408,
        origin: 'price-list-api',
      },
    });
  });

  it('ignores hosting products, other regions, other units, zero prices and junk', () => {
    const answer = [
      product('ml.g5.xlarge-Hosting', 'us-west-2', '9.99'),
      product('ml.g5.xlarge-Training', 'eu-west-1', '1.7'),
      product('ml.g5.xlarge-Training', 'us-west-2', '0.02', 'GB-Mo'),
      product('ml.g5.xlarge-Training', 'us-west-2', '0.0000000000'),
      'not json',
    ];
    expect(priceFromPriceList(answer, 'ml.g5.xlarge', 'us-west-2')).toEqual({
      known: false,
      reason: 'the Price List API has no on-demand training price for ml.g5.xlarge in us-west-2',
    });
  });

  it('two different prices for the same product is unknown, not a pick', () => {
    const answer = [
      product('ml.g5.xlarge-Training', 'us-west-2', '1.408'),
      product('ml.g5.xlarge-Training', 'us-west-2', '1.5'),
    ];
    expect(priceFromPriceList(answer, 'ml.g5.xlarge', 'us-west-2')).toMatchObject({
      known: false,
      reason: 'the Price List API lists 2 different training prices for ml.g5.xlarge in us-west-2',
    });
  });
});

describe('priceListLookup', () => {
  it('asks GetProducts for the training product in the job region', async () => {
    pricing.on(GetProductsCommand).resolves({
      PriceList: [product('ml.g6.xlarge-Training', 'eu-west-1', '1.2')],
    });
    const result = await priceListLookup(client)('ml.g6.xlarge', 'eu-west-1');
    expect(result).toMatchObject({ known: true, price: { usdPerHour: 1.2 } });
    expect(pricing.commandCalls(GetProductsCommand)[0]?.args[0].input).toEqual({
      ServiceCode: 'AmazonSageMaker',
      Filters: [
        { Type: 'TERM_MATCH', Field: 'instanceType', Value: 'ml.g6.xlarge-Training' },
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'eu-west-1' },
      ],
      MaxResults: 20,
    });
  });

  it('a role without pricing:GetProducts falls back on the table, saying why, once per run', async () => {
    pricing.on(GetProductsCommand).rejects(
      new PricingServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'User is not authorized to perform: pricing:GetProducts',
      }),
    );
    const notes: string[] = [];
    const source = createPriceSource({
      instanceType: 'ml.p3.2xlarge',
      region: 'us-east-1',
      live: priceListLookup(client),
      note: (m) => notes.push(m),
    });
    expect(await source()).toMatchObject({
      known: true,
      price: { usdPerHour: 3.825, origin: 'table' },
    });
    await source();
    expect(pricing.commandCalls(GetProductsCommand)).toHaveLength(1);
    expect(notes).toEqual([
      'Instance price: the role may not call the Price List API (pricing:GetProducts); using the price table.',
    ]);
  });

  it('the live answer wins over the table', async () => {
    pricing.on(GetProductsCommand).resolves({
      PriceList: [product('ml.p3.2xlarge-Training', 'us-east-1', '3.9')],
    });
    const source = createPriceSource({
      instanceType: 'ml.p3.2xlarge',
      region: 'us-east-1',
      live: priceListLookup(client),
    });
    expect(await source()).toMatchObject({ price: { usdPerHour: 3.9, origin: 'price-list-api' } });
  });
});
