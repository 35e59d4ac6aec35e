// The ultralytics task a job trains. Ultralytics decides it from the model: a checkpoint carries
// its task, a model yaml has its task's head, and a file name is read by `guess_model_task`
// (ultralytics/nn/tasks.py): a stem containing `-seg`, `-cls`, `-pose` or `-obb` (tested in that
// order), or a folder named `segment`, `classify`, `pose`, `obb` or `detect`. The action reads the
// name the same way, so the dataset is validated as the model will read it.

export const TASKS = ['detect', 'segment', 'obb', 'pose', 'classify'] as const;
export type YoloTask = (typeof TASKS)[number];

/** In ultralytics' order: the first match wins. */
const SUFFIXES: ReadonlyArray<readonly [string, YoloTask]> = [
  ['-seg', 'segment'],
  ['-cls', 'classify'],
  ['-pose', 'pose'],
  ['-obb', 'obb'],
];
const FOLDERS: readonly YoloTask[] = ['segment', 'classify', 'pose', 'obb', 'detect'];

/**
 * An ultralytics release name without a task suffix (yolov8m.pt, yolo11n.yaml, yolov5su.pt):
 * those checkpoints and yamls are detection models, whatever ultralytics' name rule says.
 */
const DETECT_RELEASE = /^yolo(?:v\d+|\d+)[a-z]{0,2}\.(?:pt|ya?ml)$/;

/**
 * The task a model name names, or undefined when the name says nothing (e.g. a custom `best.pt`,
 * whose task only its checkpoint knows).
 */
export function namedTask(model: string): YoloTask | undefined {
  const parts = model.toLowerCase().split(/[\\/]/);
  const base = parts.pop() ?? '';
  const stem = base.includes('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  for (const [suffix, task] of SUFFIXES) {
    if (stem.includes(suffix)) return task;
  }
  const folder = FOLDERS.find((task) => parts.includes(task));
  if (folder) return folder;
  return DETECT_RELEASE.test(base) ? 'detect' : undefined;
}

/** The task ultralytics infers from a model name or path such as `yolov8n-seg.pt` (default detect). */
export function taskFromModel(model: string): YoloTask {
  return namedTask(model) ?? 'detect';
}

export function isYoloTask(value: string): value is YoloTask {
  return (TASKS as readonly string[]).includes(value);
}

/** The model of the same release and size for another task: yolov8m.pt -> yolov8m-seg.pt. */
export function modelForTask(model: string, task: YoloTask): string | undefined {
  const m = /^(yolo(?:v\d+|\d+)[a-z]{0,2})(?:-(?:seg|cls|pose|obb))?(\.(?:pt|ya?ml))$/i.exec(model);
  if (!m) return undefined;
  const suffix = { detect: '', segment: '-seg', obb: '-obb', pose: '-pose', classify: '-cls' }[
    task
  ];
  return `${m[1]}${suffix}${m[2]}`;
}

/** A block of ultralytics' validation metrics: boxes (B), masks (M) or keypoints (P). */
export type MetricKind = 'box' | 'mask' | 'pose';

/** The mAP blocks each task reports, primary first; classify reports top-1/top-5 instead. */
export const METRIC_KINDS: Readonly<Record<YoloTask, readonly MetricKind[]>> = {
  detect: ['box'],
  segment: ['mask', 'box'],
  obb: ['box'],
  pose: ['box', 'pose'],
  classify: [],
};

/** The block the gate reads: masks for segment, boxes otherwise; undefined for classify. */
export function primaryKind(task: YoloTask): MetricKind | undefined {
  return METRIC_KINDS[task][0];
}

export const KIND_LABELS: Readonly<Record<MetricKind, string>> = {
  box: 'boxes',
  mask: 'masks',
  pose: 'keypoints',
};

/** The results.csv column suffix of each block. */
export const KIND_SUFFIXES: Readonly<Record<MetricKind, string>> = {
  box: '(B)',
  mask: '(M)',
  pose: '(P)',
};
