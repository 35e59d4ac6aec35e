// Pure helpers for reading a training job's status: which transitions are new since the last
// poll, how to print them, and what a terminal state means. No I/O, no clock.
import type { SecondaryStatusTransition } from '@aws-sdk/client-sagemaker';
import { formatDuration } from '../format.js';
import type { JobOutcome } from '../types.js';

export const TERMINAL_STATUSES = new Set(['Completed', 'Failed', 'Stopped']);

export function isTerminalStatus(status: string | undefined): boolean {
  return status !== undefined && TERMINAL_STATUSES.has(status);
}

/** A job that can still end on its own: attaching to it makes sense. */
export function isActiveStatus(status: string | undefined): boolean {
  return status === 'InProgress' || status === 'Stopping';
}

export interface TransitionEvent {
  status: string;
  message?: string;
  /** Seconds from the job's creation to this transition's start. */
  elapsedSeconds?: number;
  /** True when only the message of an already printed transition changed. */
  update: boolean;
}

/** What has been printed so far; keys are `status@startTime`. */
export interface TransitionState {
  printed: Map<string, string>;
}

export function newTransitionState(): TransitionState {
  return { printed: new Map() };
}

function time(value: Date | string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * The transitions not printed yet (each once, in order), plus message changes of ones already
 * printed (SageMaker refines e.g. Downloading's message while it runs). Mutates `state`.
 */
export function takeNewTransitions(
  state: TransitionState,
  transitions: SecondaryStatusTransition[] | undefined,
  creationTime: Date | string | undefined,
): TransitionEvent[] {
  const events: TransitionEvent[] = [];
  const origin = time(creationTime) ?? time(transitions?.[0]?.StartTime);
  for (const t of transitions ?? []) {
    const status = t.Status ?? 'Unknown';
    const start = time(t.StartTime);
    const key = `${status}@${start ?? ''}`;
    const message = t.StatusMessage?.trim() || undefined;
    const before = state.printed.get(key);
    if (before === undefined) {
      state.printed.set(key, message ?? '');
      events.push({
        status,
        message,
        elapsedSeconds:
          origin !== undefined && start !== undefined ? (start - origin) / 1000 : undefined,
        update: false,
      });
    } else if (message && message !== before) {
      state.printed.set(key, message);
      events.push({ status, message, update: true });
    }
  }
  return events;
}

/** The extra explanation a status deserves, if any. */
export function statusNote(status: string): string | undefined {
  switch (status) {
    case 'Interrupted':
      return 'spot capacity reclaimed, SageMaker will resume from the last checkpoint when capacity returns';
    case 'Restarting':
      return 'restarting on new spot capacity; training resumes from the last checkpoint';
    case 'MaxRuntimeExceeded':
      return 'the job hit max-runtime and was stopped';
    case 'MaxWaitTimeExceeded':
      return 'the job hit max-wait (spot capacity waits plus runtime) and was stopped';
    default:
      return undefined;
  }
}

export function formatTransition(event: TransitionEvent): string {
  const when =
    event.elapsedSeconds !== undefined ? `[+${formatDuration(event.elapsedSeconds)}] ` : '';
  if (event.update) return `${' '.repeat(when.length)}${event.status}: ${event.message}`;
  const note = statusNote(event.status);
  const text = [event.message, note].filter(Boolean).join(' — ');
  return `${when}${event.status}${text ? `: ${text}` : ''}`;
}

/** 1 − billable/training in [0, 1]; undefined when not spot or either time is unknown. */
export function spotSavings(
  outcome: Pick<JobOutcome, 'spot' | 'trainingSeconds' | 'billableSeconds'>,
): number | undefined {
  const { spot, trainingSeconds: t, billableSeconds: b } = outcome;
  if (!spot || t === undefined || b === undefined || !(t > 0) || !(b >= 0)) return undefined;
  return Math.min(1, Math.max(0, 1 - b / t));
}

/** One line for the log when polling ends. */
export function formatOutcome(outcome: JobOutcome): string {
  const parts = [`Training job ${outcome.jobName}: ${outcome.status}`];
  if (outcome.secondaryStatus && outcome.secondaryStatus !== outcome.status) {
    parts[0] += ` (${outcome.secondaryStatus})`;
  }
  if (outcome.timedOut) parts.push('stopped waiting at the timeout; the job may still be running');
  if (outcome.trainingSeconds !== undefined) {
    parts.push(`training ${formatDuration(outcome.trainingSeconds)}`);
  }
  if (outcome.billableSeconds !== undefined) {
    parts.push(`billable ${formatDuration(outcome.billableSeconds)}`);
  }
  const savings = spotSavings(outcome);
  if (savings !== undefined) parts.push(`spot savings ${Math.round(savings * 100)}%`);
  if (outcome.failureReason) parts.push(`reason: ${outcome.failureReason}`);
  return parts.join(', ');
}
