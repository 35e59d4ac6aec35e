import { describe, it, expect } from '@jest/globals';
import {
  buildArgFlags,
  buildxBuildArgs,
  classicBuildArgs,
  commitTagFor,
  digestFromPushOutput,
  loginArgs,
  pushArgs,
} from '../../src/image/docker-args.js';
import { isTagImmutable } from '../../src/image/ecr.js';
import { cacheWritable, effectiveBuildArgs } from '../../src/image/build.js';
import type { RunContext } from '../../src/types.js';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/yolo-training';

describe('docker argument builders', () => {
  it('sorts build args and keeps each flag and value a separate argument', () => {
    expect(
      buildArgFlags({ Z: 'last', PRETRAINED_WEIGHTS: 'yolov8n.pt', A: 'x y; $(rm -rf /)' }),
    ).toEqual([
      '--build-arg',
      'A=x y; $(rm -rf /)',
      '--build-arg',
      'PRETRAINED_WEIGHTS=yolov8n.pt',
      '--build-arg',
      'Z=last',
    ]);
  });

  it('rejects build arg names docker would misread, naming the input', () => {
    expect(() => buildArgFlags({ 'A=B': '1' })).toThrow(/build-args: "A=B"/);
    expect(() => buildArgFlags({ '1X': '1' })).toThrow(/build-args/);
    expect(() => buildArgFlags({ '--push': '1' })).toThrow(/build-args/);
  });

  it('logs in with the password on stdin only', () => {
    expect(loginArgs('123456789012.dkr.ecr.us-east-1.amazonaws.com')).toEqual([
      'login',
      '--username',
      'AWS',
      '--password-stdin',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    ]);
  });

  it('builds and pushes with buildx, registry cache in the same repository', () => {
    expect(
      buildxBuildArgs({
        context: '/src/training-container',
        refs: [`${URI}:src-0123456789ab`, `${URI}:${'a'.repeat(40)}`],
        buildArgs: { PRETRAINED_WEIGHTS: 'yolov8n.pt' },
        platform: 'linux/amd64',
        push: true,
        cacheRef: `${URI}:buildcache`,
        cacheWrite: true,
        metadataFile: '/tmp/m.json',
      }),
    ).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64',
      '--push',
      '--tag',
      `${URI}:src-0123456789ab`,
      '--tag',
      `${URI}:${'a'.repeat(40)}`,
      '--build-arg',
      'PRETRAINED_WEIGHTS=yolov8n.pt',
      '--cache-from',
      `type=registry,ref=${URI}:buildcache`,
      '--cache-to',
      `type=registry,ref=${URI}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true`,
      '--provenance=false',
      '--metadata-file',
      '/tmp/m.json',
      '/src/training-container',
    ]);
  });

  it('reads the cache without exporting it when told, and loads locally without push', () => {
    const args = buildxBuildArgs({
      context: 'ctx',
      refs: ['yolo-training:src-0123456789ab'],
      buildArgs: {},
      platform: 'linux/amd64',
      push: false,
    });
    expect(args).toEqual([
      'buildx',
      'build',
      '--platform',
      'linux/amd64',
      '--load',
      '--tag',
      'yolo-training:src-0123456789ab',
      '--provenance=false',
      'ctx',
    ]);
    const readOnly = buildxBuildArgs({
      context: 'ctx',
      refs: ['r:t'],
      buildArgs: {},
      platform: 'linux/amd64',
      push: true,
      cacheRef: 'r:buildcache',
      cacheWrite: false,
    });
    expect(readOnly).toContain('--cache-from');
    expect(readOnly).not.toContain('--cache-to');
  });

  it('falls back to docker build + push', () => {
    expect(
      classicBuildArgs({
        context: 'ctx',
        refs: ['r:src-1', 'r:abc'],
        buildArgs: { B: '2', A: '1' },
        platform: 'linux/amd64',
      }),
    ).toEqual([
      'build',
      '--platform',
      'linux/amd64',
      '--tag',
      'r:src-1',
      '--tag',
      'r:abc',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=2',
      'ctx',
    ]);
    expect(pushArgs('r:src-1')).toEqual(['push', 'r:src-1']);
  });

  it('reads the digest from docker push output', () => {
    const digest = `sha256:${'f'.repeat(64)}`;
    expect(digestFromPushOutput(`abc: Pushed\nsrc-1: digest: ${digest} size: 1234\n`)).toBe(digest);
    expect(digestFromPushOutput('no digest here')).toBeUndefined();
  });
});

