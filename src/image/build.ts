// The build stage: give the training job an image in ECR, building it only when the container
// source (build context, build args, platform) has never been built before.
// Everything it reports goes through the injected log (docker output included, line by line) and
// secrets through the injected mask: nothing here writes to stdout or emits workflow commands, so
// the CLI's stdout stays clean and the action's pipeline group is not nested.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as exec from '@actions/exec';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { Config } from '../types.js';
import { hashBuildContext } from './context-hash.js';
import {
  CACHE_TAG,
  TRAINING_PLATFORM,
  buildxBuildArgs,
  bridgeInspectArgs,
  buildxVersionArgs,
  classicBuildArgs,
  commitTagFor,
  digestFromPushOutput,
  loginArgs,
  logoutArgs,
  pushArgs,
} from './docker-args.js';
import {
  addTag,
  ensureRepository,
  findImages,
  getRegistryLogin,
  isTagImmutable,
  type ImageLog,
  type MaskSecret,
  type RegistryLogin,
  type RepositoryInfo,
} from './ecr.js';
import { registryTagDigest } from './registry.js';

export type { ImageLog, MaskSecret } from './ecr.js';

export interface ImageResult {
  /** What the job runs: `<repository uri>:<tag>` (or the `image-uri` input, or a local name). */
  imageUri: string;
  /** Registry digest, when known (pushed or found in ECR). */
  imageDigest?: string;
  /** The content-hash tag `src-<12 hex>` (or the tag of a given `image-uri`, possibly empty). */
  tag: string;
  /** Also tagged with this commit SHA (push to the default branch). */
  commitTag?: string;
  /** false when the image already existed (or was given): nothing was built. */
  built: boolean;
}

export type DockerStep = 'login' | 'build' | 'push';

/** A docker step failed: the message names the step and carries the end of its output. */
export class ImageStageError extends Error {
  constructor(
    readonly step: DockerStep,
    message: string,
    readonly tail: readonly string[],
  ) {
    super(message);
    this.name = 'ImageStageError';
  }
}

export interface DockerResult {
  exitCode: number;
  /** The last lines of stdout and stderr, interleaved as they arrived. */
  tail: string[];
}

export interface DockerRunOptions {
  /** Written to docker's stdin (the registry password: never in argv). */
  input?: Buffer;
  /** Added to docker's environment for this call (DOCKER_BUILDKIT for the classic builder). */
  env?: Record<string, string>;
  /** Receives each line of stdout and stderr as it arrives; omitted: the output is only kept. */
  onLine?: (line: string) => void;
}

export type DockerRunner = (args: string[], options?: DockerRunOptions) => Promise<DockerResult>;

export const TAIL_LINES = 50;

/**
 * Runs docker through @actions/exec (argument array, no shell). exec itself prints nothing (no
 * `[command]` echo, no raw output on stdout): each line goes to `onLine` and into the tail.
 */
export function execDocker(command = 'docker', env: NodeJS.ProcessEnv = process.env): DockerRunner {
  return async (args, options = {}) => {
    const tail: string[] = [];
    const keep = (line: string) => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      options.onLine?.(line);
    };
    let exitCode: number;
    try {
      exitCode = await exec.exec(command, args, {
        ignoreReturnCode: true,
        // Passed explicitly so docker sees this module's view of the environment (DOCKER_CONFIG,
        // DOCKER_HOST, ...), which is not always the process's own (test sandboxes, embedders).
        env: { ...definedOnly(env), ...options.env },
        silent: true,
        ...(options.input ? { input: options.input } : {}),
        listeners: { stdline: keep, errline: keep },
      });
    } catch (error) {
      throw new Error(
        `cannot run ${command}: ${(error as Error).message}. The build stage needs Docker; set image-uri to use a prebuilt image instead.`,
      );
    }
    return { exitCode, tail };
  };
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

