// Uploads the downloaded model and its plots as a workflow artifact, so a later job (deploy) takes
// it with actions/download-artifact. @actions/artifact speaks to the runner's results service
// (ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN): off a runner there is nothing to upload to.
import { DefaultArtifactClient } from '@actions/artifact';
import path from 'node:path';
import type { RunContext } from '../types.js';

export interface UploadedArtifact {
  name: string;
  id: number;
  /** The artifact's page: `<server>/<repo>/actions/runs/<run>/artifacts/<id>`. */
  url: string;
  size?: number;
}

export type ArtifactResult = { uploaded: UploadedArtifact } | { skipped: string };

export interface ArtifactRequest {
  name: string;
  /** Absolute directory; files are relative to it and keep that layout in the zip. */
  dir: string;
  files: string[];
  retentionDays?: number;
}

/** Why the artifact service cannot be reached from here, or undefined when it can. */
export function artifactServiceMissing(env: NodeJS.ProcessEnv): string | undefined {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((k) => !env[k]);
  return missing.length > 0
    ? `not on a GitHub Actions runner (${missing.join(' and ')} unset)`
    : undefined;
}

export function artifactUrl(context: RunContext, id: number): string {
  return `${context.serverUrl.replace(/\/+$/, '')}/${context.repository}/actions/runs/${context.runId}/artifacts/${id}`;
}

export async function uploadModelArtifact(
  request: ArtifactRequest,
  context: RunContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ArtifactResult> {
  const missing = artifactServiceMissing(env);
  if (missing) return { skipped: missing };
  const client = new DefaultArtifactClient();
  const { id, size } = await client.uploadArtifact(
    request.name,
    request.files.map((f) => path.join(request.dir, f)),
    request.dir,
    request.retentionDays !== undefined ? { retentionDays: request.retentionDays } : {},
  );
  if (id === undefined) throw new Error(`artifact ${request.name}: the service returned no id`);
  return {
    uploaded: {
      name: request.name,
      id,
      url: artifactUrl(context, id),
      ...(size !== undefined ? { size } : {}),
    },
  };
}
