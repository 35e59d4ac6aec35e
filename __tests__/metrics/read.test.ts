import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  extractOutputArchive,
  FINAL_METRIC_NAMES,
  metricsFromFinalMetricData,
  parseJsonLenient,
  parseMetricsJson,
  readJobMetrics,
} from '../../src/metrics/read.js';
import { parseResultsCsv, RESULTS_COLUMNS } from '../../src/metrics/results-csv.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from './archive.js';

describe('extractOutputArchive', () => {
  it('reads metrics.json and results.csv from the archive root', async () => {
    const buf = makeOutputArchive({
      'metrics.json': JSON.stringify(METRICS_JSON),
      'results.csv': RESULTS_CSV,
      'failure-free.txt': 'ignored',
    });
    const out = await extractOutputArchive(buf);
    expect(out.metricsJson).toEqual(METRICS_JSON);
    expect(out.resultsCsv).toBe(RESULTS_CSV);
  });

  it('accepts entries written as ./metrics.json (tar -C dir .)', async () => {
    const buf = makeOutputArchive(
      { 'metrics.json': JSON.stringify(METRICS_JSON), 'results.csv': RESULTS_CSV },
      { dotSlash: true },
    );
    const out = await extractOutputArchive(buf);
    expect(out.metricsJson).toEqual(METRICS_JSON);
    expect(out.resultsCsv).toBe(RESULTS_CSV);
  });

  it('ignores files of the same name below the root', async () => {
    const buf = makeOutputArchive({
      'nested/metrics.json': '{"schema":1}',
      'results.csv': RESULTS_CSV,
    });
    const out = await extractOutputArchive(buf);
    expect(out.metricsJson).toBeUndefined();
    expect(out.resultsCsv).toBe(RESULTS_CSV);
  });

  it('returns nothing for an archive without either file', async () => {
    const out = await extractOutputArchive(makeOutputArchive({ 'other.txt': 'x' }));
    expect(out).toEqual({});
  });

  it('reads an uncompressed tar as well', async () => {
    const buf = makeOutputArchive({ 'metrics.json': '{"schema":1}' }, { gzip: false });
    expect((await extractOutputArchive(buf)).metricsJson).toEqual({ schema: 1 });
  });

  it('tolerates NaN written by Python json.dump', async () => {
    const buf = makeOutputArchive({ 'metrics.json': '{"schema": 1, "map50": NaN, "recall": 0.5}' });
    expect((await extractOutputArchive(buf)).metricsJson).toEqual({
      schema: 1,
      map50: null,
      recall: 0.5,
    });
  });

  it('rejects bytes that are not a tar archive', async () => {
    await expect(extractOutputArchive(gzipSync(Buffer.from('hello world')))).rejects.toThrow(
      /output archive/,
    );
    await expect(extractOutputArchive(Buffer.from('not even gzip'))).rejects.toThrow(
      /output archive/,
    );
  });

  it('rejects a metrics.json that is not JSON', async () => {
    const buf = makeOutputArchive({ 'metrics.json': '{"schema": 1,' });
    await expect(extractOutputArchive(buf)).rejects.toThrow(/metrics.json is not valid JSON/);
  });
});

describe('parseJsonLenient', () => {
  it('replaces bare NaN/Infinity tokens with null but leaves strings alone', () => {
    const text =
      '{"a": NaN, "b": -Infinity, "c": Infinity, "s": "NaN \\" Infinity", "d": [1, NaN]}';
    expect(parseJsonLenient(text)).toEqual({
      a: null,
      b: null,
      c: null,
      s: 'NaN " Infinity',
      d: [1, null],
    });
  });

  it('still rejects broken JSON', () => {
    expect(() => parseJsonLenient('{"a": 1')).toThrow();
    expect(() => parseJsonLenient('{"a": nan}')).toThrow();
  });
});

