// The validate stage: predicts what ultralytics 8.4.190 will do with a dataset, per finding:
// the run fails (error), an image is dropped ("ignoring corrupt image/label": a warning, counted
// per split) or ultralytics repairs something itself (a note). Thin I/O around the pure checkers
// in yaml.ts, labels.ts and images.ts; bounded concurrency.
import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ContentHashes } from '../content-hashes.js';
import type { ContentId, GitObjectFormat } from '../hash.js';
import type { YoloTask } from '../task.js';
import { validateClassifyDataset } from './classify.js';
import { mapLimit } from './concurrency.js';
import { DigestMapBuilder } from './digest-map.js';
import { checkDropLimit, DEFAULT_DROP_LIMIT, type DropLimit } from './dropped.js';
import { isWithin, toPosix, walkDataset, type WalkResult } from './files.js';
import {
  extensionOf,
  inspectImageFile,
  isImagePath,
  IMAGE_EXTENSIONS,
  type ImageFinding,
} from './images.js';
import { checkLabelText, MAX_LABEL_BYTES, type LineOutcome } from './labels.js';
import { pythonLines } from './pytext.js';
import {
  CLEAN_IMAGE,
  CleanLabels,
  usableResults,
  validationCacheKey,
  type CachedResult,
  type CleanLabel,
  type ValidationCache,
} from './validation-cache.js';
import {
  locateDataset,
  MAX_YAML_BYTES,
  parseDatasetYaml,
  SPLITS,
  type DatasetConfig,
  type SplitName,
  type SplitSource,
} from './yaml.js';

/** What ultralytics does because of a finding: fail the run, drop an image, fix it, or nothing. */
export type Outcome = LineOutcome;

export interface Finding {
  /** error = the run fails; warning = an image is dropped, or worth knowing; note = ultralytics fixes it. */
  severity: 'error' | 'warning' | 'note';
  outcome: Outcome;
  /** Short, stable rule name (e.g. `coordinate-above-1.01`). */
  rule: string;
  /** Relative to the working directory (the repository root in a workflow), `/`-separated. */
  file: string;
  line?: number;
  /** The split of the image concerned, where there is one. */
  split?: SplitName;
  message: string;
}

export interface ClassCount {
  id: number;
  name: string;
  instances: number;
}

export interface SplitCounts {
  images: number;
  /** Label files found for the images ultralytics keeps (empty ones included). */
  labels: number;
  /** Kept images with no label file or an empty one. */
  backgrounds: number;
  /** Label rows ultralytics keeps (duplicates removed). */
  instances: number;
  /** Images ultralytics would ignore ("ignoring corrupt image/label"). */
  dropped: number;
}

export interface SplitReport extends SplitCounts {
  split: SplitName;
  classes: ClassCount[];
}

export interface ValidationReport {
  /** The dataset argument as given. */
  dataset: string;
  /** The yaml used, relative to the working directory (absent when none was found or classify). */
  yaml?: string;
  task: YoloTask;
  names: string[];
  splits: SplitReport[];
  /** Totals over the splits. */
  summary: SplitCounts;
  /** Sorted by file, then line. At most maxFindings are kept; counts below are exact. */
  findings: Finding[];
  errors: number;
  warnings: number;
  notes: number;
  omittedFindings: number;
  seconds: number;
}

export interface ValidateOptions {
  /** Findings paths are relative to this (default process.cwd()). */
  cwd?: string;
  /** How the model reads the labels (default 'detect'); take it from `taskFromModel`. */
  task?: YoloTask;
  /** More dropped images than this fail the run (default 5%; `{ count: Infinity }` never). */
  maxDropped?: DropLimit;
  /** Files inspected at once (default 32). */
  concurrency?: number;
  /** Findings kept in the report (default 10,000); errors/warnings still count them all. */
  maxFindings?: number;
  /** Findings kept per label file (default 20). */
  maxFindingsPerFile?: number;
  /**
   * Clean results of an earlier run (e.g. the branch's last snapshot): a file whose content hash
   * is in it, under the same rules and settings, is not parsed again.
   */
  cache?: ValidationCache;
  /**
   * Content ids known without reading (git's, by absolute path): with a cached result, such a file
   * is not read at all, and the snapshot takes them as they are. Taken over, not copied: it
   * becomes the inspection's `hashes` (the files read are added to it), so 50k ids are held once.
   */
  knownHashes?: ContentHashes;
  /**
   * The object format of the git work tree holding the dataset: reads also take git blob ids
   * (knownHashes, when given, has its own).
   */
  gitFormat?: GitObjectFormat;
}

