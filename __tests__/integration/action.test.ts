// The bundled action end to end on a local AWS emulator (moto) and a local GitHub API stand-in,
// driven by real webhook payloads. SageMaker jobs on moto are Completed at once, so the job's
// output.tar.gz is placed where SageMaker would write it before the run.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CreateBucketCommand,
  PutObjectCommand,
  S3Client,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { createAwsClients, createS3Client } from '../../src/aws.js';
import { runContextFromEnv } from '../../src/context.js';
import { deriveJobName } from '../../src/jobname.js';
import { basicDataset, png, removeDir, tempDir, writeTree } from '../dataset/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from '../metrics/archive.js';
import { ISSUE, OWNER, REPO, startGitHubStandIn, type StandIn } from '../report/github-standin.js';
import { decode } from '../report/render-html.js';
import { mermaidBlocks, parseMermaid } from '../report/mermaid.js';
import { runAction, webhookExample } from './action-harness.js';
import { startArtifactStandIn, type ArtifactStandIn } from '../helpers/artifact-standin.js';

const BUCKET = 'acme-training';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const REAL_OUTPUT = '__tests__/fixtures/container-output/output.tar.gz';

let moto: Moto;
let github: StandIn;
let s3: S3Client;

const TOKENS = {
  'write-token': {
    login: 'github-actions[bot]',
    type: 'Bot' as const,
    installation: true,
    canWrite: true,
  },
  'fork-token': {
    login: 'github-actions[bot]',
    type: 'Bot' as const,
    installation: true,
    canWrite: false,
  },
};

const baseInputs = {
  role: 'arn:aws:iam::123456789012:role/SageMakerYoloExecutionRole',
  bucket: BUCKET,
  'dataset-s3-uri': `s3://${BUCKET}/datasets/plain/`,
  'image-uri': '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
  'instance-type': 'ml.g5.xlarge',
  'github-token': 'write-token',
  'aws-region': 'us-east-1',
  // Most runs here place only output.tar.gz; the model tests below opt in to the download.
  'download-model': 'false',
};

function prPayload(fork = false): Record<string, unknown> {
  const payload = webhookExample('pull_request', 'opened') as {
    number: number;
    repository: {
      full_name: string;
      name: string;
      owner: { login: string };
      default_branch?: string;
    };
    pull_request: {
      number: number;
      head: { repo: { full_name: string } | null; sha: string };
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
  if (payload.pull_request.head.repo) {
    payload.pull_request.head.repo.full_name = fork ? `someone-else/${REPO}` : `${OWNER}/${REPO}`;
  }
  return payload as unknown as Record<string, unknown>;
}

function runnerEnv(event: string, ref: string): Record<string, string> {
  return {
    ...moto.env,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_SHA: SHA,
    GITHUB_REF: ref,
    GITHUB_API_URL: github.baseUrl,
    GITHUB_EVENT_NAME: event,
  };
}

function jobNameFor(
  event: string,
  ref: string,
  payload: Record<string, unknown>,
  runId = '7001',
): string {
  const env = {
    ...runnerEnv(event, ref),
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  return deriveJobName(runContextFromEnv(env, payload));
}

/** What the container writes; the real container's output when its fixture is there. */
function outputArchive(overrides: Record<string, unknown> = {}): Buffer {
  if (Object.keys(overrides).length === 0 && existsSync(REAL_OUTPUT))
    return readFileSync(REAL_OUTPUT);
  return makeOutputArchive({
    'metrics.json': JSON.stringify({ ...METRICS_JSON, ...overrides }),
    'results.csv': RESULTS_CSV,
  });
}

function sagemakerClient() {
  return createAwsClients({ region: 'us-east-1', env: moto.env }).sagemaker;
}

async function placeJobOutput(jobName: string, archive: Buffer): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `yolo-training/output/${jobName}/output/output.tar.gz`,
      Body: archive,
    }),
  );
}

beforeAll(async () => {
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  github = await startGitHubStandIn(TOKENS);
  s3 = createS3Client({ region: 'us-east-1', env: moto.env });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: 'datasets/plain/data.yaml',
      Body: 'path: .\ntrain: images/train\nval: images/val\nnames: [room]\n',
    }),
  );
}, 60_000);

afterAll(async () => {
  await github?.close();
  await moto?.stop();
});

