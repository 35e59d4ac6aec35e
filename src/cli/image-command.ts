// `sagemaker-yolo image`: the image stage alone, through the same resolveTrainingImage the action
// runs. Adds two things a terminal needs: --base-image (the BASE_IMAGE build argument) and
// --registry (push to a registry other than the repository's ECR host, e.g. a local one).
import { Option, type Command } from 'commander';
import type { AwsClients } from '../aws.js';
import type { ImageResult } from '../image/build.js';
import { registryProblem } from '../image/registry.js';
import { INPUTS } from '../inputs.js';
import type { StageLog } from '../stages.js';
import type { Config } from '../types.js';

/** The catalogue inputs that shape the image, as flags of `image`. */
const IMAGE_INPUTS = ['ecr-repository', 'container-context', 'build-args', 'pretrained-weights'];

export class ImageUsageError extends Error {}

export function addImageOptions(command: Command): Command {
  for (const name of IMAGE_INPUTS) {
    const spec = INPUTS.find((s) => s.name === name);
    const note = spec?.default ? ` (default: ${spec.default})` : '';
    command.addOption(new Option(`--${name} <value>`, `${spec?.description ?? name}${note}`));
  }
  return command
    .addOption(
      new Option(
        '--push [true|false]',
        'push to the registry (default true); false builds into the local daemon only',
      ),
    )
    .addOption(new Option('--no-push', 'same as --push false').hideHelp())
    .option('--aws-region <region>', 'AWS region of the ECR repository (default: AWS_REGION)')
    .option('--region <region>', 'same as --aws-region')
    .option('--base-image <image>', 'the BASE_IMAGE build argument (default: the Dockerfile’s)')
    .option(
      '--registry <host:port>',
      "docker login/push go to this registry instead of the repository's ECR host; ECR's API still creates the repository and issues the login",
    )
    .option('--json', 'print {imageUri, digest, tag, built} as JSON on stdout');
}

export interface ImageCommandOptions {
  baseImage?: string;
  registry?: string;
}

/** Applies --base-image to the config's build args; usage errors before any AWS call. Pure. */
export function withBaseImage(config: Config, baseImage: string | undefined): Config {
  if (baseImage === undefined) return config;
  if (!/^\S+$/.test(baseImage)) {
    throw new ImageUsageError(
      `--base-image: ${JSON.stringify(baseImage)} is not an image reference`,
    );
  }
  if (config.buildArgs.BASE_IMAGE !== undefined) {
    throw new ImageUsageError('give --base-image or BASE_IMAGE in --build-args, not both');
  }
  return { ...config, buildArgs: { ...config.buildArgs, BASE_IMAGE: baseImage } };
}

export function checkRegistry(registry: string | undefined): string | undefined {
  if (registry === undefined) return undefined;
  const problem = registryProblem(registry);
  if (problem) throw new ImageUsageError(`--registry: ${JSON.stringify(registry)} ${problem}`);
  return registry;
}

/** What --json prints: the names the checks read. */
export function imageJson(result: ImageResult) {
  return {
    imageUri: result.imageUri,
    digest: result.imageDigest ?? null,
    tag: result.tag,
    built: result.built,
  };
}

export async function runImageStage(
  config: Config,
  options: { registry?: string },
  deps: { clients: AwsClients; log: StageLog },
): Promise<ImageResult> {
  // Loaded here, not at start: ECR and tar are needed by this command only.
  const { resolveTrainingImage } = await import('../image/build.js');
  return resolveTrainingImage(
    {
      ecr: deps.clients.ecr,
      log: deps.log,
      // A terminal: a mask command would only print the secret (the action masks with core).
      mask: () => {},
      ...(options.registry ? { registry: options.registry } : {}),
    },
    config,
  );
}
