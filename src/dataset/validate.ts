// The validate stage: the yaml, every split's images (header bytes only) and their labels.
// Thin I/O around the pure checkers in yaml.ts, labels.ts and images.ts; bounded concurrency.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mapLimit } from './concurrency.js';
import { isWithin, toPosix, walkDataset } from './files.js';
import { extensionOf, inspectImageFile, isImagePath, IMAGE_EXTENSIONS } from './images.js';
import { checkLabelText } from './labels.js';
import {
  locateDataset,
  parseDatasetYaml,
  SPLITS,
  type DatasetConfig,
  type SplitName,
  type SplitSource,
} from './yaml.js';

export interface Finding {
  severity: 'error' | 'warning';
  /** Relative to the working directory (the repository root in a workflow), `/`-separated. */
  file: string;
  line?: number;
  message: string;
}

export interface ClassCount {
  id: number;
  name: string;
  instances: number;
}

export interface SplitReport {
  split: SplitName;
  images: number;
  /** Label files found for those images (empty ones included). */
  labels: number;
  /** Images with no label file or an empty one. */
  backgrounds: number;
  instances: number;
  classes: ClassCount[];
}

export interface ValidationReport {
  /** The dataset argument as given. */
  dataset: string;
  /** The yaml used, relative to the working directory (absent when none was found). */
  yaml?: string;
  names: string[];
  splits: SplitReport[];
  /** Sorted by file, then line. At most maxFindings are kept; counts below are exact. */
  findings: Finding[];
  errors: number;
  warnings: number;
  omittedFindings: number;
  seconds: number;
}

export interface ValidateOptions {
  /** Findings paths are relative to this (default process.cwd()). */
  cwd?: string;
  /** Files inspected at once (default 32). */
  concurrency?: number;
  /** Findings kept in the report (default 10,000); errors/warnings still count them all. */
  maxFindings?: number;
  /** Findings kept per label file (default 20). */
  maxFindingsPerFile?: number;
}

export interface DatasetInspection {
  report: ValidationReport;
  /** Snapshot root (absolute): the dataset directory, or the yaml's directory. */
  root?: string;
  /** Split of every image and label file, keyed by path relative to root. */
  membership: Map<string, SplitName>;
}

