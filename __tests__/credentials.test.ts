// role-to-assume end to end on local stand-ins: the runner's OIDC token endpoint
// (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN on 127.0.0.1, read by the real core.getIDToken), the moto
// emulator's STS (behind a recording proxy) with 15-minute sessions, and a SageMaker endpoint that
// keeps a job InProgress. An injected clock runs a 40-minute poll in milliseconds; the poll must
// outlive several sessions, each renewed before it expires with a fresh token, and every token
// and secret must be masked before anything could print it.
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import * as core from '@actions/core';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAwsClients } from '../src/aws.js';
import { roleToAssumeCredentials } from '../src/credentials.js';
import { pollTrainingJob } from '../src/training/sagemaker.js';
import { startMoto, type Moto } from './helpers/moto.js';
import { startRecordingProxy, type RecordingProxy } from './helpers/recording-proxy.js';
import { fakeClock, recordingLog } from './training/fixtures.js';

const ROLE = 'arn:aws:iam::123456789012:role/GitHubTraining';
const REQUEST_TOKEN = 'runner-request-token-7f3a';
const SESSION_SECONDS = 900; // STS's shortest session
const IN_PROGRESS_POLLS = 40;

let moto: Moto;
let sts: RecordingProxy;
const clock = fakeClock(Date.now());

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The runner's token service: checks the request token and the audience, a new JWT per call. */
const tokenRequests: { audience: string | null; authorized: boolean }[] = [];
const issued: string[] = [];
const tokenService = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const authorized = req.headers.authorization === `Bearer ${REQUEST_TOKEN}`;
  tokenRequests.push({ audience: url.searchParams.get('audience'), authorized });
  if (!authorized) {
    res.writeHead(401).end();
    return;
  }
  const jwt = `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmFjbWUvZmxvb3JwbGFucyJ9.sig${issued.length + 1}x`;
  issued.push(jwt);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ value: jwt }));
});

/** SageMaker: InProgress for a while, then Completed; records who signed each call, and when. */
const describes: { accessKeyId: string; at: number }[] = [];
const sagemaker = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const accessKeyId = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
    describes.push({ accessKeyId, at: clock.now() });
    const done = describes.length > IN_PROGRESS_POLLS;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        TrainingJobName: 'long-job',
        TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/long-job',
        TrainingJobStatus: done ? 'Completed' : 'InProgress',
        SecondaryStatus: done ? 'Completed' : 'Training',
        CreationTime: 1_700_000_000,
        ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
        EnableManagedSpotTraining: false,
        OutputDataConfig: { S3OutputPath: 's3://b/p/output/' },
        ModelArtifacts: { S3ModelArtifacts: 's3://b/p/output/long-job/output/model.tar.gz' },
      }),
    );
  });
});

let tokenUrl: string;
let sagemakerUrl: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  sts = await startRecordingProxy(moto.endpoint, clock.now);
  tokenUrl = await listen(tokenService);
  sagemakerUrl = await listen(sagemaker);
  // core.getIDToken reads these from process.env, as on a runner.
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `${tokenUrl}/token?api-version=2.0`;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = REQUEST_TOKEN;
});

afterEach(() => {
  jest.restoreAllMocks();
});

