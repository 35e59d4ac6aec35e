import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deriveJobName, isValidJobName, suffixJobName } from '../../src/jobname.js';
import type { RunContext } from '../../src/types.js';
import { CONTEXT } from './helpers.js';

const SHA = '1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d';

function ctx(overrides: Partial<RunContext>): RunContext {
  const base: RunContext = { ...CONTEXT, sha: SHA, runId: '9876543210' };
  delete base.prNumber;
  return { ...base, ...overrides };
}

describe('deriveJobName', () => {
  it('names pull request runs after the PR', () => {
    expect(deriveJobName(ctx({ eventName: 'pull_request', prNumber: 42 }))).toBe(
      'floorplans-pr-42-9876543210-1a2b3c4',
    );
  });

  it.each([
    ['schedule', 'floorplans-schedule-9876543210-1a2b3c4'],
    ['workflow_dispatch', 'floorplans-dispatch-9876543210-1a2b3c4'],
    ['push', 'floorplans-push-9876543210-1a2b3c4'],
    ['cli', 'floorplans-cli-9876543210-1a2b3c4'],
    ['merge_group', 'floorplans-merge-group-9876543210-1a2b3c4'],
    ['valueOf', 'floorplans-valueof-9876543210-1a2b3c4'],
  ])('names %s runs by their event', (eventName, name) => {
    expect(deriveJobName(ctx({ eventName }))).toBe(name);
  });

  it('is the same for every attempt of a run (re-runs attach)', () => {
    const first = deriveJobName(ctx({ runAttempt: '1', eventName: 'push' }));
    expect(deriveJobName(ctx({ runAttempt: '3', eventName: 'push' }))).toBe(first);
    expect(deriveJobName(ctx({ runId: '9876543211', eventName: 'push' }))).not.toBe(first);
    expect(deriveJobName(ctx({ sha: 'f'.repeat(40), eventName: 'push' }))).not.toBe(first);
  });

  it('shortens the repository part and keeps the distinguishing suffix', () => {
    const name = deriveJobName(
      ctx({ repository: `acme/${'very-long-repository-name-'.repeat(4)}`, prNumber: 1234 }),
    );
    expect(name.length).toBeLessThanOrEqual(59);
    expect(name.endsWith('-pr-1234-9876543210-1a2b3c4')).toBe(true);
    expect(name.startsWith('very-long-repository')).toBe(true);
    expect(isValidJobName(name)).toBe(true);
  });

  it('sanitises odd repository names and falls back when nothing is left', () => {
    expect(deriveJobName(ctx({ repository: 'acme/My_Repo.v2', eventName: 'push' }))).toBe(
      'my-repo-v2-push-9876543210-1a2b3c4',
    );
    expect(deriveJobName(ctx({ repository: 'acme/___', eventName: 'push' }))).toBe(
      'yolo-push-9876543210-1a2b3c4',
    );
    expect(deriveJobName({ ...ctx({}), repository: '', eventName: '', runId: '', sha: '' })).toBe(
      'yolo',
    );
  });

  it('puts an optional prefix first', () => {
    expect(deriveJobName(ctx({ eventName: 'push' }), { prefix: 'Team A' })).toBe(
      'team-a-floorplans-push-9876543210-1a2b3c4',
    );
  });

  it('leaves out a SHA that is not hex', () => {
    expect(deriveJobName(ctx({ eventName: 'cli', sha: 'unknown', runId: '' }))).toBe(
      'floorplans-cli',
    );
  });

  it('is always valid and at most 63 characters (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.stringMatching(/^[a-z0-9/_.-]{40,120}$/)),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.string({ maxLength: 60 }),
        fc.option(fc.oneof(fc.nat(), fc.integer(), fc.double()), { nil: undefined }),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        (repository, eventName, runId, sha, prNumber, prefix) => {
          const context: RunContext = { ...ctx({ repository, eventName, runId, sha }) };
          if (prNumber !== undefined) context.prNumber = prNumber;
          const name = deriveJobName(context, prefix === undefined ? {} : { prefix });
          expect(isValidJobName(name)).toBe(true);
          expect(name.length).toBeLessThanOrEqual(63);
          expect(deriveJobName(context, prefix === undefined ? {} : { prefix })).toBe(name);
          // Derived names leave room for a re-run suffix without cutting into them.
          const rerun = suffixJobName(name, 99);
          expect(isValidJobName(rerun)).toBe(true);
          expect(rerun).toBe(`${name}-r99`);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('stays valid with realistic GitHub values (property)', () => {
    const slug = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/);
    fc.assert(
      fc.property(
        slug,
        slug,
        fc.constantFrom(
          'pull_request',
          'pull_request_target',
          'schedule',
          'workflow_dispatch',
          'push',
        ),
        fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
        fc.stringMatching(/^[0-9a-f]{40}$/),
        fc.integer({ min: 1, max: 10_000_000 }),
        (owner, repo, eventName, runId, sha, pr) => {
          const context = ctx({
            repository: `${owner}/${repo}`,
            eventName,
            runId: String(runId),
            sha,
          });
          if (eventName.startsWith('pull_request')) context.prNumber = pr;
          const name = deriveJobName(context);
          expect(isValidJobName(name)).toBe(true);
          expect(name.endsWith(`-${String(runId)}-${sha.slice(0, 7)}`)).toBe(true);
        },
      ),
    );
  });
});

describe('suffixJobName', () => {
  it('appends the attempt', () => {
    expect(suffixJobName('floorplans-pr-42-1-abc1234', 2)).toBe('floorplans-pr-42-1-abc1234-r2');
  });

  it('shortens a long explicit name so the result fits', () => {
    const name = `${'a'.repeat(30)}-${'b'.repeat(32)}`; // 63 characters
    const suffixed = suffixJobName(name, 12);
    expect(suffixed).toBe(`${'a'.repeat(30)}-${'b'.repeat(28)}-r12`);
    expect(suffixed.length).toBe(63);
  });

  it('never leaves a double hyphen or a hyphen before the suffix boundary', () => {
    const name = `${'a'.repeat(59)}-bbb`; // the cut lands on the hyphen
    expect(suffixJobName(name, 2)).toBe(`${'a'.repeat(59)}-r2`);
  });

  it('rejects attempts that are not positive integers', () => {
    expect(() => suffixJobName('job', 0)).toThrow(/positive integer/);
    expect(() => suffixJobName('job', 1.5)).toThrow(/positive integer/);
  });

  it('keeps any valid name valid for any attempt (property)', () => {
    const validName = fc
      .stringMatching(/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/)
      .filter((n) => n.length <= 63);
    fc.assert(
      fc.property(validName, fc.integer({ min: 1, max: 1_000_000 }), (name, attempt) => {
        const suffixed = suffixJobName(name, attempt);
        expect(isValidJobName(suffixed)).toBe(true);
        expect(suffixed.endsWith(`-r${attempt}`)).toBe(true);
      }),
    );
  });
});
