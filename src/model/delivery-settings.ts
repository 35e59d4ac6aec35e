// The model-delivery inputs (download-model, model-dir, artifact-name, artifact-retention-days,
// comment-images) read into typed settings. Pure: config.ts hands in its reader and its `fail`,
// so these inputs fail the same way, before any AWS call, as every other input.
export type CommentImages = 'off' | 'presigned';

export interface ModelDeliverySettings {
  /** Download model.tar.gz (and the plots) after a completed job. Default: the value of wait. */
  download: boolean;
  /** Where the model is unpacked (relative to the working directory). */
  dir: string;
  /** Workflow artifact name (action only). */
  artifactName: string;
  /** Artifact retention in days; undefined: the repository's setting. */
  artifactRetentionDays?: number;
  /** `presigned`: the plots also go to S3 and the comment shows them through presigned URLs. */
  commentImages: CommentImages;
}

/** @actions/artifact's name rule: none of these characters (its path-and-artifact-name-validation). */
const ARTIFACT_NAME_FORBIDDEN = /["<>|*?\r\n\\/:]/;
/** GitHub's artifact retention range (1-90 days on public repositories, up to 400 on private). */
const MAX_RETENTION_DAYS = 400;

export function readModelDeliverySettings(
  get: (name: string) => string,
  given: ReadonlyMap<string, string>,
  wait: boolean,
  fail: (input: string, value: string, rule: string) => void,
): ModelDeliverySettings {
  let download = wait;
  if (given.has('download-model')) {
    const v = get('download-model');
    if (/^(true|True|TRUE)$/.test(v)) download = true;
    else if (/^(false|False|FALSE)$/.test(v)) download = false;
    else fail('download-model', v, 'must be true or false');
  }
  const dir = get('model-dir');
  if (dir.includes('\0')) fail('model-dir', dir, 'must be a directory path');

  const artifactName = get('artifact-name');
  if (ARTIFACT_NAME_FORBIDDEN.test(artifactName) || artifactName.length > 256) {
    fail(
      'artifact-name',
      artifactName,
      'must be at most 256 characters without " < > | * ? \\ / : or line breaks',
    );
  }
  let artifactRetentionDays: number | undefined;
  if (given.has('artifact-retention-days')) {
    const v = get('artifact-retention-days');
    const n = /^\d+$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_RETENTION_DAYS) artifactRetentionDays = n;
    else
      fail('artifact-retention-days', v, `must be a whole number from 1 to ${MAX_RETENTION_DAYS}`);
  }
  const commentImages = get('comment-images');
  if (commentImages !== 'off' && commentImages !== 'presigned') {
    fail('comment-images', commentImages, 'must be off or presigned');
  }
  return {
    download,
    dir,
    artifactName,
    ...(artifactRetentionDays !== undefined ? { artifactRetentionDays } : {}),
    commentImages: commentImages === 'presigned' ? 'presigned' : 'off',
  };
}
