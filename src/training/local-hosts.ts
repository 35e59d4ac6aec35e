// The emulated /opt/ml trees of a local job, one per host, as SageMaker gives each instance
// its own. The job directory is the first host's tree (its model/ and output/ are what the job
// returns, as SageMaker uploads the first host's); the others live under <job dir>/hosts/<host>/
// with their own input/config (resourceconfig.json names them), the same data (FullyReplicated:
// a link to the first tree's channels) and a copy of the job's checkpoints (SageMaker restores the
// checkpoint S3 URI onto every host).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ResourceConfig } from './local-builders.js';

export const HOSTS_DIR = 'hosts';

/** algo-1 … algo-N, SageMaker's names. */
export function hostNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `algo-${i + 1}`);
}

/**
 * resourceconfig.json for one host. Several local hosts talk over the loopback interface: naming
 * it keeps gloo off any other address this machine has.
 */
export function hostResourceConfig(host: string, hosts: string[]): ResourceConfig {
  return {
    current_host: host,
    hosts,
    network_interface_name: hosts.length > 1 ? 'lo' : 'eth0',
  };
}

/** Where a host's /opt/ml tree is: the job directory for the first, hosts/<name> for the rest. */
export function hostRoot(jobDir: string, host: string, hosts: string[]): string {
  return host === hosts[0] ? jobDir : path.join(jobDir, HOSTS_DIR, host);
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

/**
 * A fresh attempt's trees: new input/, model/ and output/ (checkpoints/ stays, so the job
 * resumes), every host's input/config files, and the other hosts' trees. `configFiles` are the
 * input/config files besides resourceconfig.json, the same on every host; inputdataconfig.json's
 * channels get their (empty) folders under the first tree's input/data.
 */
export async function layOutTrees(
  jobDir: string,
  count: number,
  configFiles: Record<string, unknown> & { 'inputdataconfig.json': Record<string, unknown> },
): Promise<string[]> {
  for (const sub of ['input', 'model', 'output', 'archives', HOSTS_DIR]) {
    await fs.rm(path.join(jobDir, sub), { recursive: true, force: true });
  }
  const channels = Object.keys(configFiles['inputdataconfig.json']);
  for (const d of [
    'model',
    path.join('output', 'data'),
    'checkpoints',
    'yolo-config',
    ...channels.map((c) => path.join('input', 'data', c)),
  ]) {
    await fs.mkdir(path.join(jobDir, d), { recursive: true });
  }
  const hosts = hostNames(count);
  for (const host of hosts) {
    const root = hostRoot(jobDir, host, hosts);
    const configDir = path.join(root, 'input', 'config');
    await fs.mkdir(configDir, { recursive: true });
    const files = { ...configFiles, 'resourceconfig.json': hostResourceConfig(host, hosts) };
    for (const [name, value] of Object.entries(files)) {
      await fs.writeFile(path.join(configDir, name), json(value));
    }
    if (root === jobDir) continue;
    await fs.symlink(path.join(jobDir, 'input', 'data'), path.join(root, 'input', 'data'));
    for (const sub of ['model', path.join('output', 'data'), 'yolo-config']) {
      await fs.mkdir(path.join(root, sub), { recursive: true });
    }
    await fs.cp(path.join(jobDir, 'checkpoints'), path.join(root, 'checkpoints'), {
      recursive: true,
    });
  }
  return hosts;
}
