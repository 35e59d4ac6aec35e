// `sagemaker-yolo image` usage: bad values are usage errors (exit 2) before any AWS or docker call.
import { describe, expect, it } from '@jest/globals';
import { runCli, type CliDeps } from '../../src/cli/program.js';
import { withBaseImage } from '../../src/cli/image-command.js';
import { testConfig } from '../helpers/config.js';

function harness() {
  const err: string[] = [];
  let clientsMade = 0;
  const deps: CliDeps = {
    env: { AWS_REGION: 'us-east-1' },
    cwd: process.cwd(),
    actionRoot: process.cwd(),
    sinks: { out: () => {}, err: (l) => err.push(l) },
    stdout: () => {},
    clients: () => {
      clientsMade++;
      throw new Error('no AWS call expected');
    },
  };
  return { deps, err, clientsMade: () => clientsMade };
}

describe('sagemaker-yolo image', () => {
  it.each([
    [
      ['--registry', 'http://127.0.0.1:5000'],
      /--registry: "http:\/\/127\.0\.0\.1:5000" must be HOST or HOST:PORT/,
    ],
    [
      ['--base-image', 'b:1', '--build-args', 'BASE_IMAGE=a:1'],
      /--base-image or BASE_IMAGE in --build-args, not both/,
    ],
    [['--ecr-repository', 'Bad_Repo'], /ecr-repository: "Bad_Repo"/],
  ])('%j is a usage error before any AWS call', async (args, message) => {
    const h = harness();
    expect(await runCli(['image', ...args], h.deps)).toBe(2);
    expect(h.err.join('\n')).toMatch(message);
    expect(h.clientsMade()).toBe(0);
  });

  it('--base-image becomes the BASE_IMAGE build argument (part of the content hash)', () => {
    const config = testConfig({ buildArgs: { OTHER: '1' } });
    expect(withBaseImage(config, 'sagemaker-yolo-test/base:x').buildArgs).toEqual({
      OTHER: '1',
      BASE_IMAGE: 'sagemaker-yolo-test/base:x',
    });
    expect(withBaseImage(config, undefined)).toBe(config);
  });
});
