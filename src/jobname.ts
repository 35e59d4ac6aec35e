// SageMaker training job names: derived deterministically from the run, so a re-run of the same
// workflow run computes the same name and attaches to its job instead of starting a second one.
import type { RunContext } from './types.js';

/** SageMaker's TrainingJobName rule: alphanumerics separated by hyphens, 1-63 characters. */
export const JOB_NAME_PATTERN = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
export const JOB_NAME_MAX_LENGTH = 63;
/** Derived names leave room for `-r<N>` (N < 100) so suffixJobName never cuts into the SHA. */
const RERUN_RESERVE = 4;

export function isValidJobName(name: string): boolean {
  return name.length >= 1 && name.length <= JOB_NAME_MAX_LENGTH && JOB_NAME_PATTERN.test(name);
}

/** Lowercase alphanumerics and single hyphens, no hyphen at either end. */
function sanitize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function trimEnd(text: string, max: number): string {
  return text.slice(0, Math.max(0, max)).replace(/-+$/, '');
}

const EVENT_LABELS = new Map([
  ['schedule', 'schedule'],
  ['workflow_dispatch', 'dispatch'],
  ['push', 'push'],
  ['cli', 'cli'],
]);

function eventLabel(context: RunContext): string {
  const pr = context.prNumber;
  if (pr !== undefined) return Number.isSafeInteger(pr) && pr >= 0 ? `pr-${pr}` : 'pr';
  return EVENT_LABELS.get(context.eventName) ?? trimEnd(sanitize(context.eventName), 20);
}

/**
 * `<prefix>-<repo>-<event>-<run id>-<short sha>`, e.g. `floorplans-pr-42-9876543210-1a2b3c4`.
 * The attempt number is left out on purpose: re-runs must find the same job. When too long, the
 * repo (and prefix) part is shortened; the distinguishing suffix is kept. At most 59 characters.
 */
export function deriveJobName(context: RunContext, options: { prefix?: string } = {}): string {
  const repo = sanitize(context.repository.split('/').pop() ?? '');
  const head = [sanitize(options.prefix ?? ''), repo].filter(Boolean).join('-') || 'yolo';
  // Run ids are int64 (<= 19 digits); the cap only guards against odd values from the CLI.
  const runId = sanitize(context.runId).slice(-20).replace(/^-+/, '');
  const sha = /^[0-9a-f]{7,}$/i.test(context.sha) ? context.sha.slice(0, 7).toLowerCase() : '';
  const suffix = [eventLabel(context), runId, sha].filter(Boolean).join('-');
  const max = JOB_NAME_MAX_LENGTH - RERUN_RESERVE;
  if (!suffix) return trimEnd(head, max);
  const room = max - suffix.length - 1;
  const shortHead = trimEnd(head, room);
  return shortHead ? `${shortHead}-${suffix}` : suffix;
}

/**
 * The name for attempt N (>= 2) after the job under `name` Failed or was Stopped: `<name>-r<N>`.
 * Pass the original name, not a suffixed one. A name too long for the suffix loses its last
 * characters (derived names leave room, so theirs never do); the result is always valid.
 */
export function suffixJobName(name: string, attempt: number): string {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new Error(`attempt must be a positive integer, got ${attempt}`);
  }
  const suffix = `-r${attempt}`;
  const base = trimEnd(name, JOB_NAME_MAX_LENGTH - suffix.length);
  if (!base) throw new Error(`cannot suffix job name "${name}"`);
  return `${base}${suffix}`;
}
