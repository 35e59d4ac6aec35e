// Test helper: a node:http server on 127.0.0.1 standing in for the two services @actions/artifact
// (v6) talks to when it uploads, speaking their wire protocol as that library's source uses it:
//  - the results service at ACTIONS_RESULTS_URL (only its origin is used): Twirp JSON, POST
//    /twirp/github.actions.results.api.v1.ArtifactService/{CreateArtifact,FinalizeArtifact} with
//    `Authorization: Bearer <ACTIONS_RUNTIME_TOKEN>` and protobuf field names (snake_case);
//  - Azure Blob storage at the signed upload URL CreateArtifact returns: @azure/storage-blob's
//    BlockBlobClient.uploadStream, i.e. `PUT ?comp=block&blockid=<b64>` per chunk, then
//    `PUT ?comp=blocklist` with an XML <BlockList> naming the blocks in order.
// It records every request and assembles the committed blob, so a test can unzip what was uploaded.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

export interface TwirpCall {
  method: 'CreateArtifact' | 'FinalizeArtifact' | string;
  authorization?: string;
  body: Record<string, unknown>;
}

export interface ArtifactStandIn {
  /** ACTIONS_RESULTS_URL for the code under test. */
  resultsUrl: string;
  /** A JWT whose `scp` claim carries the backend ids, as the runner's token does. */
  runtimeToken: string;
  runBackendId: string;
  jobBackendId: string;
  calls: TwirpCall[];
  /** Committed blobs by URL path: the artifact zip. */
  blobs: Map<string, Buffer>;
  blobRequests: { method: string; path: string; comp?: string; sig?: string }[];
  artifactId: number;
  close(): Promise<void>;
}

function base64url(value: string): string {
  return Buffer.from(value).toString('base64url');
}

/** An unsigned JWT (jwt-decode only decodes): header.payload.signature. */
export function runtimeJwt(runBackendId: string, jobBackendId: string): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.ExampleScope Actions.Results:${runBackendId}:${jobBackendId}`,
      exp: Math.floor(Date.now() / 1000) + 3600,
    }),
  );
  return `${header}.${payload}.${base64url('not-checked')}`;
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startArtifactStandIn(
  options: { artifactId?: number } = {},
): Promise<ArtifactStandIn> {
  const runBackendId = 'ce7f54c7-61c7-4aae-887f-30da475f5f1a';
  const jobBackendId = 'ca395085-040a-526b-2ce8-bdc85f692774';
  const runtimeToken = runtimeJwt(runBackendId, jobBackendId);
  const calls: TwirpCall[] = [];
  const blobs = new Map<string, Buffer>();
  const staged = new Map<string, Buffer>(); // `${path}|${blockid}` -> bytes
  const blobRequests: ArtifactStandIn['blobRequests'] = [];
  const artifactId = options.artifactId ?? 4242;
  let origin = '';

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      const data = await body(req);
      if (req.method === 'POST' && url.pathname.startsWith(SERVICE)) {
        const method = url.pathname.slice(SERVICE.length);
        const parsed = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
        calls.push({
          method,
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          body: parsed,
        });
        if (req.headers.authorization !== `Bearer ${runtimeToken}`) {
          return json(res, 401, { code: 'unauthenticated', msg: 'bad token' });
        }
        if (method === 'CreateArtifact') {
          const name = encodeURIComponent(String(parsed.name));
          return json(res, 200, {
            ok: true,
            signed_upload_url: `${origin}/blob/${runBackendId}/${name}.zip?sv=2023-11-03&se=2099-01-01T00%3A00%3A00Z&sig=standin-signature`,
          });
        }
        if (method === 'FinalizeArtifact') {
          return json(res, 200, { ok: true, artifact_id: String(artifactId) });
        }
        return json(res, 404, { code: 'bad_route', msg: `no method ${method}` });
      }
      if (req.method === 'PUT' && url.pathname.startsWith('/blob/')) {
        const comp = url.searchParams.get('comp') ?? undefined;
        blobRequests.push({
          method: 'PUT',
          path: url.pathname,
          ...(comp ? { comp } : {}),
          ...(url.searchParams.get('sig') ? { sig: url.searchParams.get('sig') as string } : {}),
        });
        const headers = {
          'x-ms-request-id': `req-${blobRequests.length}`,
          'x-ms-version': '2023-11-03',
          date: new Date().toUTCString(),
        };
        if (comp === 'block') {
          staged.set(`${url.pathname}|${url.searchParams.get('blockid')}`, data);
          res.writeHead(201, headers);
          return res.end();
        }
        if (comp === 'blocklist') {
          const ids = [...data.toString('utf8').matchAll(/<(?:Latest|Uncommitted)>([^<]*)</g)].map(
            (m) => m[1] as string,
          );
          const parts = ids.map((id) => staged.get(`${url.pathname}|${id}`));
          if (parts.some((p) => p === undefined)) {
            res.writeHead(400, headers);
            return res.end('InvalidBlockList');
          }
          blobs.set(url.pathname, Buffer.concat(parts as Buffer[]));
        } else {
          blobs.set(url.pathname, data); // Put Blob in one request
        }
        res.writeHead(201, {
          ...headers,
          etag: `"0x${blobs.size}"`,
          'last-modified': new Date().toUTCString(),
        });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  return {
    resultsUrl: `${origin}/`,
    runtimeToken,
    runBackendId,
    jobBackendId,
    calls,
    blobs,
    blobRequests,
    artifactId,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
