// Thin ECR adapter: repository, image lookup, extra tags and the registry login, via the SDK.
// Logging and secret masking are the caller's: the action routes them to @actions/core, the CLI to
// its own sinks (a workflow command such as ::add-mask:: printed in a terminal would show the secret).
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  type ECRClient,
  type ImageTagMutabilityExclusionFilter,
  type Repository,
} from '@aws-sdk/client-ecr';
import { errorName } from '../errors.js';
import { CACHE_TAG } from './docker-args.js';

/** Where the image stage reports progress (the pipeline's StageLog satisfies it). */
export interface ImageLog {
  info(message: string): void;
  warning(message: string): void;
}

/** Hides a value from all later output: core.setSecret in the action, a no-op in the CLI. */
export type MaskSecret = (secret: string) => void;

export interface RepositoryInfo {
  name: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  uri: string;
  /** Host part of the URI: what `docker login` and `docker push` talk to. */
  registry: string;
  mutability: string;
  exclusionFilters: { filterType?: string; filter?: string }[];
  created: boolean;
}

export interface StoredImage {
  digest: string;
  manifest: string;
  mediaType?: string;
}

export interface RegistryLogin {
  registry: string;
  username: string;
  password: string;
}

// Ask for every manifest type as stored, so ECR never converts one and a retag stays byte-identical.
const ACCEPTED_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
];

function toInfo(repo: Repository | undefined, created: boolean): RepositoryInfo {
  if (!repo?.repositoryUri || !repo.repositoryName) {
    throw new Error('ECR returned a repository without a name or URI');
  }
  return {
    name: repo.repositoryName,
    uri: repo.repositoryUri,
    registry: repo.repositoryUri.split('/')[0] ?? repo.repositoryUri,
    mutability: repo.imageTagMutability ?? 'MUTABLE',
    exclusionFilters: repo.imageTagMutabilityExclusionFilters ?? [],
    created,
  };
}

/**
 * Tag immutability is safe here because the main tag is a content hash: a tag can only ever
 * name the image built from that exact source, and an existing tag means the build is skipped,
 * so nothing ever needs to move it. The one tag that must move is the build cache, hence the
 * exclusion; commit tags are new for every commit and never pushed twice. No `latest` tag is
 * written: it would have to move, and jobs must name an image that cannot change under them.
 */
const CREATE_SETTINGS = {
  imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const,
  imageTagMutabilityExclusionFilters: [
    { filterType: 'WILDCARD', filter: CACHE_TAG },
  ] satisfies ImageTagMutabilityExclusionFilter[],
};

/** Find the repository or create it (scan on push, immutable tags). Existing settings are kept. */
export async function ensureRepository(
  ecr: ECRClient,
  name: string,
  log: ImageLog,
): Promise<RepositoryInfo> {
  const describe = async () =>
    (await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })))
      .repositories?.[0];
  try {
    return toInfo(await describe(), false);
  } catch (error) {
    if (errorName(error) !== 'RepositoryNotFoundException') throw error;
  }
  const create = (settings: object) =>
    ecr.send(
      new CreateRepositoryCommand({
        repositoryName: name,
        // Deprecated in favour of registry-level scanning, but still honoured, and it is the only
        // switch a single repository's creator controls.
        imageScanningConfiguration: { scanOnPush: true },
        ...settings,
      }),
    );
  try {
    let created;
    try {
      created = await create(CREATE_SETTINGS);
    } catch (error) {
      // Partitions without tag-mutability exclusions: plain IMMUTABLE, the cache is then read-only
      // after its first write (the build stage checks before exporting it).
      if (errorName(error) !== 'InvalidParameterException') throw error;
      log.warning(
        `ECR rejected tag-mutability exclusions (${(error as Error).message}); creating ${name} with IMMUTABLE tags`,
      );
      created = await create({ imageTagMutability: 'IMMUTABLE' });
    }
    log.info(`Created ECR repository ${name} (scan on push, immutable tags)`);
    return toInfo(created.repository, true);
  } catch (error) {
    // A concurrent run created it between our describe and create.
    if (errorName(error) !== 'RepositoryAlreadyExistsException') throw error;
    return toInfo(await describe(), false);
  }
}

