// The job commands' exit codes: status, stop, logs and report (with the sticky PR comment against
// the GitHub stand-in), on the emulator where it implements the call and a stub client where not;
// and `<command> --help` for every command.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createAwsClients, type AwsClients } from '../../src/aws.js';
import { runCli, type CliDeps } from '../../src/cli/program.js';
import { commentMarker } from '../../src/report/comment.js';
import { TRAINING_LOG_GROUP } from '../../src/training/logs.js';
import type { RunContext } from '../../src/types.js';
import { removeDir, tempDir } from '../dataset/fixtures.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { makeOutputArchive, METRICS_JSON, RESULTS_CSV } from '../metrics/archive.js';
import {
  ISSUE,
  OWNER,
  REPO,
  startGitHubStandIn,
  type Identity,
  type StandIn,
} from '../report/github-standin.js';

const REGION = 'us-east-1';
const BUCKET = 'cli-report';
const JOB = 'floorplans-report-1';
let modelDir = '';

const context: RunContext = {
  repository: `${OWNER}/${REPO}`,
  eventName: 'cli',
  ref: 'refs/heads/main',
  sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
  runId: '1700000000',
  runAttempt: '1',
  serverUrl: 'https://github.com',
  isForkPullRequest: false,
};

const TOKENS: Record<string, Identity> = {
  'ghs-actions': { login: 'github-actions[bot]', type: 'Bot', installation: true, canWrite: true },
  'ghs-readonly': {
    login: 'github-actions[bot]',
    type: 'Bot',
    installation: true,
    canWrite: false,
  },
};

let moto: Moto;
let gh: StandIn;

function harness(extra: Partial<CliDeps> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const json: string[] = [];
  const deps: CliDeps = {
    env: { ...moto.env },
    cwd: process.cwd(),
    actionRoot: process.cwd(),
    context,
    sinks: { out: (l) => out.push(l), err: (l) => err.push(l) },
    stdout: (t) => json.push(t),
    clients: (c) => createAwsClients({ region: c.region, env: moto.env }),
    ...extra,
  };
  return { deps, out, err, json };
}

/** AwsClients whose SageMaker client answers every send with `answer` (moto lacks some calls). */
function stubSageMaker(answer: (command: unknown) => Promise<unknown>) {
  const sent: unknown[] = [];
  const clients = {
    sagemaker: {
      send: (command: unknown) => {
        sent.push(command);
        return answer(command);
      },
    },
  } as unknown as AwsClients;
  return { sent, clients: () => clients };
}

const awsError = (name: string, message: string) => Object.assign(new Error(message), { name });

