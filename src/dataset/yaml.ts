// The dataset yaml, read the way ultralytics reads it (check_det_dataset / check_class_names),
// with one deliberate difference: a relative `path` is taken relative to the yaml's directory,
// because the training container rewrites `path` to where it rebuilds the tree.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export const YAML_NAMES = ['dataset.yaml', 'data.yaml', 'dataset.yml', 'data.yml'] as const;

/** Bounds that keep a hostile yaml from exhausting memory (no real dataset comes near them). */
export const MAX_CLASSES = 100_000;
export const MAX_YAML_BYTES = 4 * 1024 * 1024;
const MAX_ALIASES = 100;
/** Control characters, including line and paragraph separators: a class name reaches logs. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export interface YamlFinding {
  /** error: the run fails; warning: worth knowing, no effect; note: ultralytics adapts it. */
  severity: 'error' | 'warning' | 'note';
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
  /**
   * ultralytics' second try for a single path starting with `../` when `abs` does not exist:
   * `path / x[3:]` (check_det_dataset), the form Roboflow exports write.
   */
  fallback?: string;
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

function isUnder(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Line of the i-th item of a sequence, or of the key of a mapping entry. */
function itemLine(
  collection: Node | null | undefined,
  index: number,
  lines: LineCounter,
): number | undefined {
  if (!collection || !(isSeq(collection) || isMap(collection))) return undefined;
  return lineOf(collection.items[index] as Node | Pair | undefined, lines);
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
  // The whole document as plain data once, with an alias budget: a billion-laughs `names` stops here.
  let js: Record<string, unknown>;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIASES }) as Record<string, unknown>;
  } catch (e) {
    error(
      `the yaml expands too far (${(e as Error).message.split('\n')[0]}): YAML aliases are limited to ${MAX_ALIASES} expansions`,
    );
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
  const plain = (key: string): unknown => (pairs.has(key) ? js[key] : undefined);

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
    } else if (path.isAbsolute(rawPath) && !isUnder(yamlDir, path.resolve(rawPath))) {
      // Usually the author's own machine: the training container rewrites `path` anyway.
      findings.push({
        severity: 'warning',
        line: lineOf(pairs.get('path'), lines),
        message: `path '${rawPath}' is an absolute path outside the dataset (the author's machine?): resolved from the yaml's folder instead, as the training container does`,
      });
    } else {
      datasetRoot = path.resolve(yamlDir, rawPath);
    }
  }

  // names / nc, as check_det_dataset and check_class_names read them.
  let names: string[] | undefined;
  const namesPair = pairs.get('names');
  const namesLine = lineOf(namesPair, lines);
  const namesNode = namesPair?.value as Node | null | undefined;
  const rawNames = plain('names') ?? undefined;
  const nameLines: (number | undefined)[] = [];
  if (Array.isArray(rawNames)) {
    if (rawNames.length > MAX_CLASSES) {
      error(
        `names has ${rawNames.length} entries; this validator allows at most ${MAX_CLASSES} classes`,
        namesLine,
      );
    } else {
      names = [];
      rawNames.forEach((n, i) => {
        const s = scalarText(n);
        const at = itemLine(namesNode, i, lines) ?? namesLine;
        if (s === undefined) error(`names[${i}] must be a string, got ${JSON.stringify(n)}`, at);
        names?.push(s ?? String(i));
        nameLines.push(at);
      });
    }
  } else if (rawNames && typeof rawNames === 'object') {
    const entries = Object.entries(rawNames as Record<string, unknown>);
    const byId = new Map<number, string>();
    const lineById = new Map<number, number | undefined>();
    if (entries.length > MAX_CLASSES) {
      error(
        `names has ${entries.length} entries; this validator allows at most ${MAX_CLASSES} classes`,
        namesLine,
      );
    }
    entries.slice(0, MAX_CLASSES + 1).forEach(([k, v], i) => {
      const id = Number(k);
      const s = scalarText(v);
      const at = itemLine(namesNode, i, lines) ?? namesLine;
      if (!/^\d+$/.test(k.trim()) || !Number.isSafeInteger(id)) {
        error(`names key '${k}' must be a class id (an integer >= 0)`, at);
      } else if (s === undefined) {
        error(`names[${k}] must be a string, got ${JSON.stringify(v)}`, at);
      } else {
        byId.set(id, s);
        lineById.set(id, at);
      }
    });
    const n = byId.size;
    let bad = 0;
    let firstBad: number | undefined;
    for (const id of byId.keys()) {
      if (id >= n) {
        bad++;
        if (firstBad === undefined || id < firstBad) firstBad = id;
      }
    }
    if (bad > 0) {
      error(
        `a ${n}-class names mapping needs ids 0-${n - 1}; ${bad} id(s) are outside, the first ${firstBad}`,
        namesLine,
      );
    } else if (n === entries.length && n <= MAX_CLASSES) {
      names = Array.from({ length: n }, (_, i) => byId.get(i) as string);
      for (let i = 0; i < n; i++) nameLines.push(lineById.get(i));
    }
  } else if (rawNames !== undefined) {
    error(
      `names must be a list or a mapping of id -> name, got ${JSON.stringify(rawNames)}`,
      namesLine,
    );
  }
  // A class name reaches logs, job summaries and PR comments: no line breaks or control characters.
  names?.forEach((name, i) => {
    if (CONTROL.test(name)) {
      error(
        `names[${i}] ${JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name)} contains a control character (newline, CR, U+2028 ...): class names must be one plain line`,
        nameLines[i] ?? namesLine,
      );
    }
  });
  const rawNc = plain('nc') ?? undefined;
  const ncLine = lineOf(pairs.get('nc'), lines);
  if (rawNc !== undefined) {
    // ultralytics accepts integer-like values (10, 10.0, '10') and nothing else.
    const nc = typeof rawNc === 'number' || typeof rawNc === 'string' ? Number(rawNc) : NaN;
    if (!Number.isInteger(nc) || nc < 1 || (typeof rawNc === 'string' && rawNc.trim() === '')) {
      error(`nc must be an integer >= 1, got ${JSON.stringify(rawNc)}`, ncLine);
    } else if (nc > MAX_CLASSES) {
      error(`nc is ${nc}; this validator allows at most ${MAX_CLASSES} classes`, ncLine);
    } else if (names && names.length !== nc) {
      error(`nc is ${nc} but names has ${names.length} entries: they must match`, ncLine);
    } else if (!names && rawNames === undefined) {
      names = Array.from({ length: nc }, (_, i) => `class_${i}`);
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
    if (split === 'val' && !pairs.has('val') && pairs.has('validation')) {
      key = 'validation';
      findings.push({
        severity: 'note',
        line: lineOf(pairs.get('validation'), lines),
        message: "'validation' is read as 'val' (ultralytics renames it)",
      });
    }
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
      sources.push({
        value: v,
        abs: path.resolve(datasetRoot, v),
        line: itemLine,
        // Only a single path gets the `../` retry, not the entries of a list.
        ...(!Array.isArray(raw) && v.startsWith('../')
          ? { fallback: path.resolve(datasetRoot, v.slice(3)) }
          : {}),
      });
    });
    if (sources.length > 0) splits[split] = sources;
  }

  if (findings.some((f) => f.severity === 'error') || !names) return { findings };
  return { config: { names, datasetRoot, splits, ...(kptShape ? { kptShape } : {}) }, findings };
}
