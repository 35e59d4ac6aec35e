// The build stage against a real moto server (ECR metadata, authorization token) and the recorded
// docker stand-in in __tests__/fixtures/bin (moto cannot receive a docker push).
import {
  describe,
  it,
  expect,
  jest,
  beforeAll,
  afterAll,
  beforeEach,
  afterEach,
} from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { startMoto, type Moto } from '../helpers/moto.js';
import {
  ImageStageError,
  type ImageDeps,
  TAIL_LINES,
  effectiveBuildArgs,
  execDocker,
  resolveTrainingImage,
} from '../../src/image/build.js';
import { hashBuildContext } from '../../src/image/context-hash.js';
import type { Config } from '../../src/types.js';
import { PR_CONTEXT, testConfig } from '../helpers/config.js';

const ACCOUNT = '123456789012'; // moto's default account
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const REPO = 'yolo-training';
const URI = `${REGISTRY}/${REPO}`;
// moto's token decodes to AWS:<account>-auth-token.
const PASSWORD = `${ACCOUNT}-auth-token`;
const TOKEN = Buffer.from(`AWS:${PASSWORD}`).toString('base64');
const SHA = 'c0ffee'.padEnd(40, '0');
const DIGEST = `sha256:${'d'.repeat(64)}`;
const BIN = path.resolve('__tests__/fixtures/bin');

let moto: Moto;
let ecr: ECRClient;
let work: string;
let contextDir: string;
let recordFile: string;
let stdout: string;
const savedEnv = { ...process.env };

interface Call {
  argv: string[];
  stdin?: { bytes: number; sha256: string };
}

/**
 * What the action passes: the pipeline's core-backed log and core.setSecret, so everything
 * (masks included) lands on stdout, which these tests capture as the job log.
 */
function actionDeps(extra: Partial<ImageDeps> = {}): ImageDeps {
  return {
    ecr,
    tempDir: work,
    log: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
    mask: (secret) => core.setSecret(secret),
    ...extra,
  };
}

/** What the CLI passes: its own log sink and no mask (nothing prints the secret there). */
function cliDeps(lines: string[]): ImageDeps {
  return {
    ecr,
    tempDir: work,
    log: { info: (m) => lines.push(m), warning: (m) => lines.push(`warning: ${m}`) },
    mask: () => {},
  };
}

async function calls(): Promise<Call[]> {
  if (!existsSync(recordFile)) return [];
  return (await readFile(recordFile, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Call);
}

function config(overrides: Partial<Config> = {}): Config {
  return testConfig({
    role: `arn:aws:iam::${ACCOUNT}:role/sagemaker`,
    bucket: 'bucket',
    dataset: 'data',
    ecrRepository: REPO,
    containerContext: contextDir,
    pretrainedWeights: 'yolov8n.pt',
    jobName: 'job',
    instanceType: 'ml.g4dn.xlarge',
    maxRuntimeSeconds: 3600,
    spot: false,
    maxWaitSeconds: undefined,
    waitTimeoutSeconds: 3600,
    comment: false,
    context: { ...PR_CONTEXT, ref: 'refs/pull/7/merge', sha: SHA, runId: '1', prNumber: 7 },
    ...overrides,
  });
}

const pushToMain = () =>
  config({ context: { ...config().context, eventName: 'push', ref: 'refs/heads/main' } });

async function hashTag(cfg: Config): Promise<string> {
  return (await hashBuildContext(contextDir, effectiveBuildArgs(cfg), 'linux/amd64')).tag;
}

async function describeRepo() {
  const out = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPO] }));
  return out.repositories?.[0];
}

function manifest(seed: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: {
      mediaType: 'application/vnd.docker.container.image.v1+json',
      size: 10,
      digest: `sha256:${createHash('sha256').update(`config-${seed}`).digest('hex')}`,
    },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: 10,
        digest: `sha256:${createHash('sha256').update(`layer-${seed}`).digest('hex')}`,
      },
    ],
  });
}

async function putImage(tag: string, seed = tag): Promise<string> {
  const out = await ecr.send(
    new PutImageCommand({ repositoryName: REPO, imageTag: tag, imageManifest: manifest(seed) }),
  );
  return out.image?.imageId?.imageDigest ?? '';
}

