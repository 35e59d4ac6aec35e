import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { chmod, cp, mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  contextDigest,
  dockerignoreFilter,
  hashBuildContext,
  listContextEntries,
  tagFromDigest,
  type ContextEntry,
} from '../../src/image/context-hash.js';

const PLATFORM = 'linux/amd64';
let dir: string;

async function put(rel: string, content: string): Promise<void> {
  const file = path.join(dir, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}

const tagOf = async (args: Record<string, string> = {}, platform = PLATFORM, at = dir) =>
  (await hashBuildContext(at, args, platform)).tag;

const paths = async () => (await listContextEntries(dir)).map((e) => e.path).sort();

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ctx-hash-'));
  await put('Dockerfile', 'FROM python:3.11-slim\nARG PRETRAINED_WEIGHTS\nCOPY . /opt/program\n');
  await put('train.py', 'print("train")\n');
  await put('requirements.txt', 'ultralytics==8.3.40\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('contextDigest (pure)', () => {
  const a: ContextEntry = { path: 'a.py', kind: 'file', sha256: '1'.repeat(64) };
  const b: ContextEntry = { path: 'b/c.py', kind: 'exec', sha256: '2'.repeat(64) };

  it('does not depend on the order of entries or of build args', () => {
    expect(contextDigest([a, b], { X: '1', Y: '2' }, PLATFORM)).toBe(
      contextDigest([b, a], { Y: '2', X: '1' }, PLATFORM),
    );
  });

  it('changes with content, kind, path, build args and platform', () => {
    const base = contextDigest([a, b], { X: '1' }, PLATFORM);
    const variants = [
      contextDigest([{ ...a, sha256: '3'.repeat(64) }, b], { X: '1' }, PLATFORM),
      contextDigest([{ ...a, kind: 'exec' }, b], { X: '1' }, PLATFORM),
      contextDigest([{ ...a, path: 'A.py' }, b], { X: '1' }, PLATFORM),
      contextDigest([a, b], { X: '2' }, PLATFORM),
      contextDigest([a, b], { X: '1', Z: '' }, PLATFORM),
      contextDigest([a, b], {}, PLATFORM),
      contextDigest([a, b], { X: '1' }, 'linux/arm64'),
    ];
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('cannot be fooled by moving a separator between name and value', () => {
    expect(contextDigest([], { 'A=B': 'C' }, PLATFORM)).not.toBe(
      contextDigest([], { A: 'B=C' }, PLATFORM),
    );
  });

  it('makes a src-<12 hex> tag', () => {
    const digest = contextDigest([a], {}, PLATFORM);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(tagFromDigest(digest)).toBe(`src-${digest.slice(0, 12)}`);
  });
});

describe('dockerignoreFilter', () => {
  it('follows Docker semantics: root-anchored names, exceptions, case-sensitive', () => {
    const keep = dockerignoreFilter('data\n!data/keep.txt\n*.log\n');
    expect(keep('data/a.txt')).toBe(false);
    expect(keep('data/keep.txt')).toBe(true);
    expect(keep('a.log')).toBe(false);
    // `*.log` is anchored at the root in .dockerignore (unlike .gitignore).
    expect(keep('sub/a.log')).toBe(true);
    expect(keep('Data/a.txt')).toBe(true);
  });
});

describe('hashBuildContext', () => {
  it('is the same for the same source in another directory, with other mtimes', async () => {
    const first = await tagOf();
    const copy = await mkdtemp(path.join(os.tmpdir(), 'ctx-copy-'));
    try {
      await cp(dir, copy, { recursive: true });
      const past = new Date('2001-02-03T04:05:06Z');
      await utimes(path.join(copy, 'train.py'), past, past);
      expect(await tagOf({}, PLATFORM, copy)).toBe(first);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
    expect(first).toMatch(/^src-[0-9a-f]{12}$/);
  });

  it('changes when a file content changes, even with the same size', async () => {
    const before = await tagOf();
    await put('train.py', 'print("TRAIN")\n');
    expect(await tagOf()).not.toBe(before);
  });

  it('changes when a file is added or renamed', async () => {
    const before = await tagOf();
    await put('extra.py', '');
    const added = await tagOf();
    expect(added).not.toBe(before);
    await rm(path.join(dir, 'extra.py'));
    await put('other.py', '');
    expect(await tagOf()).not.toBe(added);
  });

  it('changes when the executable bit changes but not for other mode bits', async () => {
    const before = await tagOf();
    await chmod(path.join(dir, 'train.py'), 0o664);
    expect(await tagOf()).toBe(before);
    await chmod(path.join(dir, 'train.py'), 0o755);
    expect(await tagOf()).not.toBe(before);
  });

  it('changes with build args and platform', async () => {
    const base = await tagOf({ PRETRAINED_WEIGHTS: 'yolov8n.pt' });
    expect(await tagOf({ PRETRAINED_WEIGHTS: 'yolov8s.pt' })).not.toBe(base);
    expect(await tagOf({})).not.toBe(base);
    expect(await tagOf({ PRETRAINED_WEIGHTS: 'yolov8n.pt' }, 'linux/arm64')).not.toBe(base);
    expect(await tagOf({ PRETRAINED_WEIGHTS: 'yolov8n.pt' })).toBe(base);
  });

  it('ignores files excluded by .dockerignore, but not the .dockerignore itself', async () => {
    await put('.dockerignore', 'tests\n*.md\n__pycache__\n');
    const before = await tagOf();
    await put('tests/test_train.py', 'assert True\n');
    await put('README.md', '# notes\n');
    await put('__pycache__/train.cpython-311.pyc', 'bytes');
    expect(await tagOf()).toBe(before);
    expect(await paths()).toEqual(['.dockerignore', 'Dockerfile', 'requirements.txt', 'train.py']);

    await put('.dockerignore', 'tests\n*.md\n');
    expect(await tagOf()).not.toBe(before);
  });

  it('counts the Dockerfile and .dockerignore even when .dockerignore lists them', async () => {
    await put('.dockerignore', 'Dockerfile\n.dockerignore\n');
    expect(await paths()).toEqual(['.dockerignore', 'Dockerfile', 'requirements.txt', 'train.py']);
    const before = await tagOf();
    await put('Dockerfile', 'FROM python:3.12-slim\n');
    expect(await tagOf()).not.toBe(before);
  });

  it('honours ! exceptions inside an ignored directory', async () => {
    await put('.dockerignore', 'weights\n!weights/yolov8n.pt\n');
    await put('weights/yolov8n.pt', 'n');
    await put('weights/yolov8x.pt', 'x');
    expect(await paths()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'requirements.txt',
      'train.py',
      'weights/yolov8n.pt',
    ]);
    const before = await tagOf();
    await put('weights/yolov8x.pt', 'changed, but ignored');
    expect(await tagOf()).toBe(before);
    await put('weights/yolov8n.pt', 'changed and included');
    expect(await tagOf()).not.toBe(before);
  });

  it('records a symlink by its target, not by what it points to', async () => {
    await put('configs/a.yaml', 'a: 1\n');
    await put('configs/b.yaml', 'a: 1\n');
    await symlink('configs/a.yaml', path.join(dir, 'default.yaml'));
    const entries = await listContextEntries(dir);
    expect(entries.find((e) => e.path === 'default.yaml')?.kind).toBe('symlink');
    const before = await tagOf();
    await rm(path.join(dir, 'default.yaml'));
    await symlink('configs/b.yaml', path.join(dir, 'default.yaml'));
    expect(await tagOf()).not.toBe(before);
  });

  it('fails clearly without a Dockerfile or a directory', async () => {
    await rm(path.join(dir, 'Dockerfile'));
    await expect(listContextEntries(dir)).rejects.toThrow(
      /container-context: .* has no Dockerfile/,
    );
    await expect(listContextEntries(path.join(dir, 'nope'))).rejects.toThrow(
      /container-context: .* is not a directory/,
    );
  });
});
