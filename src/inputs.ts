// The catalogue of the action's inputs and outputs. action.yml mirrors it exactly (a test fails on
// drift), config.ts applies its defaults (so the CLI and the action share them) and the CLI builds
// its flags from it. Pure data: nothing here reads the environment.

export interface InputSpec {
  /** kebab-case, as in action.yml and as a CLI flag (`--<name>`). */
  name: string;
  description: string;
  /** Applied by readConfig when the input is empty; also the action.yml default. */
  default?: string;
  /** An action.yml-only default expression (e.g. `${{ github.token }}`) that the CLI cannot apply. */
  actionDefault?: string;
  required?: boolean;
  /** The old launcher script's spellings of the same flag (CLI aliases, 1:1 meaning). */
  aliases?: string[];
}

export interface OutputSpec {
  name: string;
  description: string;
}

/** Seconds in 28 days: SageMaker's longest training job. */
export const MAX_RUNTIME_LIMIT_SECONDS = 28 * 24 * 60 * 60;

export const INPUTS: readonly InputSpec[] = [
  // AWS
  {
    name: 'role',
    description:
      'ARN of the SageMaker execution role the training job runs as (arn:aws:iam::<account>:role/<name>). Required unless instance-type is local.',
  },
  {
    name: 'bucket',
    description:
      'S3 bucket for dataset snapshots, checkpoints and job output (everything goes under <prefix>/).',
    required: true,
  },
  {
    name: 'prefix',
    description: 'Key prefix inside the bucket, without leading or trailing slash.',
    default: 'yolo-training',
  },
  {
    name: 'aws-region',
    description:
      'AWS region of the bucket and the training job. Default: AWS_REGION, else AWS_DEFAULT_REGION (as set by aws-actions/configure-aws-credentials).',
  },
  {
    name: 'role-to-assume',
    description:
      "IAM role ARN the action assumes itself with the job's GitHub OIDC token (needs `permissions: id-token: write`), refreshing the credentials before they expire for as long as it waits. Empty: the credentials in the environment (e.g. from aws-actions/configure-aws-credentials), which are never refreshed.",
  },
  // Dataset
  {
    name: 'dataset',
    description:
      'Dataset directory in the checkout (or its dataset yaml); validated and synced to S3 as a content-addressed snapshot.',
    default: 'data/processed',
  },
  {
    name: 'dataset-s3-uri',
    description:
      'Use a YOLO dataset already in S3 (s3://bucket/prefix, holding the data yaml) instead of syncing `dataset` ("skip upload").',
  },
  {
    name: 'max-dropped-images',
    description:
      'How many images ultralytics may ignore as corrupt (bad label rows, unreadable images) before validation fails: a count (e.g. 20; 0 allows none) or a percentage of all images (e.g. 5%).',
    default: '5%',
  },
  // Image
  {
    name: 'image-uri',
    description:
      'Prebuilt training image (e.g. <account>.dkr.ecr.<region>.amazonaws.com/yolo-training:tag). When set, the image build is skipped.',
  },
  {
    name: 'ecr-repository',
    description:
      'ECR repository the training image is pushed to (created when missing); the tag is a hash of the container source.',
    default: 'yolo-training',
  },
  {
    name: 'container-context',
    description:
      "Docker build context of the training image. Empty: the action's own training-container directory.",
    default: '',
  },
  {
    name: 'build-args',
    description: 'Docker build arguments, one KEY=VALUE per line.',
  },
  {
    name: 'pretrained-weights',
    description:
      'Weights file baked into the image at build time (e.g. yolov8m.pt), so the job needs no download.',
  },
  {
    name: 'push',
    description:
      'Push the built image to ECR. false builds only (e.g. for pull requests from forks).',
    default: 'true',
  },
  // Job
  {
    name: 'job-name',
    description:
      'SageMaker training job name (1-63 characters, letters, digits and hyphens). Default: derived from the repository, event, PR or run id and short SHA, so a re-run attaches to the same job.',
  },
  {
    name: 'instance-type',
    description: 'SageMaker instance type (ml.*), or `local` to train on this machine.',
    default: 'ml.p3.2xlarge',
  },
  {
    name: 'instance-count',
    description:
      "Number of instances (hosts). Above 1, the job trains across all of them with torchrun: one rank per GPU (one per CPU host), the global batch split over the ranks; the first host writes the model. Works with spot. The account's quota for the instance type is the limit.",
    default: '1',
  },
  {
    name: 'volume-size',
    description: 'Size of the ML storage volume in GB (1-16384).',
    default: '50',
  },
  {
    name: 'max-runtime',
    description: 'Maximum training time in seconds (at most 2419200 = 28 days).',
    default: '43200',
  },
  {
    name: 'spot',
    description: 'Use managed spot instances (checkpointed, so an interruption resumes).',
    default: 'true',
    aliases: ['use-spot-instances'],
  },
  {
    name: 'max-wait',
    description:
      'Spot only: seconds to wait for spot capacity plus training; must be greater than max-runtime. Default: twice max-runtime, at most 28 days.',
    aliases: ['max-wait-time'],
  },
  // Locked-down accounts
  {
    name: 'subnets',
    description:
      'VPC subnet IDs for the job (subnet-..., separated by commas, spaces or new lines; at most 16). Needs security-group-ids.',
  },
  {
    name: 'security-group-ids',
    description:
      'VPC security group IDs for the job (sg-..., separated by commas, spaces or new lines; at most 5). Needs subnets.',
  },
  {
    name: 'volume-kms-key',
    description:
      'KMS key (ID, ARN, alias/<name> or alias ARN) that encrypts the training instance storage volume.',
  },
  {
    name: 'output-kms-key',
    description:
      'KMS key (ID, ARN, alias/<name> or alias ARN) that encrypts the model and output archives in S3.',
  },
  {
    name: 'network-isolation',
    description:
      'Run the training container without network access (SageMaker EnableNetworkIsolation). The image carries the weights and font it needs; anything else the job would download fails.',
    default: 'false',
  },
  {
    name: 'encrypt-inter-container-traffic',
    description:
      'Encrypt traffic between training instances (SageMaker EnableInterContainerTrafficEncryption).',
    default: 'false',
  },
  {
    name: 'tags',
    description:
      'Extra tags for the training job, one KEY=VALUE per line (AWS tag rules; keys may not start with aws: or sagemaker-yolo:).',
  },
  {
    name: 'environment',
    description:
      'Environment variables for the training container, one NAME=VALUE per line (names like MY_VAR, values at most 512 characters, at most 100). Never put secrets here: SageMaker shows them in DescribeTrainingJob.',
  },
  {
    name: 'retry-attempts',
    description:
      'Times SageMaker restarts the job after an InternalServerError (RetryStrategy, 1-30). Empty: no retry.',
  },
  {
    name: 'input-mode',
    description:
      'How the job reads its data: File (copied to the instance before training) or FastFile (streamed from S3 on first read; starts sooner on large datasets).',
    default: 'File',
  },
  {
    name: 'keep-alive-seconds',
    description:
      'Keep the instance warm this many seconds after the job for the next one (SageMaker warm pools, 1-21600). Not allowed with spot.',
  },
  {
    name: 'profiler',
    description:
      'Turn on the SageMaker Debugger profiler (off by default: it adds cost and no value for YOLO).',
    default: 'false',
  },
  // Hyperparameters
  {
    name: 'model',
    description: 'Pretrained weights or model yaml to start from (ultralytics `model`).',
    default: 'yolov8m.pt',
  },
  {
    name: 'task',
    description:
      'Ultralytics task: detect, segment, obb, pose or classify. Default: read from the model name as ultralytics does (-seg, -obb, -pose, -cls; other names detect). When the model name names a task, the two must agree.',
  },
  {
    name: 'epochs',
    description: 'Training epochs (ultralytics `epochs`).',
    default: '100',
  },
  {
    name: 'batch-size',
    description:
      'Batch size (ultralytics `batch`): an integer >= 1, -1 for AutoBatch (60% of GPU memory) or a fraction 0-1 for AutoBatch to that share of GPU memory; single GPU only for AutoBatch. 0 is refused.',
    default: '16',
  },
  {
    name: 'imgsz',
    description: 'Training image size in pixels, a multiple of 32 (ultralytics `imgsz`).',
    default: '640',
  },
  {
    name: 'patience',
    description:
      "Epochs without improvement before early stopping (ultralytics `patience`). Default: ultralytics' own (100).",
  },
  {
    name: 'workers',
    description:
      "Data loader workers (ultralytics `workers`). Default: per device, the instance's CPUs less one, at most 8.",
  },
  {
    name: 'lr0',
    description:
      "Initial learning rate (ultralytics `lr0`). Default: ultralytics' own (0.01, or chosen by optimizer auto).",
  },
  {
    name: 'hyperparameters',
    description:
      'Further ultralytics train arguments as a YAML or JSON mapping (e.g. `{"optimizer": "AdamW", "cos_lr": true}`), checked against an allow-list with types.',
  },
  // Gate
  {
    name: 'map50-threshold',
    description: 'Fail when mAP@0.5 is below this value (0-1).',
    default: '0.85',
  },
  {
    name: 'map50-95-threshold',
    description: 'Fail when mAP@0.5:0.95 is below this value (0-1). Optional.',
  },
  {
    name: 'precision-threshold',
    description: 'Fail when precision is below this value (0-1). Optional.',
  },
  {
    name: 'recall-threshold',
    description: 'Fail when recall is below this value (0-1). Optional.',
  },
  {
    name: 'top1-threshold',
    description:
      'task classify only: fail when top-1 accuracy is below this value (0-1). The mAP, precision and recall thresholds do not apply to classify.',
  },
  {
    name: 'max-regression',
    description:
      "Also fail when mAP@0.5 (top-1 for classify) or any thresholded metric falls more than this (0-1, e.g. 0.02) below the baseline: the champion of the pull request's base branch, or of the run's own branch. No champion yet: only the thresholds apply. Optional.",
  },
  // Model life cycle
  {
    name: 'promote',
    description:
      "Make a model that passes the gate its branch's champion (s3://<bucket>/<prefix>/models/<branch>/champion.json): auto (push, schedule or workflow_dispatch on the default branch only), always (any run on a branch, a pull request's head branch included) or never.",
    default: 'auto',
  },
  {
    name: 'force-retrain',
    description:
      'Train even when a completed job with identical inputs (dataset snapshot, image, hyperparameters, instance type and count, task) is recorded; by default that job is reused and nothing is trained.',
    default: 'false',
  },
  {
    name: 'model-package-group',
    description:
      'SageMaker Model Registry group a model that passes the gate is registered in (created when missing). Empty: no registration.',
  },
  {
    name: 'approve-model',
    description:
      'Register the model as Approved instead of PendingManualApproval (needs model-package-group).',
    default: 'false',
  },
  // Cost
  {
    name: 'max-cost',
    description:
      'Spend cap in USD for the training job. Before starting, a job whose worst case (max-runtime × instance-count × hourly price) exceeds it is refused unless this action will stop it in time; while waiting, the job is stopped (it checkpoints) when its estimated cost reaches the cap less about 3 minutes of billing, and the run fails.',
  },
  {
    name: 'instance-price',
    description:
      "USD per instance-hour for cost figures and max-cost, overriding the action's price table (us-east-1 on-demand prices of common GPU types). Set it for other regions, other types, or your own negotiated rate.",
  },
  // Run
  {
    name: 'wait',
    description:
      'Wait for the job, then gate and report. false starts the job and returns (detached; the job is not stopped on cancel).',
    default: 'true',
  },
  {
    name: 'wait-timeout',
    description:
      'Seconds to wait for the job before giving up (the job keeps running). Default: max-wait (or max-runtime without spot) plus 30 minutes.',
  },
  {
    name: 'github-token',
    description: 'Token used to post the pull request comment.',
    actionDefault: '${{ github.token }}',
  },
  {
    name: 'comment',
    description: 'Post (and update) a sticky comment with the results on pull requests.',
    default: 'true',
  },
  // Model delivery
  {
    name: 'download-model',
    description:
      'Download model.tar.gz (best.pt, last.pt, training_metrics.json) and the plots into model-dir after a completed job, and upload them as a workflow artifact. Default: the value of wait.',
  },
  {
    name: 'model-dir',
    description: 'Directory the model and its plots (plots/) are downloaded into.',
    default: 'models',
  },
  {
    name: 'artifact-name',
    description:
      'Name of the workflow artifact holding the model and the plots (take it in a later job with actions/download-artifact).',
    default: 'yolo-model',
  },
  {
    name: 'artifact-retention-days',
    description:
      "Days GitHub keeps the model artifact (1-400, capped by the repository's setting). Default: the repository's setting.",
  },
  {
    name: 'comment-images',
    description:
      'off: the comment lists the plots and links the model artifact. presigned: the plots are also uploaded beside the job output (output/<job>/plots/) and shown inline through S3 presigned URLs, which expire (7 days at most, sooner with temporary credentials; the comment says when) and let anyone holding a link see the image. Needs download-model.',
    default: 'off',
  },
  {
    name: 'fork-pull-requests',
    description:
      'What a pull request from a fork may do: validate (check the dataset only; nothing is uploaded, built or trained) or train (the whole pipeline; only for runners whose credentials may run code from forks).',
    default: 'validate',
  },
];

