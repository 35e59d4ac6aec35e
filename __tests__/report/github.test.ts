// The sticky comment against a stand-in GitHub API, through a real Octokit from @actions/github.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import {
  findOwnComments,
  hasNextPage,
  sameBody,
  upsertStickyComment,
  type CommentLog,
  type OctokitLike,
} from '../../src/report/github.js';
import {
  ISSUE,
  OWNER,
  REPO,
  seedComments,
  startGitHubStandIn,
  type Identity,
  type StandIn,
} from './github-standin.js';

const MARKER = '<!-- sagemaker-yolo-action:default -->';
const TOKENS: Record<string, Identity> = {
  'ghs-actions': { login: 'github-actions[bot]', type: 'Bot', installation: true, canWrite: true },
  'ghs-readonly': {
    login: 'github-actions[bot]',
    type: 'Bot',
    installation: true,
    canWrite: false,
  },
  'ghp-octocat': { login: 'octocat', type: 'User', installation: false, canWrite: true },
  'ghp-mallory': { login: 'mallory', type: 'User', installation: false, canWrite: true },
  'ghs-app': { login: 'floorplan-ci[bot]', type: 'Bot', installation: true, canWrite: true },
};

let gh: StandIn;
let warnings: string[];
let log: CommentLog;

beforeEach(async () => {
  gh = await startGitHubStandIn(TOKENS);
  warnings = [];
  log = { info: () => undefined, warning: (m) => warnings.push(m), debug: () => undefined };
});

afterEach(async () => {
  await gh.close();
});

function octokit(token: string): OctokitLike {
  // Typed as the module's minimal interface: proves a real Octokit satisfies it.
  const client: OctokitLike = getOctokit(token, { baseUrl: gh.baseUrl });
  return client;
}

const upsert = (token: string, body: string, issueNumber = ISSUE, extra = {}) =>
  upsertStickyComment(octokit(token), {
    owner: OWNER,
    repo: REPO,
    issueNumber,
    marker: MARKER,
    body,
    log,
    ...extra,
  });

const writes = () => gh.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH');

describe('upsertStickyComment with GITHUB_TOKEN (github-actions[bot])', () => {
  it('creates, then leaves unchanged, then updates the same comment across >100 comments', async () => {
    seedComments(gh, 230);
    // Someone quoting the marker (and a comment of another workflow's key) must not be touched.
    gh.comments.splice(50, 0, {
      id: 50_000,
      body: `> ${MARKER}\n> quoting the bot`,
      user: { login: 'mallory', type: 'User' },
      html_url: 'x',
    });
    gh.comments.push({
      id: 60_000,
      body: '<!-- sagemaker-yolo-action:nightly -->\nother workflow',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: 'y',
    });

    const first = await upsert('ghs-actions', `${MARKER}\nrun 1`);
    expect(first.action).toBe('created');
    const created = gh.comments[gh.comments.length - 1];
    expect(created?.user.login).toBe('github-actions[bot]');
    expect(first.url).toBe(created?.html_url);
    expect(gh.comments).toHaveLength(233);

    gh.requests.length = 0;
    const second = await upsert('ghs-actions', `${MARKER}\nrun 1\n`);
    expect(second).toEqual({ action: 'unchanged', url: created?.html_url });
    expect(writes()).toEqual([]);
    // Found on the third page: pagination followed the Link header to the end.
    const pages = gh.requests
      .filter((r) => r.path.endsWith('/comments'))
      .map((r) => r.query.get('page'));
    expect(pages).toEqual(['1', '2', '3']);
    expect(
      gh.requests.every((r) => !r.path.endsWith('/comments') || r.query.get('per_page') === '100'),
    ).toBe(true);

    gh.requests.length = 0;
    const third = await upsert('ghs-actions', `${MARKER}\nrun 2`);
    expect(third.action).toBe('updated');
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      `PATCH /repos/${OWNER}/${REPO}/issues/comments/${created?.id}`,
    ]);
    expect(gh.comments.find((c) => c.id === created?.id)?.body).toBe(`${MARKER}\nrun 2`);
    expect(gh.comments).toHaveLength(233);
    expect(gh.comments.find((c) => c.id === 50_000)?.body).toBe(`> ${MARKER}\n> quoting the bot`);
    expect(gh.comments.find((c) => c.id === 60_000)?.body).toBe(
      '<!-- sagemaker-yolo-action:nightly -->\nother workflow',
    );
  });

  it('works with fewer than one page and exactly one page of comments', async () => {
    seedComments(gh, 100);
    expect((await upsert('ghs-actions', `${MARKER}\na`)).action).toBe('created');
    expect((await upsert('ghs-actions', `${MARKER}\nb`)).action).toBe('updated');
    expect(gh.comments.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
  });

  it('skips with a warning when the token is read-only (fork pull request)', async () => {
    seedComments(gh, 3);
    const result = await upsert('ghs-readonly', `${MARKER}\nx`);
    expect(result).toEqual({ action: 'skipped' });
    expect(warnings.join('\n')).toMatch(/HTTP 403.*fork/s);
    expect(gh.comments).toHaveLength(3);
  });

  it('skips with a warning when the issue is not visible (404)', async () => {
    const result = await upsert('ghs-actions', `${MARKER}\nx`, 999);
    expect(result.action).toBe('skipped');
    expect(warnings[0]).toMatch(/acme\/floorplans#999.*HTTP 404/);
  });

  it('raises other API failures', async () => {
    gh.failIssue.set(ISSUE, 500);
    await expect(upsert('ghs-actions', `${MARKER}\nx`)).rejects.toMatchObject({ status: 500 });
  });

  it('refuses a body without the marker (it could never be found again)', async () => {
    await expect(upsert('ghs-actions', 'no marker')).rejects.toThrow(/marker/);
  });
});

