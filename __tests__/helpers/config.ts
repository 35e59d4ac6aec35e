// One valid Config for tests that need one: every test file overrides only what it is about, so a
// new Config field is added here once.
import type { Config, RunContext } from '../../src/types.js';

export const ROLE = 'arn:aws:iam::123456789012:role/SageMakerExecution';

/** A same-repository pull request run. */
export const PR_CONTEXT: RunContext = {
  repository: 'acme/floorplans',
  eventName: 'pull_request',
  ref: 'refs/pull/12/merge',
  sha: 'abc1234def5678abc1234def5678abc1234def56',
  runId: '987654321',
  runAttempt: '1',
  serverUrl: 'https://github.com',
  prNumber: 12,
  isForkPullRequest: false,
  baseRef: 'main',
  defaultBranch: 'main',
};

/** Every locked-down account setting at its default (issue 15). */
export const NO_LOCKDOWN: Config['lockdown'] = {
  networkIsolation: false,
  encryptInterContainerTraffic: false,
  profiler: false,
  tags: {},
  environment: {},
  inputMode: 'File',
};

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    region: 'us-east-1',
    role: ROLE,
    bucket: 'floorplans-ml',
    prefix: 'yolo-training',
    dataset: 'data/processed',
    maxDroppedImages: { percent: 5 },
    ecrRepository: 'yolo-train',
    containerContext: 'training-container',
    buildArgs: {},
    push: true,
    jobName: 'floorplans-pr-12-abc1234',
    jobNameExplicit: false,
    // Tests opt in to the model download (it needs model.tar.gz in S3).
    modelDelivery: {
      download: false,
      dir: 'models',
      artifactName: 'yolo-model',
      commentImages: 'off',
    },
    instanceType: 'ml.p3.2xlarge',
    instanceCount: 1,
    volumeSizeGb: 50,
    maxRuntimeSeconds: 43200,
    spot: true,
    maxWaitSeconds: 86400,
    hyperparameters: {},
    lockdown: NO_LOCKDOWN,
    task: 'detect',
    thresholds: [],
    wait: true,
    waitTimeoutSeconds: 6 * 3600,
    comment: true,
    trainForkPullRequests: false,
    model: { promote: 'auto', forceRetrain: false, approveModel: false },
    context: PR_CONTEXT,
    ...overrides,
  };
}
