// Wires the stage functions of pipeline.ts to real clients. Shared by the action (main.ts) and the
// CLI (cli.ts); only the logger and the report sink differ between them.
import { execFile } from 'node:child_process';
import type { AwsClients } from './aws.js';
import { returnFreedHeap } from './heap.js';
import type { ReportInput, Stages, TrainingBackend } from './pipeline.js';
import { branchBlobsLoader, loadBranchSnapshot, recordBranchSnapshot } from './dataset/branches.js';
import { describeDiff, diffSnapshots } from './dataset/diff.js';
import { hashProgressLogger, progressLogger } from './dataset/progress.js';
import {
  datasetStats,
  droppedImages,
  formatValidationSummary,
  toAnnotations,
  type Annotation,
} from './dataset/report.js';
import { buildSnapshot } from './dataset/snapshot.js';
import { storeSyncCache } from './dataset/sync-cache.js';
import { loadSyncShortcuts, prepareSync, type SyncShortcuts } from './dataset/sync-shortcuts.js';
import { formatSyncTable, syncSnapshot } from './dataset/sync.js';
import { inspectDataset, type DatasetInspection } from './dataset/validate.js';
import { resolveTrainingImage, type DockerRunner, type ImageDeps } from './image/build.js';
import { readJobMetrics } from './metrics/read.js';
import { createModelStages } from './model/stages.js';
import type { ArtifactRequest, ArtifactResult } from './model/artifact.js';
import { deliverModel } from './model/delivery.js';
import { createLocalBackend } from './training/local.js';
import { createSageMakerBackend } from './training/sagemaker-backend.js';
import { createPriceSource } from './report/price-source.js';
import { priceListLookup } from './report/price-list.js';
import type { Log } from './training/sagemaker.js';
import type { Config, SnapshotDiff } from './types.js';
import { errorMessage } from './errors.js';

export interface StageLog extends Log {
  annotate(annotation: Annotation): void;
}

export interface StageDeps {
  clients: AwsClients;
  log: StageLog;
  /** Directory holding action.yml, training-container/ and (for local runs) .venv/. */
  actionRoot: string;
  /** Sink for the rendered report (summary + sticky comment, or a file for the CLI). */
  report(input: ReportInput): Promise<{ commentUrl?: string }>;
  docker?: DockerRunner;
  /** Masks the ECR token/password: core.setSecret in the action; none (no-op) in the CLI. */
  mask?: (secret: string) => void;
  dockerDaemonAnswers?: () => Promise<boolean>;
  training?: TrainingBackend;
  /** Uploads the downloaded model as a workflow artifact (the action); absent in the CLI. */
  publishArtifact?: (request: ArtifactRequest) => Promise<ArtifactResult>;
}

/** `docker info` exits 0 only when a daemon answers (the client alone is not enough). */
export function dockerDaemonAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 10_000 }, (error) =>
      resolve(!error),
    );
  });
}

export class DatasetInvalidError extends Error {
  override name = 'DatasetInvalidError';
}

/** PR runs compare with the base branch's last snapshot; branch runs record theirs. */
async function baseBranchDiff(
  deps: StageDeps,
  config: Config,
  head: Parameters<typeof diffSnapshots>[1],
): Promise<SnapshotDiff | undefined> {
  const branch = config.context.baseRef;
  if (!branch) return undefined;
  try {
    const base = await loadBranchSnapshot(deps.clients.s3, {
      bucket: config.bucket,
      prefix: config.prefix,
      branch,
    });
    return base ? diffSnapshots(base, head) : undefined;
  } catch (error) {
    // The diff is information for the comment; a damaged pointer must not stop the training.
    deps.log.warning(`No dataset diff against ${branch}: ${errorMessage(error)}`);
    return undefined;
  }
}

/** The branch whose baseline this run records: workflow runs on a branch, never PRs or terminals. */
function branchOf(config: Config): string | undefined {
  const { eventName, ref } = config.context;
  // A terminal's checkout may hold uncommitted edits: it must not become a branch's baseline.
  if (eventName === 'pull_request' || eventName === 'pull_request_target' || eventName === 'cli') {
    return undefined;
  }
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
}

export function trainingBackendFor(
  config: Config,
  deps: Omit<StageDeps, 'report'>,
): TrainingBackend {
  if (deps.training) return deps.training;
  if (config.instanceType === 'local') {
    return createLocalBackend({ s3: deps.clients.s3, log: deps.log, actionRoot: deps.actionRoot });
  }
  return createSageMakerBackend({
    sagemaker: deps.clients.sagemaker,
    logs: deps.clients.logs,
    region: config.region,
    log: deps.log,
    timeoutMs: config.waitTimeoutSeconds * 1000,
    price: createPriceSource({
      instanceType: config.instanceType,
      region: config.region,
      ...(config.instancePriceUsd !== undefined ? { override: config.instancePriceUsd } : {}),
      ...(deps.clients.pricing ? { live: priceListLookup(deps.clients.pricing) } : {}),
      note: (m) => deps.log.info(m),
    }),
  });
}

