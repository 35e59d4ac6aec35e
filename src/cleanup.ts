// The post step: when main started or attached to a SageMaker job, waited for it, and the run was
// cancelled (or crashed) before the job ended, stop the job so it does not bill on. Best effort.
import * as core from '@actions/core';
import { createAwsClients } from './aws.js';
import { loadJobState, shouldStopOnCleanup } from './state.js';
import { stopTrainingJob } from './training/sagemaker.js';

export async function cleanup(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const state = loadJobState({ save: core.saveState, get: core.getState });
    if (!shouldStopOnCleanup(state)) return;
    const { sagemaker } = createAwsClients({ region: state.region, env });
    const result = await stopTrainingJob(sagemaker, state.jobName, {
      info: (m) => core.info(m),
      warning: (m) => core.warning(m),
      error: (m) => core.warning(m),
    });
    core.info(result.message);
  } catch (error) {
    core.warning(`Cleanup could not stop the training job: ${error instanceof Error ? error.message : String(error)}`);
  }
}
