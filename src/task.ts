// The ultralytics task a job trains. Ultralytics decides it from the model: a weights or config
// file named `*-seg*`, `*-obb*`, `*-pose*` or `*-cls*` is that task, anything else detects. The
// action reads it the same way so the dataset is validated as the model will read it.

export const TASKS = ['detect', 'segment', 'obb', 'pose', 'classify'] as const;
export type YoloTask = (typeof TASKS)[number];

const SUFFIXES: ReadonlyArray<readonly [string, YoloTask]> = [
  ['-seg', 'segment'],
  ['-obb', 'obb'],
  ['-pose', 'pose'],
  ['-cls', 'classify'],
];

/** The task ultralytics infers from a model name or path such as `yolov8n-seg.pt`. */
export function taskFromModel(model: string): YoloTask {
  const base = model.split(/[\\/]/).pop() ?? model;
  const stem = base.replace(/\.(pt|yaml|yml)$/i, '').toLowerCase();
  for (const [suffix, task] of SUFFIXES) {
    if (stem.includes(suffix)) return task;
  }
  return 'detect';
}

export function isYoloTask(value: string): value is YoloTask {
  return (TASKS as readonly string[]).includes(value);
}
