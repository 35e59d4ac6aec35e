// One real training run through the local backend: the actual training-container/train.py on a
// tiny generated floor-plan dataset (16 images, imgsz 64, 1 epoch, yolov8n from its yaml, CPU),
// data delivered as a content-addressed snapshot from moto S3, archives read back from S3.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../../src/aws.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import { createLocalBackend } from '../../src/training/local.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  extractFromS3,
  makeConfig,
  quietLog,
  readTree,
  uploadSnapshot,
  useEnv,
} from './fixtures.js';

const ROOT = process.cwd();
const TRAIN_PY = path.join(ROOT, 'training-container', 'train.py');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const ready = existsSync(TRAIN_PY) && existsSync(PYTHON);
const BUCKET = 'real-bucket';
const PREFIX = 'yolo-training';

if (!ready) {
  console.log(
    `Skipping the real local training test: ${existsSync(TRAIN_PY) ? PYTHON : TRAIN_PY} does not exist`,
  );
}

(ready ? describe : describe.skip)('real training through the local backend', () => {
  let moto: Moto;
  let s3: S3Client;
  let tmp: string;
  let restoreEnv = () => {};

  beforeAll(async () => {
    moto = await startMoto();
    restoreEnv = useEnv(moto.env);
    s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'local-real-'));
  }, 30_000);

  afterAll(async () => {
    restoreEnv();
    await moto?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  it('trains yolov8n for one epoch and uploads metrics.json and the model', async () => {
    const data = path.join(tmp, 'plans');
    const gen = spawnSync(
      PYTHON,
      [
        path.join(ROOT, 'scripts', 'make_floorplans.py'),
        '--count',
        '16',
        '--imgsz',
        '64',
        '--seed',
        '0',
        '--out',
        data,
      ],
      { encoding: 'utf8' },
    );
    if (gen.status !== 0) throw new Error(`make_floorplans.py failed: ${gen.stderr}`);
    const { input } = await uploadSnapshot(
      s3,
      BUCKET,
      PREFIX,
      await readTree(data),
      'dataset.yaml',
    );

    const log = quietLog();
    const backend = createLocalBackend({
      s3,
      log,
      actionRoot: ROOT,
      workRoot: path.join(tmp, 'jobs'),
      runtime: 'python',
      env: { OMP_NUM_THREADS: '2' },
      pollMs: 500,
    });
    const config = makeConfig({
      jobName: 'real-local-1',
      bucket: BUCKET,
      prefix: PREFIX,
      hyperparameters: { model: 'yolov8n.yaml', epochs: 1, imgsz: 64, batch: 8, workers: 0 },
    });
    await backend.launch(
      config,
      { imageUri: '', tag: '', built: false },
      { ref: { uri: input.manifestUri }, input },
    );
    const outcome = await backend.wait('real-local-1');
    if (outcome.status !== 'Completed') console.log(log.lines.slice(-40).join('\n'));

    expect(outcome.status).toBe('Completed');
    expect(outcome.finalMetrics).toHaveProperty('map50');
    expect(outcome.finalMetrics.epoch).toBe(1);
    // The same reader as for SageMaker jobs: metrics.json from output.tar.gz, one results.csv row.
    const metrics = await readJobMetrics(s3, outcome);
    expect(metrics).toMatchObject({ source: 'metrics.json', epochsCompleted: 1, imgsz: 64 });
    expect(typeof metrics.map50).toBe('number');
    expect(metrics.epochs).toHaveLength(1);
    const model = await extractFromS3(s3, outcome.modelArtifactsUri!, tmp);
    expect(await fs.readdir(model)).toEqual(expect.arrayContaining(['best.pt', 'last.pt']));
  }, 600_000);
});