/** One docker step whose output is part of the log; a non-zero exit fails the stage. */
async function runStep(
  docker: DockerRunner,
  log: ImageLog,
  step: DockerStep,
  args: string[],
  extra: Pick<DockerRunOptions, 'input' | 'env'> = {},
): Promise<DockerResult> {
  log.info(`docker ${args.join(' ')}`);
  const onLine = (line: string) => log.info(line);
  const result = await docker(args, { ...extra, onLine });
  if (result.exitCode !== 0) {
    const what = `docker ${args.slice(0, args[0] === 'buildx' ? 2 : 1).join(' ')}`;
    const shown = result.tail.length
      ? `\nLast ${result.tail.length} lines:\n${result.tail.join('\n')}`
      : '';
    throw new ImageStageError(
      step,
      `Image ${step} failed: ${what} exited with code ${result.exitCode}.${shown}`,
      result.tail,
    );
  }
  return result;
}

/** Tag (or digest) part of an image reference, for the given-`image-uri` case. */
function tagOfReference(uri: string): string {
  const lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
  if (lastSegment.includes('@')) return '';
  const colon = lastSegment.lastIndexOf(':');
  return colon >= 0 ? lastSegment.slice(colon + 1) : '';
}

function digestOfReference(uri: string): string | undefined {
  return /@(sha256:[0-9a-f]{64})$/.exec(uri)?.[1];
}

