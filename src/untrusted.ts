// Lines the training container printed (ultralytics echoes class names from the PR's data yaml)
// must reach the log as text: the runner executes any line that starts with `::command`. Wrapping
// them in stop-commands with an unguessable token turns command processing off for just those lines.
import { randomBytes } from 'node:crypto';

/** The lines to write for one untrusted line. Pure; the token comes from the caller. */
export function fencedLines(line: string, token: string): string[] {
  return [`::stop-commands::${token}`, line, `::${token}::`];
}

export function fenceToken(): string {
  return randomBytes(16).toString('hex');
}
