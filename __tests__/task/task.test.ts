import { describe, expect, it } from '@jest/globals';
import { isYoloTask, modelForTask, namedTask, taskFromModel } from '../../src/task.js';

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
    // ultralytics also reads a folder named after a task, as runs/<task>/train/weights/ are
    ['runs/segment/train/weights/best.pt', 'segment'],
    ['runs\\pose\\best.pt', 'pose'],
    ['classify/best.pt', 'classify'],
    // the stem wins over the folder, and -seg over -pose (ultralytics' order)
    ['runs/pose/yolov8n-seg.pt', 'segment'],
    ['yolov8n-seg-pose.pt', 'segment'],
    ['best.pt', 'detect'],
  ])('%s -> %s', (model, task) => {
    expect(taskFromModel(model)).toBe(task);
  });

  it('knows the task names', () => {
    expect(isYoloTask('obb')).toBe(true);
    expect(isYoloTask('detection')).toBe(false);
  });
});

describe('namedTask', () => {
  it.each([
    ['yolov8m.pt', 'detect'],
    ['yolo11n.yaml', 'detect'],
    ['yolov5su.pt', 'detect'],
    ['runs/detect/train/weights/best.pt', 'detect'],
    ['yolo11n-obb.pt', 'obb'],
  ])('%s names %s', (model, task) => {
    expect(namedTask(model)).toBe(task);
  });

  it.each(['best.pt', 'weights/floorplans.pt', 'custom.yaml', 'rtdetr-l.pt'])(
    '%s names no task (only its checkpoint knows)',
    (model) => {
      expect(namedTask(model)).toBeUndefined();
    },
  );
});

describe('modelForTask', () => {
  it('swaps the task suffix of a release name', () => {
    expect(modelForTask('yolov8m.pt', 'segment')).toBe('yolov8m-seg.pt');
    expect(modelForTask('yolo11n-pose.yaml', 'classify')).toBe('yolo11n-cls.yaml');
    expect(modelForTask('yolov8s-obb.pt', 'detect')).toBe('yolov8s.pt');
    expect(modelForTask('best.pt', 'segment')).toBeUndefined();
  });
});
