// Pure builders for docker argument arrays. They are handed to @actions/exec as arrays, never
// joined into a shell line, so no input value can be interpreted by a shell.
import type { RunContext } from '../types.js';

/** SageMaker training instances are x86_64; building for it also works from an arm64 laptop. */
export const TRAINING_PLATFORM = 'linux/amd64';
/** The registry build cache lives in the training repository under this (mutable) tag. */
export const CACHE_TAG = 'buildcache';

const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `--build-arg K=V` pairs, sorted by name so the argument list is stable. */
export function buildArgFlags(buildArgs: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(buildArgs).sort();
  for (const name of names) {
    if (!BUILD_ARG_NAME.test(name)) {
      throw new Error(
        `build-args: "${name}" is not a valid build argument name (letters, digits, _; not starting with a digit)`,
      );
    }
  }
  return names.flatMap((name) => ['--build-arg', `${name}=${buildArgs[name]}`]);
}

export function loginArgs(registry: string, username = 'AWS'): string[] {
  // The password is written to stdin by the caller: argv is visible to every process on the host.
  return ['login', '--username', username, '--password-stdin', registry];
}

export function logoutArgs(registry: string): string[] {
  return ['logout', registry];
}

export function buildxVersionArgs(): string[] {
  return ['buildx', 'version'];
}

export function bridgeInspectArgs(): string[] {
  return ['network', 'inspect', '--format', '{{.Name}}', 'bridge'];
}

export interface BuildxOptions {
  context: string;
  /** Full references (`<repo uri>:<tag>`), the first is the primary one. */
  refs: readonly string[];
  buildArgs: Readonly<Record<string, string>>;
  platform: string;
  /** true: push to the registry; false: load into the local image store. */
  push: boolean;
  /** `<repo uri>:buildcache`; omitted for build-only runs, which have no registry credentials. */
  cacheRef?: string;
  /** Export the cache too (false when the repository would refuse to overwrite the cache tag). */
  cacheWrite?: boolean;
  metadataFile?: string;
}

export function buildxBuildArgs(options: BuildxOptions): string[] {
  const args = ['buildx', 'build', '--platform', options.platform];
  args.push(options.push ? '--push' : '--load');
  for (const ref of options.refs) args.push('--tag', ref);
  for (const flag of buildArgFlags(options.buildArgs)) args.push(flag);
  if (options.cacheRef) {
    args.push('--cache-from', `type=registry,ref=${options.cacheRef}`);
    if (options.cacheWrite) {
      // ECR accepts a registry cache only as an image manifest with OCI media types.
      args.push(
        '--cache-to',
        `type=registry,ref=${options.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`,
      );
    }
  }
  // Without provenance buildx pushes a plain single-platform manifest instead of an index with an
  // attestation, which is what SageMaker pulls most reliably and what the digest output means.
  args.push('--provenance=false');
  if (options.metadataFile) args.push('--metadata-file', options.metadataFile);
  args.push(options.context);
  return args;
}

export type ClassicBuildOptions = Pick<
  BuildxOptions,
  'context' | 'refs' | 'buildArgs' | 'platform'
> & {
  /** `host` on a daemon without a default bridge network. */
  network?: string;
};

/**
 * Fallback for hosts without buildx (run with DOCKER_BUILDKIT=1): no registry cache (this builder
 * cannot export one).
 */
export function classicBuildArgs(options: ClassicBuildOptions): string[] {
  const args = ['build', '--platform', options.platform];
  if (options.network) args.push('--network', options.network);
  for (const ref of options.refs) args.push('--tag', ref);
  for (const flag of buildArgFlags(options.buildArgs)) args.push(flag);
  args.push(options.context);
  return args;
}

export function pushArgs(ref: string): string[] {
  return ['push', ref];
}

/**
 * The commit tag is added only for a push to the default branch: that is the history people look
 * up by SHA, and PR merge commits would only clutter the repository.
 */
export function commitTagFor(context: RunContext): string | undefined {
  if (context.eventName !== 'push' || !context.defaultBranch || !context.sha) return undefined;
  if (context.ref !== `refs/heads/${context.defaultBranch}`) return undefined;
  return context.sha;
}

/** `sha256:<hex>` from `docker push` output (`<tag>: digest: sha256:... size: N`). */
export function digestFromPushOutput(output: string): string | undefined {
  return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}
