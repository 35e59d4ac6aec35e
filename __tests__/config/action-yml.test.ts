// action.yml is written by hand; these tests keep it identical to the catalogue in src/inputs.ts
// and prove the runner's defaults (from action.yml) and the CLI's (from readConfig) agree.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { readConfig } from '../../src/config.js';
import { INPUTS, OUTPUTS } from '../../src/inputs.js';
import { BASE, options } from './helpers.js';

interface ActionYml {
  name: string;
  description: string;
  author: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description?: unknown; default?: unknown; required?: unknown }>;
  outputs: Record<string, { description?: unknown }>;
  runs: Record<string, unknown>;
}

const action = parse(
  readFileSync(new URL('../../action.yml', import.meta.url), 'utf8'),
) as ActionYml;

describe('action.yml', () => {
  it('declares the node24 entry points', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js' });
    expect(action.name).toBeTruthy();
    expect(action.description).toBeTruthy();
    expect(action.author).toBeTruthy();
    expect(action.branding.icon).toBeTruthy();
    expect(action.branding.color).toBeTruthy();
  });

  it('has exactly the catalogue inputs, in order', () => {
    expect(Object.keys(action.inputs)).toEqual(INPUTS.map((i) => i.name));
  });

  it.each(INPUTS.map((i) => [i.name, i] as const))(
    'input %s matches the catalogue',
    (name, spec) => {
      const entry = action.inputs[name];
      expect(entry).toBeDefined();
      expect(entry?.description).toBe(spec.description);
      expect(spec.description.trim()).not.toBe('');
      expect(entry?.required ?? false).toBe(spec.required ?? false);
      // Defaults must be YAML strings: `default: 100` would parse as a number.
      expect(entry?.default).toBe(spec.actionDefault ?? spec.default);
      expect(Object.keys(entry ?? {}).sort()).toEqual(
        ['description', 'required', ...('default' in (entry ?? {}) ? ['default'] : [])].sort(),
      );
    },
  );

  it('uses kebab-case names and no alias that collides with a name', () => {
    const names = new Set(INPUTS.map((i) => i.name));
    for (const spec of INPUTS) {
      expect(spec.name).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      for (const alias of spec.aliases ?? []) expect(names.has(alias)).toBe(false);
    }
    expect(names.size).toBe(INPUTS.length);
  });

  it('has exactly the catalogue outputs, each described', () => {
    expect(Object.keys(action.outputs)).toEqual(OUTPUTS.map((o) => o.name));
    for (const output of OUTPUTS) {
      expect(output.description.trim()).not.toBe('');
      expect(action.outputs[output.name]?.description).toBe(output.description);
    }
  });

  it('declares the outputs the issues promise', () => {
    const promised = [
      'job-name',
      'job-status',
      'map50',
      'map50-95',
      'precision',
      'recall',
      'passed',
      'model-uri',
      'image-uri',
      'image-digest',
      'billable-seconds',
      'cost-usd',
      'comment-url',
      'snapshot',
      'dataset-uri',
      // issue 12: baseline, promotion, run-key reuse and the Model Registry
      'baseline-map50',
      'map50-delta',
      'promoted',
      'champion-uri',
      'run-key',
      'reused',
      'model-package-arn',
      // issue 12: the downloaded model and its workflow artifact
      'model-path',
      'artifact-id',
    ];
    expect(Object.keys(action.outputs).sort()).toEqual(promised.sort());
  });

  it("gives the runner's defaults and readConfig's defaults the same Config", () => {
    // The runner passes action.yml defaults as INPUT_* values; the CLI passes nothing.
    const runner = (name: string) => {
      if (BASE[name] !== undefined) return BASE[name];
      const d = action.inputs[name]?.default;
      return typeof d === 'string' && !d.startsWith('${{') ? d : '';
    };
    const cli = (name: string) => BASE[name] ?? '';
    expect(readConfig(runner, options())).toEqual(readConfig(cli, options()));
  });

  it('documents the default values readConfig applies', () => {
    const defaults = Object.fromEntries(
      Object.entries(action.inputs).map(([name, entry]) => [name, entry.default]),
    );
    const config = readConfig((name) => BASE[name] ?? '', options());
    expect(String(config.instanceCount)).toBe(defaults['instance-count']);
    expect(String(config.volumeSizeGb)).toBe(defaults['volume-size']);
    expect(String(config.maxRuntimeSeconds)).toBe(defaults['max-runtime']);
    expect(String(config.spot)).toBe(defaults.spot);
    expect(String(config.push)).toBe(defaults.push);
    expect(String(config.wait)).toBe(defaults.wait);
    expect(String(config.comment)).toBe(defaults.comment);
    expect(config.instanceType).toBe(defaults['instance-type']);
    expect(config.prefix).toBe(defaults.prefix);
    expect(config.dataset).toBe(defaults.dataset);
    expect(config.ecrRepository).toBe(defaults['ecr-repository']);
    expect(config.hyperparameters.model).toBe(defaults.model);
    expect(String(config.hyperparameters.epochs)).toBe(defaults.epochs);
    expect(String(config.hyperparameters.batch)).toBe(defaults['batch-size']);
    expect(String(config.hyperparameters.imgsz)).toBe(defaults.imgsz);
    expect(String(config.thresholds[0]?.min)).toBe(defaults['map50-threshold']);
    expect(defaults['github-token']).toBe('${{ github.token }}');
  });
});