export interface DatasetInspection {
  report: ValidationReport;
  /** Snapshot root (absolute): the dataset directory, or the yaml's directory. */
  root?: string;
  /** Split of every image and label file, keyed by path relative to root. */
  membership: Map<string, SplitName>;
  /** The yaml as read (absent for classify, or when it could not be read). */
  config?: DatasetConfig;
  /**
   * Content ids of the files validation read whole or took from git, by absolute path:
   * buildSnapshot takes them instead of reading those files again (the upload still checks every
   * blob it sends).
   */
  hashes: ContentHashes;
  /** Clean results of this run's files under this run's key, to store for the next run. */
  cache?: ValidationCache;
  /** The walk of `root` (detect, segment, pose, obb), for the snapshot: one walk, not two. */
  walk?: WalkResult;
}

export function emptyCounts(): SplitCounts {
  return { images: 0, labels: 0, backgrounds: 0, instances: 0, dropped: 0 };
}

export function sumCounts(splits: readonly SplitCounts[]): SplitCounts {
  const total = emptyCounts();
  for (const s of splits) {
    total.images += s.images;
    total.labels += s.labels;
    total.backgrounds += s.backgrounds;
    total.instances += s.instances;
    total.dropped += s.dropped;
  }
  return total;
}

const SEVERITY: Record<Outcome, Finding['severity']> = {
  fail: 'error',
  drop: 'warning',
  keep: 'warning',
  fix: 'note',
};

