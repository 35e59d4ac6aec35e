// The model life cycle's pure pieces: branch keys, run keys, the promotion decision, the settings.
import { describe, expect, it } from '@jest/globals';
import { decidePromotion, baselineBranch, runBranch } from '../../src/model/champion.js';
import { branchKeySegment, modelKeys } from '../../src/model/keys.js';
import {
  imageIdentity,
  parseRunRecord,
  runKey,
  type RunKeyInputs,
} from '../../src/model/run-key.js';
import { PR_CONTEXT } from '../helpers/config.js';
import { load, problemsOf, BASE } from '../config/helpers.js';
import type { RunContext } from '../../src/types.js';

const FP = 'a'.repeat(64);

describe('branch keys', () => {
  it('keeps each branch in one key segment, whatever its name', () => {
    const keys = modelKeys('yolo-training');
    expect(keys.champion('main')).toBe('yolo-training/models/main/champion.json');
    expect(keys.champion('refs/heads/main')).toBe('yolo-training/models/main/champion.json');
    // feature/x must not land under feature/
    expect(keys.champion('feature/x')).toBe('yolo-training/models/feature%2Fx/champion.json');
    expect(branchKeySegment('a b%c#ü')).toBe('a%20b%25c%23%C3%BC');
    // no segment reads as a relative path
    expect(branchKeySegment('.hidden')).toBe('%2Ehidden');
    expect(branchKeySegment('..')).toBe('%2E.');
    expect(() => branchKeySegment('  ')).toThrow(/empty/);
  });

  it('puts history under the branch, in time order, and refuses a run key that is not a hash', () => {
    const keys = modelKeys('p');
    expect(keys.history('main', '2026-12-02T09:30:00.123Z', 'job-1')).toBe(
      'p/models/main/history/2026-12-02T09-30-00-123Z-job-1.json',
    );
    expect(keys.run(FP)).toBe(`p/runs/${FP}.json`);
    expect(() => keys.run('../x')).toThrow(/not a sha256/);
  });
});

describe('run key', () => {
  const inputs: RunKeyInputs = {
    snapshot: FP,
    image: 'sha256:' + 'b'.repeat(64),
    hyperparameters: { epochs: 5, imgsz: 640, model: 'yolov8n.pt', task: 'detect' },
    instanceType: 'ml.g5.xlarge',
    instanceCount: 1,
    task: 'detect',
  };

  it('is canonical: key order and number-vs-string spelling of a hyperparameter do not matter', () => {
    const key = runKey(inputs);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(
      runKey({
        ...inputs,
        hyperparameters: { task: 'detect', model: 'yolov8n.pt', imgsz: '640', epochs: '5' },
      }),
    ).toBe(key);
  });

  it('changes with every input that decides what the job learns', () => {
    const key = runKey(inputs);
    const variants: Partial<RunKeyInputs>[] = [
      { snapshot: 'c'.repeat(64) },
      { image: 'sha256:' + 'd'.repeat(64) },
      { hyperparameters: { ...inputs.hyperparameters, epochs: 6 } },
      { hyperparameters: { ...inputs.hyperparameters, lr0: 0.01 } },
      { instanceType: 'ml.g5.2xlarge' },
      { instanceCount: 2 },
      { task: 'segment' },
    ];
    const keys = variants.map((v) => runKey({ ...inputs, ...v }));
    expect(new Set([key, ...keys]).size).toBe(variants.length + 1);
  });

  it('needs a snapshot fingerprint, and prefers the image digest over its tag', () => {
    expect(() => runKey({ ...inputs, snapshot: 's3://bucket/data' })).toThrow(/not a fingerprint/);
    expect(imageIdentity({ imageUri: 'repo:latest', imageDigest: 'sha256:x', tag: 'latest' })).toBe(
      'sha256:x',
    );
    expect(imageIdentity({ imageUri: 'repo:src-0123456789ab', tag: 'src-0123456789ab' })).toBe(
      'repo:src-0123456789ab',
    );
    // a movable tag proves nothing about the bytes: no reuse
    expect(imageIdentity({ imageUri: 'repo:latest', tag: 'latest' })).toBeUndefined();
    expect(imageIdentity({ imageUri: '', tag: '' })).toBeUndefined();
  });

  it('reads back only well-formed records', () => {
    const ok = {
      version: 1,
      key: FP,
      jobName: 'job-1',
      consoleUrl: 'https://x',
      passed: true,
      recordedAt: 't',
    };
    expect(parseRunRecord(JSON.stringify(ok), 's3://b/k').jobName).toBe('job-1');
    expect(() => parseRunRecord('{', 's3://b/k')).toThrow(/s3:\/\/b\/k is not JSON/);
    expect(() =>
      parseRunRecord(JSON.stringify({ ...ok, jobName: 'a;rm -rf' }), 's3://b/k'),
    ).toThrow(/not a run record/);
  });
});

