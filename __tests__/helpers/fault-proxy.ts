// A fault-injecting HTTP proxy on 127.0.0.1 between the SDK and the local S3 emulator. Seeded, so a
// failing run can be replayed: of every request, `rate / 2` get a connection reset (half before the
// emulator sees the request, half after it has applied it and answered: the answer is lost) and
// `rate / 2` get 503 SlowDown, as S3 answers when it throttles. The rest are forwarded unchanged.
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxyOptions {
  /** The emulator, e.g. http://127.0.0.1:5000. */
  target: string;
  /** Share of requests that fail, 0..1. */
  rate: number;
  seed: number;
}

export interface FaultStats {
  requests: number;
  /** Reset before the request reached the emulator. */
  resetsBefore: number;
  /** Reset after the emulator applied the request (the answer is lost). */
  resetsAfter: number;
  throttles: number;
}

export interface FaultProxy {
  endpoint: string;
  stats: FaultStats;
  /** Changes the fault rate from now on (0 lets everything through). */
  setRate(rate: number): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>FAULTPROXY</RequestId></Error>';

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed);
  let rate = options.rate;
  const stats: FaultStats = { requests: 0, resetsBefore: 0, resetsAfter: 0, throttles: 0 };

  const forward = (req: IncomingMessage, onResponse: (res: IncomingMessage) => void) => {
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      onResponse,
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = createServer((req, res) => {
    stats.requests++;
    const roll = random();
    const variant = random();
    if (roll < rate / 2) {
      if (variant < 0.5) {
        stats.resetsBefore++;
        req.socket.destroy();
        return;
      }
      stats.resetsAfter++;
      forward(req, (answer) => {
        answer.resume();
        answer.on('end', () => req.socket.destroy());
      });
      return;
    }
    if (roll < rate) {
      stats.throttles++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, {
          'Content-Type': 'application/xml',
          'Content-Length': SLOW_DOWN.length,
        });
        res.end(SLOW_DOWN);
      });
      return;
    }
    forward(req, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
  });
  // The SDK keeps connections alive; a reset must not take the proxy down.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setRate: (r) => void (rate = r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