/** ultralytics' img2label_paths on a root-relative path: last /images/ -> /labels/, suffix -> .txt. */
export function labelPathFor(imageRel: string): string {
  const withSlash = `/${imageRel}`;
  const at = withSlash.lastIndexOf('/images/');
  const swapped =
    at < 0
      ? withSlash
      : `${withSlash.slice(0, at)}/labels/${withSlash.slice(at + '/images/'.length)}`;
  const slash = swapped.lastIndexOf('/');
  const dot = swapped.lastIndexOf('.');
  return `${dot > slash ? swapped.slice(0, dot) : swapped}.txt`.slice(1);
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

class Collector {
  findings: Finding[] = [];
  errors = 0;
  warnings = 0;
  omitted = 0;
  constructor(
    private readonly cwd: string,
    private readonly max: number,
  ) {}
  display(abs: string): string {
    return toPosix(path.relative(this.cwd, abs)) || '.';
  }
  /** `counted: false` for notes about other findings (they are not findings themselves). */
  add(
    severity: Finding['severity'],
    abs: string,
    message: string,
    line?: number,
    counted = true,
  ): void {
    if (counted && severity === 'error') this.errors++;
    else if (counted) this.warnings++;
    if (this.findings.length >= this.max) {
      this.omitted++;
      return;
    }
    this.findings.push({ severity, file: this.display(abs), ...(line ? { line } : {}), message });
  }
}

/** Images listed by one split source (a directory or a .txt list), relative to root. */
async function imagesOfSource(
  source: SplitSource,
  split: string,
  root: string,
  yamlPath: string,
  byDir: (relDir: string) => string[],
  files: Set<string>,
  leavesRoot: (rel: string) => boolean,
  out: Collector,
): Promise<string[]> {
  if (!isInside(root, source.abs)) {
    out.add(
      'error',
      yamlPath,
      `${split}: '${source.value}' is outside the dataset directory ${out.display(root)}; the snapshot only holds files under it`,
      source.line,
    );
    return [];
  }
  const stat = await fs.stat(source.abs).catch(() => undefined);
  if (!stat) {
    out.add(
      'error',
      yamlPath,
      `${split}: '${source.value}' not found (resolved to ${out.display(source.abs)})`,
      source.line,
    );
    return [];
  }
  const rel = toPosix(path.relative(root, source.abs));
  if (stat.isDirectory()) return byDir(rel).filter(isImagePath);
  if (extensionOf(source.abs) !== 'txt') {
    out.add(
      'error',
      yamlPath,
      `${split}: '${source.value}' is a file but not a .txt list of images`,
      source.line,
    );
    return [];
  }
  if (!files.has(rel)) {
    // Through a link out of the root (already an error, and never read) or left out of the walk.
    if (!leavesRoot(rel)) {
      out.add(
        'error',
        yamlPath,
        `${split}: '${source.value}' is not in the snapshot (hidden names, *.cache files and folders already reached through another link are left out), so training would not find it`,
        source.line,
      );
    }
    return [];
  }

  // A .txt list: './x' is relative to the list's directory (as in ultralytics); other relative or
  // absolute entries depend on the training machine's working directory or layout.
  const listDir = path.dirname(source.abs);
  const text = await fs.readFile(source.abs, 'utf8');
  const images: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((rawLine, i) => {
    const entry = rawLine.trim();
    const line = i + 1;
    if (entry === '') return;
    if (!entry.startsWith('./')) {
      out.add(
        'error',
        source.abs,
        `'${entry}' must start with './' (relative to this list's directory): other paths depend on the training machine`,
        line,
      );
      return;
    }
    if (!IMAGE_EXTENSIONS.has(extensionOf(entry))) {
      out.add(
        'warning',
        source.abs,
        `'${entry}' is not an image suffix ultralytics reads: ignored`,
        line,
      );
      return;
    }
    const abs = path.resolve(listDir, entry);
    const imageRel = toPosix(path.relative(root, abs));
    if (!isInside(root, abs)) {
      out.add('error', source.abs, `'${entry}' is outside the dataset directory`, line);
    } else if (!files.has(imageRel)) {
      out.add('error', source.abs, `image '${entry}' not found`, line);
    } else images.push(imageRel);
  });
  return images;
}

function outsideMessage(root: string): string {
  return `is a symbolic link that resolves outside the dataset directory ${root}: it is neither read nor uploaded (copy the file into the dataset instead)`;
}

export async function inspectDataset(
  datasetPath: string,
  options: ValidateOptions = {},
): Promise<DatasetInspection> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const concurrency = options.concurrency ?? 32;
  const out = new Collector(cwd, options.maxFindings ?? 10_000);
  const membership = new Map<string, SplitName>();
  const report = (
    config?: DatasetConfig,
    yaml?: string,
    splits: SplitReport[] = [],
  ): ValidationReport => {
    out.findings.sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
    );
    return {
      dataset: datasetPath,
      ...(yaml ? { yaml } : {}),
      names: config?.names ?? [],
      splits,
      findings: out.findings,
      errors: out.errors,
      warnings: out.warnings,
      omittedFindings: out.omitted,
      seconds: (performance.now() - started) / 1000,
    };
  };

  let location;
  try {
    location = await locateDataset(path.resolve(cwd, datasetPath));
  } catch (error) {
    out.add('error', path.resolve(cwd, datasetPath), (error as Error).message);
    return { report: report(), membership };
  }
  const { root, yamlPath } = location;
  for (const ignored of location.ignoredYamls) {
    out.add('warning', ignored, `ignored: ${out.display(yamlPath)} is used`);
  }
  // A yaml linked to a file outside the dataset is never read: its errors could echo the file.
  if (!isWithin(await fs.realpath(root), await fs.realpath(yamlPath))) {
    out.add('error', yamlPath, outsideMessage(out.display(root)));
    return { report: report(), root, membership };
  }
  const parsed = parseDatasetYaml(await fs.readFile(yamlPath, 'utf8'), yamlPath);
  for (const f of parsed.findings) out.add(f.severity, yamlPath, f.message, f.line);
  const config = parsed.config;
  const yamlShown = out.display(yamlPath);
  if (!config) return { report: report(undefined, yamlShown), root, membership };

  if (!isInside(root, config.datasetRoot)) {
    out.add(
      'error',
      yamlPath,
      `path resolves to ${out.display(config.datasetRoot)}, outside the dataset directory ${out.display(root)}: use a path relative to the yaml (e.g. '.'); the training container rewrites it`,
    );
    return { report: report(config, yamlShown), root, membership };
  }
  if (!(await fs.stat(config.datasetRoot).catch(() => undefined))?.isDirectory()) {
    out.add('error', yamlPath, `path ${out.display(config.datasetRoot)} is not a directory`);
    return { report: report(config, yamlShown), root, membership };
  }

  const { files: walked, outside } = await walkDataset(root);
  for (const link of outside) out.add('error', link.abs, outsideMessage(out.display(root)));
  const outsideRels = outside.map((f) => f.rel);
  const leavesRoot = (rel: string) => outsideRels.some((o) => rel === o || rel.startsWith(`${o}/`));
  const files = new Set(walked.map((f) => f.rel));
  const byDir = (relDir: string) => {
    const prefix = relDir === '' ? '' : `${relDir}/`;
    return walked.filter((f) => f.rel.startsWith(prefix)).map((f) => f.rel);
  };

  // Images per split, as ultralytics would collect them.
  const imagesBySplit = new Map<SplitName, string[]>();
  const listFiles = new Set<string>();
  for (const split of SPLITS) {
    const sources = config.splits[split];
    if (!sources) continue;
    const images = new Set<string>();
    for (const source of sources) {
      if (isInside(root, source.abs)) listFiles.add(toPosix(path.relative(root, source.abs)));
      for (const image of await imagesOfSource(
        source,
        split,
        root,
        yamlPath,
        byDir,
        files,
        leavesRoot,
        out,
      )) {
        images.add(image);
      }
    }
    if (images.size === 0) {
      out.add(
        'error',
        yamlPath,
        `${split} has no images (${sources.map((s) => `'${s.value}'`).join(', ')})`,
        sources[0]?.line,
      );
    }
    imagesBySplit.set(split, [...images].sort());
  }

  // The same image in two splits leaks evaluation data into training.
  for (const [split, images] of imagesBySplit) {
    for (const other of SPLITS) {
      if (other === split || SPLITS.indexOf(other) > SPLITS.indexOf(split)) continue;
      const earlier = new Set(imagesBySplit.get(other) ?? []);
      const shared = images.filter((img) => earlier.has(img));
      if (shared.length > 0) {
        out.add(
          'warning',
          yamlPath,
          `${shared.length} image(s) of ${split} are also in ${other} (e.g. ${shared[0]})`,
        );
      }
    }
  }

  const nc = config.names.length;
  const splitReports: SplitReport[] = [];
  const expectedLabels = new Set<string>();
  for (const [split, images] of imagesBySplit) {
    const totals = new Array<number>(nc).fill(0);
    let labels = 0;
    let backgrounds = 0;
    await mapLimit(images, concurrency, async (imageRel) => {
      if (!membership.has(imageRel)) membership.set(imageRel, split);
      const imageAbs = path.join(root, imageRel);
      const inspected = await inspectImageFile(imageAbs);
      for (const f of inspected.findings) out.add(f.severity, imageAbs, f.message);

      const labelRel = labelPathFor(imageRel);
      expectedLabels.add(labelRel);
      if (!files.has(labelRel)) {
        backgrounds++;
        return;
      }
      if (!membership.has(labelRel)) membership.set(labelRel, split);
      labels++;
      const labelAbs = path.join(root, labelRel);
      let text: string;
      try {
        text = await fs.readFile(labelAbs, 'utf8');
      } catch (error) {
        out.add('error', labelAbs, `cannot read label file: ${(error as Error).message}`);
        return;
      }
      const checked = checkLabelText(text, {
        nc,
        ...(config.kptShape ? { kptShape: config.kptShape } : {}),
        maxFindings: options.maxFindingsPerFile ?? 20,
      });
      if (checked.rows === 0) backgrounds++;
      checked.instances.forEach((count, id) => (totals[id] = (totals[id] as number) + count));
      for (const f of checked.findings) out.add(f.severity, labelAbs, f.message, f.line);
      if (checked.omitted > 0) {
        out.add(
          'warning',
          labelAbs,
          `and ${checked.omitted} more finding(s) in this file`,
          undefined,
          false,
        );
      }
      // Keep the report's counts exact even though per-file findings were capped.
      const keptErrors = checked.findings.filter((f) => f.severity === 'error').length;
      out.errors += checked.errors - keptErrors;
      out.warnings += checked.warnings - (checked.findings.length - keptErrors);
    });
    splitReports.push({
      split,
      images: images.length,
      labels,
      backgrounds,
      instances: totals.reduce((a, b) => a + b, 0),
      classes: config.names.map((name, id) => ({ id, name, instances: totals[id] as number })),
    });
  }

  // Label files that no split image claims: under a labels/ folder, or beside images (the flat
  // layout, where ultralytics reads `a.txt` next to `a.jpg`).
  const imageDirs = new Set([...files].filter(isImagePath).map((p) => path.posix.dirname(p)));
  for (const rel of files) {
    if (!rel.endsWith('.txt') || expectedLabels.has(rel) || listFiles.has(rel)) continue;
    if (rel === 'classes.txt' || rel.endsWith('/classes.txt')) continue;
    const at = `/${rel}`.lastIndexOf('/labels/');
    if (at < 0) {
      const stem = rel.slice(0, -'.txt'.length);
      const besideImages = imageDirs.has(path.posix.dirname(rel));
      if (besideImages && ![...IMAGE_EXTENSIONS].some((ext) => files.has(`${stem}.${ext}`))) {
        out.add('error', path.join(root, rel), `label without an image (no ${stem}.{jpg,png,...})`);
      }
      continue;
    }
    const stem = `/${rel}`.slice(0, -'.txt'.length);
    const imageStem = `${stem.slice(0, at)}/images/${stem.slice(at + '/labels/'.length)}`.slice(1);
    const image = [...IMAGE_EXTENSIONS]
      .map((ext) => `${imageStem}.${ext}`)
      .find((p) => files.has(p));
    if (image) {
      out.add(
        'warning',
        path.join(root, rel),
        `its image ${image} is in no split (train/val/test): unused`,
      );
    } else {
      out.add(
        'error',
        path.join(root, rel),
        `label without an image (no ${imageStem}.{jpg,png,...})`,
      );
    }
  }

  return { report: report(config, yamlShown, splitReports), root, membership };
}

/** Validates a dataset directory (or its yaml). Never throws for bad data: it is all in the report. */
export async function validateDataset(
  datasetPath: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  return (await inspectDataset(datasetPath, options)).report;
}