describe('pull_request: train, gate and sticky comment', () => {
  const payload = prPayload();
  const ref = `refs/pull/${ISSUE}/merge`;

  it('passes the gate, sets outputs, writes the summary and creates one comment', async () => {
    const job = jobNameFor('pull_request', ref, payload);
    await placeJobOutput(job, outputArchive({ map50: 0.9, precision: 0.93, recall: 0.88 }));
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload,
      env: runnerEnv('pull_request', ref),
      inputs: {
        ...baseInputs,
        'map50-threshold': '0.85',
        'precision-threshold': '0.90',
        'recall-threshold': '0.85',
      },
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['job-name']).toBe(job);
    expect(run.outputs['job-status']).toBe('Completed');
    expect(run.outputs.map50).toBe('0.9');
    expect(run.outputs.passed).toBe('true');
    expect(run.outputs['model-uri']).toBe(
      `s3://${BUCKET}/yolo-training/output/${job}/output/model.tar.gz`,
    );
    expect(run.outputs['image-uri']).toBe(baseInputs['image-uri']);
    expect(run.outputs['comment-url']).toMatch(/#issuecomment-\d+$/);
    expect(run.summary).toContain(job);
    expect(run.summary).toMatch(/0\.9/);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain('<!-- sagemaker-yolo-action:');
    // Said once (the sticky-comment helper logs it; main no longer repeats it).
    expect(run.stdout.match(/Created comment on /g)).toHaveLength(1);
    expect(run.stdout).not.toMatch(/PR comment: created/);
    // The post step has nothing to stop: the job ended.
    expect(JSON.parse(run.state.job ?? '{}')).toMatchObject({ jobName: job, ended: true });
  });

  it('a second run with a stricter gate fails and updates the same comment', async () => {
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload,
      env: runnerEnv('pull_request', ref),
      inputs: { ...baseInputs, 'map50-threshold': '0.95' },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.passed).toBe('false');
    expect(run.stdout).toMatch(/::error::Quality gate failed/);
    expect(run.stdout).toMatch(/map50 .*0\.9.*0\.95/);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain('0.95');
    const patches = github.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(1);
    expect(run.stdout.match(/Updated comment on /g)).toHaveLength(1);
  });
});

describe('GitHub API trouble', () => {
  it('a failing comments API is a warning: the gate decides the verdict', async () => {
    const payload = prPayload();
    const ref = `refs/pull/${ISSUE}/merge`;
    const job = jobNameFor('pull_request', ref, payload, '7003');
    await placeJobOutput(job, outputArchive({ map50: 0.9 }));
    github.failIssue.set(ISSUE, 500);
    try {
      const run = await runAction({
        entry: 'index.js',
        event: 'pull_request',
        payload,
        env: { ...runnerEnv('pull_request', ref), GITHUB_RUN_ID: '7003' },
        inputs: baseInputs,
      });
      expect(run.code).toBe(0);
      expect(run.outputs.passed).toBe('true');
      expect(run.stdout).toMatch(/::warning::The PR comment could not be posted/);
      expect(run.summary).toContain(job);
    } finally {
      github.failIssue.delete(ISSUE);
    }
  });
});