describe('commitTagFor', () => {
  const base: RunContext = {
    repository: 'acme/floorplans',
    eventName: 'push',
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    runId: '1',
    runAttempt: '1',
    serverUrl: 'https://github.com',
    isForkPullRequest: false,
    defaultBranch: 'main',
  };

  it('tags the SHA only for a push to the default branch', () => {
    expect(commitTagFor(base)).toBe('a'.repeat(40));
    expect(commitTagFor({ ...base, ref: 'refs/heads/feature' })).toBeUndefined();
    expect(commitTagFor({ ...base, ref: 'refs/tags/main' })).toBeUndefined();
    expect(commitTagFor({ ...base, eventName: 'pull_request' })).toBeUndefined();
    expect(commitTagFor({ ...base, eventName: 'schedule' })).toBeUndefined();
    expect(commitTagFor({ ...base, defaultBranch: undefined })).toBeUndefined();
  });
});

describe('tag mutability', () => {
  it('knows which tags ECR refuses to move', () => {
    const cacheExcluded = [{ filterType: 'WILDCARD', filter: 'buildcache' }];
    expect(isTagImmutable({ mutability: 'MUTABLE', exclusionFilters: [] }, 'buildcache')).toBe(
      false,
    );
    expect(isTagImmutable({ mutability: 'IMMUTABLE', exclusionFilters: [] }, 'buildcache')).toBe(
      true,
    );
    expect(
      isTagImmutable(
        { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: cacheExcluded },
        'buildcache',
      ),
    ).toBe(false);
    expect(
      isTagImmutable(
        { mutability: 'IMMUTABLE_WITH_EXCLUSION', exclusionFilters: cacheExcluded },
        'src-1',
      ),
    ).toBe(true);
    expect(
      isTagImmutable(
        {
          mutability: 'IMMUTABLE_WITH_EXCLUSION',
          exclusionFilters: [{ filterType: 'WILDCARD', filter: 'build*' }],
        },
        'buildcache',
      ),
    ).toBe(false);
    expect(
      isTagImmutable(
        {
          mutability: 'IMMUTABLE_WITH_EXCLUSION',
          exclusionFilters: [{ filterType: 'WILDCARD', filter: 'b.ildcache' }],
        },
        'buildcache',
      ),
    ).toBe(true);
    expect(
      isTagImmutable(
        { mutability: 'MUTABLE_WITH_EXCLUSION', exclusionFilters: cacheExcluded },
        'buildcache',
      ),
    ).toBe(true);
  });

  it('writes the cache unless it exists and cannot move', () => {
    const immutable = { mutability: 'IMMUTABLE', exclusionFilters: [] };
    expect(cacheWritable(immutable, false)).toBe(true);
    expect(cacheWritable(immutable, true)).toBe(false);
    expect(cacheWritable({ mutability: 'MUTABLE', exclusionFilters: [] }, true)).toBe(true);
  });
});

describe('effectiveBuildArgs', () => {
  it('bakes pretrained-weights in as PRETRAINED_WEIGHTS', () => {
    expect(effectiveBuildArgs({ buildArgs: { A: '1' }, pretrainedWeights: 'yolov8s.pt' })).toEqual({
      A: '1',
      PRETRAINED_WEIGHTS: 'yolov8s.pt',
    });
    expect(effectiveBuildArgs({ buildArgs: { A: '1' } })).toEqual({ A: '1' });
  });
});
