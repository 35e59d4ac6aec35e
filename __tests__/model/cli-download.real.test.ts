// The model's way home, for real: `sagemaker-yolo train` trains yolov8n for one CPU epoch through
// the local backend (training-container/train.py) on a generated floor-plan sample, with moto as
// S3; the CLI downloads model.tar.gz and the plots into --model-dir; the installed ultralytics then
// loads that best.pt and predicts on an image of the dataset. `report` downloads the same model
// for a SageMaker job whose artifacts sit where SageMaker puts them.
// This is also the suite's one real single-host run through the local backend: the job's outcome
// and archives are read back the way SageMaker jobs are read (a second 1-epoch run in a file of
// its own proved nothing more and cost a CPU training run).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CopyObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAwsClients, type AwsClients } from '../../src/aws.js';
import { runCli, type CliDeps } from '../../src/cli/program.js';
import { readJobMetrics } from '../../src/metrics/read.js';
import { parseS3Uri } from '../../src/s3.js';
import { createLocalBackend, type LocalBackend } from '../../src/training/local.js';
import type { RunContext } from '../../src/types.js';
import { startMoto, type Moto } from '../helpers/moto.js';

const ROOT = process.cwd();
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const ready = existsSync(PYTHON);
const BUCKET = 'cli-model-download';
const REGION = 'us-east-1';

const context: RunContext = {
  repository: 'acme/floorplans',
  eventName: 'cli',
  ref: 'refs/heads/main',
  sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  runId: '',
  runAttempt: '1',
  serverUrl: 'https://github.com',
  isForkPullRequest: false,
};

/** ultralytics, offline, in its own config dir: load best.pt and predict on one image. */
const PREDICT = `
import json, sys
from ultralytics import YOLO
model = YOLO(sys.argv[1])
result = model.predict(sys.argv[2], imgsz=64, device="cpu", conf=0.001, verbose=False)[0]
print(json.dumps({"task": model.task, "names": result.names, "shape": list(result.orig_shape),
                  "boxes": len(result.boxes), "xyxy": result.boxes.xyxy.tolist()[:3]}))
`;

