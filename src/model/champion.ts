// The branch's champion: the last model that passed the gate on that branch and was promoted.
// Pure: the record, the promotion decision and which branch a run reads or writes.
import { normalizeBranch } from '../dataset/keys.js';
import type { Metrics, RunContext } from '../types.js';

export type PromoteMode = 'auto' | 'always' | 'never';
export const PROMOTE_MODES: readonly PromoteMode[] = ['auto', 'always', 'never'];

/** The numbers a champion keeps: what the gate and the comparison read, per-class included. */
export type ChampionMetrics = Pick<
  Metrics,
  'task' | 'map50' | 'map50_95' | 'precision' | 'recall' | 'top1' | 'top5' | 'blocks' | 'perClass'
>;

export interface Champion {
  version: 1;
  branch: string;
  jobName: string;
  consoleUrl: string;
  metrics: ChampionMetrics;
  /** Fingerprint of the dataset snapshot it trained on (absent for dataset-s3-uri runs). */
  snapshot?: string;
  image: string;
  imageDigest?: string;
  modelUri: string;
  commit?: string;
  /** ISO time of the promotion. */
  promotedAt: string;
}

export function championMetrics(metrics: Metrics): ChampionMetrics {
  const out: ChampionMetrics = { perClass: metrics.perClass };
  for (const k of ['task', 'map50', 'map50_95', 'precision', 'recall', 'top1', 'top5'] as const) {
    if (metrics[k] !== undefined) (out as Record<string, unknown>)[k] = metrics[k];
  }
  if (metrics.blocks) out.blocks = metrics.blocks;
  return out;
}

/** A stored champion, or an error naming the object when it is not one. */
export function parseChampion(text: string, source: string): Champion {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${source} is not JSON`);
  }
  const c = parsed as Partial<Champion> | null;
  if (
    !c ||
    c.version !== 1 ||
    typeof c.jobName !== 'string' ||
    typeof c.modelUri !== 'string' ||
    typeof c.metrics !== 'object' ||
    c.metrics === null ||
    !Array.isArray(c.metrics.perClass)
  ) {
    throw new Error(
      `${source} is not a champion record (version 1 with jobName, modelUri, metrics)`,
    );
  }
  return c as Champion;
}

const BRANCH_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch']);

/** The branch a run is on: refs/heads/<b>, or a pull request's head branch; undefined otherwise. */
export function runBranch(context: RunContext): string | undefined {
  if (context.prNumber !== undefined) return context.headRef;
  return context.ref.startsWith('refs/heads/') ? normalizeBranch(context.ref) : undefined;
}

/** Whose champion a run is compared with: a PR's base branch, else the run's own branch. */
export function baselineBranch(context: RunContext): string | undefined {
  if (context.prNumber !== undefined) return context.baseRef;
  if (context.eventName === 'cli') return undefined;
  return runBranch(context);
}

export interface PromotionDecision {
  promote: boolean;
  /** The branch whose champion it becomes (when promoting). */
  branch?: string;
  /** Why, in words, for the log and the comment. */
  reason: string;
}

/**
 * Whether a model becomes its branch's champion. auto: only a push, schedule or workflow_dispatch
 * on the default branch (a schedule always runs on the default branch, and its payload does not
 * name it). always: any run on a branch, a PR's head branch included. never: no run.
 */
export function decidePromotion(input: {
  mode: PromoteMode;
  context: RunContext;
  gatePassed: boolean;
}): PromotionDecision {
  const { mode, context, gatePassed } = input;
  if (mode === 'never') return { promote: false, reason: 'promote is never' };
  if (!gatePassed) return { promote: false, reason: 'the model did not pass the gate' };
  if (context.eventName === 'cli') {
    return { promote: false, reason: 'a terminal run is never promoted' };
  }
  const branch = runBranch(context);
  if (!branch) return { promote: false, reason: 'the run is not on a branch' };
  if (mode === 'always') return { promote: true, branch, reason: 'promote is always' };
  if (context.prNumber !== undefined || !BRANCH_EVENTS.has(context.eventName)) {
    return {
      promote: false,
      reason: `promote is auto and ${context.eventName} runs are not promoted (only push, schedule and workflow_dispatch on the default branch)`,
    };
  }
  const isDefault =
    context.eventName === 'schedule' ||
    (context.defaultBranch !== undefined && context.defaultBranch === branch);
  if (!isDefault) {
    return {
      promote: false,
      reason: context.defaultBranch
        ? `promote is auto and ${branch} is not the default branch (${context.defaultBranch})`
        : 'promote is auto and the event does not name the default branch',
    };
  }
  return { promote: true, branch, reason: `promote is auto and ${branch} is the default branch` };
}
