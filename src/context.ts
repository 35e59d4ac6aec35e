// The triggering run, from the runner's GITHUB_* variables and the event payload. Pure except for
// readEventPayload, which only reads the file the runner wrote.
import { readFileSync } from 'node:fs';
import type { RunContext } from './types.js';

export type EventPayload = Record<string, unknown>;

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function prNumberOf(payload: EventPayload): number | undefined {
  const pr = record(payload.pull_request);
  // pull_request(_target) and pull_request_review carry pull_request; issue_comment on a PR carries
  // issue.pull_request and the number on the issue.
  const issue = record(payload.issue);
  const n = pr ? (pr.number ?? payload.number) : issue?.pull_request ? issue.number : undefined;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

export function runContextFromEnv(env: NodeJS.ProcessEnv, payload: EventPayload): RunContext {
  const repositoryPayload = record(payload.repository);
  const repository = text(env.GITHUB_REPOSITORY) ?? text(repositoryPayload?.full_name) ?? '';
  const pr = record(payload.pull_request);
  const base = record(pr?.base);
  const head = record(pr?.head);

  let isForkPullRequest = false;
  if (pr) {
    // A deleted fork shows as head.repo null; treat it as a fork (no secrets, read-only token).
    const headRepo = text(record(head?.repo)?.full_name);
    const baseRepo = text(record(base?.repo)?.full_name) ?? repository;
    isForkPullRequest = headRepo === undefined || headRepo !== baseRepo;
  } else if (record(record(payload.issue)?.pull_request)) {
    // A comment on a pull request (ChatOps) does not say where the PR's head lives: assume a fork,
    // so untrusted code is only validated unless fork-pull-requests is train.
    isForkPullRequest = true;
  }

  const context: RunContext = {
    repository,
    eventName: text(env.GITHUB_EVENT_NAME) ?? '',
    ref: text(env.GITHUB_REF) ?? '',
    sha: text(env.GITHUB_SHA) ?? '',
    runId: text(env.GITHUB_RUN_ID) ?? '',
    runAttempt: text(env.GITHUB_RUN_ATTEMPT) ?? '1',
    serverUrl: (text(env.GITHUB_SERVER_URL) ?? 'https://github.com').replace(/\/+$/, ''),
    isForkPullRequest,
  };
  const prNumber = prNumberOf(payload);
  if (prNumber !== undefined) context.prNumber = prNumber;
  const baseRef = text(base?.ref) ?? text(env.GITHUB_BASE_REF);
  if (baseRef !== undefined) context.baseRef = baseRef;
  const headRef = pr ? (text(head?.ref) ?? text(env.GITHUB_HEAD_REF)) : undefined;
  if (headRef !== undefined) context.headRef = headRef;
  const defaultBranch = text(repositoryPayload?.default_branch);
  if (defaultBranch !== undefined) context.defaultBranch = defaultBranch;
  return context;
}

/** The event payload the runner wrote to GITHUB_EVENT_PATH; `{}` outside Actions (CLI). */
export function readEventPayload(env: NodeJS.ProcessEnv): EventPayload {
  const path = env.GITHUB_EVENT_PATH;
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `cannot read the event payload GITHUB_EVENT_PATH=${path}: ${(error as Error).message}`,
    );
  }
  const payload = record(parsed);
  if (!payload) throw new Error(`the event payload in ${path} is not a JSON object`);
  return payload;
}
