// Error paths ECR's emulator cannot produce: older partitions rejecting mutability exclusions,
// a concurrent run creating the repository first, a malformed token.
import { describe, it, expect, jest, beforeEach, afterEach } from '@jest/globals';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
} from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import { mockClient } from 'aws-sdk-client-mock';
import { ensureRepository, getRegistryLogin } from '../../src/image/ecr.js';

const URI = '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/yolo-training';
const ecrMock = mockClient(ECRClient);
const ecr = new ECRClient({ region: 'us-gov-west-1' });
const noMask = () => {};

function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name });
}

let stdout = '';
let logged: string[] = [];
const log = {
  info: (m: string) => logged.push(m),
  warning: (m: string) => logged.push(`warning: ${m}`),
};
beforeEach(() => {
  ecrMock.reset();
  stdout = '';
  logged = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += chunk.toString();
    return true;
  });
});
afterEach(() => {
  jest.restoreAllMocks();
});

describe('ensureRepository', () => {
  it('falls back to plain IMMUTABLE where exclusions are not supported', async () => {
    ecrMock.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException'));
    ecrMock
      .on(CreateRepositoryCommand)
      .rejectsOnce(awsError('InvalidParameterException', 'imageTagMutability not supported'))
      .resolves({
        repository: {
          repositoryName: 'yolo-training',
          repositoryUri: URI,
          imageTagMutability: 'IMMUTABLE',
        },
      });
    const repo = await ensureRepository(ecr, 'yolo-training', log);
    expect(repo).toMatchObject({
      mutability: 'IMMUTABLE',
      created: true,
      registry: URI.split('/')[0],
    });
    const creates = ecrMock.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input);
    expect(creates).toEqual([
      {
        repositoryName: 'yolo-training',
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'buildcache' }],
      },
      {
        repositoryName: 'yolo-training',
        imageScanningConfiguration: { scanOnPush: true },
        imageTagMutability: 'IMMUTABLE',
      },
    ]);
    expect(logged).toContainEqual(
      expect.stringMatching(/^warning: ECR rejected tag-mutability exclusions/),
    );
    expect(stdout).toBe('');
  });

  it('uses the repository a concurrent run created first', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejectsOnce(awsError('RepositoryNotFoundException'))
      .resolves({
        repositories: [
          { repositoryName: 'yolo-training', repositoryUri: URI, imageTagMutability: 'MUTABLE' },
        ],
      });
    ecrMock.on(CreateRepositoryCommand).rejects(awsError('RepositoryAlreadyExistsException'));
    expect(await ensureRepository(ecr, 'yolo-training', log)).toMatchObject({
      uri: URI,
      mutability: 'MUTABLE',
      created: false,
    });
  });

  it('does not swallow other errors', async () => {
    ecrMock
      .on(DescribeRepositoriesCommand)
      .rejects(awsError('AccessDeniedException', 'no ecr:Describe'));
    await expect(ensureRepository(ecr, 'yolo-training', log)).rejects.toThrow('no ecr:Describe');
    expect(ecrMock.commandCalls(CreateRepositoryCommand)).toHaveLength(0);
  });
});

describe('getRegistryLogin', () => {
  it('masks (in the action) the token and the password, keeping any colon inside the password', async () => {
    const token = Buffer.from('AWS:pa:ss').toString('base64');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: token, proxyEndpoint: 'https://x' }],
    });
    expect(await getRegistryLogin(ecr, 'reg', (secret) => core.setSecret(secret))).toEqual({
      registry: 'reg',
      username: 'AWS',
      password: 'pa:ss',
    });
    expect(stdout).toBe(`::add-mask::${token}\n::add-mask::pa:ss\n`);
  });

  it('hands both secrets to the mask and prints nothing itself (the CLI passes a no-op)', async () => {
    const token = Buffer.from('AWS:pa:ss').toString('base64');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: token }],
    });
    const masked: string[] = [];
    await getRegistryLogin(ecr, 'reg', (secret) => masked.push(secret));
    expect(masked).toEqual([token, 'pa:ss']);
    await getRegistryLogin(ecr, 'reg', () => {});
    expect(stdout).toBe('');
  });

  it('rejects a token that is not user:password without printing it', async () => {
    const token = Buffer.from('no-separator').toString('base64');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({
      authorizationData: [{ authorizationToken: token }],
    });
    const error = (await getRegistryLogin(ecr, 'reg', noMask).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/not in the form <user>:<password>/);
    expect(error.message).not.toContain('no-separator');
    ecrMock.on(GetAuthorizationTokenCommand).resolves({ authorizationData: [] });
    await expect(getRegistryLogin(ecr, 'reg', noMask)).rejects.toThrow(/returned no token/);
  });
});
