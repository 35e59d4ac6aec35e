import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  describeRule,
  HYPERPARAMETER_RULES,
  hyperparametersToStrings,
  typeHyperparameter,
} from '../../src/hyperparameters.js';

describe('typeHyperparameter', () => {
  const good: [string, string | number | boolean, string | number | boolean][] = [
    ['epochs', '100', 100],
    ['epochs', 7, 7],
    ['batch', '-1', -1],
    ['batch', '16', 16],
    ['batch', '0.7', 0.7],
    ['imgsz', ' 640 ', 640],
    ['lr0', '1e-3', 0.001],
    ['lr0', 1, 1],
    ['lrf', '.5', 0.5],
    ['degrees', '-180', -180],
    ['cos_lr', 'True', true],
    ['cos_lr', false, false],
    ['amp', 'FALSE', false],
    ['optimizer', 'AdamW', 'AdamW'],
    ['cache', false, 'false'],
    ['cache', 'ram', 'ram'],
    ['model', 'yolov8m.pt', 'yolov8m.pt'],
    ['model', 'models/custom-yolo.yaml', 'models/custom-yolo.yaml'],
  ];
  it.each(good)('types %s = %p as %p', (name, raw, value) => {
    expect(typeHyperparameter(name, raw)).toEqual({ ok: true, value });
  });

  const bad: [string, string | number | boolean, string][] = [
    ['epochs', '1.5', 'an integer >= 1 and <= 10000'],
    ['epochs', 1.5, 'an integer >= 1 and <= 10000'],
    ['epochs', true, 'an integer >= 1 and <= 10000'],
    ['epochs', '0x10', 'an integer'],
    ['epochs', '', 'an integer'],
    ['imgsz', 100, 'an integer >= 64 and <= 4096, a multiple of 32'],
    ['lr0', 0, 'a number > 0 and <= 1'],
    ['lr0', 'Infinity', 'a number > 0 and <= 1'],
    ['lr0', Number.NaN, 'a number > 0 and <= 1'],
    ['time', 0, 'a number > 0 and <= 672'],
    ['cos_lr', 'yes', 'true or false'],
    ['cos_lr', 1, 'true or false'],
    ['optimizer', 'adamw', 'one of auto, SGD, Adam, AdamW, NAdam, RAdam, RMSProp'],
    ['cache', true, 'one of false, ram, disk'],
    ['model', 'yolov8m', 'a string matching ^[A-Za-z0-9._/-]+\\.(pt|yaml)$'],
    ['model', 'rm -rf /.pt', 'a string matching'],
    ['batch', '0', '0 is not a batch size'],
    ['batch', 0, '0 is not a batch size'],
    ['batch', '-2', 'an integer from 1 to 4096, -1'],
    ['batch', '16.5', 'a fraction between 0 and 1'],
    ['batch', '4097', 'an integer from 1 to 4096'],
    ['batch', '1.0e9', 'an integer from 1 to 4096'],
  ];
  it.each(bad)('rejects %s = %p', (name, raw, expected) => {
    const typed = typeHyperparameter(name, raw);
    expect(typed.ok).toBe(false);
    if (typed.ok) return;
    expect(typed.expected).toContain(expected);
    expect(typed.message).toContain(`"${name}"`);
    expect(typed.message).toContain(typeof raw === 'string' ? JSON.stringify(raw) : String(raw));
    expect(typed.message).toContain(typed.expected);
  });

  it('rejects names outside the allow-list, listing the allowed ones', () => {
    for (const name of ['data', 'device', 'project', '__proto__', 'toString', 'batch-size']) {
      const typed = typeHyperparameter(name, '1');
      expect(typed).toMatchObject({ ok: false });
      if (!typed.ok)
        expect(typed.message).toMatch(
          /is not an allowed ultralytics train argument \(model, epochs,/,
        );
    }
  });
});

describe('describeRule', () => {
  it('words every rule type', () => {
    expect(describeRule({ type: 'int', min: 1 })).toBe('an integer >= 1');
    expect(describeRule({ type: 'float', max: 2, exclusiveMax: true })).toBe('a number < 2');
    expect(describeRule({ type: 'float' })).toBe('a number');
    expect(describeRule({ type: 'string' })).toBe('a string');
    expect(describeRule({ type: 'tensor' })).toMatch(/unknown to this action/);
  });

  it('understands every type the shared schema uses', () => {
    for (const rule of Object.values(HYPERPARAMETER_RULES)) {
      expect(['int', 'float', 'bool', 'enum', 'string', 'batch']).toContain(rule.type);
      expect(describeRule(rule)).not.toMatch(/unknown/);
    }
  });
});

describe('hyperparametersToStrings', () => {
  it('stringifies typed values in key order', () => {
    const out = hyperparametersToStrings({
      model: 'yolov8m.pt',
      epochs: 100,
      batch: -1,
      lr0: 1e-7,
      cos_lr: true,
      cache: 'false',
    });
    expect(out).toEqual({
      batch: '-1',
      cache: 'false',
      cos_lr: 'true',
      epochs: '100',
      lr0: '1e-7',
      model: 'yolov8m.pt',
    });
    expect(Object.keys(out)).toEqual(['batch', 'cache', 'cos_lr', 'epochs', 'lr0', 'model']);
  });

  it('throws on a value the allow-list rejects', () => {
    expect(() => hyperparametersToStrings({ imgsz: 650 })).toThrow(/"imgsz" = 650: expected/);
    expect(() => hyperparametersToStrings({ data: 'x.yaml' })).toThrow(/not an allowed/);
  });

  it('round-trips: what the container reads back is the typed value', () => {
    const numeric = Object.entries(HYPERPARAMETER_RULES).filter(
      ([, r]) => (r.type === 'int' || r.type === 'float') && r.multipleOf === undefined,
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...numeric),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([name, rule], t) => {
          const min = rule.min ?? -1e6;
          const max = rule.max ?? 1e6;
          let v = min + t * (max - min);
          if (rule.type === 'int') v = Math.round(v);
          const typed = typeHyperparameter(name, v);
          fc.pre(typed.ok);
          const text = hyperparametersToStrings({ [name]: v })[name] as string;
          expect(typeHyperparameter(name, text)).toEqual({ ok: true, value: v });
        },
      ),
    );
  });
});