describe('upsertStickyComment: whose comment it is', () => {
  it('with a user token, matches only that user and leaves the bot comment alone', async () => {
    gh.comments.push({
      id: 7,
      body: `${MARKER}\nold bot comment`,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: 'z',
    });
    const result = await upsert('ghp-octocat', `${MARKER}\nfrom octocat`);
    expect(result.action).toBe('created');
    expect(gh.comments.find((c) => c.id === 7)?.body).toBe(`${MARKER}\nold bot comment`);
    expect((await upsert('ghp-octocat', `${MARKER}\nagain`)).action).toBe('updated');
    expect(gh.comments.filter((c) => c.user.login === 'octocat')).toHaveLength(1);
  });

  it('never edits a comment by another user that carries the marker', async () => {
    gh.comments.push({
      id: 8,
      body: `${MARKER}\nmallory`,
      user: { login: 'mallory', type: 'User' },
      html_url: 'm',
    });
    expect((await upsert('ghs-actions', `${MARKER}\nbot`)).action).toBe('created');
    expect((await upsert('ghp-octocat', `${MARKER}\nocto`)).action).toBe('created');
    expect(gh.comments.find((c) => c.id === 8)?.body).toBe(`${MARKER}\nmallory`);
    expect(gh.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('with an App installation token, updates its own bot comment', async () => {
    expect((await upsert('ghs-app', `${MARKER}\n1`)).action).toBe('created');
    expect((await upsert('ghs-app', `${MARKER}\n2`)).action).toBe('updated');
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0]?.user.login).toBe('floorplan-ci[bot]');
  });

  it('creates a new comment when an inferred bot author turns out not to be us', async () => {
    gh.comments.push({
      id: 9,
      body: `${MARKER}\napp`,
      user: { login: 'floorplan-ci[bot]', type: 'Bot' },
      html_url: 'a',
    });
    const result = await upsert('ghs-actions', `${MARKER}\nactions`);
    expect(result.action).toBe('created');
    expect(gh.comments.find((c) => c.id === 9)?.body).toBe(`${MARKER}\napp`);
    expect(gh.comments.filter((c) => c.user.login === 'github-actions[bot]')).toHaveLength(1);
  });

  it('uses an explicit author login without asking GET /user', async () => {
    await upsert('ghs-actions', `${MARKER}\n1`, ISSUE, { authorLogin: 'github-actions[bot]' });
    expect(gh.requests.some((r) => r.path === '/user')).toBe(false);
  });
});

describe('helpers', () => {
  it('reads rel="next" from a Link header', () => {
    expect(
      hasNextPage('<https://api/x?page=2>; rel="next", <https://api/x?page=5>; rel="last"'),
    ).toBe(true);
    expect(
      hasNextPage('<https://api/x?page=1>; rel="first", <https://api/x?page=4>; rel="prev"'),
    ).toBe(false);
    expect(hasNextPage(undefined)).toBe(false);
  });

  it('compares bodies ignoring CRLF and trailing whitespace', () => {
    expect(sameBody('a\r\nb\n\n', 'a\nb')).toBe(true);
    expect(sameBody('a\nb', 'a\nc')).toBe(false);
    expect(sameBody(null, '')).toBe(true);
  });

  it('prefers github-actions[bot] among bot comments when the author is inferred', () => {
    const c = (id: number, login: string, type: 'Bot' | 'User') => ({
      id,
      body: MARKER,
      user: { login, type },
    });
    const found = findOwnComments(
      [c(1, 'x[bot]', 'Bot'), c(2, 'me', 'User'), c(3, 'github-actions[bot]', 'Bot')],
      MARKER,
      undefined,
    );
    expect(found.map((f) => f.id)).toEqual([3, 1]);
    expect(
      findOwnComments([c(1, 'x[bot]', 'Bot'), c(2, 'me', 'User')], MARKER, 'me').map((f) => f.id),
    ).toEqual([2]);
  });
});
