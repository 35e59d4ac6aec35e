// Test helper: builds an output.tar.gz the way SageMaker packs /opt/ml/output/data (files at the
// archive root), using the tar library's writer on a temp directory.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create } from 'tar';

export function makeOutputArchive(
  files: Record<string, string>,
  options: { dotSlash?: boolean; gzip?: boolean } = {},
): Buffer {
  const dir = mkdtempSync(path.join(tmpdir(), 'output-archive-'));
  try {
    const src = path.join(dir, 'data');
    mkdirSync(src);
    const names = Object.keys(files);
    for (const name of names) {
      mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
      writeFileSync(path.join(src, name), files[name] as string);
    }
    const file = path.join(dir, 'output.tar.gz');
    create(
      { gzip: options.gzip ?? true, cwd: src, file, sync: true, portable: true },
      options.dotSlash ? ['.'] : names,
    );
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const METRICS_JSON = {
  schema: 1,
  map50: 0.8123,
  map50_95: 0.5602,
  precision: 0.9104,
  recall: 0.8611,
  epochs_completed: 3,
  best_epoch: 3,
  per_class: [
    {
      name: 'room',
      instances: 5120,
      ap50: 0.8123,
      ap50_95: 0.5602,
      precision: 0.9104,
      recall: 0.8611,
    },
  ],
  split: 'val',
  ultralytics_version: '8.3.40',
  imgsz: 640,
  model: 'yolov8m.pt',
};

export const RESULTS_CSV =
  'epoch,time,metrics/precision(B),metrics/recall(B),metrics/mAP50(B),metrics/mAP50-95(B)\n' +
  '1,30.1,0.5,0.4,0.45,0.3\n2,60.2,0.8,0.7,0.7,0.5\n3,90.3,0.91,0.86,0.8123,0.5602\n';
