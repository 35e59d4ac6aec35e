import { describe, expect, it } from '@jest/globals';
import {
  formatOutcome,
  formatTransition,
  isTerminalStatus,
  newTransitionState,
  spotSavings,
  takeNewTransitions,
} from '../../src/training/status.js';
import type { JobOutcome } from '../../src/types.js';
import { T0, transition } from './fixtures.js';

describe('takeNewTransitions', () => {
  it('returns each transition once, in order, with elapsed time since creation', () => {
    const state = newTransitionState();
    const first = takeNewTransitions(
      state,
      [transition('Starting', 0, 'Preparing the instances')],
      T0,
    );
    expect(first).toEqual([
      { status: 'Starting', message: 'Preparing the instances', elapsedSeconds: 0, update: false },
    ]);
    const second = takeNewTransitions(
      state,
      [
        transition('Starting', 0, 'Preparing the instances'),
        transition('Downloading', 95, 'Downloading input data'),
      ],
      T0,
    );
    expect(second.map((e) => [e.status, e.elapsedSeconds])).toEqual([['Downloading', 95]]);
    expect(
      takeNewTransitions(state, [transition('Starting', 0, 'Preparing the instances')], T0),
    ).toEqual([]);
  });

  it('reports a changed message of a printed transition as an update', () => {
    const state = newTransitionState();
    takeNewTransitions(state, [transition('Downloading', 10, 'Downloading input data')], T0);
    const events = takeNewTransitions(
      state,
      [transition('Downloading', 10, 'Downloading the training image')],
      T0,
    );
    expect(events).toEqual([
      { status: 'Downloading', message: 'Downloading the training image', update: true },
    ]);
  });

  it('treats a status that recurs later (spot restart) as new and keeps unknown statuses', () => {
    const state = newTransitionState();
    takeNewTransitions(state, [transition('Training', 100)], T0);
    const events = takeNewTransitions(
      state,
      [
        transition('Training', 100),
        transition('Interrupted', 500),
        transition('Training', 900),
        transition('Warming', 950),
      ],
      T0,
    );
    expect(events.map((e) => e.status)).toEqual(['Interrupted', 'Training', 'Warming']);
  });
});

describe('formatTransition', () => {
  it('prints elapsed time, status and message', () => {
    expect(
      formatTransition({
        status: 'Training',
        message: 'Training in progress.',
        elapsedSeconds: 252,
        update: false,
      }),
    ).toBe('[+4m 12s] Training: Training in progress.');
  });

  it('explains a spot interruption', () => {
    expect(formatTransition({ status: 'Interrupted', elapsedSeconds: 60, update: false })).toMatch(
      /Interrupted: spot capacity reclaimed, SageMaker will resume from the last checkpoint/,
    );
  });
});

describe('outcome helpers', () => {
  const outcome: JobOutcome = {
    jobName: 'j',
    status: 'Failed',
    secondaryStatus: 'Failed',
    failureReason: 'AlgorithmError: boom',
    trainingSeconds: 1000,
    billableSeconds: 300,
    finalMetrics: {},
    instanceType: 'ml.p3.2xlarge',
    instanceCount: 1,
    spot: true,
    consoleUrl: 'u',
    region: 'r',
  };

  it('computes spot savings only for spot jobs with times', () => {
    expect(spotSavings(outcome)).toBeCloseTo(0.7);
    expect(spotSavings({ ...outcome, spot: false })).toBeUndefined();
    expect(spotSavings({ ...outcome, trainingSeconds: 0 })).toBeUndefined();
    expect(spotSavings({ ...outcome, billableSeconds: undefined })).toBeUndefined();
    expect(spotSavings({ ...outcome, trainingSeconds: 100, billableSeconds: 150 })).toBe(0);
  });

  it('summarises an outcome on one line', () => {
    expect(formatOutcome(outcome)).toBe(
      'Training job j: Failed, training 16m 40s, billable 5m 00s, spot savings 70%, reason: AlgorithmError: boom',
    );
    expect(isTerminalStatus('Stopped')).toBe(true);
    expect(isTerminalStatus('Stopping')).toBe(false);
  });
});