/** ultralytics' img2label_paths on a root-relative path: last /images/ -> /labels/, suffix -> .txt. */
export function labelPathFor(imageRel: string): string {
  // On the path with a leading slash, as ultralytics sees an absolute one; the slash is cut from
  // the pieces rather than the result, which would keep every label path a slice of a longer string.
  const withSlash = `/${imageRel}`;
  const at = withSlash.lastIndexOf('/images/');
  const swapped =
    at < 0
      ? imageRel
      : `${imageRel.slice(0, Math.max(0, at - 1))}${at > 0 ? '/' : ''}labels/${imageRel.slice(at + 'images/'.length)}`;
  const slash = swapped.lastIndexOf('/');
  const dot = swapped.lastIndexOf('.');
  return `${dot > slash ? swapped.slice(0, dot) : swapped}.txt`;
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export class Collector {
  findings: Finding[] = [];
  errors = 0;
  warnings = 0;
  notes = 0;
  omitted = 0;
  /** Drop findings per rule (exact, even when findings are capped). */
  dropRules = new Map<string, number>();
  constructor(
    private readonly cwd: string,
    private readonly max: number,
  ) {}
  display(abs: string): string {
    return toPosix(path.relative(this.cwd, abs)) || '.';
  }
  /** `counted: false` for remarks about other findings (they are not findings themselves). */
  add(
    outcome: Outcome,
    rule: string,
    abs: string,
    message: string,
    extra: { line?: number | undefined; split?: SplitName | undefined } = {},
    counted = true,
  ): void {
    const severity = SEVERITY[outcome];
    if (counted && severity === 'error') this.errors++;
    else if (counted && severity === 'warning') this.warnings++;
    else if (counted) this.notes++;
    if (counted && outcome === 'drop')
      this.dropRules.set(rule, (this.dropRules.get(rule) ?? 0) + 1);
    if (this.findings.length >= this.max) {
      this.omitted++;
      return;
    }
    this.findings.push({
      severity,
      outcome,
      rule,
      file: this.display(abs),
      ...(extra.line ? { line: extra.line } : {}),
      ...(extra.split ? { split: extra.split } : {}),
      message,
    });
  }
  /** Findings a checker counted but did not keep: counted here too, so totals stay exact. */
  count(outcome: Outcome, rule: string, n: number): void {
    const severity = SEVERITY[outcome];
    if (severity === 'error') this.errors += n;
    else if (severity === 'warning') this.warnings += n;
    else this.notes += n;
    if (outcome === 'drop') this.dropRules.set(rule, (this.dropRules.get(rule) ?? 0) + n);
  }
  error(abs: string, message: string, line?: number, rule = 'dataset'): void {
    this.add('fail', rule, abs, message, { line });
  }
}

interface WalkIndex {
  files: Set<string>;
  byDir: (relDir: string) => string[];
  leavesRoot: (rel: string) => boolean;
}

/** Image entries of a split: found ones (relative to root) and list entries that do not exist. */
interface SourceImages {
  images: string[];
  /** `.txt` list entries whose image is missing: ultralytics cannot open them and drops them. */
  missing: { list: string; line: number; entry: string }[];
}

async function exists(abs: string): Promise<boolean> {
  return (await fs.stat(abs).catch(() => undefined)) !== undefined;
}

/** Images listed by one split source (a directory or a .txt list), as get_img_files collects them. */
async function imagesOfSource(
  source: SplitSource,
  split: SplitName,
  root: string,
  yamlPath: string,
  walk: WalkIndex,
  out: Collector,
): Promise<SourceImages> {
  const none: SourceImages = { images: [], missing: [] };
  let abs = source.abs;
  // check_det_dataset: `path / x`, and when that does not exist and x starts with '../', `path / x[3:]`.
  // Outside the snapshot the first form never exists on the training machine.
  if (source.fallback && (!isInside(root, abs) || !(await exists(abs)))) {
    out.add(
      'fix',
      'split-dotdot-fallback',
      yamlPath,
      `${split}: '${source.value}' does not exist, so ultralytics reads '${source.value.slice(3)}' (its '../' retry, the form Roboflow exports write)`,
      { line: source.line },
    );
    abs = source.fallback;
  }
  if (!isInside(root, abs)) {
    out.error(
      yamlPath,
      `${split}: '${source.value}' is outside the dataset directory ${out.display(root)}; the snapshot only holds files under it`,
      source.line,
      'split-outside-dataset',
    );
    return none;
  }
  const stat = await fs.stat(abs).catch(() => undefined);
  // ultralytics checks only val before training and never reads test while training: a missing
  // test split is reported once, below, as a split without images.
  if (!stat && split === 'test') return none;
  if (!stat) {
    out.error(
      yamlPath,
      `${split}: '${source.value}' not found (resolved to ${out.display(abs)}): ultralytics stops with "images not found"`,
      source.line,
      'split-not-found',
    );
    return none;
  }
  const rel = toPosix(path.relative(root, abs));
  if (stat.isDirectory()) return { images: walk.byDir(rel).filter(isImagePath), missing: [] };
  if (extensionOf(abs) !== 'txt') {
    out.error(
      yamlPath,
      `${split}: '${source.value}' is a file but not a .txt list of images`,
      source.line,
      'split-not-a-list',
    );
    return none;
  }
  if (!walk.files.has(rel)) {
    // Through a link out of the root (already an error, and never read) or left out of the walk.
    if (!walk.leavesRoot(rel)) {
      out.error(
        yamlPath,
        `${split}: '${source.value}' is not in the snapshot (hidden names, *.cache files and folders already reached through another link are left out), so training would not find it`,
        source.line,
        'split-not-in-snapshot',
      );
    }
    return none;
  }

  // A .txt list (utf-8-sig): './x' is relative to the list's directory; other relative or absolute
  // entries depend on the training machine's working directory or layout.
  const listDir = path.dirname(abs);
  let text = await fs.readFile(abs, 'utf8');
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const result: SourceImages = { images: [], missing: [] };
  for (const { line, text: rawLine } of pythonLines(text)) {
    const entry = rawLine.trim();
    if (!IMAGE_EXTENSIONS.has(extensionOf(entry))) {
      out.add(
        'keep',
        'list-entry-not-an-image',
        abs,
        `'${entry}' is not an image suffix ultralytics reads: ignored`,
        { line },
      );
      continue;
    }
    if (!entry.startsWith('./')) {
      out.error(
        abs,
        `'${entry}' must start with './' (relative to this list's directory): other paths depend on the training machine`,
        line,
        'list-entry-not-relative',
      );
      continue;
    }
    const imageAbs = path.resolve(listDir, entry);
    const imageRel = toPosix(path.relative(root, imageAbs));
    if (!isInside(root, imageAbs)) {
      out.error(
        abs,
        `'${entry}' is outside the dataset directory`,
        line,
        'list-entry-outside-dataset',
      );
    } else if (!walk.files.has(imageRel)) {
      result.missing.push({ list: abs, line, entry });
    } else result.images.push(imageRel);
  }
  return result;
}

function outsideMessage(root: string): string {
  return `is a symbolic link that resolves outside the dataset directory ${root}: it is neither read nor uploaded (copy the file into the dataset instead)`;
}

/** Per-split tallies while images are checked. */
interface SplitTally extends SplitCounts {
  totals: Map<number, number>;
  /** Kept label files read as boxes / as polygons (segment and obb models need polygons). */
  boxFiles: number;
  segmentFiles: number;
  /** Label files found for images whose image check passed, corrupt ones included (ultralytics' nf). */
  labelFiles: number;
  firstBoxFile?: string;
}

// ignoreBOM keeps a byte order mark in the text: labels.ts strips exactly one, as utf-8-sig does.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

async function checkImageAndLabel(
  imageRel: string,
  split: SplitName,
  ctx: {
    root: string;
    files: Set<string>;
    config: DatasetConfig;
    task: YoloTask;
    maxFindingsPerFile: number;
    membership: Map<string, SplitName>;
    expectedLabels: Set<string>;
    out: Collector;
    hashes: ContentHashes;
    cached: ReadonlyMap<string, CachedResult>;
    results: DigestMapBuilder<CachedResult>;
    cleanLabels: CleanLabels;
    /** Files git vouches for, with the ids of its index: read only when not judged before. */
    known: (abs: string) => ContentId | undefined;
  },
  tally: SplitTally,
): Promise<void> {
  const { root, out } = ctx;
  if (!ctx.membership.has(imageRel)) ctx.membership.set(imageRel, split);
  const imageAbs = path.join(root, imageRel);
  const labelRel = labelPathFor(imageRel);
  ctx.expectedLabels.add(labelRel);
  const hasLabel = ctx.files.has(labelRel);
  if (hasLabel && !ctx.membership.has(labelRel)) ctx.membership.set(labelRel, split);

  const knownImage = ctx.known(imageAbs);
  let findings: ImageFinding[] = [];
  if (knownImage && ctx.cached.get(knownImage.sha256)?.kind === 'image') {
    ctx.results.set(knownImage.sha256, CLEAN_IMAGE);
  } else {
    findings = (await inspectImageFile(imageAbs, ctx.hashes)).findings;
    const read = ctx.hashes.get(imageAbs);
    if (read && findings.length === 0) ctx.results.set(read.sha256, CLEAN_IMAGE);
  }
  let dropped = false;
  for (const f of findings) {
    out.add(f.outcome, f.rule, imageAbs, f.message, { split });
    if (f.outcome === 'drop') dropped = true;
  }
  // check_image raises before the label is read: nothing of it counts.
  if (dropped) {
    tally.dropped++;
    return;
  }
  if (!hasLabel) {
    tally.backgrounds++;
    return;
  }
  tally.labelFiles++;
  const labelAbs = path.join(root, labelRel);
  const knownLabel = ctx.known(labelAbs);
  const cachedLabel = knownLabel && ctx.cached.get(knownLabel.sha256);
  if (knownLabel && cachedLabel?.kind === 'label') {
    ctx.results.set(knownLabel.sha256, cachedLabel);
    countCleanLabel(tally, cachedLabel, labelAbs);
    return;
  }
  let text: string;
  let sha256: string;
  try {
    // Synchronous: the promise API costs a thread-pool round trip per stat, open, read and close.
    const stat = statSync(labelAbs);
    if (stat.size > MAX_LABEL_BYTES) {
      out.error(
        labelAbs,
        `label file is ${stat.size} bytes; this validator reads at most ${MAX_LABEL_BYTES} (no real label file comes near it)`,
        undefined,
        'label-file-too-large',
      );
      return;
    }
    const bytes = readFileSync(labelAbs);
    sha256 = ctx.hashes.record(labelAbs, bytes).sha256;
    const hit = ctx.cached.get(sha256);
    if (hit?.kind === 'label') {
      ctx.results.set(sha256, hit);
      countCleanLabel(tally, hit, labelAbs);
      return;
    }
    try {
      text = UTF8.decode(bytes);
    } catch {
      out.add(
        'drop',
        'label-not-utf8',
        labelAbs,
        'label file is not valid UTF-8: ultralytics ignores the image',
        { split },
      );
      tally.dropped++;
      return;
    }
  } catch (error) {
    out.error(
      labelAbs,
      `cannot read label file: ${(error as Error).message}`,
      undefined,
      'label-unreadable',
    );
    return;
  }
  const checked = checkLabelText(text, {
    nc: ctx.config.names.length,
    task: ctx.task,
    ...(ctx.config.kptShape ? { kptShape: ctx.config.kptShape } : {}),
    maxFindings: ctx.maxFindingsPerFile,
  });
  for (const f of checked.findings)
    out.add(f.outcome, f.rule, labelAbs, f.message, { line: f.line, split });
  for (const o of checked.omittedByRule.values()) out.count(o.outcome, o.rule, o.count);
  if (checked.omitted > 0) {
    out.add(
      'keep',
      'more-findings',
      labelAbs,
      `and ${checked.omitted} more finding(s) in this file`,
      {},
      false,
    );
  }
  if (checked.failed) return;
  if (checked.dropped) {
    tally.dropped++;
    return;
  }
  const clean = ctx.cleanLabels.of(checked.rows, [...checked.instances], checked.segments);
  // Only a file without findings is cached: findings are always reported from a fresh check.
  if (checked.findings.length === 0 && checked.omitted === 0) ctx.results.set(sha256, clean);
  countCleanLabel(tally, clean, labelAbs);
}

/** What a label file that ultralytics keeps adds to its split's tally. */
function countCleanLabel(tally: SplitTally, label: CleanLabel, labelAbs: string): void {
  tally.labels++;
  if (label.rows === 0) {
    tally.backgrounds++;
    return;
  }
  tally.instances += label.rows;
  for (const [id, n] of label.instances) tally.totals.set(id, (tally.totals.get(id) ?? 0) + n);
  if (label.segments) tally.segmentFiles++;
  else {
    tally.boxFiles++;
    tally.firstBoxFile ??= labelAbs;
  }
}

/** What ultralytics decides per split once every image was verified (dataset.py get_labels). */
function judgeSplit(
  split: SplitName,
  tally: SplitTally,
  task: YoloTask,
  yamlPath: string,
  out: Collector,
): void {
  const kept = tally.images - tally.dropped;
  // The trainer builds train and val; test only when someone validates on it.
  const built = split !== 'test';
  if (tally.images > 0 && kept === 0) {
    if (built) {
      out.error(
        yamlPath,
        `${split}: ultralytics would drop all ${tally.images} image(s) and stop ("No valid images found")`,
        undefined,
        'no-valid-images',
      );
    } else out.add('keep', 'no-valid-images', yamlPath, `${split}: every image would be dropped`);
    return;
  }
  if (split === 'train' && kept > 0 && tally.labelFiles === 0) {
    out.error(
      yamlPath,
      `train: none of its ${kept} image(s) has a label file ("No labels found"): check the labels/ folders`,
      undefined,
      'no-labels',
    );
  }
  if ((task === 'segment' || task === 'obb') && tally.boxFiles > 0 && built) {
    out.error(
      tally.firstBoxFile ?? yamlPath,
      `${split}: ${tally.boxFiles} label file(s) hold box rows (5 values), this one first: a ${task} model needs ${task === 'obb' ? 'oriented boxes (class + 4 x y pairs)' : 'polygons'} in every file (ultralytics stops: "requires equal numbers of boxes and segments")`,
      undefined,
      'boxes-for-' + task,
    );
  }
  if (task === 'detect' && tally.boxFiles > 0 && tally.segmentFiles > 0) {
    out.add(
      'fix',
      'mixed-boxes-and-polygons',
      yamlPath,
      `${split}: ${tally.segmentFiles} label file(s) hold polygons and ${tally.boxFiles} boxes: a detect model uses the boxes of both`,
    );
  }
}

export async function inspectDataset(
  datasetPath: string,
  options: ValidateOptions = {},
): Promise<DatasetInspection> {
  const started = performance.now();
  const cwd = options.cwd ?? process.cwd();
  const task = options.task ?? 'detect';
  const concurrency = options.concurrency ?? 32;
  const out = new Collector(cwd, options.maxFindings ?? 10_000);
  const membership = new Map<string, SplitName>();
  const hashes = options.knownHashes ?? new ContentHashes(options.gitFormat);
  const report = (
    names: string[] = [],
    yaml?: string,
    splits: SplitReport[] = [],
  ): ValidationReport => {
    const summary = sumCounts(splits);
    const verdict = checkDropLimit(
      summary,
      options.maxDropped ?? DEFAULT_DROP_LIMIT,
      out.dropRules,
    );
    if (verdict)
      out.error(path.resolve(cwd, datasetPath), verdict, undefined, 'max-dropped-images');
    out.findings.sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
    );
    return {
      dataset: datasetPath,
      ...(yaml ? { yaml } : {}),
      task,
      names,
      splits,
      summary,
      findings: out.findings,
      errors: out.errors,
      warnings: out.warnings,
      notes: out.notes,
      omittedFindings: out.omitted,
      seconds: (performance.now() - started) / 1000,
    };
  };

  if (task === 'classify') {
    const done = await validateClassifyDataset(path.resolve(cwd, datasetPath), {
      out,
      concurrency,
      membership,
      hashes,
    });
    return {
      report: report(done.names, undefined, done.splits),
      ...(done.root ? { root: done.root } : {}),
      membership,
      hashes,
    };
  }

  let location;
  try {
    location = await locateDataset(path.resolve(cwd, datasetPath));
  } catch (error) {
    out.error(path.resolve(cwd, datasetPath), (error as Error).message);
    return { report: report(), membership, hashes };
  }
  const { root, yamlPath } = location;
  for (const ignored of location.ignoredYamls) {
    out.add('keep', 'ignored-yaml', ignored, `ignored: ${out.display(yamlPath)} is used`);
  }
  // A yaml linked to a file outside the dataset is never read: its errors could echo the file.
  if (!isWithin(await fs.realpath(root), await fs.realpath(yamlPath))) {
    out.error(yamlPath, outsideMessage(out.display(root)));
    return { report: report(), root, membership, hashes };
  }
  const yamlSize = (await fs.stat(yamlPath)).size;
  if (yamlSize > MAX_YAML_BYTES) {
    out.error(
      yamlPath,
      `the yaml is ${yamlSize} bytes; this validator reads at most ${MAX_YAML_BYTES}`,
      undefined,
      'yaml-too-large',
    );
    return { report: report(), root, membership, hashes };
  }
  const parsed = parseDatasetYaml(await fs.readFile(yamlPath, 'utf8'), yamlPath);
  for (const f of parsed.findings) {
    const outcome: Outcome =
      f.severity === 'error' ? 'fail' : f.severity === 'note' ? 'fix' : 'keep';
    out.add(outcome, 'yaml', yamlPath, f.message, { line: f.line });
  }
  const config = parsed.config;
  const yamlShown = out.display(yamlPath);
  if (!config) return { report: report(undefined, yamlShown), root, membership, hashes };
  if (task === 'pose' && !config.kptShape) {
    out.error(
      yamlPath,
      "a pose model needs 'kpt_shape: [keypoints, 2 or 3]' in the yaml (ultralytics stops without it)",
      undefined,
      'pose-needs-kpt-shape',
    );
    return { report: report(config.names, yamlShown), root, membership, hashes };
  }

  if (!isInside(root, config.datasetRoot)) {
    out.error(
      yamlPath,
      `path resolves to ${out.display(config.datasetRoot)}, outside the dataset directory ${out.display(root)}: use a path relative to the yaml (e.g. '.'); the training container rewrites it`,
    );
    return { report: report(config.names, yamlShown), root, membership, hashes };
  }
  if (!(await fs.stat(config.datasetRoot).catch(() => undefined))?.isDirectory()) {
    out.error(yamlPath, `path ${out.display(config.datasetRoot)} is not a directory`);
    return { report: report(config.names, yamlShown), root, membership, hashes };
  }

  const maxFindingsPerFile = options.maxFindingsPerFile ?? 20;
  const cacheKey = validationCacheKey({
    task,
    names: config.names,
    ...(config.kptShape ? { kptShape: config.kptShape } : {}),
    maxFindingsPerFile,
  });
  const cached = usableResults(options.cache, cacheKey);
  const results = new DigestMapBuilder<CachedResult>();
  const cleanLabels = new CleanLabels();
  const walkResult = await walkDataset(root);
  const { files: walked, outside } = walkResult;
  // Every file walked gets a content id: room for all at once (absolute paths as keys).
  hashes.reserve(walked.length, Buffer.byteLength(root) + 40);
  for (const link of outside) out.error(link.abs, outsideMessage(out.display(root)));
  const outsideRels = outside.map((f) => f.rel);
  const walk: WalkIndex = {
    files: new Set(walked.map((f) => f.rel)),
    leavesRoot: (rel) => outsideRels.some((o) => rel === o || rel.startsWith(`${o}/`)),
    byDir: (relDir) => {
      const prefix = relDir === '' ? '' : `${relDir}/`;
      return walked.filter((f) => f.rel.startsWith(prefix)).map((f) => f.rel);
    },
  };
  const files = walk.files;

  // Images per split, as ultralytics would collect them (a sorted list; an image listed twice is
  // read twice).
  const imagesBySplit = new Map<SplitName, string[]>();
  const missingBySplit = new Map<SplitName, SourceImages['missing']>();
  const listFiles = new Set<string>();
  for (const split of SPLITS) {
    const sources = config.splits[split];
    if (!sources) continue;
    const images: string[] = [];
    const missing: SourceImages['missing'] = [];
    for (const source of sources) {
      for (const candidate of [source.abs, source.fallback]) {
        if (candidate && isInside(root, candidate))
          listFiles.add(toPosix(path.relative(root, candidate)));
      }
      const found = await imagesOfSource(source, split, root, yamlPath, walk, out);
      for (const image of found.images) images.push(image);
      for (const m of found.missing) missing.push(m);
    }
    if (images.length + missing.length === 0 && split === 'test') {
      out.add(
        'keep',
        'test-split-without-images',
        yamlPath,
        `test has no images (${sources.map((s) => `'${s.value}'`).join(', ')}): ultralytics trains without it (it checks only val), and the job reports val metrics`,
        { line: sources[0]?.line },
      );
      continue;
    }
    if (images.length + missing.length === 0) {
      out.error(
        yamlPath,
        `${split} has no images (${sources.map((s) => `'${s.value}'`).join(', ')}): ultralytics stops with "No images found"`,
        sources[0]?.line,
        'split-without-images',
      );
    }
    imagesBySplit.set(split, images.sort());
    missingBySplit.set(split, missing);
  }

  // The same image in two splits leaks evaluation data into training.
  for (const [split, images] of imagesBySplit) {
    for (const other of SPLITS) {
      if (other === split || SPLITS.indexOf(other) > SPLITS.indexOf(split)) continue;
      const earlier = new Set(imagesBySplit.get(other) ?? []);
      const shared = images.filter((img) => earlier.has(img));
      if (shared.length > 0) {
        out.add(
          'keep',
          'image-in-two-splits',
          yamlPath,
          `${shared.length} image(s) of ${split} are also in ${other} (e.g. ${shared[0]})`,
        );
      }
    }
  }

  const splitReports: SplitReport[] = [];
  const expectedLabels = new Set<string>();
  for (const [split, images] of imagesBySplit) {
    const missing = missingBySplit.get(split) ?? [];
    const tally: SplitTally = {
      ...emptyCounts(),
      images: images.length + missing.length,
      dropped: missing.length,
      totals: new Map(),
      boxFiles: 0,
      segmentFiles: 0,
      labelFiles: 0,
    };
    for (const m of missing) {
      out.add(
        'drop',
        'list-entry-missing',
        m.list,
        `image '${m.entry}' not found: ultralytics ignores it`,
        { line: m.line, split },
      );
    }
    const ctx = {
      root,
      files,
      config,
      task,
      maxFindingsPerFile,
      membership,
      expectedLabels,
      out,
      hashes,
      cached,
      results,
      cleanLabels,
      // `hashes` is the known store itself: a file read earlier in this run is known too.
      known: (abs: string) => (options.knownHashes ? hashes.get(abs) : undefined),
    };
    await mapLimit(images, concurrency, (imageRel) =>
      checkImageAndLabel(imageRel, split, ctx, tally),
    );
    judgeSplit(split, tally, task, yamlPath, out);
    splitReports.push({
      split,
      images: tally.images,
      labels: tally.labels,
      backgrounds: tally.backgrounds,
      instances: tally.instances,
      dropped: tally.dropped,
      classes: config.names.map((name, id) => ({ id, name, instances: tally.totals.get(id) ?? 0 })),
    });
  }

  // Label files that no split image claims: under a labels/ folder, or beside images (the flat
  // layout, where ultralytics reads `a.txt` next to `a.jpg`).
  const imageDirs = new Set<string>();
  for (const rel of files) if (isImagePath(rel)) imageDirs.add(path.posix.dirname(rel));
  for (const rel of files) {
    if (!rel.endsWith('.txt') || expectedLabels.has(rel) || listFiles.has(rel)) continue;
    if (rel === 'classes.txt' || rel.endsWith('/classes.txt')) continue;
    const at = `/${rel}`.lastIndexOf('/labels/');
    if (at < 0) {
      const stem = rel.slice(0, -'.txt'.length);
      const besideImages = imageDirs.has(path.posix.dirname(rel));
      if (besideImages && ![...IMAGE_EXTENSIONS].some((ext) => files.has(`${stem}.${ext}`))) {
        out.error(
          path.join(root, rel),
          `label without an image (no ${stem}.{jpg,png,...})`,
          undefined,
          'label-without-image',
        );
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
        'keep',
        'image-in-no-split',
        path.join(root, rel),
        `its image ${image} is in no split (train/val/test): unused`,
      );
    } else {
      out.error(
        path.join(root, rel),
        `label without an image (no ${imageStem}.{jpg,png,...})`,
        undefined,
        'label-without-image',
      );
    }
  }
  return {
    report: report(config.names, yamlShown, splitReports),
    root,
    membership,
    config,
    hashes,
    cache: { key: cacheKey, results: results.done() },
    walk: walkResult,
  };
}

/** Validates a dataset directory (or its yaml). Never throws for bad data: it is all in the report. */
export async function validateDataset(
  datasetPath: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  return (await inspectDataset(datasetPath, options)).report;
}
