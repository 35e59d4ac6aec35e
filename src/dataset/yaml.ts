// The dataset yaml, read the way ultralytics reads it (check_det_dataset / check_class_names),
// with one deliberate difference: a relative `path` is taken relative to the yaml's directory,
// because the training container rewrites `path` to where it rebuilds the tree.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const YAML_NAMES = ['dataset.yaml', 'data.yaml', 'dataset.yml', 'data.yml'] as const;

export interface YamlFinding {
  severity: 'error' | 'warning';
  line?: number;
  message: string;
}

export interface SplitSource {
  /** The entry as written in the yaml. */
  value: string;
  /** Resolved absolute path (a directory of images or a .txt list of images). */
  abs: string;
  /** Line of the entry in the yaml. */
  line?: number;
}

export interface DatasetConfig {
  /** Class names by id; length is nc. */
  names: string[];
  /** [keypoints, dims] for pose datasets (`kpt_shape`). */
  kptShape?: [number, number];
  /** Absolute dataset root (`path` resolved). */
  datasetRoot: string;
  splits: Partial<Record<SplitName, SplitSource[]>>;
}

export interface DatasetLocation {
  /** Directory whose files make up the snapshot (the directory given, or the yaml's). */
  root: string;
  /** Absolute path of the dataset yaml. */
  yamlPath: string;
  /** More than one candidate yaml was present; the first in YAML_NAMES order was used. */
  ignoredYamls: string[];
}

/** Finds the yaml for a directory or accepts a yaml path. Throws a named error when neither works. */
export async function locateDataset(datasetPath: string): Promise<DatasetLocation> {
  const abs = path.resolve(datasetPath);
  const stat = await fs.stat(abs).catch(() => undefined);
  if (!stat)
    throw new Error(
      `dataset '${datasetPath}' does not exist (expected a directory or its yaml file)`,
    );
  if (stat.isFile()) {
    if (!/\.ya?ml$/i.test(abs)) {
      throw new Error(
        `dataset '${datasetPath}' is a file but not a .yaml/.yml dataset description`,
      );
    }
    return { root: path.dirname(abs), yamlPath: abs, ignoredYamls: [] };
  }
  const present: string[] = [];
  for (const name of YAML_NAMES) {
    const candidate = path.join(abs, name);
    if ((await fs.stat(candidate).catch(() => undefined))?.isFile()) present.push(candidate);
  }
  const [first, ...rest] = present;
  if (!first) {
    throw new Error(`dataset '${datasetPath}' has no ${YAML_NAMES.slice(0, 2).join(' or ')}`);
  }
  return { root: abs, yamlPath: first, ignoredYamls: rest };
}

