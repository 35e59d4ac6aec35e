// The RunContext of a terminal run: what git knows about the working copy. Never fails: outside a
// git checkout the values fall back to the directory name and placeholders.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { RunContext } from '../types.js';

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** owner/name from a GitHub-style remote URL (https or ssh), else undefined. Pure. */
export function repositoryFromRemote(url: string): string | undefined {
  const m = /[:/]([^/:]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : undefined;
}

export function runContextFromGit(cwd: string, now: () => Date = () => new Date()): RunContext {
  const remote = git(cwd, ['config', '--get', 'remote.origin.url']);
  const top = git(cwd, ['rev-parse', '--show-toplevel']) || cwd;
  const branch = git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  return {
    repository: repositoryFromRemote(remote) ?? `local/${path.basename(top)}`,
    eventName: 'cli',
    ref: branch && branch !== 'HEAD' ? `refs/heads/${branch}` : '',
    sha: git(cwd, ['rev-parse', 'HEAD']) || '0000000',
    // Seconds since the epoch: each terminal run derives its own job name.
    runId: String(Math.floor(now().getTime() / 1000)),
    runAttempt: '1',
    serverUrl: 'https://github.com',
    isForkPullRequest: false,
  };
}