export const OUTPUTS: readonly OutputSpec[] = [
  { name: 'job-name', description: 'Name of the SageMaker training job.' },
  {
    name: 'job-status',
    description:
      'Final job status (Completed, Failed, Stopped, or InProgress when not waited for).',
  },
  { name: 'map50', description: 'mAP@0.5 of the trained model.' },
  { name: 'map50-95', description: 'mAP@0.5:0.95 of the trained model.' },
  { name: 'precision', description: 'Precision of the trained model.' },
  { name: 'recall', description: 'Recall of the trained model.' },
  { name: 'passed', description: 'true when every configured threshold was met.' },
  { name: 'model-uri', description: 'S3 URI of model.tar.gz (best.pt, last.pt, metrics).' },
  { name: 'image-uri', description: 'Training image used by the job.' },
  {
    name: 'image-digest',
    description: 'Digest of the training image, when it was built or found.',
  },
  { name: 'billable-seconds', description: 'Billable seconds of the job (after spot savings).' },
  {
    name: 'cost-usd',
    description:
      'What the job cost in USD (billable seconds, warm pool included, × instance count × hourly price); empty when the price is unknown.',
  },
  {
    name: 'model-path',
    description: 'Directory the model was downloaded into (holds best.pt), when it was downloaded.',
  },
  {
    name: 'artifact-id',
    description: 'ID of the workflow artifact holding the model and the plots, when uploaded.',
  },
  { name: 'comment-url', description: 'URL of the pull request comment, when one was posted.' },
  { name: 'snapshot', description: 'Fingerprint of the dataset snapshot the job trained on.' },
  {
    name: 'baseline-map50',
    description:
      "mAP@0.5 of the baseline (the base branch's champion on a pull request, else the branch's own); empty when there is none.",
  },
  {
    name: 'map50-delta',
    description: 'mAP@0.5 of this model minus the baseline; empty without a baseline.',
  },
  {
    name: 'promoted',
    description: "true when this model became its branch's champion.",
  },
  {
    name: 'champion-uri',
    description: 'S3 URI of the champion.json this model was written to, when promoted.',
  },
  {
    name: 'run-key',
    description:
      'Hash of the inputs that decide what the job learns; identical inputs reuse the recorded job.',
  },
  {
    name: 'reused',
    description: 'true when a recorded job with identical inputs was reused instead of training.',
  },
  {
    name: 'model-package-arn',
    description: 'ARN of the Model Registry entry, when the model was registered.',
  },
  { name: 'dataset-uri', description: 'S3 URI of the dataset handed to the job.' },
];

/** The spec of an input by its name; throws for a name not in the catalogue (a programming error). */
export function inputSpec(name: string): InputSpec {
  const spec = INPUTS.find((i) => i.name === name);
  if (!spec) throw new Error(`unknown input "${name}"`);
  return spec;
}