describe('other triggers', () => {
  it('a fork PR validates the dataset and stops there: nothing uploaded, built or trained', async () => {
    const payload = prPayload(true);
    const ref = `refs/pull/${ISSUE}/merge`;
    const dir = await tempDir('fork-ds-');
    try {
      await writeTree(dir, basicDataset());
      const inputs: Record<string, string> = {
        ...baseInputs,
        dataset: dir,
        prefix: 'fork-run',
        'github-token': 'fork-token',
      };
      delete inputs['dataset-s3-uri'];
      const before = github.requests.length;
      const run = await runAction({
        entry: 'index.js',
        event: 'pull_request',
        payload,
        env: { ...runnerEnv('pull_request', ref), GITHUB_RUN_ID: '7004' },
        inputs,
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/::notice::Pull request from a fork: the dataset was validated/);
      expect(run.outputs).toEqual({});
      expect(github.requests.length).toBe(before);
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'fork-run/' }),
      );
      expect(listed.KeyCount ?? 0).toBe(0);
    } finally {
      await removeDir(dir);
    }
  });

  it('fork-pull-requests: train, with a read-only token: summary and a warning, not a failure', async () => {
    const payload = prPayload(true);
    const ref = `refs/pull/${ISSUE}/merge`;
    const job = jobNameFor('pull_request', ref, payload, '7002');
    await placeJobOutput(job, outputArchive({ map50: 0.9 }));
    const before = github.comments.length;
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload,
      env: { ...runnerEnv('pull_request', ref), GITHUB_RUN_ID: '7002' },
      inputs: { ...baseInputs, 'github-token': 'fork-token', 'fork-pull-requests': 'train' },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /::warning::Could not comment on acme\/floorplans#12 \(.*403.*\)\. The token is read-only here/,
    );
    expect(run.summary).toContain('Completed');
    expect(github.comments.length).toBe(before);
  });

  it('workflow_dispatch: trains with the given hyperparameters and reports to the summary only', async () => {
    const payload = webhookExample('workflow_dispatch');
    const ref = 'refs/heads/main';
    const env = {
      ...runnerEnv('workflow_dispatch', ref),
      GITHUB_REPOSITORY: String((payload.repository as { full_name: string }).full_name),
    };
    const job = 'floorplans-dispatch-manual-1';
    await placeJobOutput(job, outputArchive({ map50: 0.91 }));
    const requestsBefore = github.requests.length;
    const run = await runAction({
      entry: 'index.js',
      event: 'workflow_dispatch',
      payload,
      env,
      inputs: {
        ...baseInputs,
        'job-name': job,
        model: 'yolov8s.pt',
        epochs: '5',
        'batch-size': '8',
        imgsz: '320',
      },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.passed).toBe('true');
    expect(run.summary).toContain(job);
    expect(github.requests.length).toBe(requestsBefore);
    // The dispatch inputs reached the job, as strings keyed by ultralytics' names.
    const created = await sagemakerClient().send(
      new DescribeTrainingJobCommand({ TrainingJobName: job }),
    );
    expect(created.HyperParameters).toMatchObject({
      model: 'yolov8s.pt',
      epochs: '5',
      batch: '8',
      imgsz: '320',
    });
  });

  it('schedule: the runner payload is {"schedule": cron}', async () => {
    const ref = 'refs/heads/main';
    const job = 'floorplans-nightly-1';
    await placeJobOutput(job, outputArchive({ map50: 0.7 }));
    const run = await runAction({
      entry: 'index.js',
      event: 'schedule',
      payload: { schedule: '0 3 * * *' },
      env: runnerEnv('schedule', ref),
      inputs: { ...baseInputs, 'job-name': job },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.map50).toBe('0.7');
    expect(run.stdout).toMatch(/Quality gate failed/);
  });
});