beforeAll(async () => {
  moto = await startMoto();
  gh = await startGitHubStandIn(TOKENS);
  const clients = createAwsClients({ region: REGION, env: moto.env });
  await clients.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  // moto completes a job at once, with ModelArtifacts under <S3OutputPath>/<job>/output/.
  await clients.sagemaker.send(
    new CreateTrainingJobCommand({
      TrainingJobName: JOB,
      RoleArn: 'arn:aws:iam::123456789012:role/SageMakerRole',
      AlgorithmSpecification: {
        TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training:abc',
        TrainingInputMode: 'File',
      },
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/yolo-training/output` },
      ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1, VolumeSizeInGB: 50 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    }),
  );
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `yolo-training/output/${JOB}/output/output.tar.gz`,
      Body: makeOutputArchive({
        'metrics.json': JSON.stringify({ ...METRICS_JSON, map50: 0.9 }),
        'results.csv': RESULTS_CSV,
        'plots/results.png': 'PNG',
      }),
    }),
  );
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: BUCKET,
      Key: `yolo-training/output/${JOB}/output/model.tar.gz`,
      Body: makeOutputArchive({
        'best.pt': 'BEST',
        'last.pt': 'LAST',
        'training_metrics.json': '{}',
      }),
    }),
  );
  modelDir = await tempDir('cli-report-models-');
}, 60_000);

afterAll(async () => {
  if (modelDir) await removeDir(modelDir);
  await gh?.close();
  await moto?.stop();
});

describe('status', () => {
  it('0 for a Completed job, with --aws-region as train spells it', async () => {
    const { deps, out } = harness({ env: { ...moto.env, AWS_REGION: '' } });
    expect(await runCli(['status', JOB, '--aws-region', REGION], deps)).toBe(0);
    expect(out.join('\n')).toMatch(/Completed/);
  });

  it('0 with --region, and --json prints the outcome', async () => {
    const { deps, json } = harness();
    expect(await runCli(['status', JOB, '--region', REGION, '--json'], deps)).toBe(0);
    expect(JSON.parse(json.join('\n'))).toMatchObject({ jobName: JOB, status: 'Completed' });
  });

  it('1 for a Failed job', async () => {
    const stub = stubSageMaker(async () => ({
      TrainingJobName: JOB,
      TrainingJobStatus: 'Failed',
      FailureReason: 'AlgorithmError: CUDA out of memory',
    }));
    const { deps, out } = harness({ clients: stub.clients });
    expect(await runCli(['status', JOB, '--region', REGION], deps)).toBe(1);
    expect(out.join('\n')).toMatch(/Failed/);
  });

  it('2 when --region and --aws-region disagree, or no region is known', async () => {
    const { deps } = harness({ env: {} });
    expect(
      await runCli(['status', JOB, '--region', REGION, '--aws-region', 'eu-west-1'], deps),
    ).toBe(2);
    expect(await runCli(['status', JOB], deps)).toBe(2);
  });
});

describe('stop', () => {
  it('0 when the stop is requested', async () => {
    const stub = stubSageMaker(async () => ({}));
    const { deps, out, err } = harness({ clients: stub.clients });
    expect(await runCli(['stop', JOB, '--aws-region', REGION], deps)).toBe(0);
    expect(stub.sent).toHaveLength(1);
    // Said once: stopTrainingJob logs it, the command does not print it again.
    expect([...out, ...err].join('\n').match(/Requested stop of training job/g)).toHaveLength(1);
  });

  it('1 when the job does not exist', async () => {
    const stub = stubSageMaker(async () => {
      throw awsError('ValidationException', 'Requested resource not found.');
    });
    const { deps, out, err } = harness({ clients: stub.clients });
    expect(await runCli(['stop', 'no-such-job', '--region', REGION], deps)).toBe(1);
    expect([...out, ...err].join('\n').match(/does not exist/g)).toHaveLength(1);
  });
});

describe('logs', () => {
  it("prints the job's CloudWatch lines (exit 0), and exits 0 with a note when there are none", async () => {
    const logs = new CloudWatchLogsClient({
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    try {
      const stream = `${JOB}/algo-1-123`;
      await logs.send(new CreateLogGroupCommand({ logGroupName: TRAINING_LOG_GROUP }));
      await logs.send(
        new CreateLogStreamCommand({ logGroupName: TRAINING_LOG_GROUP, logStreamName: stream }),
      );
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: TRAINING_LOG_GROUP,
          logStreamName: stream,
          logEvents: ['epoch 1/2 map50=0.5', 'epoch 2/2 map50=0.9'].map((message, i) => ({
            message,
            timestamp: Date.now() + i,
          })),
        }),
      );
    } finally {
      logs.destroy();
    }
    const { deps, json } = harness();
    expect(await runCli(['logs', JOB, '--aws-region', REGION], deps)).toBe(0);
    // The whole log is one block (one fence when a line could be a workflow command).
    expect(json).toEqual(['epoch 1/2 map50=0.5\nepoch 2/2 map50=0.9']);

    const quiet = harness();
    expect(await runCli(['logs', 'other-job', '--region', REGION], quiet.deps)).toBe(0);
    expect(quiet.json).toEqual([]);
    expect(quiet.err.join('\n')).toMatch(/no log lines for other-job/);
  });
});

describe('report', () => {
  const flags = (...more: string[]) => [
    'report',
    JOB,
    '--bucket',
    BUCKET,
    '--aws-region',
    REGION,
    '--model-dir',
    modelDir,
    ...more,
  ];
  const ghEnv = (token = 'ghs-actions') => ({
    ...moto.env,
    GITHUB_TOKEN: token,
    GITHUB_API_URL: gh.baseUrl,
  });
  const pr = ['--pr', String(ISSUE)];

  it('needs no --role: prints the comment and writes --comment-file (exit 0 on pass)', async () => {
    const dir = await tempDir('cli-report-');
    try {
      const file = path.join(dir, 'comment.md');
      const { deps, out } = harness();
      expect(await runCli(flags('--map50-threshold', '0.85', '--comment-file', file), deps)).toBe(
        0,
      );
      const body = await readFile(file, 'utf8');
      expect(body).toContain(commentMarker());
      // report downloads the model by default, plots beside it, and the comment says so.
      expect(await readFile(path.join(modelDir, 'best.pt'), 'utf8')).toBe('BEST');
      expect(await readFile(path.join(modelDir, 'plots', 'results.png'), 'utf8')).toBe('PNG');
      expect(body).toContain('Downloaded: `best.pt`, `last.pt`, `training_metrics.json`.');
      expect(body).toContain('Plots: `results.png`');
      expect(out.join('\n')).toContain(body);
      expect(gh.requests).toHaveLength(0);
    } finally {
      await removeDir(dir);
    }
  });

  it('--pr posts one sticky comment, then updates it; exit 0 on pass, 1 on a failed gate', async () => {
    gh.comments.length = 0;
    const first = harness({ env: ghEnv() });
    expect(await runCli(flags('--map50-threshold', '0.85', ...pr, '--json'), first.deps)).toBe(0);
    expect(JSON.parse(first.json.join('\n'))).toMatchObject({
      passed: true,
      comment: { action: 'created' },
    });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toContain(commentMarker());
    expect(gh.comments[0]?.body).toMatch(/0\.9/);

    const again = harness({ env: ghEnv() });
    expect(await runCli(flags('--map50-threshold', '0.85', ...pr, '--json'), again.deps)).toBe(0);
    expect(JSON.parse(again.json.join('\n'))).toMatchObject({
      comment: { action: expect.stringMatching(/^(unchanged|updated)$/) },
    });
    expect(gh.comments).toHaveLength(1);

    const failing = harness({ env: ghEnv() });
    expect(await runCli(flags('--map50-threshold', '0.95', ...pr), failing.deps)).toBe(1);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.body).toMatch(/0\.95/);
    expect(failing.out.join('\n')).toMatch(/map50 0\.9000 < 0\.95/);
  });

  it('--repository names the repository when the git remote is not GitHub', async () => {
    gh.comments.length = 0;
    const local = { ...context, repository: 'local/floorplans' };
    const refused = harness({ env: ghEnv(), context: local, clients: () => fail() });
    expect(await runCli(flags(...pr), refused.deps)).toBe(2);
    expect(refused.err.join('\n')).toMatch(/--repository owner\/name/);

    const { deps } = harness({ env: ghEnv(), context: local });
    expect(await runCli(flags(...pr, '--repository', `${OWNER}/${REPO}`), deps)).toBe(0);
    expect(gh.comments).toHaveLength(1);
  });

  it('2 before any AWS call for --pr without GITHUB_TOKEN or with a bad number', async () => {
    const noToken = harness({ clients: () => fail() });
    expect(await runCli(flags(...pr), noToken.deps)).toBe(2);
    expect(noToken.err.join('\n')).toMatch(/GITHUB_TOKEN/);
    const bad = harness({ env: ghEnv(), clients: () => fail() });
    expect(await runCli(flags('--pr', 'twelve'), bad.deps)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--pr must be a whole number/);
  });

  it('1 when the token may not comment, although the gate passed', async () => {
    gh.comments.length = 0;
    const { deps, err } = harness({ env: ghEnv('ghs-readonly') });
    expect(await runCli(flags(...pr), deps)).toBe(1);
    expect(err.join('\n')).toMatch(/the comment was not posted/);
    expect(gh.comments).toHaveLength(0);
  });

  it('--comment false prints the comment instead of posting it', async () => {
    gh.comments.length = 0;
    const { deps, out } = harness({ env: ghEnv() });
    expect(await runCli(flags(...pr, '--comment', 'false'), deps)).toBe(0);
    expect(gh.comments).toHaveLength(0);
    expect(out.join('\n')).toContain(commentMarker());
  });
});

function fail(): never {
  throw new Error('no AWS client may be made for bad input');
}

describe('--help', () => {
  const commands = ['train', 'validate', 'sync', 'status', 'stop', 'logs', 'report'];

  /** Commander's help goes through the CLI's stdout writer, like every other result. */
  async function help(args: string[]): Promise<{ code: number; text: string }> {
    const h = harness();
    const code = await runCli(args, h.deps);
    return { code, text: h.json.join('\n') };
  }

  it.each(commands)('%s --help exits 0 and shows its usage', async (command) => {
    const { code, text } = await help([command, '--help']);
    expect(code).toBe(0);
    expect(text).toContain(`Usage: sagemaker-yolo ${command}`);
  });

  it('the top-level help lists every command', async () => {
    const { code, text } = await help(['--help']);
    expect(code).toBe(0);
    for (const command of commands) expect(text).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });

  it('train says the token comes from GITHUB_TOKEN, and is not a flag', async () => {
    const { text } = await help(['train', '--help']);
    expect(text).toMatch(/GITHUB_TOKEN\s+the action's github-token input/);
    expect(text).not.toMatch(/--github-token/);
  });

  it('status, stop and logs take both region spellings', async () => {
    for (const command of ['status', 'stop', 'logs']) {
      const { text } = await help([command, '--help']);
      expect(text).toMatch(/--region <region>/);
      expect(text).toMatch(/--aws-region <region>/);
    }
  });
});