export function createStages(config: Config, deps: StageDeps): Stages {
  const { log } = deps;
  // validate and sync walk the same tree: keep the inspection for the sync's per-split table.
  let inspection: DatasetInspection | undefined;
  let shortcuts: SyncShortcuts | undefined;

  return {
    async validateDataset(cfg) {
      // The branch's (or PR base's) last sync cache and git's index: files git vouches for and
      // files already judged are neither read nor parsed again. Only lost shortcuts when
      // unavailable: every file is then read and checked.
      const knownFrom = branchOf(cfg) ?? cfg.context.baseRef;
      shortcuts = await loadSyncShortcuts(deps.clients.s3, {
        datasetPath: cfg.dataset,
        ...(knownFrom
          ? { branch: { bucket: cfg.bucket, prefix: cfg.prefix, branch: knownFrom } }
          : {}),
        warn: (m) => log.warning(m),
      });
      inspection = await inspectDataset(cfg.dataset, {
        task: cfg.task,
        maxDropped: cfg.maxDroppedImages,
        ...(shortcuts.cache ? { cache: shortcuts.cache } : {}),
        knownHashes: shortcuts.knownHashes,
        ...(shortcuts.gitFormat ? { gitFormat: shortcuts.gitFormat } : {}),
      });
      const { report } = inspection;
      for (const annotation of toAnnotations(report)) log.annotate(annotation);
      log.info(formatValidationSummary(report));
      if (report.errors > 0) {
        throw new DatasetInvalidError(
          `dataset ${JSON.stringify(cfg.dataset)} has ${report.errors} error(s); fix them before training (nothing was uploaded).`,
        );
      }
    },

    async prepareDataset(cfg) {
      // What the upload needs of the inspection and the shortcuts, taken now; both are let go
      // before it starts (see prepareSync).
      const report = inspection?.report;
      const prepared =
        inspection && shortcuts
          ? await prepareSync(cfg.dataset, inspection, shortcuts, {
              task: cfg.task,
              onProgress: hashProgressLogger((line) => log.info(line)),
            })
          : undefined;
      inspection = undefined;
      shortcuts = undefined;
      // Validation's maps are garbage now: their pages go back before thousands of requests.
      returnFreedHeap();
      const snapshot =
        prepared?.snapshot ??
        (await buildSnapshot(cfg.dataset, {
          task: cfg.task,
          onProgress: hashProgressLogger((line) => log.info(line)),
        }));
      const stats = report ? datasetStats(report) : undefined;
      const dropped = report ? droppedImages(report, cfg.maxDroppedImages) : undefined;
      // The branch's own last snapshot (branch runs) or the base branch's (PRs) names blobs that
      // are stored already: only the rest are checked, whatever the bucket holds besides.
      const knownFrom = branchOf(cfg) ?? cfg.context.baseRef;
      const result = await syncSnapshot(deps.clients.s3, {
        bucket: cfg.bucket,
        prefix: cfg.prefix,
        snapshot,
        ...(knownFrom
          ? {
              knownBlobs: branchBlobsLoader(
                deps.clients.s3,
                { bucket: cfg.bucket, prefix: cfg.prefix, branch: knownFrom },
                (m) => log.warning(m),
              ),
            }
          : {}),
        onProgress: progressLogger((line) => log.info(line)),
        ...(prepared ? { splits: prepared.splits } : {}),
        ...(stats ? { stats } : {}),
      });
      log.info(formatSyncTable(result));
      if (prepared) log.info(prepared.shortcutsLine);
      if (prepared?.cacheToStore) {
        try {
          await storeSyncCache(deps.clients.s3, {
            bucket: cfg.bucket,
            prefix: cfg.prefix,
            fingerprint: result.fingerprint,
            encoded: prepared.cacheToStore,
          });
        } catch (error) {
          log.warning(`Could not store the sync cache: ${errorMessage(error)}`);
        }
      }

      const diff = await baseBranchDiff(deps, cfg, {
        files: snapshot.files,
        ...(stats ? { stats } : {}),
      });
      if (diff) log.info(describeDiff(diff));
      const branch = branchOf(cfg);
      if (branch) {
        try {
          await recordBranchSnapshot(deps.clients.s3, {
            bucket: cfg.bucket,
            prefix: cfg.prefix,
            branch,
            fingerprint: result.fingerprint,
            sha: cfg.context.sha,
          });
        } catch (error) {
          // The pointer only feeds later PR diffs; it must not stop this training.
          log.warning(`Could not record ${branch}'s dataset snapshot: ${errorMessage(error)}`);
        }
      }
      return {
        ref: {
          uri: result.datasetUri,
          snapshot: result.fingerprint,
          ...(diff ? { diff } : {}),
          ...(dropped ? { dropped } : {}),
        },
        input: {
          kind: 'snapshot',
          manifestUri: result.datasetUri,
          snapshotUri: result.snapshotUri,
          fingerprint: result.fingerprint,
        },
      };
    },

    async resolveImage(cfg) {
      const imageDeps: ImageDeps = {
        ecr: deps.clients.ecr,
        log,
        // The CLI passes none: outside Actions a mask command would only print the secret.
        mask: deps.mask ?? (() => {}),
        ...(deps.docker ? { docker: deps.docker } : {}),
      };
      if (cfg.instanceType !== 'local' || cfg.imageUri) return resolveTrainingImage(imageDeps, cfg);
      // Local runs need no registry: build into the local daemon when one answers, else run the
      // entrypoint straight from training-container/ in .venv.
      if (!(await (deps.dockerDaemonAnswers ?? dockerDaemonAnswers)())) {
        log.info(
          'No Docker daemon answers: skipping the image build; the local backend runs training-container/train.py in a Python environment.',
        );
        return { imageUri: '', tag: '', built: false };
      }
      return resolveTrainingImage(imageDeps, { ...cfg, push: false });
    },

    training: trainingBackendFor(config, deps),

    readMetrics: (outcome) =>
      readJobMetrics(deps.clients.s3, outcome, { log: (m) => log.info(m), task: config.task }),

    deliverModel: (outcome) =>
      deliverModel(
        {
          s3: deps.clients.s3,
          log,
          ...(deps.publishArtifact ? { publish: deps.publishArtifact } : {}),
        },
        config,
        outcome,
      ),

    report: (input) => deps.report(input),

    model: createModelStages(config, {
      s3: deps.clients.s3,
      sagemaker: deps.clients.sagemaker,
      log,
    }),
  };
}
