// The --registry target: the value's rule, the scheme docker would use, and the tag lookup through
// the registry's HTTP API (a stand-in fetch; the real registry answers in real-engine.test.ts).
import { describe, expect, it } from '@jest/globals';
import { registryBaseUrl, registryProblem, registryTagDigest } from '../../src/image/registry.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const login = { registry: '127.0.0.1:5042', username: 'AWS', password: 's3cret' };

describe('registry values', () => {
  it.each(['127.0.0.1:5042', 'localhost:5000', 'registry.example.com', 'r.example.com:443'])(
    'accepts %s',
    (value) => expect(registryProblem(value)).toBeUndefined(),
  );
  it.each(['http://127.0.0.1:5000', '127.0.0.1:5000/path', '', 'a b', ':5000'])(
    'refuses %j',
    (value) => expect(registryProblem(value)).toMatch(/HOST:PORT/),
  );
  it('talks plain HTTP to loopback only, as docker does', () => {
    expect(registryBaseUrl('127.0.0.1:5042')).toBe('http://127.0.0.1:5042');
    expect(registryBaseUrl('localhost:5000')).toBe('http://localhost:5000');
    expect(registryBaseUrl('registry.example.com')).toBe('https://registry.example.com');
  });
});

describe('registryTagDigest', () => {
  function fetchAnswering(status: number, headers: Record<string, string> = {}) {
    const calls: { url: string; init: RequestInit }[] = [];
    const impl = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(null, { status, headers });
    }) as unknown as typeof fetch;
    return { calls, impl };
  }

  it('returns the digest the registry serves, asking with basic auth', async () => {
    const { calls, impl } = fetchAnswering(200, { 'Docker-Content-Digest': DIGEST });
    expect(await registryTagDigest(login, 'yolo', 'src-0123456789ab', impl)).toBe(DIGEST);
    expect(calls[0]?.url).toBe('http://127.0.0.1:5042/v2/yolo/manifests/src-0123456789ab');
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(calls[0]?.init.method).toBe('HEAD');
    expect(headers.Authorization).toBe(`Basic ${Buffer.from('AWS:s3cret').toString('base64')}`);
    expect(headers.Accept).toContain('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('a missing tag is undefined; other answers are errors that name the registry', async () => {
    expect(await registryTagDigest(login, 'yolo', 'x', fetchAnswering(404).impl)).toBeUndefined();
    await expect(registryTagDigest(login, 'yolo', 'x', fetchAnswering(401).impl)).rejects.toThrow(
      /registry 127\.0\.0\.1:5042: HEAD yolo:x answered 401/,
    );
    await expect(registryTagDigest(login, 'yolo', 'x', fetchAnswering(200).impl)).rejects.toThrow(
      /no Docker-Content-Digest/,
    );
  });
});