describe('promotion decision', () => {
  const push: RunContext = {
    ...PR_CONTEXT,
    eventName: 'push',
    ref: 'refs/heads/main',
    defaultBranch: 'main',
  };
  delete (push as { prNumber?: number }).prNumber;
  delete (push as { baseRef?: string }).baseRef;
  const decide = (
    context: RunContext,
    mode: 'auto' | 'always' | 'never' = 'auto',
    gatePassed = true,
  ) => decidePromotion({ mode, context, gatePassed });

  it('auto promotes a passing model on the default branch: push, workflow_dispatch, schedule', () => {
    expect(decide(push)).toMatchObject({ promote: true, branch: 'main' });
    expect(decide({ ...push, eventName: 'workflow_dispatch' })).toMatchObject({
      promote: true,
      branch: 'main',
    });
    // a schedule's payload names no default branch; GitHub runs schedules on it
    const schedule = { ...push, eventName: 'schedule' };
    delete (schedule as { defaultBranch?: string }).defaultBranch;
    expect(decide(schedule)).toMatchObject({ promote: true, branch: 'main' });
  });

  it('auto does not promote other branches, pull requests, or a failed gate', () => {
    expect(decide({ ...push, ref: 'refs/heads/dev' })).toMatchObject({
      promote: false,
      reason: expect.stringMatching(/dev is not the default branch \(main\)/),
    });
    expect(decide({ ...PR_CONTEXT, headRef: 'feature' })).toMatchObject({ promote: false });
    expect(decide(push, 'auto', false)).toMatchObject({
      promote: false,
      reason: 'the model did not pass the gate',
    });
    expect(decide({ ...push, eventName: 'cli' }, 'always')).toMatchObject({ promote: false });
  });

  it('always promotes any branch run (a PR onto its head branch); never promotes nothing', () => {
    expect(decide({ ...push, ref: 'refs/heads/dev' }, 'always')).toMatchObject({
      promote: true,
      branch: 'dev',
    });
    expect(decide({ ...PR_CONTEXT, headRef: 'feature/x' }, 'always')).toMatchObject({
      promote: true,
      branch: 'feature/x',
    });
    expect(decide(push, 'never')).toMatchObject({ promote: false, reason: 'promote is never' });
  });

  it('compares a PR with its base branch and a branch run with its own champion', () => {
    expect(baselineBranch({ ...PR_CONTEXT, ref: 'refs/heads/main', headRef: 'x' })).toBe('main');
    expect(baselineBranch(push)).toBe('main');
    expect(baselineBranch({ ...push, eventName: 'cli' })).toBeUndefined();
    expect(runBranch({ ...PR_CONTEXT, headRef: 'feature' })).toBe('feature');
  });
});

describe('model life cycle inputs', () => {
  it('defaults: promote auto, no regression gate, reuse on, no registry', () => {
    expect(load(BASE).model).toEqual({ promote: 'auto', forceRetrain: false, approveModel: false });
    expect(
      load({
        ...BASE,
        promote: 'always',
        'max-regression': '0.02',
        'force-retrain': 'true',
        'model-package-group': 'floorplan-rooms',
        'approve-model': 'true',
      }).model,
    ).toEqual({
      promote: 'always',
      maxRegression: 0.02,
      forceRetrain: true,
      modelPackageGroup: 'floorplan-rooms',
      approveModel: true,
    });
  });

  it('names the input, the value and the rule for each bad value', () => {
    expect(
      problemsOf({
        ...BASE,
        promote: 'sometimes',
        'max-regression': '1.5',
        'force-retrain': 'yes',
        'model-package-group': 'bad_name!',
      }),
    ).toEqual([
      'promote: "sometimes" must be auto, always or never',
      'force-retrain: "yes" must be true or false',
      'max-regression: "1.5" must be a number from 0 to 1 (e.g. 0.02)',
      'model-package-group: "bad_name!" must be a model package group name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit',
    ]);
    expect(problemsOf({ ...BASE, 'max-regression': '-0.1' })).toEqual([
      'max-regression: "-0.1" must be a number from 0 to 1 (e.g. 0.02)',
    ]);
    expect(problemsOf({ ...BASE, 'approve-model': 'true' })).toEqual([
      'approve-model: "true" needs model-package-group: it sets the approval of the registered model',
    ]);
  });
});
