// The model's life cycle through the bundled action (dist/) on the AWS emulator, driven by real
// webhook payloads: a push to main promotes a champion; an identical second run trains nothing;
// force-retrain trains; a pull request against main is compared with main's champion and fails
// on a regression beyond max-regression. SageMaker jobs on moto are Completed at once, so each
// job's output.tar.gz is placed where SageMaker would write it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ListTrainingJobsCommand } from '@aws-sdk/client-sagemaker';
import { createAwsClients, createS3Client } from '../../src/aws.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from '../metrics/archive.js';
import { ISSUE, OWNER, REPO, startGitHubStandIn, type StandIn } from '../report/github-standin.js';
import { runAction, webhookExample } from './action-harness.js';

const BUCKET = 'acme-lifecycle';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
let moto: Moto;
let github: StandIn;
let s3: S3Client;
let mainDataset: string;
let prDataset: string;

const inputs = (dataset: string, extra: Record<string, string>): Record<string, string> => ({
  role: 'arn:aws:iam::123456789012:role/SageMakerYoloExecutionRole',
  bucket: BUCKET,
  dataset,
  'image-uri': '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
  'instance-type': 'ml.g5.xlarge',
  'github-token': 'write-token',
  'aws-region': 'us-east-1',
  'map50-threshold': '0.85',
  // The mocked jobs write metrics only, no model.tar.gz: the download has its own tests.
  'download-model': 'false',
  ...extra,
});

function pushPayload(): Record<string, unknown> {
  const payload = webhookExample('push') as {
    ref: string;
    repository: { full_name: string; name: string; default_branch: string; master_branch?: string };
  };
  payload.ref = 'refs/heads/main';
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.name = REPO;
  payload.repository.default_branch = 'main';
  payload.repository.master_branch = 'main';
  return payload as unknown as Record<string, unknown>;
}

function prPayload(): Record<string, unknown> {
  const payload = webhookExample('pull_request', 'opened') as {
    number: number;
    repository: { full_name: string; name: string; owner: { login: string } };
    pull_request: {
      number: number;
      head: { ref: string; repo: { full_name: string } | null };
      base: { ref: string; repo: { full_name: string } };
    };
  };
  payload.number = ISSUE;
  payload.pull_request.number = ISSUE;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.name = REPO;
  payload.repository.owner.login = OWNER;
  payload.pull_request.base.repo.full_name = `${OWNER}/${REPO}`;
  payload.pull_request.base.ref = 'main';
  payload.pull_request.head.ref = 'more-rooms';
  if (payload.pull_request.head.repo) payload.pull_request.head.repo.full_name = `${OWNER}/${REPO}`;
  return payload as unknown as Record<string, unknown>;
}

function env(event: string, ref: string, runId: string): Record<string, string> {
  return {
    ...moto.env,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: SHA,
    GITHUB_REF: ref,
    GITHUB_API_URL: github.baseUrl,
    GITHUB_RUN_ID: runId,
  };
}

async function placeJobOutput(job: string, map50: number, roomAp50 = map50): Promise<void> {
  const metrics = {
    ...METRICS_JSON,
    map50,
    per_class: [{ ...METRICS_JSON.per_class[0], ap50: roomAp50 }],
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `yolo-training/output/${job}/output/output.tar.gz`,
      Body: makeOutputArchive({
        'metrics.json': JSON.stringify(metrics),
        'results.csv': RESULTS_CSV,
      }),
    }),
  );
}

/** Every training job the emulator was asked to create. */
async function createdJobs(): Promise<string[]> {
  const sagemaker = createAwsClients({ region: 'us-east-1', env: moto.env }).sagemaker;
  const listed = await sagemaker.send(new ListTrainingJobsCommand({ MaxResults: 100 }));
  return (listed.TrainingJobSummaries ?? []).map((j) => j.TrainingJobName ?? '').sort();
}

async function championJson(branch: string): Promise<Record<string, unknown>> {
  const got = await s3.send(
    new GetObjectCommand({ Bucket: BUCKET, Key: `yolo-training/models/${branch}/champion.json` }),
  );
  return JSON.parse(await got.Body!.transformToString()) as Record<string, unknown>;
}

const push = (runId: string, job: string, extra: Record<string, string> = {}) =>
  runAction({
    entry: 'index.js',
    event: 'push',
    payload: pushPayload(),
    env: env('push', 'refs/heads/main', runId),
    inputs: inputs(mainDataset, { 'job-name': job, ...extra }),
  });

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  github = await startGitHubStandIn({
    'write-token': {
      login: 'github-actions[bot]',
      type: 'Bot',
      installation: true,
      canWrite: true,
    },
  });
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  mainDataset = await tempDir('lifecycle-main-');
  await writeTree(mainDataset, basicDataset());
  // The PR adds one training image with its label and edits a validation label.
  prDataset = await tempDir('lifecycle-pr-');
  await writeTree(prDataset, {
    ...basicDataset(),
    'images/train/d.png': png(24, 24, 7),
    'labels/train/d.txt': '0 0.5 0.5 0.3 0.3\n',
    'labels/val/v1.txt': '0 0.5 0.5 0.4 0.4\n',
  });
}, 60_000);

afterAll(async () => {
  await removeDir(mainDataset);
  await removeDir(prDataset);
  await github?.close();
  await moto?.stop();
});

