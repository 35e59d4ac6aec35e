// Test helper: a node:http server on 127.0.0.1 standing in for the GitHub REST API routes the
// sticky comment uses, with GitHub's behaviour where it matters: Link-header pagination,
// `GET /user` refused for installation tokens, 403 for read-only tokens, 404 for unknown issues,
// PATCH refused on someone else's comment.
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface Identity {
  login: string;
  type: 'User' | 'Bot';
  /** Installation tokens (GITHUB_TOKEN, App tokens) cannot call GET /user. */
  installation: boolean;
  canWrite: boolean;
}

export interface StoredComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  html_url: string;
}

export interface StandIn {
  baseUrl: string;
  comments: StoredComment[];
  requests: { method: string; path: string; query: URLSearchParams }[];
  /** Responds with this status to every request for this issue number. */
  failIssue: Map<number, number>;
  close(): Promise<void>;
}

export const OWNER = 'acme';
export const REPO = 'floorplans';
export const ISSUE = 12;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startGitHubStandIn(tokens: Record<string, Identity>): Promise<StandIn> {
  const comments: StoredComment[] = [];
  const requests: StandIn['requests'] = [];
  const failIssue = new Map<number, number>();
  let nextId = 1_000_000;
  let baseUrl = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', baseUrl);
      const method = req.method ?? 'GET';
      requests.push({ method, path: url.pathname, query: url.searchParams });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const who = auth ? tokens[auth] : undefined;
      if (!who) return send(401, { message: 'Bad credentials' });

      const body = method === 'POST' || method === 'PATCH' ? await readBody(req) : {};
      const repoPath = `/repos/${OWNER}/${REPO}`;
      let m: RegExpExecArray | null;

      if (method === 'GET' && url.pathname === '/user') {
        if (who.installation)
          return send(403, { message: 'Resource not accessible by integration' });
        return send(200, { login: who.login, type: who.type });
      }

      if ((m = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(url.pathname))) {
        const issue = Number(m[1]);
        const forced = failIssue.get(issue);
        if (forced) return send(forced, { message: `forced ${forced}` });
        if (issue !== ISSUE) return send(404, { message: 'Not Found' });
        if (method === 'GET') {
          const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
          const page = Number(url.searchParams.get('page') ?? 1);
          const last = Math.max(1, Math.ceil(comments.length / perPage));
          const links: string[] = [];
          const pageUrl = (p: number) =>
            `<${baseUrl}${repoPath}/issues/${issue}/comments?per_page=${perPage}&page=${p}>`;
          if (page < last)
            links.push(`${pageUrl(page + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
          if (page > 1)
            links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(page - 1)}; rel="prev"`);
          const slice = comments.slice((page - 1) * perPage, page * perPage);
          return send(200, slice, links.length ? { link: links.join(', ') } : {});
        }
        if (method === 'POST') {
          if (!who.canWrite)
            return send(403, { message: 'Resource not accessible by integration' });
          const comment: StoredComment = {
            id: nextId++,
            body: String(body.body),
            user: { login: who.login, type: who.type },
            html_url: '',
          };
          comment.html_url = `https://github.com/${OWNER}/${REPO}/pull/${issue}#issuecomment-${comment.id}`;
          comments.push(comment);
          return send(201, comment);
        }
      }

      if ((m = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname))) {
        const comment = comments.find((c) => c.id === Number(m?.[1]));
        if (!comment) return send(404, { message: 'Not Found' });
        if (method === 'PATCH') {
          if (!who.canWrite || comment.user.login !== who.login) {
            return send(403, { message: 'Resource not accessible by integration' });
          }
          comment.body = String(body.body);
          return send(200, comment);
        }
      }
      return send(404, { message: 'Not Found' });
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    baseUrl,
    comments,
    requests,
    failIssue,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Seeds `count` comments by ordinary users (none with a marker). */
export function seedComments(standIn: StandIn, count: number): void {
  for (let i = 0; i < count; i++) {
    const id = 1 + standIn.comments.length;
    standIn.comments.push({
      id,
      body: `comment ${i}: looks good`,
      user:
        i % 7 === 0
          ? { login: 'dependabot[bot]', type: 'Bot' }
          : { login: `user${i % 5}`, type: 'User' },
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${ISSUE}#issuecomment-${id}`,
    });
  }
}
