// The post step: when main started or attached to a job, waited for it, and the run was cancelled
// (or crashed) before the job ended, stop the job so it does not bill (or burn the runner) on.
// Best effort: everything here is a warning at worst.
import * as core from '@actions/core';
import { actionInfo, actionWarning } from './action-log.js';
import { createAwsClients } from './aws.js';
import { actionInputReader } from './config.js';
import { roleToAssumeCredentials } from './credentials.js';
import { errorMessage } from './errors.js';
import { actionRoot } from './paths.js';
import { loadJobState, shouldStopOnCleanup } from './state.js';
import { createLocalBackend } from './training/local.js';
import { stopTrainingJob } from './training/sagemaker.js';

export async function cleanup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const state = loadJobState({ save: core.saveState, get: core.getState });
    if (!shouldStopOnCleanup(state)) return;
    // The stop needs credentials too: with role-to-assume, the post step assumes the role again.
    const credentials = roleToAssumeCredentials(
      {
        roleToAssume: actionInputReader(env)('role-to-assume'),
        region: state.region,
        context: { runId: env.GITHUB_RUN_ID ?? '', runAttempt: env.GITHUB_RUN_ATTEMPT ?? '' },
      },
      env,
      {
        idToken: (audience) => core.getIDToken(audience),
        mask: (secret) => core.setSecret(secret),
      },
    );
    const clients = createAwsClients({
      region: state.region,
      env,
      ...(credentials ? { credentials } : {}),
    });
    const log = { info: actionInfo, warning: actionWarning };
    if (state.backend === 'local') {
      const backend = createLocalBackend({ s3: clients.s3, log, actionRoot: actionRoot() });
      const outcome = await backend.stop(state.jobName);
      actionInfo(`Stopped local job ${state.jobName}: ${outcome.status}`);
      return;
    }
    // stopTrainingJob says what it did (once); nothing to add here.
    await stopTrainingJob(clients.sagemaker, state.jobName, { ...log, error: log.warning });
  } catch (error) {
    actionWarning(`Cleanup could not stop the training job: ${errorMessage(error)}`);
  }
}