describe('champion, reuse and regression gate (emulator, built action)', () => {
  it("a push to main that passes the gate becomes main's champion", async () => {
    await placeJobOutput('floorplans-main-1', 0.92);
    const run = await push('8001', 'floorplans-main-1');
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.promoted).toBe('true');
    expect(run.outputs.reused).toBe('false');
    expect(run.outputs['run-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(run.outputs['champion-uri']).toBe(
      `s3://${BUCKET}/yolo-training/models/main/champion.json`,
    );
    // No champion before this one: nothing to compare with, no made-up delta.
    expect(run.outputs['baseline-map50'] ?? '').toBe('');
    expect(run.summary).toContain('No champion on `main` yet');
    expect(run.summary).toMatch(/🏆 Champion of `main`/);
    const champion = await championJson('main');
    expect(champion).toMatchObject({
      branch: 'main',
      jobName: 'floorplans-main-1',
      snapshot: run.outputs.snapshot,
      commit: SHA,
      modelUri: run.outputs['model-uri'],
      metrics: { map50: 0.92, perClass: [{ name: 'room', ap50: 0.92 }] },
    });
    expect(await createdJobs()).toEqual(['floorplans-main-1']);
  });

  it('a second run with identical inputs (a workflow re-run) trains nothing and reuses the job', async () => {
    const run = await push('8002', 'floorplans-main-2');
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.reused).toBe('true');
    expect(run.outputs['job-name']).toBe('floorplans-main-1');
    expect(run.outputs['billable-seconds']).toBe('0');
    expect(run.outputs.map50).toBe('0.92');
    expect(run.stdout).toMatch(/::notice::Reused floorplans-main-1 \(identical inputs/);
    expect(run.summary).toMatch(
      /♻️ Reused \[floorplans-main-1\]\(<https:[^>]+>\) \(identical inputs\)/,
    );
    // Still the champion (the same job), and no CreateTrainingJob happened.
    expect(run.outputs.promoted).toBe('true');
    expect(run.summary).toContain('floorplans-main-1 already is the champion of main');
    expect(await createdJobs()).toEqual(['floorplans-main-1']);
  });

  it('force-retrain: true trains again with the same inputs', async () => {
    await placeJobOutput('floorplans-main-3', 0.92);
    const run = await push('8003', 'floorplans-main-3', { 'force-retrain': 'true' });
    expect(run.code).toBe(0);
    expect(run.outputs.reused).toBe('false');
    expect(run.outputs['job-name']).toBe('floorplans-main-3');
    expect(await createdJobs()).toEqual(['floorplans-main-1', 'floorplans-main-3']);
    expect((await championJson('main')).jobName).toBe('floorplans-main-3');
    // The champion's own baseline was itself: a delta of zero.
    expect(run.outputs['baseline-map50']).toBe('0.92');
    expect(run.outputs['map50-delta']).toBe('0');
  });

  it("a PR against main shows deltas against main's champion and fails beyond max-regression", async () => {
    await placeJobOutput('floorplans-pr-1', 0.88, 0.87);
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload: prPayload(),
      env: env('pull_request', `refs/pull/${ISSUE}/merge`, '8004'),
      inputs: inputs(prDataset, { 'job-name': 'floorplans-pr-1', 'max-regression': '0.02' }),
    });
    expect(run.code).toBe(1);
    // Above the absolute threshold (0.85), but 0.04 below the champion's 0.92.
    expect(run.stdout).toMatch(/::error::Quality gate failed/);
    expect(run.stdout).toMatch(
      /✗ map50 0\.8800 < baseline 0\.9200 − max-regression 0\.02 \(-0\.0400\)/,
    );
    expect(run.outputs['baseline-map50']).toBe('0.92');
    expect(run.outputs['map50-delta']).toBe('-0.04');
    expect(run.outputs.promoted).toBe('false');
    expect(run.outputs.passed).toBe('false');
    const comment = github.comments.at(-1)?.body ?? '';
    expect(comment).toContain('#### Compared with the champion of `main`');
    expect(comment).toContain('[floorplans-main-3]');
    expect(comment).toContain('| mAP@0.5 | 0.8800 | 0.9200 | ↓ −0.0400 |');
    expect(comment).toContain('| room | 0.8700 | 0.9200 | ↓ −0.0500 |');
    expect(comment).toContain('≥ 0.85 and ≥ 0.9000 (champion 0.9200 − max-regression 0.02) | ✗ |');
    // One image and one label added to train, one label changed in val.
    expect(comment).toContain('| train | +1 −0 ~0 | +1 −0 ~0 |');
    expect(comment).toContain('| val | +0 −0 ~0 | +0 −0 ~1 |');
    expect(comment).toContain('Not promoted: the model did not pass the gate.');
    // main's champion is untouched by a PR
    expect((await championJson('main')).jobName).toBe('floorplans-main-3');
  });

  it('a PR within max-regression passes and is not promoted (auto)', async () => {
    await placeJobOutput('floorplans-pr-2', 0.91);
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload: prPayload(),
      env: env('pull_request', `refs/pull/${ISSUE}/merge`, '8005'),
      inputs: inputs(prDataset, {
        'job-name': 'floorplans-pr-2',
        'max-regression': '0.02',
        'force-retrain': 'true',
      }),
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['map50-delta']).toBe('-0.01');
    expect(run.outputs.promoted).toBe('false');
    expect(github.comments.at(-1)?.body).toContain('| mAP@0.5 | 0.9100 | 0.9200 | ↓ −0.0100 |');
  });
});
