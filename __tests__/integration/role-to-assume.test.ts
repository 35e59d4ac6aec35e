// The bundled action with `role-to-assume` and no AWS keys in its environment: it gets the job's
// OIDC token from a stand-in for the runner's token service (127.0.0.1), assumes the role on the
// emulator's STS, and every AWS call it makes (main and post step) is signed with that session;
// the token is masked in the runner's log.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createS3Client } from '../../src/aws.js';
import { runContextFromEnv } from '../../src/context.js';
import { deriveJobName } from '../../src/jobname.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from '../metrics/archive.js';
import { runAction } from './action-harness.js';

const BUCKET = 'oidc-training';
const ROLE_TO_ASSUME = 'arn:aws:iam::123456789012:role/GitHubActionsYoloTraining';
const REQUEST_TOKEN = 'runner-request-token';

let moto: Moto;
let sts: RecordingProxy;
let sagemaker: RecordingProxy;
let s3: S3Client;
const issued: string[] = [];
const tokenService = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (
    req.headers.authorization !== `Bearer ${REQUEST_TOKEN}` ||
    url.searchParams.get('audience') !== 'sts.amazonaws.com'
  ) {
    res.writeHead(401).end();
    return;
  }
  const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9.oidc${issued.length + 1}`;
  issued.push(jwt);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: jwt }));
});
let tokenUrl = '';

beforeAll(async () => {
  moto = await startMoto();
  sts = await startRecordingProxy(moto.endpoint);
  sagemaker = await startRecordingProxy(moto.endpoint);
  await new Promise<void>((resolve) => tokenService.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenService.address() as AddressInfo).port}/token?api-version=2.0`;
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
  s3?.destroy();
  tokenService.closeAllConnections();
  await new Promise<void>((resolve) => tokenService.close(() => resolve()));
  await sts?.stop();
  await sagemaker?.stop();
  await moto?.stop();
});

/** A scheduled run's environment: endpoints only, no AWS keys; the OIDC variables of the runner. */
function env(): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_ENDPOINT_URL_SAGEMAKER: sagemaker.endpoint,
    GITHUB_REPOSITORY: 'acme/floorplans',
    GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'schedule',
    ACTIONS_ID_TOKEN_REQUEST_URL: tokenUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: REQUEST_TOKEN,
  };
}

const inputs = {
  'role-to-assume': ROLE_TO_ASSUME,
  role: 'arn:aws:iam::123456789012:role/SageMakerYoloExecutionRole',
  bucket: BUCKET,
  'dataset-s3-uri': `s3://${BUCKET}/datasets/plain/`,
  'image-uri': '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:src-0123456789ab',
  'instance-type': 'ml.g5.xlarge',
  'aws-region': 'us-east-1',
  comment: 'false',
  // moto completes the job with no model.tar.gz: nothing to download
  'download-model': 'false',
};

const assumeCalls = () =>
  sts.requests
    .map((r) => new URLSearchParams(r.body))
    .filter((p) => p.get('Action') === 'AssumeRoleWithWebIdentity');
const signingKeys = () =>
  sagemaker.requests.map((r) => /Credential=([^/]+)\//.exec(r.headers.authorization ?? '')?.[1]);

describe('role-to-assume in the bundled action', () => {
  it('trains and gates with the assumed session, the token masked', async () => {
    const payload = { schedule: '0 3 * * *' };
    const job = deriveJobName(
      runContextFromEnv({ ...env(), GITHUB_RUN_ID: '7001', GITHUB_RUN_ATTEMPT: '1' }, payload),
    );
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `yolo-training/output/${job}/output/output.tar.gz`,
        Body: makeOutputArchive({
          'metrics.json': JSON.stringify({ ...METRICS_JSON, map50: 0.9 }),
          'results.csv': RESULTS_CSV,
        }),
      }),
    );
    const run = await runAction({
      entry: 'index.js',
      event: 'schedule',
      payload,
      env: env(),
      inputs,
    });
    expect(run.stdout).not.toContain('::error::');
    expect(run.code).toBe(0);
    expect(run.outputs['job-status']).toBe('Completed');

    // One session for the whole run (every client shares it), from one fresh token.
    const calls = assumeCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.get('RoleArn')).toBe(ROLE_TO_ASSUME);
    expect(calls[0]?.get('WebIdentityToken')).toBe(issued[0]);
    expect(calls[0]?.get('RoleSessionName')).toBe('sagemaker-yolo-7001-1');
    // Every SageMaker call was signed, and there were no keys to sign with but the session's.
    expect(sagemaker.requests.length).toBeGreaterThanOrEqual(2);
    const keys = new Set(signingKeys());
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[A-Z0-9]{16,}$/);

    // The token appears only in mask commands (core.getIDToken's and ours), never in the log.
    const lines = run.stdout.split('\n').filter((l) => l.includes(issued[0] as string));
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const line of lines) expect(line).toBe(`::add-mask::${issued[0]}`);
  });

  it("the post step assumes the role again to stop a cancelled run's job", async () => {
    const before = { sts: assumeCalls().length, sagemaker: sagemaker.requests.length };
    const run = await runAction({
      entry: 'post.js',
      event: 'schedule',
      payload: { schedule: '0 3 * * *' },
      env: env(),
      inputs,
      state: {
        job: JSON.stringify({
          jobName: 'running-job',
          region: 'us-east-1',
          ended: false,
          wait: true,
          backend: 'sagemaker',
        }),
      },
    });
    expect(run.code).toBe(0);
    expect(assumeCalls().length).toBe(before.sts + 1);
    const stops = sagemaker.requests
      .slice(before.sagemaker)
      .filter((r) => r.headers['x-amz-target'] === 'SageMaker.StopTrainingJob');
    // moto has no StopTrainingJob, so the SDK retries it; each attempt carries the session's keys.
    expect(stops.length).toBeGreaterThanOrEqual(1);
    for (const stop of stops) {
      expect(JSON.parse(stop.body)).toEqual({ TrainingJobName: 'running-job' });
      expect(stop.headers.authorization).toMatch(/Credential=[A-Z0-9]{16,}\//);
    }
  });
});