describe('parseMetricsJson', () => {
  it('maps the schema 1 contract onto Metrics', () => {
    const m = parseMetricsJson(METRICS_JSON);
    expect(m).toEqual({
      map50: 0.8123,
      map50_95: 0.5602,
      precision: 0.9104,
      recall: 0.8611,
      epochsCompleted: 3,
      bestEpoch: 3,
      perClass: [
        {
          name: 'room',
          instances: 5120,
          ap50: 0.8123,
          ap50_95: 0.5602,
          precision: 0.9104,
          recall: 0.8611,
        },
      ],
      split: 'val',
      ultralyticsVersion: '8.3.40',
      imgsz: 640,
      model: 'yolov8m.pt',
      source: 'metrics.json',
      epochs: [],
    });
  });

  it('treats null and absent metrics as not reported and null class values as NaN', () => {
    const m = parseMetricsJson({
      schema: 1,
      map50: null,
      per_class: [{ name: 'door', instances: 0, ap50: null, ap50_95: 0, precision: 0, recall: 0 }],
    });
    expect(m.map50).toBeUndefined();
    expect(m.recall).toBeUndefined();
    expect(m.perClass[0]?.ap50).toBeNaN();
    expect(m.perClass[0]?.ap50_95).toBe(0);
    expect(m.split).toBeUndefined();
  });

  it('ignores fields it does not know (newer containers may add some)', () => {
    expect(parseMetricsJson({ schema: 1, map50: 0.5, fitness: 0.7 }).map50).toBe(0.5);
  });

  it('names the schema when it is not 1', () => {
    expect(() => parseMetricsJson({ schema: 2, map50: 0.9 })).toThrow(
      /schema 2; this action reads schema 1/,
    );
    expect(() => parseMetricsJson({ map50: 0.9 })).toThrow(/schema undefined/);
  });

  it.each([
    [[1, 2], /expected an object/],
    [{ schema: 1, map50: 1.5 }, /map50 must be a number in \[0, 1\]/],
    [{ schema: 1, precision: '0.9' }, /precision must be a number/],
    [{ schema: 1, epochs_completed: 2.5 }, /epochs_completed must be a non-negative integer/],
    [{ schema: 1, split: 'train' }, /split must be "val" or "test"/],
    [{ schema: 1, per_class: {} }, /per_class must be an array/],
    [{ schema: 1, per_class: [{ instances: 1 }] }, /per_class\[0\]\.name must be a string/],
    [{ schema: 1, per_class: [{ name: 'a', recall: -0.1 }] }, /per_class\[0\]\.recall/],
    [{ schema: 1, model: 5 }, /model must be a string/],
  ])('rejects %j', (json, message) => {
    expect(() => parseMetricsJson(json)).toThrow(message);
  });
});

describe('metricsFromFinalMetricData', () => {
  it('picks the gated metrics by their MetricDefinitions names', () => {
    const m = metricsFromFinalMetricData({
      map50: 0.71,
      map50_95: 0.42,
      precision: 0.8,
      recall: 0.66,
      epoch: 99,
      'train:box_loss': 1.1,
    });
    expect(m).toEqual({
      task: 'detect',
      map50: 0.71,
      map50_95: 0.42,
      precision: 0.8,
      recall: 0.66,
      perClass: [],
      source: 'final-metric-data',
      epochs: [],
    });
  });

  it('drops non-finite values and says none when nothing gated was recorded', () => {
    const m = metricsFromFinalMetricData({ map50: Number.NaN, epoch: 3 });
    expect(m.map50).toBeUndefined();
    expect(m.source).toBe('none');
    expect(metricsFromFinalMetricData({ recall: 0.2 }).source).toBe('final-metric-data');
  });

  it('uses names that training-container/metric-definitions.json defines', () => {
    const defs = JSON.parse(readFileSync('training-container/metric-definitions.json', 'utf8')) as {
      definitions: { Name: string }[];
    };
    const names = defs.definitions.map((d) => d.Name);
    for (const name of Object.values(FINAL_METRIC_NAMES)) expect(names).toContain(name);
  });
});

const FIXTURE = path.resolve('__tests__/fixtures/container-output/output.tar.gz');
// A real run's output (training-container/tests/make_ts_fixture.py): the contract as the container writes it.
const withFixture = it;

describe('real container output fixture', () => {
  withFixture('is read by the same code path and satisfies the contract', async () => {
    const out = await extractOutputArchive(readFileSync(FIXTURE));
    expect(out.metricsJson).toBeDefined();
    expect(out.resultsCsv).toBeDefined();
    const metrics = parseMetricsJson(out.metricsJson);
    for (const key of ['map50', 'map50_95', 'precision', 'recall'] as const) {
      expect(typeof metrics[key]).toBe('number');
    }
    expect(metrics.perClass.length).toBeGreaterThan(0);
    const epochs = parseResultsCsv(out.resultsCsv as string);
    expect(epochs.length).toBeGreaterThan(0);
    expect(epochs[epochs.length - 1]?.values).toHaveProperty(RESULTS_COLUMNS.map50);
    if (metrics.epochsCompleted !== undefined) {
      expect(epochs[epochs.length - 1]?.epoch).toBe(metrics.epochsCompleted);
    }
  });
});

describe('readJobMetrics with a damaged results.csv', () => {
  it('keeps the metrics.json numbers and logs why the epoch line is missing', async () => {
    const archive = makeOutputArchive({
      'metrics.json': JSON.stringify(METRICS_JSON),
      'results.csv': 'not,a,results,file\n1,2,3,4\n',
    });
    const s3 = {
      send: async () => ({ Body: { transformToByteArray: async () => new Uint8Array(archive) } }),
    };
    const logged: string[] = [];
    const metrics = await readJobMetrics(
      s3 as never,
      {
        jobName: 'j',
        status: 'Completed',
        finalMetrics: {},
        instanceType: 'ml.g5.xlarge',
        instanceCount: 1,
        spot: false,
        consoleUrl: '',
        region: 'us-east-1',
        outputDataUri: 's3://b/p/output/j/output/output.tar.gz',
      },
      { log: (m) => logged.push(m) },
    );
    expect(metrics.map50).toBe(METRICS_JSON.map50);
    expect(metrics.epochs).toEqual([]);
    expect(logged.join('\n')).toMatch(/results\.csv could not be read/);
  });
});
