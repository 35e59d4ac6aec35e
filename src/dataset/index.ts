// The dataset stages' public surface: validate -> snapshot -> sync, plus base-branch diffs.
export { validateDataset, inspectDataset, labelPathFor } from './validate.js';
export type {
  ValidationReport,
  Finding,
  SplitReport,
  ClassCount,
  ValidateOptions,
  DatasetInspection,
} from './validate.js';
export {
  formatValidationSummary,
  formatFindings,
  formatFinding,
  toAnnotations,
  datasetStats,
  instancesPerClass,
} from './report.js';
export type { Annotation, DatasetStats } from './report.js';
export {
  buildSnapshot,
  canonicalJson,
  fingerprintOf,
  parseSnapshotDocument,
  snapshotFromFiles,
} from './snapshot.js';
export type { Snapshot, SnapshotDocument, SnapshotFile } from './snapshot.js';
export {
  syncSnapshot,
  formatSyncTable,
  manifestJson,
  objectExists,
  ContentChangedError,
} from './sync.js';
export type { SyncOptions, SyncResult, SplitSyncRow } from './sync.js';
export { formatProgress, progressLogger } from './progress.js';
export type { SyncProgress } from './progress.js';
export { recordBranchSnapshot, loadBranchSnapshot } from './branches.js';
export type { BranchPointer, BaseSnapshot } from './branches.js';
export { diffSnapshots, describeDiff } from './diff.js';
export { datasetKeys, checkBucketName, normalizePrefix, normalizeBranch, s3Uri } from './keys.js';
export { locateDataset, parseDatasetYaml, SPLITS } from './yaml.js';
export type { SplitName, DatasetConfig } from './yaml.js';