describe('input errors and cleanup', () => {
  it('a bad input fails before any AWS call, naming the input, the value and the rule', async () => {
    const run = await runAction({
      entry: 'index.js',
      event: 'workflow_dispatch',
      payload: webhookExample('workflow_dispatch'),
      // An endpoint nothing listens on: any AWS call would fail with a connection error instead.
      env: {
        ...runnerEnv('workflow_dispatch', 'refs/heads/main'),
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      },
      inputs: { ...baseInputs, epochs: 'many', 'max-wait': '100', 'max-runtime': '3600' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Invalid configuration/);
    expect(run.stdout).toMatch(/epochs.*"many"/);
    expect(run.stdout).toMatch(/max-wait.*"100"/);
    expect(run.stdout).not.toMatch(/ECONNREFUSED/);
    expect(run.outputs).toEqual({});
  });

  /** A recording stand-in for the SageMaker endpoint (moto does not implement StopTrainingJob). */
  async function withSageMaker(
    status: number,
    reply: object,
    fn: (endpoint: string, calls: { target: string; body: string }[]) => Promise<void>,
  ): Promise<void> {
    const calls: { target: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls.push({ target: String(req.headers['x-amz-target']), body });
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  const runningState = {
    job: JSON.stringify({
      jobName: 'running-job',
      region: 'us-east-1',
      ended: false,
      wait: true,
      backend: 'sagemaker',
    }),
  };

  it('the post step stops a job that main waited for and that never ended', async () => {
    await withSageMaker(200, {}, async (endpoint, calls) => {
      const run = await runAction({
        entry: 'post.js',
        event: 'pull_request',
        payload: prPayload(),
        env: {
          ...runnerEnv('pull_request', 'refs/pull/12/merge'),
          AWS_ENDPOINT_URL_SAGEMAKER: endpoint,
        },
        inputs: baseInputs,
        state: runningState,
      });
      expect(run.code).toBe(0);
      expect(calls).toEqual([
        {
          target: 'SageMaker.StopTrainingJob',
          body: JSON.stringify({ TrainingJobName: 'running-job' }),
        },
      ]);
      expect(run.stdout).toMatch(/running-job/);
      expect(run.stdout.match(/Requested stop of training job running-job/g)).toHaveLength(1);
    });
  });

  it('a failing stop in the post step is a warning, never a failure', async () => {
    const denied = {
      __type: 'AccessDeniedException',
      message: 'not authorized to perform sagemaker:StopTrainingJob',
    };
    await withSageMaker(400, denied, async (endpoint, calls) => {
      const run = await runAction({
        entry: 'post.js',
        event: 'pull_request',
        payload: prPayload(),
        env: {
          ...runnerEnv('pull_request', 'refs/pull/12/merge'),
          AWS_ENDPOINT_URL_SAGEMAKER: endpoint,
        },
        inputs: baseInputs,
        state: runningState,
      });
      expect(run.code).toBe(0);
      expect(calls.length).toBeGreaterThanOrEqual(1);
      expect(run.stdout).toMatch(/::warning::.*running-job.*not authorized/);
      expect(run.stdout).not.toMatch(/::error::/);
    });
  });

  it('the post step leaves detached and finished jobs alone', async () => {
    for (const state of [
      {
        jobName: 'detached-job',
        region: 'us-east-1',
        ended: false,
        wait: false,
        backend: 'sagemaker',
      },
      {
        jobName: 'finished-job',
        region: 'us-east-1',
        ended: true,
        wait: true,
        backend: 'sagemaker',
      },
    ]) {
      const run = await runAction({
        entry: 'post.js',
        event: 'pull_request',
        payload: prPayload(),
        env: {
          ...runnerEnv('pull_request', 'refs/pull/12/merge'),
          AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        },
        inputs: baseInputs,
        state: { job: JSON.stringify(state) },
      });
      expect(run.code).toBe(0);
      expect(run.stdout).toBe('');
    }
  });
});

describe('local dataset: validate and sync a snapshot before training', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir('action-ds-');
    await writeTree(dir, basicDataset());
  });
  afterAll(() => removeDir(dir));

  it('uploads the snapshot, hands the job its manifest, and reports the fingerprint', async () => {
    const ref = 'refs/heads/main';
    const job = 'floorplans-snapshot-1';
    await placeJobOutput(job, outputArchive({ map50: 0.88 }));
    const inputs: Record<string, string> = { ...baseInputs, dataset: dir, 'job-name': job };
    delete inputs['dataset-s3-uri'];
    const run = await runAction({
      entry: 'index.js',
      event: 'schedule',
      payload: { schedule: '0 3 * * *' },
      env: runnerEnv('schedule', ref),
      inputs,
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs.snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(run.outputs['dataset-uri']).toBe(
      `s3://${BUCKET}/yolo-training/datasets/snapshots/${run.outputs.snapshot}.manifest`,
    );
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'yolo-training/datasets/snapshots/' }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key);
    expect(keys).toContain(`yolo-training/datasets/snapshots/${run.outputs.snapshot}.json.gz`);
    expect(run.summary).toContain(String(run.outputs.snapshot).slice(0, 12));
    // The job reads the gzip'd snapshot JSON (the container inflates it), the manifest as is.
    const created = await sagemakerClient().send(
      new DescribeTrainingJobCommand({ TrainingJobName: job }),
    );
    const channels = Object.fromEntries(
      (created.InputDataConfig ?? []).map((c) => [c.ChannelName, c.DataSource?.S3DataSource]),
    );
    expect(channels).toEqual({
      training: expect.objectContaining({
        S3DataType: 'ManifestFile',
        S3Uri: run.outputs['dataset-uri'],
      }),
      snapshot: expect.objectContaining({
        S3DataType: 'S3Prefix',
        S3Uri: `s3://${BUCKET}/yolo-training/datasets/snapshots/${run.outputs.snapshot}.json.gz`,
      }),
    });
  });

  it('a PR comment shows what changed against the base branch snapshot', async () => {
    // A nightly run on main records main's snapshot; then a PR adds a box and an image.
    const base: Record<string, string> = {
      ...baseInputs,
      dataset: dir,
      'job-name': 'floorplans-base-1',
    };
    delete base['dataset-s3-uri'];
    await placeJobOutput('floorplans-base-1', outputArchive({ map50: 0.9 }));
    const nightly = await runAction({
      entry: 'index.js',
      event: 'schedule',
      payload: { schedule: '0 3 * * *' },
      env: runnerEnv('schedule', 'refs/heads/main'),
      inputs: base,
    });
    expect(nightly.code).toBe(0);
    const head = await tempDir('action-pr-ds-');
    try {
      await writeTree(head, {
        ...basicDataset(),
        'labels/val/v1.txt': '0 0.5 0.5 0.5 0.5\n0 0.2 0.2 0.1 0.1\n',
        'images/val/v3.png': png(24, 24, 9),
        'labels/val/v3.txt': '1 0.5 0.5 0.3 0.3\n',
      });
      const payload = prPayload();
      const ref = `refs/pull/${ISSUE}/merge`;
      const inputs: Record<string, string> = {
        ...baseInputs,
        dataset: head,
        'job-name': 'floorplans-pr-diff-1',
      };
      delete inputs['dataset-s3-uri'];
      await placeJobOutput('floorplans-pr-diff-1', outputArchive({ map50: 0.9 }));
      const run = await runAction({
        entry: 'index.js',
        event: 'pull_request',
        payload,
        env: runnerEnv('pull_request', ref),
        inputs,
      });
      expect(run.stdout).not.toContain('::error::');
      expect(run.code).toBe(0);
      expect(run.summary).toMatch(/2 added, 0 removed, 1 changed files against base snapshot/);
      expect(run.summary).toMatch(/room[^\n]*4[^\n]*5/);
      expect(run.summary).toMatch(/door[^\n]*2[^\n]*3/);
    } finally {
      await removeDir(head);
    }
  });

  it('a dataset with more dropped images than max-dropped-images fails with annotations and uploads nothing', async () => {
    const bad = await tempDir('action-bad-');
    try {
      await writeTree(bad, { ...basicDataset(), 'labels/train/a.txt': '7 0.5 0.5 0.2 0.2\n' });
      const inputs: Record<string, string> = {
        ...baseInputs,
        dataset: bad,
        'job-name': 'never-started',
        prefix: 'bad-run',
      };
      delete inputs['dataset-s3-uri'];
      const run = await runAction({
        entry: 'index.js',
        event: 'schedule',
        payload: { schedule: '0 3 * * *' },
        env: runnerEnv('schedule', 'refs/heads/main'),
        inputs,
      });
      expect(run.code).toBe(1);
      // ultralytics would drop that image (class 7 >= nc): a warning on its line; 1 of 5 images is
      // more than the default 5% allows, so the run fails before anything is uploaded
      expect(run.stdout).toMatch(
        /::warning file=.*labels\/train\/a\.txt,line=1::class id 7 is outside \[0, 1\]/,
      );
      expect(run.stdout).toMatch(
        /::error .*ultralytics would drop 1 of 5 images.*max-dropped-images/,
      );
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'bad-run/' }),
      );
      expect(listed.KeyCount ?? 0).toBe(0);
    } finally {
      await removeDir(bad);
    }
  });
});

