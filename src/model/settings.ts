// The model life cycle's inputs (promote, max-regression, force-retrain, model-package-group,
// approve-model), checked the way config.ts checks every input: each problem names the input, the
// value and the rule, and all are reported before any AWS call.
import { PROMOTE_MODES, type PromoteMode } from './champion.js';

export interface ModelSettings {
  promote: PromoteMode;
  /** Largest allowed fall below the baseline, in [0, 1]; undefined = no regression gate. */
  maxRegression?: number;
  forceRetrain: boolean;
  /** SageMaker Model Registry group a passing model is registered in. */
  modelPackageGroup?: string;
  approveModel: boolean;
}

export interface SettingsReader {
  get(name: string): string;
  given(name: string): boolean;
  bool(name: string): boolean | undefined;
  fail(input: string, value: string, rule: string): void;
}

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
/** SageMaker's ModelPackageGroupName pattern, 1-63 characters. */
const GROUP_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

export function readModelSettings(read: SettingsReader): ModelSettings {
  const promote = read.get('promote');
  if (!(PROMOTE_MODES as readonly string[]).includes(promote)) {
    read.fail('promote', promote, 'must be auto, always or never');
  }
  const settings: ModelSettings = {
    promote: (PROMOTE_MODES as readonly string[]).includes(promote)
      ? (promote as PromoteMode)
      : 'auto',
    forceRetrain: read.bool('force-retrain') ?? false,
    approveModel: read.bool('approve-model') ?? false,
  };
  if (read.given('max-regression')) {
    const v = read.get('max-regression');
    const n = NUMBER.test(v) ? Number(v) : NaN;
    if (n >= 0 && n <= 1) settings.maxRegression = n;
    else read.fail('max-regression', v, 'must be a number from 0 to 1 (e.g. 0.02)');
  }
  if (read.given('model-package-group')) {
    const group = read.get('model-package-group');
    if (GROUP_NAME.test(group)) settings.modelPackageGroup = group;
    else {
      read.fail(
        'model-package-group',
        group,
        'must be a model package group name: 1-63 letters, digits and hyphens, starting and ending with a letter or digit',
      );
    }
  }
  if (
    settings.approveModel &&
    settings.modelPackageGroup === undefined &&
    read.given('approve-model')
  ) {
    read.fail(
      'approve-model',
      read.get('approve-model'),
      'needs model-package-group: it sets the approval of the registered model',
    );
  }
  return settings;
}
