// download-model, model-dir, artifact-name, artifact-retention-days: defaults and the errors that
// name the input, the value and the rule (before any AWS call: readConfig makes no client).
import { describe, expect, it } from '@jest/globals';
import { BASE, load, problemsOf } from './helpers.js';

describe('model delivery inputs', () => {
  it('downloads by default when waiting, into models/, as the yolo-model artifact', () => {
    expect(load(BASE).modelDelivery).toEqual({
      download: true,
      dir: 'models',
      artifactName: 'yolo-model',
      commentImages: 'off',
    });
  });

  it('follows wait unless download-model is given', () => {
    expect(load({ ...BASE, wait: 'false' }).modelDelivery.download).toBe(false);
    expect(load({ ...BASE, 'download-model': 'false' }).modelDelivery.download).toBe(false);
    expect(load({ ...BASE, wait: 'false', 'download-model': 'true' }).modelDelivery.download).toBe(
      true,
    );
  });

  it('takes a model directory, an artifact name and a retention', () => {
    expect(
      load({
        ...BASE,
        'model-dir': 'out/model',
        'artifact-name': 'floorplans-model-pr-12',
        'artifact-retention-days': '14',
        'comment-images': 'presigned',
      }).modelDelivery,
    ).toEqual({
      download: true,
      dir: 'out/model',
      artifactName: 'floorplans-model-pr-12',
      artifactRetentionDays: 14,
      commentImages: 'presigned',
    });
  });

  it.each([
    [{ 'download-model': 'yes' }, 'download-model: "yes" must be true or false'],
    [
      { 'artifact-name': 'models/best' },
      'artifact-name: "models/best" must be at most 256 characters without " < > | * ? \\ / : or line breaks',
    ],
    [
      { 'artifact-retention-days': '0' },
      'artifact-retention-days: "0" must be a whole number from 1 to 400',
    ],
    [
      { 'artifact-retention-days': '30d' },
      'artifact-retention-days: "30d" must be a whole number from 1 to 400',
    ],
    [{ 'comment-images': 'inline' }, 'comment-images: "inline" must be off or presigned'],
  ])('%j is refused, naming the input, the value and the rule', (inputs, problem) => {
    expect(problemsOf({ ...BASE, ...inputs })).toEqual([problem]);
  });
});