afterAll(async () => {
  process.env = savedEnv;
  await sts?.stop();
  await moto?.stop();
  for (const server of [tokenService, sagemaker]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** The WebIdentityToken and DurationSeconds each AssumeRoleWithWebIdentity call carried. */
function assumeCalls() {
  return sts.requests
    .map((r) => ({ params: new URLSearchParams(r.body), at: r.at }))
    .filter(({ params }) => params.get('Action') === 'AssumeRoleWithWebIdentity')
    .map(({ params, at }) => ({
      token: params.get('WebIdentityToken'),
      role: params.get('RoleArn'),
      duration: Number(params.get('DurationSeconds')),
      session: params.get('RoleSessionName'),
      at,
    }));
}

describe('role-to-assume', () => {
  it('keeps a poll going across several sessions, renewing each before it expires with a fresh OIDC token', async () => {
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const log = recordingLog();
    const env = { AWS_ENDPOINT_URL_SAGEMAKER: sagemakerUrl, AWS_ENDPOINT_URL_STS: sts.endpoint };
    const credentials = roleToAssumeCredentials(
      { roleToAssume: ROLE, region: 'us-east-1', context: { runId: '7001', runAttempt: '2' } },
      env,
      {
        idToken: (audience) => core.getIDToken(audience),
        mask: (secret) => core.setSecret(secret),
        log,
        now: clock.now,
        durationSeconds: SESSION_SECONDS,
      },
    );
    expect(credentials).toBeDefined();
    const clients = createAwsClients({
      region: 'us-east-1',
      env,
      ...(credentials ? { credentials } : {}),
    });

    const outcome = await pollTrainingJob(clients.sagemaker, 'long-job', {
      log,
      timeoutMs: 6 * 3600_000,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0.5,
    });
    jest.restoreAllMocks();
    expect(outcome.status).toBe('Completed');

    // The poll lasted much longer than one session.
    const pollSeconds = (describes.at(-1)!.at - describes[0]!.at) / 1000;
    expect(pollSeconds).toBeGreaterThan(2 * SESSION_SECONDS);

    // One AssumeRoleWithWebIdentity per session, each with its own fresh token for the right audience.
    const calls = assumeCalls();
    expect(calls.length).toBeGreaterThanOrEqual(3); // the first session and at least two renewals
    expect(calls.map((c) => c.token)).toEqual(issued);
    expect(new Set(issued).size).toBe(issued.length);
    expect(tokenRequests).toEqual(
      issued.map(() => ({ audience: 'sts.amazonaws.com', authorized: true })),
    );
    for (const c of calls) {
      expect(c).toMatchObject({
        role: ROLE,
        duration: SESSION_SECONDS,
        session: 'sagemaker-yolo-7001-2',
      });
    }

    // The SageMaker calls moved to each new session's keys, and none used a key past its expiry:
    // each renewal happened with time to spare (5 minutes by default).
    const keys = [...new Set(describes.map((d) => d.accessKeyId))];
    expect(keys.length).toBe(calls.length);
    keys.forEach((key, i) => {
      const assumedAt = calls[i]!.at;
      const last = Math.max(...describes.filter((d) => d.accessKeyId === key).map((d) => d.at));
      expect(last).toBeLessThan(assumedAt + SESSION_SECONDS * 1000);
      expect(last).toBeGreaterThanOrEqual(assumedAt);
    });
    for (let i = 1; i < calls.length; i++) {
      const renewedAfter = (calls[i]!.at - calls[i - 1]!.at) / 1000;
      expect(renewedAfter).toBeGreaterThanOrEqual(SESSION_SECONDS - 300 - 1);
      expect(renewedAfter).toBeLessThan(SESSION_SECONDS);
    }

    // Every token was masked (by core.getIDToken and again by us) before any use could print it.
    const output = written.join('');
    for (const token of issued) expect(output).toContain(`::add-mask::${token}`);
    expect(output.match(/::add-mask::/g)?.length).toBeGreaterThanOrEqual(3 * issued.length);
    expect(log.lines.map((l) => l.message).join('\n')).not.toContain(issued[0]);
    clients.sagemaker.destroy();
  });

  it('says what to fix when the role cannot be assumed, and needs no retry to say it', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'wrong';
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const credentials = roleToAssumeCredentials(
      { roleToAssume: ROLE, region: 'us-east-1', context: { runId: '7001', runAttempt: '1' } },
      { AWS_ENDPOINT_URL_STS: sts.endpoint },
      { idToken: (audience) => core.getIDToken(audience), now: clock.now },
    );
    await expect(credentials!()).rejects.toThrow(
      /Could not assume role-to-assume arn:aws:iam::123456789012:role\/GitHubTraining with this job's OIDC token: .*trust policy must allow sts:AssumeRoleWithWebIdentity/s,
    );
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = REQUEST_TOKEN;
  });

  it('a failed renewal keeps the current session while it is valid, then says what failed', async () => {
    const log = recordingLog();
    let calls = 0;
    const clock2 = fakeClock(Date.now());
    const credentials = roleToAssumeCredentials(
      { roleToAssume: ROLE, region: 'us-east-1', context: { runId: '7001', runAttempt: '1' } },
      { AWS_ENDPOINT_URL_STS: sts.endpoint },
      {
        idToken: async () => {
          calls += 1;
          if (calls > 1) throw new Error('token service unavailable');
          return 'first-token';
        },
        now: clock2.now,
        durationSeconds: SESSION_SECONDS,
        log,
      },
    )!;
    const first = await credentials();
    await clock2.sleep(11 * 60_000); // past the renewal point (10 min), 4 min before expiry
    expect((await credentials()).accessKeyId).toBe(first.accessKeyId);
    expect(log.lines.at(-1)).toMatchObject({
      level: 'warning',
      message: expect.stringMatching(/Could not renew .*token service unavailable.*current ones/),
    });
    await clock2.sleep(30_000); // within the minute: no new attempt
    expect((await credentials()).accessKeyId).toBe(first.accessKeyId);
    expect(calls).toBe(2);
    await clock2.sleep(3 * 60_000); // under a minute left: no more borrowing
    await expect(credentials()).rejects.toThrow(
      /Could not assume role-to-assume .*token service unavailable/,
    );
  });

  it('is off without role-to-assume: the environment credentials are used as before', () => {
    const none = roleToAssumeCredentials(
      { region: 'us-east-1', context: { runId: '1', runAttempt: '1' } },
      {},
      { idToken: () => Promise.reject(new Error('must not be called')) },
    );
    expect(none).toBeUndefined();
  });
});