beforeAll(async () => {
  moto = await startMoto();
  ecr = new ECRClient({
    region: 'us-east-1',
    endpoint: moto.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
});

afterAll(async () => {
  ecr?.destroy();
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
  work = await mkdtemp(path.join(os.tmpdir(), 'image-stage-'));
  contextDir = path.join(work, 'training-container');
  await mkdir(contextDir);
  await writeFile(
    path.join(contextDir, 'Dockerfile'),
    'FROM python:3.11-slim\nARG PRETRAINED_WEIGHTS\n',
  );
  await writeFile(path.join(contextDir, 'train.py'), 'print("train")\n');
  recordFile = path.join(work, 'docker-calls.jsonl');
  process.env.PATH = `${BIN}${path.delimiter}${savedEnv.PATH ?? ''}`;
  process.env.DOCKER_STANDIN_RECORD = recordFile;
  process.env.DOCKER_STANDIN_DIGEST = DIGEST;
  delete process.env.DOCKER_STANDIN_FAIL;
  delete process.env.DOCKER_STANDIN_FAIL_OUTPUT;
  stdout = '';
  // Everything core and exec print goes through process.stdout: this is the job log.
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  // Restore key by key: replacing the object would detach it from what child processes inherit.
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  await rm(work, { recursive: true, force: true });
});

describe('repository', () => {
  it('creates a missing repository with scan on push and immutable tags except the cache', async () => {
    expect(await describeRepo().catch((e: Error) => e.name)).toBe('RepositoryNotFoundException');
    await resolveTrainingImage(actionDeps(), config());
    const repo = await describeRepo();
    expect(repo?.repositoryUri).toBe(URI);
    expect(repo?.imageScanningConfiguration?.scanOnPush).toBe(true);
    expect(repo?.imageTagMutability).toBe('IMMUTABLE_WITH_EXCLUSION');
    expect(repo?.imageTagMutabilityExclusionFilters).toEqual([
      { filterType: 'WILDCARD', filter: 'buildcache' },
    ]);
    expect(stdout).toContain(`Created ECR repository ${REPO}`);
  });

  it("keeps an existing repository's settings and exports the cache when the tag may move", async () => {
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: REPO, imageTagMutability: 'MUTABLE' }),
    );
    await putImage('buildcache');
    await resolveTrainingImage(actionDeps(), config());
    expect((await describeRepo())?.imageTagMutability).toBe('MUTABLE');
    const build = (await calls()).find((c) => c.argv[1] === 'build');
    expect(build?.argv).toContain('--cache-to');
  });

  it('reads but does not overwrite an existing cache in a fully immutable repository', async () => {
    await ecr.send(
      new CreateRepositoryCommand({ repositoryName: REPO, imageTagMutability: 'IMMUTABLE' }),
    );
    await putImage('buildcache');
    await resolveTrainingImage(actionDeps(), config());
    const build = (await calls()).find((c) => c.argv[1] === 'build');
    expect(build?.argv).toContain('--cache-from');
    expect(build?.argv).not.toContain('--cache-to');
    expect(stdout).toContain('using the cache read-only');
  });
});

describe('existing image', () => {
  it('skips the build entirely when the hash tag exists', async () => {
    const cfg = config();
    const tag = await hashTag(cfg);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    const digest = await putImage(tag);

    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toEqual({ imageUri: `${URI}:${tag}`, imageDigest: digest, tag, built: false });
    expect(await calls()).toEqual([]);
    expect(existsSync(recordFile)).toBe(false);
    expect(stdout).toContain(`${URI}:${tag} already exists (${digest}): skipping the build`);
    // No login was needed, so no secret was ever fetched or masked.
    expect(stdout).not.toContain('::add-mask::');
  });

  it('adds the commit tag to the existing image on a push to the default branch', async () => {
    const cfg = pushToMain();
    const tag = await hashTag(cfg);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    const digest = await putImage(tag);

    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toMatchObject({ built: false, imageDigest: digest, commitTag: SHA });
    const bySha = await ecr.send(
      new BatchGetImageCommand({ repositoryName: REPO, imageIds: [{ imageTag: SHA }] }),
    );
    expect(bySha.images?.[0]?.imageId?.imageDigest).toBe(digest);
    expect(await calls()).toEqual([]);

    // A re-run of the same commit finds both tags and changes nothing.
    const again = await resolveTrainingImage(actionDeps(), cfg);
    expect(again).toMatchObject({ built: false, imageDigest: digest, commitTag: SHA });
  });
});