function lineOf(node: Node | Pair | null | undefined, lines: LineCounter): number | undefined {
  const target = node && 'key' in node ? (node.key as Node | null) : node;
  const offset = target?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Pure: yaml text -> config + findings. Paths are resolved against `yamlPath`'s directory but not
 * checked on disk (validate.ts does that).
 */
export function parseDatasetYaml(
  text: string,
  yamlPath: string,
): { config?: DatasetConfig; findings: YamlFinding[] } {
  const findings: YamlFinding[] = [];
  const error = (message: string, line?: number) =>
    findings.push({ severity: 'error', line, message });
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      error(`invalid YAML: ${e.message.split('\n')[0]}`, e.linePos?.[0].line);
    return { findings };
  }
  if (!isMap(doc.contents)) {
    error('the dataset yaml must be a mapping with train, val and names');
    return { findings };
  }
  const pairs = new Map<string, Pair>();
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? scalarText(pair.key.value) : undefined;
    if (key === undefined) continue;
    if (pairs.has(key))
      findings.push({
        severity: 'warning',
        line: lineOf(pair, lines),
        message: `duplicate key '${key}': the last one wins`,
      });
    pairs.set(key, pair);
  }
  const plain = (key: string): unknown => {
    const node = pairs.get(key)?.value;
    return node && typeof node === 'object' && 'toJSON' in node ? (node as Node).toJSON() : node;
  };

  // path: the dataset root.
  const yamlDir = path.dirname(yamlPath);
  let datasetRoot = yamlDir;
  const rawPath = plain('path');
  if (rawPath !== undefined && rawPath !== null && rawPath !== '') {
    if (typeof rawPath !== 'string') {
      error(
        `path must be a string, got ${JSON.stringify(rawPath)}`,
        lineOf(pairs.get('path'), lines),
      );
    } else {
      datasetRoot = path.resolve(yamlDir, rawPath);
    }
  }

  // names / nc, as check_class_names does it.
  let names: string[] | undefined;
  const namesPair = pairs.get('names');
  const namesLine = lineOf(namesPair, lines);
  const rawNames = plain('names') ?? undefined;
  if (Array.isArray(rawNames)) {
    names = [];
    rawNames.forEach((n, i) => {
      const s = scalarText(n);
      if (s === undefined)
        error(`names[${i}] must be a string, got ${JSON.stringify(n)}`, namesLine);
      names?.push(s ?? String(i));
    });
  } else if (rawNames && typeof rawNames === 'object') {
    const entries = Object.entries(rawNames as Record<string, unknown>);
    const byId = new Map<number, string>();
    for (const [k, v] of entries) {
      const id = Number(k);
      const s = scalarText(v);
      if (!/^\d+$/.test(k.trim()) || !Number.isSafeInteger(id)) {
        error(`names key '${k}' must be a class id (an integer >= 0)`, namesLine);
      } else if (s === undefined) {
        error(`names[${k}] must be a string, got ${JSON.stringify(v)}`, namesLine);
      } else byId.set(id, s);
    }
    const n = byId.size;
    const bad = [...byId.keys()].filter((id) => id >= n).sort((a, b) => a - b);
    if (bad.length > 0) {
      error(`a ${n}-class names mapping needs ids 0-${n - 1}, got ${bad.join(', ')}`, namesLine);
    } else if (n === entries.length) {
      names = Array.from({ length: n }, (_, i) => byId.get(i) as string);
    }
  } else if (rawNames !== undefined) {
    error(
      `names must be a list or a mapping of id -> name, got ${JSON.stringify(rawNames)}`,
      namesLine,
    );
  }
  const rawNc = plain('nc') ?? undefined;
  const ncLine = lineOf(pairs.get('nc'), lines);
  if (rawNc !== undefined) {
    if (typeof rawNc !== 'number' || !Number.isInteger(rawNc) || rawNc < 1) {
      error(`nc must be an integer >= 1, got ${JSON.stringify(rawNc)}`, ncLine);
    } else if (names && names.length !== rawNc) {
      error(`nc is ${rawNc} but names has ${names.length} entries: they must match`, ncLine);
    } else if (!names && rawNames === undefined) {
      names = Array.from({ length: rawNc }, (_, i) => `class_${i}`);
    }
  }
  if (rawNames === undefined && rawNc === undefined) {
    error('names is required (a list of class names, or a mapping of id -> name)');
  } else if (names && names.length === 0) {
    error('names is empty: a dataset needs at least one class', namesLine);
  }

  // kpt_shape: [keypoints, 2 | 3] for pose labels.
  let kptShape: [number, number] | undefined;
  const rawKpt = plain('kpt_shape');
  if (rawKpt !== undefined && rawKpt !== null) {
    const ok =
      Array.isArray(rawKpt) &&
      rawKpt.length === 2 &&
      Number.isInteger(rawKpt[0]) &&
      rawKpt[0] >= 1 &&
      (rawKpt[1] === 2 || rawKpt[1] === 3);
    if (ok) kptShape = [rawKpt[0] as number, rawKpt[1] as number];
    else
      error(
        `kpt_shape must be [keypoints >= 1, 2 or 3], got ${JSON.stringify(rawKpt)}`,
        lineOf(pairs.get('kpt_shape'), lines),
      );
  }

  // train / val / test: a path or a list of paths, relative to the dataset root.
  const splits: DatasetConfig['splits'] = {};
  for (const split of SPLITS) {
    let key: string = split;
    if (split === 'val' && !pairs.has('val') && pairs.has('validation')) key = 'validation';
    const pair = pairs.get(key);
    const raw = plain(key);
    const line = lineOf(pair, lines);
    if (
      raw === undefined ||
      raw === null ||
      raw === '' ||
      (Array.isArray(raw) && raw.length === 0)
    ) {
      if (split !== 'test')
        error(
          `${split} is required (a directory, a list of directories or a .txt list of images)`,
          line,
        );
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    const itemNodes = pair && isSeq(pair.value) ? pair.value.items : [];
    const sources: SplitSource[] = [];
    values.forEach((v, i) => {
      const itemLine = lineOf(itemNodes[i] as Node | undefined, lines) ?? line;
      if (typeof v !== 'string' || v.trim() === '') {
        error(
          `${key}${Array.isArray(raw) ? `[${i}]` : ''} must be a path, got ${JSON.stringify(v)}`,
          itemLine,
        );
        return;
      }
      sources.push({ value: v, abs: path.resolve(datasetRoot, v), line: itemLine });
    });
    if (sources.length > 0) splits[split] = sources;
  }

  if (findings.some((f) => f.severity === 'error') || !names) return { findings };
  return { config: { names, datasetRoot, splits, ...(kptShape ? { kptShape } : {}) }, findings };
}