/** `*` matches any run of characters, everything else literally (ECR's WILDCARD filter). */
function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(tag);
}

/** Whether ECR would refuse to move `tag` once it exists in this repository. Pure. */
export function isTagImmutable(
  repo: Pick<RepositoryInfo, 'mutability' | 'exclusionFilters'>,
  tag: string,
): boolean {
  const excluded = repo.exclusionFilters.some(
    (f) => f.filter !== undefined && wildcardMatches(f.filter, tag),
  );
  switch (repo.mutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
    default:
      return false;
  }
}

/**
 * The images currently under the given tags (absent tags are simply missing from the map).
 * One request per tag, so each answer is tied to the tag that was asked for, whatever tag the
 * response's imageId happens to show for an image that carries several.
 */
export async function findImages(
  ecr: ECRClient,
  repositoryName: string,
  tags: readonly string[],
): Promise<Map<string, StoredImage>> {
  const found = new Map<string, StoredImage>();
  const lookups = tags.map(async (tag) => {
    const out = await ecr.send(
      new BatchGetImageCommand({
        repositoryName,
        imageIds: [{ imageTag: tag }],
        acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
      }),
    );
    const failure = out.failures?.[0];
    if (failure && failure.failureCode !== 'ImageNotFound') {
      throw new Error(
        `ECR BatchGetImage failed for ${repositoryName}:${tag}: ${failure.failureCode} ${failure.failureReason ?? ''}`.trim(),
      );
    }
    const image = out.images?.[0];
    const digest = image?.imageId?.imageDigest;
    if (!image?.imageManifest || !digest) return;
    found.set(tag, {
      digest,
      manifest: image.imageManifest,
      ...(image.imageManifestMediaType ? { mediaType: image.imageManifestMediaType } : {}),
    });
  });
  await Promise.all(lookups);
  return found;
}

/**
 * Add a tag to an image already in the repository, without docker (ECR's documented retag:
 * PutImage with the same manifest). Informational tags must not fail the stage, so conflicts
 * only warn.
 */
export async function addTag(
  ecr: ECRClient,
  repositoryName: string,
  image: StoredImage,
  tag: string,
  log: ImageLog,
): Promise<boolean> {
  try {
    await ecr.send(
      new PutImageCommand({
        repositoryName,
        imageManifest: image.manifest,
        imageTag: tag,
        ...(image.mediaType ? { imageManifestMediaType: image.mediaType } : {}),
      }),
    );
    log.info(`Tagged ${repositoryName}@${image.digest} as ${tag}`);
    return true;
  } catch (error) {
    const name = errorName(error);
    if (name === 'ImageAlreadyExistsException') {
      log.info(`${repositoryName}:${tag} already names ${image.digest}`);
      return true;
    }
    if (name === 'ImageTagAlreadyExistsException') {
      log.warning(`${repositoryName}:${tag} already names another image; left unchanged`);
      return false;
    }
    throw error;
  }
}

/**
 * Registry credentials from GetAuthorizationToken. Both the token and the decoded password are
 * passed to `mask` before this returns, so in the action no later log line, error or debug output
 * can show them. Nothing here prints either value.
 */
export async function getRegistryLogin(
  ecr: ECRClient,
  registry: string,
  mask: MaskSecret,
): Promise<RegistryLogin> {
  const out = await ecr.send(new GetAuthorizationTokenCommand({}));
  const token = out.authorizationData?.[0]?.authorizationToken;
  if (!token) throw new Error('ECR GetAuthorizationToken returned no token');
  mask(token);
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new Error('ECR authorization token is not in the form <user>:<password>');
  }
  const password = decoded.slice(colon + 1);
  mask(password);
  return { registry, username: decoded.slice(0, colon), password };
}