describe('existing image with a conflicting commit tag', () => {
  it('leaves a commit tag that names another image alone and says so', async () => {
    const cfg = pushToMain();
    const tag = await hashTag(cfg);
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    const digest = await putImage(tag);
    const older = await putImage(SHA, 'an older build of this commit');
    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toEqual({ imageUri: `${URI}:${tag}`, imageDigest: digest, tag, built: false });
    expect(stdout).toContain(`::warning::${URI}:${SHA} already names ${older}`);
    const bySha = await ecr.send(
      new BatchGetImageCommand({ repositoryName: REPO, imageIds: [{ imageTag: SHA }] }),
    );
    expect(bySha.images?.[0]?.imageId?.imageDigest).toBe(older);
  });
});

describe('build and push with the authorization token', () => {
  it('logs in with the password on stdin, builds with buildx and logs out', async () => {
    const cfg = config({ buildArgs: { EXTRA: 'x y' } });
    const tag = await hashTag(cfg);
    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toEqual({ imageUri: `${URI}:${tag}`, imageDigest: DIGEST, tag, built: true });

    const recorded = await calls();
    const metadataFile = recorded[2]?.argv.at(-2) ?? '';
    expect(path.dirname(path.dirname(metadataFile))).toBe(work);
    expect(existsSync(path.dirname(metadataFile))).toBe(false); // cleaned up
    expect(recorded.map((c) => c.argv)).toEqual([
      ['buildx', 'version'],
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      [
        'buildx',
        'build',
        '--platform',
        'linux/amd64',
        '--push',
        '--tag',
        `${URI}:${tag}`,
        '--build-arg',
        'EXTRA=x y',
        '--build-arg',
        'PRETRAINED_WEIGHTS=yolov8n.pt',
        '--cache-from',
        `type=registry,ref=${URI}:buildcache`,
        '--cache-to',
        `type=registry,ref=${URI}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
        '--provenance=false',
        '--metadata-file',
        metadataFile,
        contextDir,
      ],
      ['logout', REGISTRY],
    ]);

    // The password reached docker on stdin, byte for byte, and nowhere else.
    expect(recorded[1]?.stdin).toEqual({
      bytes: Buffer.byteLength(PASSWORD),
      sha256: createHash('sha256').update(PASSWORD).digest('hex'),
    });
    for (const call of recorded) {
      expect(call.argv.join(' ')).not.toContain(PASSWORD);
      expect(call.argv.join(' ')).not.toContain(TOKEN);
    }
    // Masked (the runner then scrubs it from all later output) before anything could print it...
    expect(stdout).toContain(`::add-mask::${PASSWORD}\n`);
    expect(stdout).toContain(`::add-mask::${TOKEN}\n`);
    expect(stdout.indexOf(`::add-mask::${PASSWORD}`)).toBeLessThan(
      stdout.indexOf('Login Succeeded'),
    );
    // ...and never printed otherwise.
    const log = stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(TOKEN);
    // Build output reaches the log line by line; no group of its own (the pipeline groups the
    // stage, and GitHub cannot nest groups) and no raw exec echo.
    expect(stdout).toMatch(
      /Building and pushing .*src-[0-9a-f]{12}\n[\s\S]*#1 \[internal\] load build definition from Dockerfile\n/,
    );
    expect(stdout).not.toContain('::group::');
    expect(stdout).not.toContain('[command]');
  });

  it('also tags the commit SHA on a push to the default branch', async () => {
    const cfg = pushToMain();
    const tag = await hashTag(cfg);
    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result.commitTag).toBe(SHA);
    const build = (await calls()).find((c) => c.argv[1] === 'build');
    const tags = build?.argv.flatMap((a, i, all) => (all[i - 1] === '--tag' ? [a] : []));
    expect(tags).toEqual([`${URI}:${tag}`, `${URI}:${SHA}`]);
  });

  it('does not move a commit tag that already names another image', async () => {
    await ecr.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    await putImage(SHA, 'an older build of this commit');
    const result = await resolveTrainingImage(actionDeps(), pushToMain());
    expect(result.built).toBe(true);
    expect(result.commitTag).toBeUndefined();
    const build = (await calls()).find((c) => c.argv[1] === 'build');
    expect(build?.argv).not.toContain(`${URI}:${SHA}`);
    expect(stdout).toContain(`::warning::${URI}:${SHA} already names`);
  });

  it('falls back to docker build + docker push without buildx', async () => {
    process.env.DOCKER_STANDIN_FAIL = 'buildx version';
    const cfg = pushToMain();
    const tag = await hashTag(cfg);
    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toEqual({
      imageUri: `${URI}:${tag}`,
      imageDigest: DIGEST,
      tag,
      commitTag: SHA,
      built: true,
    });
    expect((await calls()).map((c) => c.argv)).toEqual([
      ['buildx', 'version'],
      ['login', '--username', 'AWS', '--password-stdin', REGISTRY],
      ['network', 'inspect', '--format', '{{.Name}}', 'bridge'],
      [
        'build',
        '--platform',
        'linux/amd64',
        '--tag',
        `${URI}:${tag}`,
        '--tag',
        `${URI}:${SHA}`,
        '--build-arg',
        'PRETRAINED_WEIGHTS=yolov8n.pt',
        contextDir,
      ],
      ['push', `${URI}:${tag}`],
      ['push', `${URI}:${SHA}`],
      ['logout', REGISTRY],
    ]);
  });
});

describe('a daemon without the default bridge network (dockerd --bridge=none)', () => {
  it("runs the classic build's RUN steps on the host network", async () => {
    process.env.DOCKER_STANDIN_FAIL = 'buildx version|network inspect';
    const cfg = config();
    await resolveTrainingImage(actionDeps(), cfg);
    const build = (await calls()).find((c) => c.argv[0] === 'build');
    expect(build?.argv.slice(0, 5)).toEqual([
      'build',
      '--platform',
      'linux/amd64',
      '--network',
      'host',
    ]);
  });
});

describe('failures name the step and show the end of the output', () => {
  const lines = Array.from({ length: 80 }, (_, i) => `build line ${i + 1}`);

  it('a failing build fails the stage with the last lines, and still logs out', async () => {
    process.env.DOCKER_STANDIN_FAIL = 'buildx build';
    process.env.DOCKER_STANDIN_FAIL_OUTPUT = `${lines.join('\n')}\n`;
    const error = await resolveTrainingImage(actionDeps(), config()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageStageError);
    const stageError = error as ImageStageError;
    expect(stageError.step).toBe('build');
    expect(stageError.tail).toEqual(lines.slice(-TAIL_LINES));
    expect(stageError.message).toMatch(
      /^Image build failed: docker buildx build exited with code 1\./,
    );
    expect(stageError.message).toContain(`\n${lines.slice(-TAIL_LINES).join('\n')}`);
    expect(stageError.message).not.toContain(`build line ${80 - TAIL_LINES}\n`);
    expect(stageError.message).not.toContain(PASSWORD);
    expect((await calls()).at(-1)?.argv).toEqual(['logout', REGISTRY]);
    // The output was also streamed to the log as it happened.
    expect(stdout).toContain('build line 1\n');
  });

  it('a failing push names the push step', async () => {
    process.env.DOCKER_STANDIN_FAIL = 'buildx version|push';
    process.env.DOCKER_STANDIN_FAIL_OUTPUT =
      'denied: not authorized to perform ecr:InitiateLayerUpload\n';
    await expect(resolveTrainingImage(actionDeps(), config())).rejects.toMatchObject({
      step: 'push',
      message: expect.stringMatching(
        /^Image push failed: docker push exited with code 1\.[\s\S]*ecr:InitiateLayerUpload/,
      ),
    });
  });

  it('a failing login names the login step and builds nothing', async () => {
    process.env.DOCKER_STANDIN_FAIL = 'login';
    process.env.DOCKER_STANDIN_FAIL_OUTPUT = 'Error response from daemon: login attempt failed\n';
    await expect(resolveTrainingImage(actionDeps(), config())).rejects.toMatchObject({
      step: 'login',
      message: expect.stringContaining('login attempt failed'),
    });
    expect((await calls()).map((c) => c.argv[0])).toEqual(['buildx', 'login']);
  });
});

describe('without push or with a given image', () => {
  it('push: false builds locally: no ECR, no login, no registry cache', async () => {
    const cfg = config({ push: false });
    const tag = await hashTag(cfg);
    const result = await resolveTrainingImage(actionDeps(), cfg);
    expect(result).toEqual({ imageUri: `${REPO}:${tag}`, tag, built: true });
    const recorded = await calls();
    expect(recorded.map((c) => c.argv.slice(0, 2))).toEqual([
      ['buildx', 'version'],
      ['buildx', 'build'],
    ]);
    expect(recorded[1]?.argv).toContain('--load');
    expect(recorded[1]?.argv.join(' ')).not.toMatch(/--push|--cache-|ecr/);
    expect(await describeRepo().catch((e: Error) => e.name)).toBe('RepositoryNotFoundException');
    expect(stdout).not.toContain('::add-mask::');
  });

  it('says what to do when docker is missing, before fetching any token', async () => {
    const docker = execDocker(path.join(work, 'no-such-docker'));
    await expect(resolveTrainingImage(actionDeps({ docker }), config())).rejects.toThrow(
      /cannot run .*no-such-docker.*set image-uri to use a prebuilt image/,
    );
    expect(stdout).not.toContain('::add-mask::');
  });

  it('image-uri skips the stage', async () => {
    const uri = `${URI}:v1`;
    const result = await resolveTrainingImage(actionDeps(), config({ imageUri: uri }));
    expect(result).toEqual({ imageUri: uri, tag: 'v1', built: false });
    const pinned = `${URI}@${DIGEST}`;
    expect(await resolveTrainingImage(actionDeps(), config({ imageUri: pinned }))).toEqual({
      imageUri: pinned,
      imageDigest: DIGEST,
      tag: '',
      built: false,
    });
    expect(await calls()).toEqual([]);
    expect(await readdir(work)).toEqual(['training-container']);
  });
});

describe('in the CLI: no workflow commands, nothing on stdout', () => {
  const secretFree = (lines: string[]) => {
    const all = lines.join('\n');
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(TOKEN);
    expect(all).not.toMatch(/^::/m);
  };

  it.each([
    ['buildx', ''],
    ['docker build + push', 'buildx version'],
  ])(
    'logs in, builds and pushes (%s) with every line in the log and none on stdout',
    async (_, fail) => {
      if (fail) process.env.DOCKER_STANDIN_FAIL = fail;
      const lines: string[] = [];
      const result = await resolveTrainingImage(cliDeps(lines), pushToMain());
      expect(result).toMatchObject({ built: true, imageDigest: DIGEST, commitTag: SHA });
      // `train --json` keeps stdout for its JSON: no ::add-mask:: (which would show the secret in
      // clear in a terminal), no ::group::, no [command] echo, no raw docker output.
      expect(stdout).toBe('');
      const recorded = await calls();
      expect(recorded[1]?.stdin?.bytes).toBe(Buffer.byteLength(PASSWORD));
      expect(lines).toContain(`docker login --username AWS --password-stdin ${REGISTRY}`);
      expect(lines).toContain('Login Succeeded');
      expect(lines).toContain(
        fail
          ? 'Successfully built 0123456789ab'
          : '#1 [internal] load build definition from Dockerfile',
      );
      secretFree(lines);
    },
  );

  it('a failing build still prints nothing and keeps the tail for the error', async () => {
    process.env.DOCKER_STANDIN_FAIL = 'buildx build';
    process.env.DOCKER_STANDIN_FAIL_OUTPUT = 'ERROR: failed to solve\n';
    const lines: string[] = [];
    await expect(resolveTrainingImage(cliDeps(lines), config())).rejects.toMatchObject({
      step: 'build',
      tail: ['ERROR: failed to solve'],
    });
    expect(stdout).toBe('');
    expect(lines).toContain('ERROR: failed to solve');
    secretFree(lines);
  });
});
