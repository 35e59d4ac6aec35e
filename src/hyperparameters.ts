// Typed ultralytics train arguments, checked against the allow-list that the training container
// shares (training-container/hyperparameters.schema.json). Config uses it to validate inputs, the
// request builder to turn them into SageMaker's all-string HyperParameters.
import type { Hyperparameters } from './types.js';
import schemaFile from '../training-container/hyperparameters.schema.json' with { type: 'json' };

export type HyperparameterType = 'int' | 'float' | 'bool' | 'enum' | 'string' | 'batch';

/** One allow-list entry. Extra fields (description, ...) are tolerated and ignored. */
export interface HyperparameterRule {
  type: HyperparameterType | string;
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  multipleOf?: number;
  values?: string[];
  pattern?: string;
  description?: string;
}

export type HyperparameterValue = string | number | boolean;

export type Typed =
  | { ok: true; value: HyperparameterValue }
  | {
      ok: false;
      /** What a valid value looks like, e.g. `an integer from 64 to 4096, a multiple of 32`. */
      expected: string;
      /** Self-contained: names the argument, the value and the expectation. */
      message: string;
    };

/** SageMaker accepts at most 100 hyperparameters per job. */
export const MAX_HYPERPARAMETERS = 100;

export const HYPERPARAMETER_RULES: Readonly<Record<string, HyperparameterRule>> = (
  schemaFile as unknown as { arguments: Record<string, HyperparameterRule> }
).arguments;

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
// The YAML 1.2 core schema booleans, as @actions/core's getBooleanInput accepts them.
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);

/** Human wording of a rule, used in every error message. */
export function describeRule(rule: HyperparameterRule): string {
  switch (rule.type) {
    case 'int':
    case 'float': {
      const kind = rule.type === 'int' ? 'an integer' : 'a number';
      const parts = [kind];
      if (rule.min !== undefined)
        parts.push(rule.exclusiveMin ? `> ${rule.min}` : `>= ${rule.min}`);
      if (rule.max !== undefined)
        parts.push(rule.exclusiveMax ? `< ${rule.max}` : `<= ${rule.max}`);
      let text = parts.length > 1 ? `${parts[0]} ${parts.slice(1).join(' and ')}` : kind;
      if (rule.multipleOf !== undefined) text += `, a multiple of ${rule.multipleOf}`;
      return text;
    }
    case 'batch':
      return `an integer from 1 to ${rule.max ?? 'any'}, -1 (AutoBatch: 60% of GPU memory) or a fraction between 0 and 1 exclusive (AutoBatch to that share of GPU memory); 0 is not a batch size`;
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${(rule.values ?? []).join(', ')}`;
    case 'string':
      return rule.pattern ? `a string matching ${rule.pattern}` : 'a string';
    default:
      return `a value of type "${rule.type}" (unknown to this action: update it)`;
  }
}

function show(raw: HyperparameterValue): string {
  return typeof raw === 'string' ? JSON.stringify(raw) : String(raw);
}

function inRange(n: number, rule: HyperparameterRule): boolean {
  if (rule.min !== undefined && (rule.exclusiveMin ? n <= rule.min : n < rule.min)) return false;
  if (rule.max !== undefined && (rule.exclusiveMax ? n >= rule.max : n > rule.max)) return false;
  if (rule.multipleOf !== undefined && n % rule.multipleOf !== 0) return false;
  return true;
}

function coerce(
  rule: HyperparameterRule,
  raw: HyperparameterValue,
): HyperparameterValue | undefined {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (rule.type) {
    case 'int': {
      const n =
        typeof raw === 'number' ? raw : text !== undefined && INT.test(text) ? Number(text) : NaN;
      return Number.isSafeInteger(n) && inRange(n, rule) ? n : undefined;
    }
    case 'float': {
      const n =
        typeof raw === 'number' ? raw : text !== undefined && FLOAT.test(text) ? Number(text) : NaN;
      return Number.isFinite(n) && inRange(n, rule) ? n : undefined;
    }
    case 'batch': {
      // ultralytics (engine/trainer.py, utils/autobatch.py): batch >= 1 is the batch size; any
      // batch < 1 runs AutoBatch (single GPU only), a fraction 0 < b < 1 as that share of GPU
      // memory, anything else at 60%. `0` would silently mean AutoBatch: refuse it, and keep -1
      // as the one spelling of the default share.
      const n =
        typeof raw === 'number' ? raw : text !== undefined && FLOAT.test(text) ? Number(text) : NaN;
      if (n === -1 || (n > 0 && n < 1)) return n;
      return Number.isSafeInteger(n) && n >= 1 && (rule.max === undefined || n <= rule.max)
        ? n
        : undefined;
    }
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (text !== undefined && TRUE.has(text)) return true;
      if (text !== undefined && FALSE.has(text)) return false;
      return undefined;
    case 'enum': {
      // YAML reads `cache: false` as a boolean; the allowed spelling is the string "false".
      const value = String(text ?? raw);
      return (rule.values ?? []).includes(value) ? value : undefined;
    }
    case 'string': {
      const value = String(text ?? raw);
      if (value === '') return undefined;
      return rule.pattern === undefined || new RegExp(rule.pattern).test(value) ? value : undefined;
    }
    default:
      return undefined;
  }
}

/** Type one ultralytics train argument against the allow-list. Pure. */
export function typeHyperparameter(name: string, raw: HyperparameterValue): Typed {
  const rule = Object.hasOwn(HYPERPARAMETER_RULES, name) ? HYPERPARAMETER_RULES[name] : undefined;
  if (!rule) {
    const expected = `an allowed ultralytics train argument (${Object.keys(HYPERPARAMETER_RULES).join(', ')})`;
    return {
      ok: false,
      expected,
      message: `hyperparameter "${name}" (value ${show(raw)}) is not ${expected}`,
    };
  }
  const value = coerce(rule, raw);
  if (value !== undefined) return { ok: true, value };
  const expected = describeRule(rule);
  return {
    ok: false,
    expected,
    message: `hyperparameter "${name}" = ${show(raw)}: expected ${expected}`,
  };
}

/**
 * SageMaker's HyperParameters map (every value a string; the container types them back with the
 * same schema). Keys sorted so the request is deterministic. Throws on a value the allow-list
 * rejects: Config has validated them, so that would be a programming error.
 */
export function hyperparametersToStrings(h: Hyperparameters): Record<string, string> {
  const keys = Object.keys(h).sort();
  if (keys.length > MAX_HYPERPARAMETERS) {
    throw new Error(
      `${keys.length} hyperparameters; SageMaker accepts at most ${MAX_HYPERPARAMETERS}`,
    );
  }
  const out: Record<string, string> = {};
  for (const key of keys) {
    const typed = typeHyperparameter(key, h[key] as HyperparameterValue);
    if (!typed.ok) throw new Error(typed.message);
    out[key] = String(typed.value);
  }
  return out;
}
