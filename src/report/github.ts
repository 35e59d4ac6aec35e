// Sticky PR comment (house rule 8): one comment per marker, found by marker AND author, edited in
// place, left alone when the body is unchanged. The only GitHub I/O in the report stage.
//
// Author: with a user token (PAT) GET /user names the identity. Installation tokens (GITHUB_TOKEN,
// GitHub App tokens) get 403 there; their comments are authored by a Bot account, normally
// `github-actions[bot]`. So without a confirmed login we match Bot-type authors, trying
// `github-actions[bot]` first; a human quoting the marker is never touched. If editing a comment
// whose author was only inferred is refused, a new comment is created instead.

/** The slice of an Octokit that this module uses; a real Octokit satisfies it. */
export interface OctokitLike {
  request(
    route: string,
    parameters?: Record<string, unknown>,
  ): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }>;
}

export interface CommentLog {
  info(message: string): void;
  warning(message: string): void;
  debug?(message: string): void;
}

export interface UpsertOptions {
  owner: string;
  repo: string;
  issueNumber: number;
  /** The hidden marker line, e.g. `<!-- sagemaker-yolo-action:default -->`. */
  marker: string;
  body: string;
  log: CommentLog;
  /** Skip the identity look-up and match this login (useful for App tokens). */
  authorLogin?: string;
}

export interface UpsertResult {
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  url?: string;
}

interface IssueComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: { login?: string; type?: string } | null;
}

export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';
const PER_PAGE = 100;
/** 300 pages = 30,000 comments: a bound on a runaway Link chain, far above real PRs. */
const MAX_PAGES = 300;

function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown })?.status;
  return typeof status === 'number' ? status : undefined;
}

function isPermissionError(error: unknown): boolean {
  const status = httpStatus(error);
  return status === 403 || status === 404;
}

function describe(error: unknown): string {
  const e = error as { status?: number; message?: string };
  return e?.status ? `HTTP ${e.status}: ${e.message ?? ''}`.trim() : String(e?.message ?? error);
}

/** Compares bodies as GitHub stores them (it may turn \n into \r\n and trim the end). */
export function sameBody(a: string | null | undefined, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n/g, '\n').trimEnd();
  return norm(a ?? '') === norm(b);
}

export function hasNextPage(link: unknown): boolean {
  return typeof link === 'string' && /<[^>]*>\s*;\s*rel="?next"?/.test(link);
}

export async function listIssueComments(
  octokit: OctokitLike,
  owner: string,
  repo: string,
  issueNumber: number,
): Promise<IssueComment[]> {
  const all: IssueComment[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: PER_PAGE,
      page,
    });
    const items = Array.isArray(res.data) ? (res.data as IssueComment[]) : [];
    for (const item of items) all.push(item);
    const link = res.headers.link;
    // Follow the Link header when present; without one, a short page is the last page.
    if (link !== undefined ? !hasNextPage(link) : items.length < PER_PAGE) break;
  }
  return all;
}

/** The token's login when it can be asked for (user tokens); undefined for installation tokens. */
export async function tokenLogin(
  octokit: OctokitLike,
  log: CommentLog,
): Promise<string | undefined> {
  try {
    const res = await octokit.request('GET /user');
    const login = (res.data as { login?: unknown })?.login;
    return typeof login === 'string' && login ? login : undefined;
  } catch (error) {
    log.debug?.(`GET /user not allowed for this token (${describe(error)}); matching bot authors`);
    return undefined;
  }
}

/** Comments carrying the marker by the token's identity, most likely first. */
export function findOwnComments(
  comments: IssueComment[],
  marker: string,
  login: string | undefined,
): IssueComment[] {
  const marked = comments.filter((c) => (c.body ?? '').includes(marker));
  if (login) return marked.filter((c) => c.user?.login === login);
  const bots = marked.filter((c) => c.user?.type === 'Bot');
  return [
    ...bots.filter((c) => c.user?.login === ACTIONS_BOT_LOGIN),
    ...bots.filter((c) => c.user?.login !== ACTIONS_BOT_LOGIN),
  ];
}

export async function upsertStickyComment(
  octokit: OctokitLike,
  options: UpsertOptions,
): Promise<UpsertResult> {
  const { owner, repo, issueNumber, marker, body, log } = options;
  if (!body.includes(marker))
    throw new Error('upsertStickyComment: the body must contain the marker');
  const where = `${owner}/${repo}#${issueNumber}`;
  const skipped = (error: unknown): UpsertResult => {
    log.warning(
      `Could not comment on ${where} (${describe(error)}). The token is read-only here ` +
        '(a pull request from a fork, or missing `pull-requests: write` / `issues: write` permission); ' +
        'the report is in the job summary.',
    );
    return { action: 'skipped' };
  };

  try {
    const confirmed = options.authorLogin ?? (await tokenLogin(octokit, log));
    const comments = await listIssueComments(octokit, owner, repo, issueNumber);
    const candidates = findOwnComments(comments, marker, confirmed);

    for (const existing of candidates) {
      if (sameBody(existing.body, body)) {
        log.info(`Comment on ${where} is up to date: ${existing.html_url ?? existing.id}`);
        return { action: 'unchanged', ...(existing.html_url ? { url: existing.html_url } : {}) };
      }
      try {
        const res = await octokit.request(
          'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
          {
            owner,
            repo,
            comment_id: existing.id,
            body,
          },
        );
        const url = (res.data as IssueComment).html_url ?? existing.html_url;
        log.info(`Updated comment on ${where}: ${url ?? existing.id}`);
        return { action: 'updated', ...(url ? { url } : {}) };
      } catch (error) {
        // Only an inferred author can be wrong; a confirmed one failing is a real permission problem.
        if (confirmed || !isPermissionError(error)) throw error;
        log.debug?.(`Comment ${existing.id} is not editable with this token (${describe(error)})`);
      }
    }

    const res = await octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    const url = (res.data as IssueComment).html_url;
    log.info(`Created comment on ${where}: ${url ?? ''}`.trim());
    return { action: 'created', ...(url ? { url } : {}) };
  } catch (error) {
    if (isPermissionError(error)) return skipped(error);
    throw error;
  }
}