async function readMetadataDigest(file: string): Promise<string | undefined> {
  try {
    const meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const digest = meta['containerimage.digest'];
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}

export interface ImageDeps {
  ecr: ECRClient;
  /** Progress, docker output and warnings (the pipeline's StageLog). */
  log: ImageLog;
  /** Called with the ECR token and password before they are used: core.setSecret in the action. */
  mask: MaskSecret;
  /** Defaults to `docker` from PATH via @actions/exec. */
  docker?: DockerRunner;
  /** Where the buildx metadata file goes; defaults to RUNNER_TEMP or the OS temp dir. */
  tempDir?: string;
  /**
   * `host[:port]` that `docker login` and `docker push` use instead of the repository's ECR host
   * (an ECR-compatible data plane: the local registry of the tests). ECR's API still creates the
   * repository and issues the login; the tag lookup asks this registry, which holds the images.
   */
  registry?: string;
}

interface BuildPlan {
  context: string;
  refs: string[];
  buildArgs: Record<string, string>;
  push: boolean;
  cacheRef?: string;
  cacheWrite: boolean;
}

async function hasBuildx(docker: DockerRunner): Promise<boolean> {
  return (await docker(buildxVersionArgs())).exitCode === 0;
}

/**
 * A daemon started with `--bridge=none` has no `bridge` network, and a build's RUN steps (pip
 * install) would have no network at all: those builds use the host's network instead.
 */
async function hasDefaultBridge(docker: DockerRunner): Promise<boolean> {
  return (await docker(bridgeInspectArgs())).exitCode === 0;
}

/** buildx when available (registry cache, direct push), else `docker build` + `docker push`. */
async function buildAndPush(
  docker: DockerRunner,
  log: ImageLog,
  plan: BuildPlan,
  useBuildx: boolean,
  tempDir: string,
): Promise<string | undefined> {
  const primary = plan.refs[0] ?? '';
  if (useBuildx) {
    const dir = await mkdtemp(path.join(tempDir, 'image-build-'));
    const metadataFile = path.join(dir, 'metadata.json');
    try {
      const args = buildxBuildArgs({
        context: plan.context,
        refs: plan.refs,
        buildArgs: plan.buildArgs,
        platform: TRAINING_PLATFORM,
        push: plan.push,
        cacheWrite: plan.cacheWrite,
        metadataFile,
        ...(plan.cacheRef ? { cacheRef: plan.cacheRef } : {}),
      });
      log.info(`Building${plan.push ? ' and pushing' : ''} ${primary}`);
      await runStep(docker, log, 'build', args);
      return plan.push ? await readMetadataDigest(metadataFile) : undefined;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  log.info('docker buildx is not available: building with `docker build` (no registry cache)');
  const hostNetwork = !(await hasDefaultBridge(docker));
  if (hostNetwork) {
    log.info(
      "The daemon has no default bridge network: the build's RUN steps use the host network",
    );
  }
  const args = classicBuildArgs({
    context: plan.context,
    refs: plan.refs,
    buildArgs: plan.buildArgs,
    platform: TRAINING_PLATFORM,
    ...(hostNetwork ? { network: 'host' } : {}),
  });
  log.info(`Building ${primary}`);
  // BuildKit (built into Docker 18.09+) caches per instruction and understands --platform; the
  // legacy builder would rebuild after any changed file and is deprecated.
  await runStep(docker, log, 'build', args, { env: { DOCKER_BUILDKIT: '1' } });
  if (!plan.push) return undefined;
  let digest: string | undefined;
  for (const ref of plan.refs) {
    log.info(`Pushing ${ref}`);
    const result = await runStep(docker, log, 'push', pushArgs(ref));
    digest ??= digestFromPushOutput(result.tail.join('\n'));
  }
  return digest;
}

/** Build args as the image sees them: `pretrained-weights` is baked in as PRETRAINED_WEIGHTS. */
export function effectiveBuildArgs(config: Pick<Config, 'buildArgs' | 'pretrainedWeights'>) {
  return {
    ...config.buildArgs,
    ...(config.pretrainedWeights ? { PRETRAINED_WEIGHTS: config.pretrainedWeights } : {}),
  };
}

/**
 * The whole build stage. With `image-uri` it only echoes it. With `push: false` (PRs from forks:
 * no AWS credentials) it builds into the local image store and touches neither ECR nor a login.
 */
export async function resolveTrainingImage(deps: ImageDeps, config: Config): Promise<ImageResult> {
  const { log } = deps;
  if (config.imageUri) {
    log.info(`Using the given image ${config.imageUri}; nothing to build`);
    const digest = digestOfReference(config.imageUri);
    return {
      imageUri: config.imageUri,
      tag: tagOfReference(config.imageUri),
      built: false,
      ...(digest ? { imageDigest: digest } : {}),
    };
  }

  const docker = deps.docker ?? execDocker();
  const tempDir = deps.tempDir ?? process.env.RUNNER_TEMP ?? os.tmpdir();
  const context = path.resolve(config.containerContext);
  const buildArgs = effectiveBuildArgs(config);
  const hash = await hashBuildContext(context, buildArgs, TRAINING_PLATFORM);
  const { tag } = hash;
  log.info(`Container source ${config.containerContext}: ${hash.files} files -> tag ${tag}`);

  if (!config.push) {
    const ref = `${config.ecrRepository}:${tag}`;
    log.info('push is false: building locally only (no ECR, no registry login)');
    await buildAndPush(
      docker,
      log,
      { context, refs: [ref], buildArgs, push: false, cacheWrite: false },
      await hasBuildx(docker),
      tempDir,
    );
    return { imageUri: ref, tag, built: true };
  }

  const repo = await ensureRepository(deps.ecr, config.ecrRepository, log);
  if (deps.registry) {
    return pushToRegistry(deps, docker, tempDir, repo, deps.registry, {
      context,
      buildArgs,
      tag,
      commitTag: commitTagFor(config.context),
    });
  }
  const commitTag = commitTagFor(config.context);
  const wanted = [tag, CACHE_TAG, ...(commitTag ? [commitTag] : [])];
  const existing = await findImages(deps.ecr, repo.name, wanted);
  const imageUri = `${repo.uri}:${tag}`;

  const hashImage = existing.get(tag);
  if (hashImage) {
    log.info(`${imageUri} already exists (${hashImage.digest}): skipping the build`);
    let tagged = false;
    if (commitTag) {
      const current = existing.get(commitTag);
      if (!current) tagged = await addTag(deps.ecr, repo.name, hashImage, commitTag, log);
      else if (current.digest === hashImage.digest) tagged = true;
      else log.warning(`${repo.uri}:${commitTag} already names ${current.digest}; not re-tagging`);
    }
    return {
      imageUri,
      imageDigest: hashImage.digest,
      tag,
      built: false,
      ...(tagged && commitTag ? { commitTag } : {}),
    };
  }

  const refs = [imageUri];
  let pushedCommitTag: string | undefined;
  if (commitTag) {
    // The same commit built before with other inputs: do not move its tag (an immutable
    // repository would fail the whole push over an informational tag).
    const other = existing.get(commitTag);
    if (other)
      log.warning(`${repo.uri}:${commitTag} already names ${other.digest}; not re-tagging`);
    else {
      refs.push(`${repo.uri}:${commitTag}`);
      pushedCommitTag = commitTag;
    }
  }
  const cacheWrite = cacheWritable(repo, existing.has(CACHE_TAG));
  if (!cacheWrite) {
    log.info(`${repo.uri}:${CACHE_TAG} exists and tags are immutable: using the cache read-only`);
  }

  // Probed before the token is fetched: a host without docker fails here, holding no secret yet.
  const buildx = await hasBuildx(docker);
  const login = await getRegistryLogin(deps.ecr, repo.registry, deps.mask);
  const digest = await withLogin(docker, log, login, () =>
    buildAndPush(
      docker,
      log,
      { context, refs, buildArgs, push: true, cacheRef: `${repo.uri}:${CACHE_TAG}`, cacheWrite },
      buildx,
      tempDir,
    ),
  );
  if (!digest) log.warning(`pushed ${imageUri} but could not read its digest`);
  log.info(`Pushed ${imageUri}${digest ? ` (${digest})` : ''}`);
  return {
    imageUri,
    tag,
    built: true,
    ...(digest ? { imageDigest: digest } : {}),
    ...(pushedCommitTag ? { commitTag: pushedCommitTag } : {}),
  };
}

/** Logged in for the whole of `work`, logged out after it whatever happens. */
async function withLogin<T>(
  docker: DockerRunner,
  log: ImageLog,
  login: RegistryLogin,
  work: () => Promise<T>,
): Promise<T> {
  await runStep(docker, log, 'login', loginArgs(login.registry, login.username), {
    input: Buffer.from(login.password, 'utf8'),
  });
  try {
    return await work();
  } finally {
    // Do not leave a registry credential in ~/.docker/config.json (self-hosted runners persist it).
    const out = await docker(logoutArgs(login.registry)).catch(() => undefined);
    if (out?.exitCode !== 0) log.warning(`docker logout ${login.registry} failed`);
  }
}

/** The build stage against `deps.registry`: same tag, same build, same push; lookup there. */
async function pushToRegistry(
  deps: ImageDeps,
  docker: DockerRunner,
  tempDir: string,
  repo: RepositoryInfo,
  registry: string,
  source: { context: string; buildArgs: Record<string, string>; tag: string; commitTag?: string },
): Promise<ImageResult> {
  const { log } = deps;
  const { tag, commitTag } = source;
  const uri = `${registry}/${repo.name}`;
  const imageUri = `${uri}:${tag}`;
  const buildx = await hasBuildx(docker);
  const login = await getRegistryLogin(deps.ecr, registry, deps.mask);
  const found = await registryTagDigest(login, repo.name, tag);
  if (found) {
    log.info(`${imageUri} already exists (${found}): skipping the build`);
    return { imageUri, imageDigest: found, tag, built: false };
  }
  const refs = [imageUri, ...(commitTag ? [`${uri}:${commitTag}`] : [])];
  const digest = await withLogin(docker, log, login, () =>
    buildAndPush(
      docker,
      log,
      {
        context: source.context,
        refs,
        buildArgs: source.buildArgs,
        push: true,
        cacheRef: `${uri}:${CACHE_TAG}`,
        cacheWrite: true,
      },
      buildx,
      tempDir,
    ),
  );
  if (!digest) log.warning(`pushed ${imageUri} but could not read its digest`);
  log.info(`Pushed ${imageUri}${digest ? ` (${digest})` : ''}`);
  return {
    imageUri,
    tag,
    built: true,
    ...(digest ? { imageDigest: digest } : {}),
    ...(commitTag ? { commitTag } : {}),
  };
}

/** The cache tag may be (re)written unless the repository would refuse to move it. */
export function cacheWritable(
  repo: Pick<RepositoryInfo, 'mutability' | 'exclusionFilters'>,
  cacheTagExists: boolean,
): boolean {
  return !cacheTagExists || !isTagImmutable(repo, CACHE_TAG);
}
