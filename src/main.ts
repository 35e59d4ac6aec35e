// The action's boundary: read the config, wire real clients, run the pipeline, and turn every
// error into exactly one core.setFailed (house rule 1).
import * as core from '@actions/core';
import * as github from '@actions/github';
import { createAwsClients } from './aws.js';
import { errorMessage } from './errors.js';
import { actionRoot } from './paths.js';
import { readActionConfig } from './config.js';
import { roleToAssumeCredentials } from './credentials.js';
import { runPipeline, type PipelineIO, type ReportInput } from './pipeline.js';
import { commentMarker } from './report/comment.js';
import { renderPipelineReport } from './report/render.js';
import { upsertStickyComment } from './report/github.js';
import { writeJobSummary } from './report/summary.js';
import { createStages } from './stages.js';
import { uploadModelArtifact } from './model/artifact.js';
import { actionGroup, actionInfo, actionNotice, actionWarning, coreLog } from './action-log.js';
import { saveJobState } from './state.js';
import type { Config } from './types.js';
import { commandSafeText } from './untrusted.js';

/** Summary on every event; the sticky comment on pull requests when enabled and possible. */
async function publishReport(config: Config, input: ReportInput): Promise<{ commentUrl?: string }> {
  const body = renderPipelineReport(input);
  try {
    await writeJobSummary(body);
  } catch (error) {
    // Some runners (GHES, act) have no step summary file: the verdict must not depend on it.
    actionWarning(`The job summary could not be written: ${errorMessage(error)}`);
  }
  const pr = config.context.prNumber;
  if (!config.comment || pr === undefined) return {};
  if (!config.githubToken) {
    actionWarning('No github-token: the PR comment was skipped (the job summary has the report).');
    return {};
  }
  const [owner = '', repo = ''] = config.context.repository.split('/');
  try {
    const result = await upsertStickyComment(github.getOctokit(config.githubToken), {
      owner,
      repo,
      issueNumber: pr,
      marker: commentMarker(),
      body,
      log: coreLog,
    });
    return result.url ? { commentUrl: result.url } : {};
  } catch (error) {
    // The verdict is the gate's; a GitHub API outage must not turn a good model into a red build.
    actionWarning(
      `The PR comment could not be posted (${errorMessage(error)}); the job summary has the report.`,
    );
    return {};
  }
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const root = actionRoot();
    const config = readActionConfig(env, root);
    if (config.githubToken) core.setSecret(config.githubToken);

    // role-to-assume: one refreshing provider shared by every client; else the environment's keys.
    const credentials = roleToAssumeCredentials(config, env, {
      idToken: (audience) => core.getIDToken(audience),
      mask: (secret) => core.setSecret(secret),
      log: coreLog,
    });
    const clients = createAwsClients({
      region: config.region,
      env,
      ...(credentials ? { credentials } : {}),
    });
    const stages = createStages(config, {
      clients,
      log: coreLog,
      mask: (secret) => core.setSecret(secret),
      actionRoot: root,
      report: (input) => publishReport(config, input),
      publishArtifact: (request) => uploadModelArtifact(request, config.context, env),
    });
    const io: PipelineIO = {
      group: actionGroup,
      info: actionInfo,
      notice: actionNotice,
      setOutput: (name, value) => core.setOutput(name, value),
      jobState: (jobName, ended) =>
        saveJobState(
          { save: core.saveState, get: core.getState },
          {
            jobName,
            region: config.region,
            ended,
            wait: config.wait,
            backend: stages.training.kind,
          },
        ),
    };

    const result = await runPipeline(config, stages, io);
    if (result.failure) core.setFailed(commandSafeText(result.failure));
  } catch (error) {
    // ConfigError, DatasetInvalidError, AWS errors: their messages already say what and where.
    core.setFailed(commandSafeText(errorMessage(error)));
  }
}
