// Run contexts from real webhook payloads (@octokit/webhooks-examples) and the runner's variables.
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readEventPayload, runContextFromEnv, type EventPayload } from '../../src/context.js';
import { deriveJobName } from '../../src/jobname.js';

interface WebhookExamples {
  name: string;
  examples: EventPayload[];
}

const require = createRequire(import.meta.url);
const catalogue = require('@octokit/webhooks-examples') as WebhookExamples[];

function example(event: string, action?: string): EventPayload {
  const entry = catalogue.find((e) => e.name === event);
  const found = entry?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${event} ${action ?? ''} example in @octokit/webhooks-examples`);
  return structuredClone(found);
}

function runnerEnv(eventName: string, payload: EventPayload): NodeJS.ProcessEnv {
  const repository = (payload.repository as { full_name: string }).full_name;
  return {
    GITHUB_REPOSITORY: repository,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_ATTEMPT: '2',
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

describe('runContextFromEnv', () => {
  it('reads a same-repository pull_request (opened)', () => {
    const payload = example('pull_request', 'opened');
    const pr = payload.pull_request as {
      number: number;
      base: { ref: string };
      head: { ref: string };
    };
    const context = runContextFromEnv(runnerEnv('pull_request', payload), payload);
    expect(context).toEqual({
      repository: 'Codertocat/Hello-World',
      eventName: 'pull_request',
      ref: 'refs/heads/main',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      runId: '1658821493',
      runAttempt: '2',
      serverUrl: 'https://github.com',
      prNumber: pr.number,
      isForkPullRequest: false,
      baseRef: pr.base.ref,
      headRef: pr.head.ref,
      defaultBranch: 'master',
    });
    expect(deriveJobName(context)).toBe(`hello-world-pr-${pr.number}-1658821493-ec26c3e`);
  });

  it('recognises a pull request from a fork', () => {
    const payload = example('pull_request', 'opened');
    const head = (payload.pull_request as { head: { repo: Record<string, unknown> } }).head;
    head.repo = { ...head.repo, full_name: 'someone/Hello-World', fork: true };
    const context = runContextFromEnv(runnerEnv('pull_request', payload), payload);
    expect(context.isForkPullRequest).toBe(true);
    expect(context.prNumber).toBe((payload.pull_request as { number: number }).number);
  });

  it('treats a deleted head repository as a fork', () => {
    const payload = example('pull_request', 'opened');
    (payload.pull_request as { head: { repo: unknown } }).head.repo = null;
    expect(runContextFromEnv(runnerEnv('pull_request', payload), payload).isForkPullRequest).toBe(
      true,
    );
  });

  it('reads every pull_request example without throwing', () => {
    const examples = catalogue.find((e) => e.name === 'pull_request')?.examples ?? [];
    expect(examples.length).toBeGreaterThan(20);
    for (const payload of examples) {
      const context = runContextFromEnv(runnerEnv('pull_request', payload), payload);
      expect(context.prNumber).toBe((payload.pull_request as { number: number }).number);
      expect(context.isForkPullRequest).toBe(false);
    }
  });

  it('reads a workflow_dispatch', () => {
    const payload = example('workflow_dispatch');
    const context = runContextFromEnv(runnerEnv('workflow_dispatch', payload), payload);
    expect(context.prNumber).toBeUndefined();
    expect(context.isForkPullRequest).toBe(false);
    expect(context.baseRef).toBeUndefined();
    expect(context.defaultBranch).toBe(
      (payload.repository as { default_branch: string }).default_branch,
    );
    expect(deriveJobName(context)).toMatch(/-dispatch-1658821493-ec26c3e$/);
  });

  it('reads a push', () => {
    const payload = example('push');
    const context = runContextFromEnv(runnerEnv('push', payload), payload);
    expect(context.prNumber).toBeUndefined();
    expect(context.isForkPullRequest).toBe(false);
    expect(context.defaultBranch).toBe(
      (payload.repository as { default_branch: string }).default_branch,
    );
    expect(deriveJobName(context)).toMatch(/-push-1658821493-ec26c3e$/);
  });

  it('reads a schedule event as the runner gives it', () => {
    const env = { ...runnerEnv('schedule', { repository: { full_name: 'acme/floorplans' } }) };
    const context = runContextFromEnv(env, { schedule: '0 3 * * *' });
    expect(context).toEqual({
      repository: 'acme/floorplans',
      eventName: 'schedule',
      ref: 'refs/heads/main',
      sha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      runId: '1658821493',
      runAttempt: '2',
      serverUrl: 'https://github.com',
      isForkPullRequest: false,
    });
    expect(deriveJobName(context)).toBe('floorplans-schedule-1658821493-ec26c3e');
  });

  it('takes the PR of an issue_comment on a pull request', () => {
    const payload = { issue: { number: 7, pull_request: { url: 'x' } } };
    expect(runContextFromEnv({ GITHUB_EVENT_NAME: 'issue_comment' }, payload).prNumber).toBe(7);
    expect(runContextFromEnv({}, { issue: { number: 7 } }).prNumber).toBeUndefined();
  });

  it('counts a comment on a pull request as a fork (its payload does not say where the head is)', () => {
    const payload = { issue: { number: 7, pull_request: { url: 'x' } } };
    expect(
      runContextFromEnv({ GITHUB_EVENT_NAME: 'issue_comment' }, payload).isForkPullRequest,
    ).toBe(true);
    expect(runContextFromEnv({}, { issue: { number: 7 } }).isForkPullRequest).toBe(false);
  });

  it('falls back to defaults outside Actions', () => {
    expect(runContextFromEnv({ GITHUB_SERVER_URL: 'https://ghe.example.com/' }, {})).toEqual({
      repository: '',
      eventName: '',
      ref: '',
      sha: '',
      runId: '',
      runAttempt: '1',
      serverUrl: 'https://ghe.example.com',
      isForkPullRequest: false,
    });
  });

  it('takes the base ref from GITHUB_BASE_REF when the payload has none', () => {
    expect(runContextFromEnv({ GITHUB_BASE_REF: 'develop' }, {}).baseRef).toBe('develop');
  });
});

describe('readEventPayload', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'event-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the file the runner wrote', () => {
    const file = path.join(dir, 'event.json');
    writeFileSync(file, JSON.stringify({ schedule: '0 3 * * *' }));
    expect(readEventPayload({ GITHUB_EVENT_PATH: file })).toEqual({ schedule: '0 3 * * *' });
  });

  it('is empty outside Actions', () => {
    expect(readEventPayload({})).toEqual({});
  });

  it('names the path when the file is missing or not a JSON object', () => {
    const missing = path.join(dir, 'missing.json');
    expect(() => readEventPayload({ GITHUB_EVENT_PATH: missing })).toThrow(missing);
    const list = path.join(dir, 'list.json');
    writeFileSync(list, '[1]');
    expect(() => readEventPayload({ GITHUB_EVENT_PATH: list })).toThrow(/not a JSON object/);
    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(() => readEventPayload({ GITHUB_EVENT_PATH: broken })).toThrow(broken);
  });
});
