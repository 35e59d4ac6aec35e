// Where the model's life cycle lives in S3 (under `<prefix>/`): a champion pointer and its history
// per branch, one record per run key, and the metrics file a Model Registry entry points at. Pure.
import { checkPrefix, normalizeBranch } from '../dataset/keys.js';

/**
 * A branch name as one key segment. Branch names are user-controlled and may hold `/`, `%` or
 * unicode: percent-encoding keeps every branch in its own folder (`feature/x` never nests under
 * `feature`), and a leading dot is encoded too so no segment reads as `.` or `..`.
 */
export function branchKeySegment(branch: string): string {
  return encodeURIComponent(normalizeBranch(branch)).replace(/^\./, '%2E');
}

export interface ModelKeys {
  champion(branch: string): string;
  /** One object per promotion; the time first so a listing is in promotion order. */
  history(branch: string, promotedAt: string, jobName: string): string;
  run(runKey: string): string;
  registryMetrics(jobName: string): string;
}

export function modelKeys(prefix: string): ModelKeys {
  const base = checkPrefix(prefix);
  return {
    champion: (b) => `${base}/models/${branchKeySegment(b)}/champion.json`,
    history: (b, at, job) =>
      `${base}/models/${branchKeySegment(b)}/history/${at.replace(/[:.]/g, '-')}-${job}.json`,
    run: (key) => {
      if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`run key '${key}' is not a sha256`);
      return `${base}/runs/${key}.json`;
    },
    registryMetrics: (job) => `${base}/models/registry/${job}/metrics.json`,
  };
}