(ready ? describe : describe.skip)('the CLI downloads a real model that predicts', () => {
  let moto: Moto;
  let clients: AwsClients;
  let tmp: string;

  beforeAll(async () => {
    moto = await startMoto();
    clients = createAwsClients({ region: REGION, env: moto.env });
    await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cli-download-'));
  }, 30_000);

  afterAll(async () => {
    await moto?.stop();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  function harness(): {
    deps: CliDeps;
    training: LocalBackend;
    json: string[];
    out: string[];
    err: string[];
  } {
    const out: string[] = [];
    const err: string[] = [];
    const json: string[] = [];
    const training = createLocalBackend({
      s3: clients.s3,
      log: { info: (m) => out.push(m), warning: (m) => err.push(m) },
      actionRoot: ROOT,
      workRoot: path.join(tmp, 'jobs'),
      runtime: 'python',
      env: { OMP_NUM_THREADS: '2' },
      pollMs: 500,
    });
    const deps: CliDeps = {
      env: { ...moto.env },
      cwd: ROOT,
      actionRoot: ROOT,
      context,
      sinks: { out: (l) => out.push(l), err: (l) => err.push(l) },
      stdout: (t) => json.push(t),
      clients: () => clients,
      training,
    };
    return { deps, training, out, err, json };
  }

  it('train --wait downloads best.pt, last.pt, the metrics and the plots; best.pt predicts', async () => {
    const data = path.join(tmp, 'plans');
    const gen = spawnSync(
      PYTHON,
      [
        'scripts/make_floorplans.py',
        '--count',
        '16',
        '--imgsz',
        '64',
        '--seed',
        '0',
        '--out',
        data,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    if (gen.status !== 0) throw new Error(`make_floorplans.py failed: ${gen.stderr}`);

    const modelDir = path.join(tmp, 'models');
    const { deps, training, json, out, err } = harness();
    const started = Date.now();
    const code = await runCli(
      [
        'train',
        '--instance-type',
        'local',
        '--bucket',
        BUCKET,
        '--dataset',
        data,
        '--job-name',
        'cli-download-1',
        '--model',
        'yolov8n.yaml',
        '--epochs',
        '1',
        '--imgsz',
        '64',
        '--batch-size',
        '8',
        '--workers',
        '0',
        '--map50-threshold',
        '0',
        '--model-dir',
        modelDir,
        '--json',
      ],
      deps,
    );
    if (code !== 0) console.log([...out.slice(-40), ...err].join('\n'));
    expect(code).toBe(0);
    console.log(`train + download: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { outputs } = JSON.parse(json.join('\n')) as { outputs: Record<string, string> };
    expect(outputs['model-path']).toBe(modelDir);

    // The job as the backend reports it, and its archives read by the reader SageMaker jobs use:
    // metrics.json from output.tar.gz, one results.csv row; the metric lines gave the final values.
    const outcome = await training.describe('cli-download-1');
    expect(outcome.status).toBe('Completed');
    expect(outcome.finalMetrics).toHaveProperty('map50');
    expect(outcome.finalMetrics.epoch).toBe(1);
    expect(outcome.modelArtifactsUri).toBe(outputs['model-uri']);
    const jobMetrics = await readJobMetrics(clients.s3, outcome);
    expect(jobMetrics).toMatchObject({ source: 'metrics.json', epochsCompleted: 1, imgsz: 64 });
    expect(typeof jobMetrics.map50).toBe('number');
    expect(jobMetrics.epochs).toHaveLength(1);

    expect(readdirSync(modelDir).sort()).toEqual([
      'best.pt',
      'last.pt',
      'plots',
      'training_metrics.json',
    ]);
    const metrics = JSON.parse(readFileSync(path.join(modelDir, 'training_metrics.json'), 'utf8'));
    expect(metrics).toMatchObject({ schema: 1, evaluated: 'best.pt' });
    // ultralytics' own plots, as the container packs them into output.tar.gz.
    const plots = readdirSync(path.join(modelDir, 'plots'));
    expect(plots).toEqual(
      expect.arrayContaining(['results.png', 'confusion_matrix.png', 'val_batch0_pred.jpg']),
    );
    expect(plots.some((p) => /PR_curve\.png$/.test(p))).toBe(true);
    console.log(`plots: ${plots.join(', ')}`);

    const image = path.join(
      data,
      'images',
      'val',
      readdirSync(path.join(data, 'images', 'val'))[0]!,
    );
    const predicted = spawnSync(PYTHON, ['-c', PREDICT, path.join(modelDir, 'best.pt'), image], {
      encoding: 'utf8',
      env: {
        ...process.env,
        YOLO_OFFLINE: 'true',
        YOLO_CONFIG_DIR: path.join(tmp, 'ultralytics-config'),
        CUDA_VISIBLE_DEVICES: '',
      },
    });
    if (predicted.status !== 0) console.log(predicted.stderr);
    expect(predicted.status).toBe(0);
    const result = JSON.parse(predicted.stdout.trim().split('\n').at(-1) as string);
    console.log(`prediction: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ task: 'detect', names: { '0': 'room' }, shape: [64, 64] });
    expect(typeof result.boxes).toBe('number');

    // report: a SageMaker job (moto) whose artifacts are where SageMaker writes them.
    await clients.sagemaker.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'cli-download-report',
        RoleArn: 'arn:aws:iam::123456789012:role/SageMakerRole',
        AlgorithmSpecification: { TrainingImage: 'img:1', TrainingInputMode: 'File' },
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/elsewhere` },
        ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
        StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      }),
    );
    const model = parseS3Uri(outputs['model-uri'] as string);
    for (const name of ['model.tar.gz', 'output.tar.gz']) {
      await clients.s3.send(
        new CopyObjectCommand({
          Bucket: BUCKET,
          CopySource: `${BUCKET}/${model.key.replace(/model\.tar\.gz$/, name)}`,
          Key: `elsewhere/cli-download-report/output/${name}`,
        }),
      );
    }
    const reportDir = path.join(tmp, 'report-models');
    const report = harness();
    expect(
      await runCli(
        [
          'report',
          'cli-download-report',
          '--bucket',
          BUCKET,
          '--map50-threshold',
          '0',
          '--model-dir',
          reportDir,
          '--json',
        ],
        report.deps,
      ),
    ).toBe(0);
    expect(JSON.parse(report.json.join('\n')).model.path).toBe(reportDir);
    expect(readFileSync(path.join(reportDir, 'best.pt'))).toEqual(
      readFileSync(path.join(modelDir, 'best.pt')),
    );
  }, 600_000);
});
