export const id = 22;
export const ids = [22];
export const modules = {

/***/ 9022:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  resolveTrainingImage: () => (/* binding */ resolveTrainingImage)
});

// UNUSED EXPORTS: ImageStageError, TAIL_LINES, cacheWritable, effectiveBuildArgs, execDocker

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@actions/exec/lib/exec.js + 3 modules
var exec = __webpack_require__(1260);
// EXTERNAL MODULE: ./node_modules/@balena/dockerignore/ignore.js
var ignore = __webpack_require__(4158);
var ignore_default = /*#__PURE__*/__webpack_require__.n(ignore);
// EXTERNAL MODULE: ./src/hash.ts
var hash = __webpack_require__(6495);
;// CONCATENATED MODULE: ./src/image/context-hash.ts
// Content hash of a Docker build context: the image tag is derived from exactly what `docker build`
// would see, so the same container source gets the same tag on every machine, in every run and
// every repository, and an unchanged source never triggers a rebuild.




const DOCKERFILE = 'Dockerfile';
const DOCKERIGNORE = '.dockerignore';
/** Bumped if the canonical form changes, so old and new tags can never collide. */
const HASH_VERSION = 1;
function byCodeUnit(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * The canonical digest of a context. Pure: entries are sorted here, so the order files were
 * listed in (filesystem dependent) cannot change the result.
 */
function contextDigest(entries, buildArgs, platform) {
    const files = [...entries]
        .sort((a, b) => byCodeUnit(a.path, b.path))
        .map((e) => [e.path, e.kind, e.sha256]);
    const args = Object.keys(buildArgs)
        .sort(byCodeUnit)
        .map((k) => [k, buildArgs[k]]);
    // JSON keeps every field delimited, so no path or value can be crafted to mimic another layout.
    const canonical = JSON.stringify({ v: HASH_VERSION, platform, buildArgs: args, files });
    return (0,hash/* sha256Hex */.fg)(canonical);
}
/** `src-` + the first 12 hex digits: 48 bits, ample for one repository's images, short to read. */
function tagFromDigest(digest) {
    return `src-${digest.slice(0, 12)}`;
}
/**
 * A predicate over relative POSIX paths, true when Docker would send the path. Docker matches
 * case-sensitively (the library's default is not), and `!` exceptions work inside ignored
 * directories, which the library implements like Docker does.
 */
function dockerignoreFilter(dockerignoreText) {
    // A CommonJS package: under NodeNext the default import is module.exports, whose `default` is
    // the factory (the package sets it for exactly this interop).
    const matcher = ignore_default()["default"]({ ignorecase: false }).add(dockerignoreText);
    return (relPath) => !matcher.ignores(relPath);
}
/** True when the patterns contain an exception, so an ignored directory may still hold files. */
function hasExceptions(dockerignoreText) {
    return dockerignoreText.split(/\r?\n/).some((line) => line.trim().startsWith('!'));
}
/**
 * Every file and symlink under `contextDir` that the build can see after `.dockerignore`.
 * The Dockerfile and `.dockerignore` are always included: they shape the image even when the
 * ignore file lists them (Docker sends them regardless). Directories themselves are not entries:
 * a git checkout cannot hold an empty directory, so they add nothing a file path does not.
 */
async function listContextEntries(contextDir) {
    const root = external_node_path_default().resolve(contextDir);
    const rootStat = await (0,promises_.lstat)(root).catch(() => undefined);
    if (!rootStat?.isDirectory()) {
        throw new Error(`container-context: ${contextDir} is not a directory`);
    }
    const dockerfileStat = await (0,promises_.lstat)(external_node_path_default().join(root, DOCKERFILE)).catch(() => undefined);
    if (!dockerfileStat?.isFile()) {
        throw new Error(`container-context: ${contextDir} has no ${DOCKERFILE}`);
    }
    const ignoreText = await (0,promises_.readFile)(external_node_path_default().join(root, DOCKERIGNORE), 'utf8').catch((error) => {
        if (error.code === 'ENOENT')
            return '';
        throw error;
    });
    const included = dockerignoreFilter(ignoreText);
    // Without exceptions an ignored directory cannot contribute anything: skip it whole (as Docker
    // does), which keeps a stray node_modules or .git from being read.
    const canPruneDirs = !hasExceptions(ignoreText);
    const alwaysSent = new Set([DOCKERFILE, DOCKERIGNORE]);
    const entries = [];
    const walk = async (relDir) => {
        const dirents = await (0,promises_.readdir)(external_node_path_default().join(root, relDir), { withFileTypes: true });
        for (const dirent of dirents) {
            const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
            const abs = external_node_path_default().join(root, rel);
            if (dirent.isDirectory()) {
                if (canPruneDirs && !included(rel))
                    continue;
                await walk(rel);
                continue;
            }
            if (!included(rel) && !alwaysSent.has(rel))
                continue;
            if (dirent.isSymbolicLink()) {
                const target = await (0,promises_.readlink)(abs);
                entries.push({
                    path: rel,
                    kind: 'symlink',
                    sha256: (0,hash/* sha256Hex */.fg)(target),
                });
            }
            else if (dirent.isFile()) {
                const { mode } = await (0,promises_.lstat)(abs);
                entries.push({
                    path: rel,
                    kind: mode & 0o111 ? 'exec' : 'file',
                    sha256: (await (0,hash/* hashFile */.DC)(abs)).sha256,
                });
            }
            // Sockets, FIFOs and devices cannot be sent in a build context: nothing to record.
        }
    };
    await walk('');
    return entries;
}
/** Hash the context on disk plus the build inputs that are not files. */
async function hashBuildContext(contextDir, buildArgs, platform) {
    const entries = await listContextEntries(contextDir);
    const digest = contextDigest(entries, buildArgs, platform);
    return { tag: tagFromDigest(digest), digest, files: entries.length };
}

;// CONCATENATED MODULE: ./src/image/docker-args.ts
/** SageMaker training instances are x86_64; building for it also works from an arm64 laptop. */
const TRAINING_PLATFORM = 'linux/amd64';
/** The registry build cache lives in the training repository under this (mutable) tag. */
const CACHE_TAG = 'buildcache';
const BUILD_ARG_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `--build-arg K=V` pairs, sorted by name so the argument list is stable. */
function buildArgFlags(buildArgs) {
    const names = Object.keys(buildArgs).sort();
    for (const name of names) {
        if (!BUILD_ARG_NAME.test(name)) {
            throw new Error(`build-args: "${name}" is not a valid build argument name (letters, digits, _; not starting with a digit)`);
        }
    }
    return names.flatMap((name) => ['--build-arg', `${name}=${buildArgs[name]}`]);
}
function loginArgs(registry, username = 'AWS') {
    // The password is written to stdin by the caller: argv is visible to every process on the host.
    return ['login', '--username', username, '--password-stdin', registry];
}
function logoutArgs(registry) {
    return ['logout', registry];
}
function buildxVersionArgs() {
    return ['buildx', 'version'];
}
function bridgeInspectArgs() {
    return ['network', 'inspect', '--format', '{{.Name}}', 'bridge'];
}
function buildxBuildArgs(options) {
    const args = ['buildx', 'build', '--platform', options.platform];
    args.push(options.push ? '--push' : '--load');
    for (const ref of options.refs)
        args.push('--tag', ref);
    for (const flag of buildArgFlags(options.buildArgs))
        args.push(flag);
    if (options.cacheRef) {
        args.push('--cache-from', `type=registry,ref=${options.cacheRef}`);
        if (options.cacheWrite) {
            // ECR accepts a registry cache only as an image manifest with OCI media types.
            args.push('--cache-to', `type=registry,ref=${options.cacheRef},mode=max,image-manifest=true,oci-mediatypes=true`);
        }
    }
    // Without provenance buildx pushes a plain single-platform manifest instead of an index with an
    // attestation, which is what SageMaker pulls most reliably and what the digest output means.
    args.push('--provenance=false');
    if (options.metadataFile)
        args.push('--metadata-file', options.metadataFile);
    args.push(options.context);
    return args;
}
/**
 * Fallback for hosts without buildx (run with DOCKER_BUILDKIT=1): no registry cache (this builder
 * cannot export one).
 */
function classicBuildArgs(options) {
    const args = ['build', '--platform', options.platform];
    if (options.network)
        args.push('--network', options.network);
    for (const ref of options.refs)
        args.push('--tag', ref);
    for (const flag of buildArgFlags(options.buildArgs))
        args.push(flag);
    args.push(options.context);
    return args;
}
function pushArgs(ref) {
    return ['push', ref];
}
/**
 * The commit tag is added only for a push to the default branch: that is the history people look
 * up by SHA, and PR merge commits would only clutter the repository.
 */
function commitTagFor(context) {
    if (context.eventName !== 'push' || !context.defaultBranch || !context.sha)
        return undefined;
    if (context.ref !== `refs/heads/${context.defaultBranch}`)
        return undefined;
    return context.sha;
}
/** `sha256:<hex>` from `docker push` output (`<tag>: digest: sha256:... size: N`). */
function digestFromPushOutput(output) {
    return /digest: (sha256:[0-9a-f]{64})/.exec(output)?.[1];
}

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/image/ecr.ts
// Thin ECR adapter: repository, image lookup, extra tags and the registry login, via the SDK.
// Logging and secret masking are the caller's: the action routes them to @actions/core, the CLI to
// its own sinks (a workflow command such as ::add-mask:: printed in a terminal would show the secret).



// Ask for every manifest type as stored, so ECR never converts one and a retag stays byte-identical.
const ACCEPTED_MEDIA_TYPES = [
    'application/vnd.docker.distribution.manifest.v2+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.oci.image.index.v1+json',
];
function toInfo(repo, created) {
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
    imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
    imageTagMutabilityExclusionFilters: [
        { filterType: 'WILDCARD', filter: CACHE_TAG },
    ],
};
/** Find the repository or create it (scan on push, immutable tags). Existing settings are kept. */
async function ensureRepository(ecr, name, log) {
    const describe = async () => (await ecr.send(new dist_cjs/* DescribeRepositoriesCommand */.pE_({ repositoryNames: [name] })))
        .repositories?.[0];
    try {
        return toInfo(await describe(), false);
    }
    catch (error) {
        if ((0,errors/* errorName */.I)(error) !== 'RepositoryNotFoundException')
            throw error;
    }
    const create = (settings) => ecr.send(new dist_cjs/* CreateRepositoryCommand */.WTe({
        repositoryName: name,
        // Deprecated in favour of registry-level scanning, but still honoured, and it is the only
        // switch a single repository's creator controls.
        imageScanningConfiguration: { scanOnPush: true },
        ...settings,
    }));
    try {
        let created;
        try {
            created = await create(CREATE_SETTINGS);
        }
        catch (error) {
            // Partitions without tag-mutability exclusions: plain IMMUTABLE, the cache is then read-only
            // after its first write (the build stage checks before exporting it).
            if ((0,errors/* errorName */.I)(error) !== 'InvalidParameterException')
                throw error;
            log.warning(`ECR rejected tag-mutability exclusions (${error.message}); creating ${name} with IMMUTABLE tags`);
            created = await create({ imageTagMutability: 'IMMUTABLE' });
        }
        log.info(`Created ECR repository ${name} (scan on push, immutable tags)`);
        return toInfo(created.repository, true);
    }
    catch (error) {
        // A concurrent run created it between our describe and create.
        if ((0,errors/* errorName */.I)(error) !== 'RepositoryAlreadyExistsException')
            throw error;
        return toInfo(await describe(), false);
    }
}
/** `*` matches any run of characters, everything else literally (ECR's WILDCARD filter). */
function wildcardMatches(filter, tag) {
    const pattern = filter
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*');
    return new RegExp(`^${pattern}$`).test(tag);
}
/** Whether ECR would refuse to move `tag` once it exists in this repository. Pure. */
function isTagImmutable(repo, tag) {
    const excluded = repo.exclusionFilters.some((f) => f.filter !== undefined && wildcardMatches(f.filter, tag));
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
async function findImages(ecr, repositoryName, tags) {
    const found = new Map();
    const lookups = tags.map(async (tag) => {
        const out = await ecr.send(new dist_cjs/* BatchGetImageCommand */.P8n({
            repositoryName,
            imageIds: [{ imageTag: tag }],
            acceptedMediaTypes: ACCEPTED_MEDIA_TYPES,
        }));
        const failure = out.failures?.[0];
        if (failure && failure.failureCode !== 'ImageNotFound') {
            throw new Error(`ECR BatchGetImage failed for ${repositoryName}:${tag}: ${failure.failureCode} ${failure.failureReason ?? ''}`.trim());
        }
        const image = out.images?.[0];
        const digest = image?.imageId?.imageDigest;
        if (!image?.imageManifest || !digest)
            return;
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
async function addTag(ecr, repositoryName, image, tag, log) {
    try {
        await ecr.send(new dist_cjs/* PutImageCommand */.SUU({
            repositoryName,
            imageManifest: image.manifest,
            imageTag: tag,
            ...(image.mediaType ? { imageManifestMediaType: image.mediaType } : {}),
        }));
        log.info(`Tagged ${repositoryName}@${image.digest} as ${tag}`);
        return true;
    }
    catch (error) {
        const name = (0,errors/* errorName */.I)(error);
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
async function getRegistryLogin(ecr, registry, mask) {
    const out = await ecr.send(new dist_cjs/* GetAuthorizationTokenCommand */.Eu6({}));
    const token = out.authorizationData?.[0]?.authorizationToken;
    if (!token)
        throw new Error('ECR GetAuthorizationToken returned no token');
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

// EXTERNAL MODULE: ./src/image/registry.ts
var image_registry = __webpack_require__(3718);
;// CONCATENATED MODULE: ./src/image/build.ts
// The build stage: give the training job an image in ECR, building it only when the container
// source (build context, build args, platform) has never been built before.
// Everything it reports goes through the injected log (docker output included, line by line) and
// secrets through the injected mask: nothing here writes to stdout or emits workflow commands, so
// the CLI's stdout stays clean and the action's pipeline group is not nested.








/** A docker step failed: the message names the step and carries the end of its output. */
class ImageStageError extends Error {
    step;
    tail;
    constructor(step, message, tail) {
        super(message);
        this.step = step;
        this.tail = tail;
        this.name = 'ImageStageError';
    }
}
const TAIL_LINES = 50;
/**
 * Runs docker through @actions/exec (argument array, no shell). exec itself prints nothing (no
 * `[command]` echo, no raw output on stdout): each line goes to `onLine` and into the tail.
 */
function execDocker(command = 'docker', env = process.env) {
    return async (args, options = {}) => {
        const tail = [];
        const keep = (line) => {
            tail.push(line);
            if (tail.length > TAIL_LINES)
                tail.shift();
            options.onLine?.(line);
        };
        let exitCode;
        try {
            exitCode = await exec/* exec */.m(command, args, {
                ignoreReturnCode: true,
                // Passed explicitly so docker sees this module's view of the environment (DOCKER_CONFIG,
                // DOCKER_HOST, ...), which is not always the process's own (test sandboxes, embedders).
                env: { ...definedOnly(env), ...options.env },
                silent: true,
                ...(options.input ? { input: options.input } : {}),
                listeners: { stdline: keep, errline: keep },
            });
        }
        catch (error) {
            throw new Error(`cannot run ${command}: ${error.message}. The build stage needs Docker; set image-uri to use a prebuilt image instead.`);
        }
        return { exitCode, tail };
    };
}
function definedOnly(env) {
    return Object.fromEntries(Object.entries(env).filter((e) => e[1] !== undefined));
}
/** One docker step whose output is part of the log; a non-zero exit fails the stage. */
async function runStep(docker, log, step, args, extra = {}) {
    log.info(`docker ${args.join(' ')}`);
    const onLine = (line) => log.info(line);
    const result = await docker(args, { ...extra, onLine });
    if (result.exitCode !== 0) {
        const what = `docker ${args.slice(0, args[0] === 'buildx' ? 2 : 1).join(' ')}`;
        const shown = result.tail.length
            ? `\nLast ${result.tail.length} lines:\n${result.tail.join('\n')}`
            : '';
        throw new ImageStageError(step, `Image ${step} failed: ${what} exited with code ${result.exitCode}.${shown}`, result.tail);
    }
    return result;
}
/** Tag (or digest) part of an image reference, for the given-`image-uri` case. */
function tagOfReference(uri) {
    const lastSegment = uri.slice(uri.lastIndexOf('/') + 1);
    if (lastSegment.includes('@'))
        return '';
    const colon = lastSegment.lastIndexOf(':');
    return colon >= 0 ? lastSegment.slice(colon + 1) : '';
}
function digestOfReference(uri) {
    return /@(sha256:[0-9a-f]{64})$/.exec(uri)?.[1];
}
async function readMetadataDigest(file) {
    try {
        const meta = JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
        const digest = meta['containerimage.digest'];
        return typeof digest === 'string' ? digest : undefined;
    }
    catch {
        return undefined;
    }
}
async function hasBuildx(docker) {
    return (await docker(buildxVersionArgs())).exitCode === 0;
}
/**
 * A daemon started with `--bridge=none` has no `bridge` network, and a build's RUN steps (pip
 * install) would have no network at all: those builds use the host's network instead.
 */
async function hasDefaultBridge(docker) {
    return (await docker(bridgeInspectArgs())).exitCode === 0;
}
/** buildx when available (registry cache, direct push), else `docker build` + `docker push`. */
async function buildAndPush(docker, log, plan, useBuildx, tempDir) {
    const primary = plan.refs[0] ?? '';
    if (useBuildx) {
        const dir = await (0,promises_.mkdtemp)(external_node_path_default().join(tempDir, 'image-build-'));
        const metadataFile = external_node_path_default().join(dir, 'metadata.json');
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
        }
        finally {
            await (0,promises_.rm)(dir, { recursive: true, force: true });
        }
    }
    log.info('docker buildx is not available: building with `docker build` (no registry cache)');
    const hostNetwork = !(await hasDefaultBridge(docker));
    if (hostNetwork) {
        log.info("The daemon has no default bridge network: the build's RUN steps use the host network");
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
    if (!plan.push)
        return undefined;
    let digest;
    for (const ref of plan.refs) {
        log.info(`Pushing ${ref}`);
        const result = await runStep(docker, log, 'push', pushArgs(ref));
        digest ??= digestFromPushOutput(result.tail.join('\n'));
    }
    return digest;
}
/** Build args as the image sees them: `pretrained-weights` is baked in as PRETRAINED_WEIGHTS. */
function effectiveBuildArgs(config) {
    return {
        ...config.buildArgs,
        ...(config.pretrainedWeights ? { PRETRAINED_WEIGHTS: config.pretrainedWeights } : {}),
    };
}
/**
 * The whole build stage. With `image-uri` it only echoes it. With `push: false` (PRs from forks:
 * no AWS credentials) it builds into the local image store and touches neither ECR nor a login.
 */
async function resolveTrainingImage(deps, config) {
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
    const tempDir = deps.tempDir ?? process.env.RUNNER_TEMP ?? external_node_os_default().tmpdir();
    const context = external_node_path_default().resolve(config.containerContext);
    const buildArgs = effectiveBuildArgs(config);
    const hash = await hashBuildContext(context, buildArgs, TRAINING_PLATFORM);
    const { tag } = hash;
    log.info(`Container source ${config.containerContext}: ${hash.files} files -> tag ${tag}`);
    if (!config.push) {
        const ref = `${config.ecrRepository}:${tag}`;
        log.info('push is false: building locally only (no ECR, no registry login)');
        await buildAndPush(docker, log, { context, refs: [ref], buildArgs, push: false, cacheWrite: false }, await hasBuildx(docker), tempDir);
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
            if (!current)
                tagged = await addTag(deps.ecr, repo.name, hashImage, commitTag, log);
            else if (current.digest === hashImage.digest)
                tagged = true;
            else
                log.warning(`${repo.uri}:${commitTag} already names ${current.digest}; not re-tagging`);
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
    let pushedCommitTag;
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
    const digest = await withLogin(docker, log, login, () => buildAndPush(docker, log, { context, refs, buildArgs, push: true, cacheRef: `${repo.uri}:${CACHE_TAG}`, cacheWrite }, buildx, tempDir));
    if (!digest)
        log.warning(`pushed ${imageUri} but could not read its digest`);
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
async function withLogin(docker, log, login, work) {
    await runStep(docker, log, 'login', loginArgs(login.registry, login.username), {
        input: Buffer.from(login.password, 'utf8'),
    });
    try {
        return await work();
    }
    finally {
        // Do not leave a registry credential in ~/.docker/config.json (self-hosted runners persist it).
        const out = await docker(logoutArgs(login.registry)).catch(() => undefined);
        if (out?.exitCode !== 0)
            log.warning(`docker logout ${login.registry} failed`);
    }
}
/** The build stage against `deps.registry`: same tag, same build, same push; lookup there. */
async function pushToRegistry(deps, docker, tempDir, repo, registry, source) {
    const { log } = deps;
    const { tag, commitTag } = source;
    const uri = `${registry}/${repo.name}`;
    const imageUri = `${uri}:${tag}`;
    const buildx = await hasBuildx(docker);
    const login = await getRegistryLogin(deps.ecr, registry, deps.mask);
    const found = await (0,image_registry/* registryTagDigest */.q$)(login, repo.name, tag);
    if (found) {
        log.info(`${imageUri} already exists (${found}): skipping the build`);
        return { imageUri, imageDigest: found, tag, built: false };
    }
    const refs = [imageUri, ...(commitTag ? [`${uri}:${commitTag}`] : [])];
    const digest = await withLogin(docker, log, login, () => buildAndPush(docker, log, {
        context: source.context,
        refs,
        buildArgs: source.buildArgs,
        push: true,
        cacheRef: `${uri}:${CACHE_TAG}`,
        cacheWrite: true,
    }, buildx, tempDir));
    if (!digest)
        log.warning(`pushed ${imageUri} but could not read its digest`);
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
function cacheWritable(repo, cacheTagExists) {
    return !cacheTagExists || !isTagImmutable(repo, CACHE_TAG);
}


/***/ })

};
