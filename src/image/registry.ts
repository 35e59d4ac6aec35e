// A registry other than ECR's own host for `docker login` / `docker push` (a local
// docker-registry standing in for ECR's data plane). The tag lookup then asks that registry, where
// the images are, through the Registry HTTP API (Distribution spec): ECR's API cannot see them.
import type { RegistryLogin } from './ecr.js';

/** `host[:port]`: what `docker login` and an image reference accept as a registry. */
const REGISTRY_HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/** Problem with a `--registry` value, or undefined when it is usable. Pure. */
export function registryProblem(registry: string): string | undefined {
  return REGISTRY_HOST.test(registry)
    ? undefined
    : 'must be HOST or HOST:PORT, e.g. 127.0.0.1:5000';
}

/** Docker talks plain HTTP to loopback registries and HTTPS to every other one. Pure. */
export function registryBaseUrl(registry: string): string {
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

const MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');

/** The digest `repository:tag` names in the registry, or undefined when the tag is not there. */
export async function registryTagDigest(
  login: RegistryLogin,
  repository: string,
  tag: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string | undefined> {
  const url = `${registryBaseUrl(login.registry)}/v2/${repository}/manifests/${encodeURIComponent(tag)}`;
  const auth = Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64');
  const res = await fetchImpl(url, {
    method: 'HEAD',
    headers: { Accept: MANIFEST_TYPES, Authorization: `Basic ${auth}` },
  });
  if (res.status === 404) return undefined;
  if (!res.ok) {
    throw new Error(`registry ${login.registry}: HEAD ${repository}:${tag} answered ${res.status}`);
  }
  const digest = res.headers.get('docker-content-digest');
  if (!digest) {
    throw new Error(
      `registry ${login.registry}: ${repository}:${tag} has no Docker-Content-Digest`,
    );
  }
  return digest;
}