describe('cost and training in the report (emulator)', () => {
  const dispatch = () => {
    const payload = webhookExample('workflow_dispatch');
    return {
      payload,
      env: {
        ...runnerEnv('workflow_dispatch', 'refs/heads/main'),
        GITHUB_REPOSITORY: String((payload.repository as { full_name: string }).full_name),
      },
    };
  };

  it('the summary has the Training section with a parsable chart and a cost row naming the price source', async () => {
    const { payload, env } = dispatch();
    const job = 'floorplans-dispatch-cost-1';
    await placeJobOutput(job, outputArchive({ map50: 0.91 }));
    const run = await runAction({
      entry: 'index.js',
      event: 'workflow_dispatch',
      payload,
      env,
      inputs: { ...baseInputs, 'job-name': job, 'instance-price': '1.5', epochs: '3' },
    });
    expect(run.code).toBe(0);
    expect(run.summary).toContain('#### Training');
    expect(run.summary).toContain('- Epochs: 3 of 3 asked');
    // This results.csv has metrics but no loss columns: the mAP chart only.
    const charts = mermaidBlocks(run.summary);
    expect(charts).toHaveLength(1);
    expect(charts[0]).toContain('title "mAP@0.5 (upper line) and mAP@0.5:0.95 by epoch"');
    await expect(parseMermaid(charts[0] as string)).resolves.toBe('xychart');
    // moto reports no billable time: the cost is unknown, said so, with the price that would apply.
    expect(decode(run.summary)).toContain(
      '| Cost | unknown: SageMaker reported no billable time for the job (yet) · $1.500/h × 1, price from the instance-price input |',
    );
    expect(run.outputs['cost-usd'] ?? '').toBe('');
  });

  it('max-cost refuses a detached job whose worst case exceeds it: no job is created', async () => {
    const { payload, env } = dispatch();
    const job = 'floorplans-dispatch-capped-1';
    const run = await runAction({
      entry: 'index.js',
      event: 'workflow_dispatch',
      payload,
      env,
      inputs: {
        ...baseInputs,
        'job-name': job,
        'instance-price': '1.5',
        'max-cost': '5',
        'max-runtime': '43200',
        wait: 'false',
      },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::max-cost: Worst case \$18\.00 \(max-runtime 12h 00m 00s × 1 × \$1\.500\/h from the instance-price input\) exceeds max-cost \$5\.00, and with wait: false nothing stops the job at the cap/,
    );
    await expect(
      sagemakerClient().send(new DescribeTrainingJobCommand({ TrainingJobName: job })),
    ).rejects.toThrow();
  });
});

describe('the model: download and workflow artifact', () => {
  let artifacts: ArtifactStandIn;
  let modelDir: string;
  beforeAll(async () => {
    artifacts = await startArtifactStandIn({ artifactId: 4242 });
    modelDir = await tempDir('action-models-');
  });
  afterAll(async () => {
    await artifacts?.close();
    await removeDir(modelDir);
  });

  /** model.tar.gz and output.tar.gz (with the plots) where SageMaker writes them. */
  async function placeModel(job: string): Promise<void> {
    await placeJobOutput(
      job,
      makeOutputArchive({
        'metrics.json': JSON.stringify({ ...METRICS_JSON, map50: 0.9 }),
        'results.csv': RESULTS_CSV,
        'plots/results.png': 'PNG results',
        'plots/confusion_matrix.png': 'PNG confusion',
        'plots/BoxPR_curve.png': 'PNG pr',
        'plots/val_batch0_pred.jpg': 'JPG predictions',
      }),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `yolo-training/output/${job}/output/model.tar.gz`,
        Body: makeOutputArchive({
          'best.pt': 'BEST WEIGHTS',
          'last.pt': 'LAST WEIGHTS',
          'training_metrics.json': '{"schema": 1}',
        }),
      }),
    );
  }

  it('downloads the model, uploads it with the plots as an artifact, and links it from the comment', async () => {
    const payload = prPayload();
    const ref = `refs/pull/${ISSUE}/merge`;
    const job = jobNameFor('pull_request', ref, payload, '7009');
    await placeModel(job);
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload,
      env: {
        ...runnerEnv('pull_request', ref),
        GITHUB_RUN_ID: '7009',
        ACTIONS_RUNTIME_TOKEN: artifacts.runtimeToken,
        ACTIONS_RESULTS_URL: artifacts.resultsUrl,
      },
      inputs: {
        ...baseInputs,
        'download-model': '',
        'model-dir': modelDir,
        'artifact-name': 'floorplans-model',
        'artifact-retention-days': '7',
        'comment-images': 'presigned',
      },
    });
    expect(run.stdout).not.toMatch(/::(error|warning)::/);
    expect(run.code).toBe(0);
    expect(run.outputs['model-path']).toBe(modelDir);
    expect(run.outputs['artifact-id']).toBe('4242');
    expect(readFileSync(path.join(modelDir, 'best.pt'), 'utf8')).toBe('BEST WEIGHTS');
    expect(readdirSync(path.join(modelDir, 'plots')).sort()).toEqual([
      'BoxPR_curve.png',
      'confusion_matrix.png',
      'results.png',
      'val_batch0_pred.jpg',
    ]);

    // What the artifact service got: the name, the retention as an expiry, one zip.
    const create = artifacts.calls.find((c) => c.method === 'CreateArtifact');
    expect(create?.body.name).toBe('floorplans-model');
    const days = (Date.parse(String(create?.body.expires_at)) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);
    expect(artifacts.calls.map((c) => c.method)).toEqual(['CreateArtifact', 'FinalizeArtifact']);
    const zip = artifacts.blobs.get(`/blob/${artifacts.runBackendId}/floorplans-model.zip`);
    expect(zip).toBeDefined();
    const zipFile = path.join(modelDir, '..', `${path.basename(modelDir)}.zip`);
    writeFileSync(zipFile, zip as Buffer);
    const listing = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' });
    expect(listing.trim().split('\n').sort()).toEqual([
      'best.pt',
      'last.pt',
      'plots/BoxPR_curve.png',
      'plots/confusion_matrix.png',
      'plots/results.png',
      'plots/val_batch0_pred.jpg',
      'training_metrics.json',
    ]);
    expect(execFileSync('unzip', ['-p', zipFile, 'best.pt'], { encoding: 'utf8' })).toBe(
      'BEST WEIGHTS',
    );
    // The blob URL's signature is masked before anything could print it.
    expect(run.stdout).toContain('::add-mask::standin-signature');

    // The comment and the summary link the artifact's page and list the plots.
    const url = `https://github.com/${OWNER}/${REPO}/actions/runs/7009/artifacts/4242`;
    const body = github.comments[0]?.body ?? '';
    expect(body).toContain(`[floorplans-model](<${url}>)`);
    expect(body).toContain('`results.png` · `val_batch0_pred.jpg`');
    expect(run.summary).toContain(url);
    // The same comment shows what the run cost and how training went (issue 13).
    expect(decode(body)).toMatch(
      /\| Cost \| price unknown: ml\.g5\.xlarge is not in the price table/,
    );
    const charts = mermaidBlocks(body);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) await expect(parseMermaid(chart)).resolves.toBe('xychart');

    // comment-images: presigned: the plots beside the job output, shown through signed links
    // that fetch them, with the expiry stated (static keys here: 7 days).
    // Alt texts are escaped markdown (`_` as an entity): decode them as GitHub does.
    const images = [...body.matchAll(/!\[([^\]]+)\]\(<([^>]+)>\)/g)].map((m) => [
      decode(m[1] as string),
      m[2] as string,
    ]);
    expect(images.map(([name]) => name)).toEqual([
      'results.png',
      'confusion_matrix.png',
      'BoxPR_curve.png',
      'val_batch0_pred.jpg',
    ]);
    for (const [name, link] of images) {
      expect(link).toContain(`/${BUCKET}/yolo-training/output/${job}/plots/${name}?`);
      expect(new URL(link as string).searchParams.get('X-Amz-Expires')).toBe('604800');
    }
    const res = await fetch(images[0]?.[1] as string);
    expect(await res.text()).toBe('PNG results');
    expect(body).toMatch(
      /_The images are S3 presigned links: they expire at \d{4}-\d\d-\d\d \d\d:\d\d UTC; anyone with the link can see the image\._/,
    );
  });

  it('off a runner the model is still downloaded, and a notice says why there is no artifact', async () => {
    const payload = prPayload();
    const ref = `refs/pull/${ISSUE}/merge`;
    const job = jobNameFor('pull_request', ref, payload, '7010');
    await placeModel(job);
    const calls = artifacts.calls.length;
    const dir = path.join(modelDir, 'second');
    const run = await runAction({
      entry: 'index.js',
      event: 'pull_request',
      payload,
      env: { ...runnerEnv('pull_request', ref), GITHUB_RUN_ID: '7010' },
      inputs: { ...baseInputs, 'download-model': 'true', 'model-dir': dir },
    });
    expect(run.code).toBe(0);
    expect(run.outputs['model-path']).toBe(dir);
    expect(run.outputs['artifact-id']).toBeUndefined();
    expect(existsSync(path.join(dir, 'best.pt'))).toBe(true);
    expect(run.stdout).toMatch(
      /::notice::The model was downloaded to .*; no workflow artifact: not on a GitHub Actions runner/,
    );
    expect(artifacts.calls.length).toBe(calls);
    expect(github.comments[0]?.body).toContain(
      'No workflow artifact: not on a GitHub Actions runner',
    );
  });
});
