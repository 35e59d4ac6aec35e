import { describe, expect, it } from '@jest/globals';
import { BASE, load, problemsOf } from './helpers.js';

const config = (inputs: Record<string, string>) => load({ ...BASE, ...inputs });
const problems = (inputs: Record<string, string>) => problemsOf({ ...BASE, ...inputs });

describe('task input', () => {
  it('defaults to the task the model name names, and sends it to the job', () => {
    expect(config({}).task).toBe('detect'); // the default model, yolov8m.pt
    const seg = config({ model: 'yolov8s-seg.pt' });
    expect(seg.task).toBe('segment');
    expect(seg.hyperparameters).toMatchObject({ model: 'yolov8s-seg.pt', task: 'segment' });
    expect(config({ model: 'runs/pose/best.pt' }).task).toBe('pose');
  });

  it('takes the task for a model whose name names none', () => {
    const custom = config({ model: 'weights/floorplans-best.pt', task: 'obb' });
    expect(custom.task).toBe('obb');
    expect(custom.hyperparameters.task).toBe('obb');
  });

  it('accepts a task that agrees with the model name', () => {
    expect(config({ model: 'yolo11n-cls.yaml', task: 'classify' }).task).toBe('classify');
  });

  it('rejects a task the model name contradicts, naming both inputs, the values and the rule', () => {
    expect(problems({ model: 'yolov8n-seg.pt', task: 'pose' })).toEqual([
      'task: "pose" disagrees with model "yolov8n-seg.pt", a segment model by its name (ultralytics trains the model\'s task; -seg, -obb, -pose and -cls name one, other release names are detect): use model "yolov8n-pose.pt", or leave task empty',
    ]);
    // the default model is a detect release
    const [problem] = problems({ task: 'segment' });
    expect(problem).toMatch(/^task: "segment" disagrees with model "yolov8m\.pt", a detect model/);
    expect(problem).toContain('use model "yolov8m-seg.pt"');
    const [custom] = problems({ model: 'runs/obb/best.pt', task: 'detect' });
    expect(custom).toContain('use a detect model, or leave task empty');
  });

  it('rejects an unknown task', () => {
    expect(problems({ task: 'segmentation' })).toEqual([
      'task: "segmentation" must be one of detect, segment, obb, pose, classify',
    ]);
  });

  it('is its own input, not a key of hyperparameters', () => {
    expect(problems({ hyperparameters: 'task: segment' })).toEqual([
      'hyperparameters: "task" (value "segment") has its own input: use the task input instead',
    ]);
  });
});

describe('thresholds per task', () => {
  it('gates classify on top1-threshold, and drops the default map50-threshold for it', () => {
    expect(config({ model: 'yolov8n-cls.pt' }).thresholds).toEqual([]);
    expect(config({ model: 'yolov8n-cls.pt', 'top1-threshold': '0.9' }).thresholds).toEqual([
      { metric: 'top1', min: 0.9, input: 'top1-threshold' },
    ]);
  });

  it('rejects an mAP threshold given for classify', () => {
    expect(problems({ model: 'yolov8n-cls.pt', 'recall-threshold': '0.5' })).toEqual([
      'recall-threshold: "0.5" does not apply to task classify, which reports top-1/top-5 accuracy rather than mAP, precision and recall: use top1-threshold',
    ]);
  });

  it('rejects top1-threshold for a task other than classify', () => {
    expect(problems({ model: 'yolov8n-seg.pt', 'top1-threshold': '0.5' })).toEqual([
      'top1-threshold: "0.5" applies only to task classify (task is segment): use map50-threshold, map50-95-threshold, precision-threshold or recall-threshold',
    ]);
  });

  it('checks top1-threshold like the others', () => {
    expect(problems({ task: 'classify', model: 'x.pt', 'top1-threshold': '1.5' })).toEqual([
      'top1-threshold: "1.5" must be a number from 0 to 1 (e.g. 0.85)',
    ]);
  });

  it('keeps the mAP thresholds for segment (they read its masks)', () => {
    expect(config({ model: 'yolov8n-seg.pt' }).thresholds).toEqual([
      { metric: 'map50', min: 0.85, input: 'map50-threshold' },
    ]);
  });
});
