import { describe, expect, it } from '@jest/globals';
import { isYoloTask, taskFromModel } from '../../src/task.js';

describe('taskFromModel', () => {
  it.each([
    ['yolov8n.pt', 'detect'],
    ['yolov8m.yaml', 'detect'],
    ['yolov8n-seg.pt', 'segment'],
    ['yolov8n-seg.yaml', 'segment'],
    ['yolov8s-obb.pt', 'obb'],
    ['yolov8n-pose.yaml', 'pose'],
    ['yolov8x-cls.pt', 'classify'],
    ['weights/custom-seg-v2.pt', 'segment'],
    ['YOLOV8N-POSE.PT', 'pose'],
    ['models/seg/yolov8n.pt', 'detect'],
  ])('%s -> %s', (model, task) => {
    expect(taskFromModel(model)).toBe(task);
  });

  it('knows the task names', () => {
    expect(isYoloTask('obb')).toBe(true);
    expect(isYoloTask('detection')).toBe(false);
  });
});
