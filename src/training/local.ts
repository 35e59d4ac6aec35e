// The local training backend (`instance-type: local`): runs the training container's entrypoint on
// this machine against an emulated /opt/ml tree, filled from S3 the way SageMaker fills it, and
// writes the archives back where SageMaker would. Everything after training (metrics reader, gate,
// report) therefore cannot tell the two backends apart.
//
// The process runs detached with its output in <job dir>/train.log and its state in job.json, so
// a job outlives the process that started it (wait: false), and describe/wait/stop work from any
// process (the action's post step, `sagemaker-yolo status|stop <job>`).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../errors.js';
import { hyperparametersToStrings } from '../hyperparameters.js';
import type { DatasetInput, ImageResult, LaunchResult, TrainingBackend } from '../pipeline.js';
import { realSleep, type Sleep } from '../retry.js';
import { parseS3Uri } from '../s3.js';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config, JobOutcome } from '../types.js';
import { packAndUpload, s3ObjectExists } from './local-archives.js';
import {
  buildInputDataConfig,
  clipFailureReason,
  compileMetricDefinitions,
  decideEnd,
  finalMetricsFromLog,
  isActive,
  lastNonEmptyLine,
  outcomeFromRecord,
  outputKeys,
  type LocalJobRecord,
  type Runtime,
} from './local-builders.js';
import { fillChannels } from './local-channels.js';
import { layOutTrees } from './local-hosts.js';
import { hardKill, pidAlive, spawnEntrypoint, terminate, type ExitSlot } from './local-process.js';
import { createJobStore, defaultWorkRoot, listDir, LOG, readText } from './local-records.js';
import { tailFile } from './local-tail.js';
import { metricDefinitionsFromFile } from './request.js';
import { lineBatch } from '../untrusted.js';

export { defaultWorkRoot } from './local-records.js';

/** The part of @actions/core (or a console adapter) the backend writes to. */
export interface LocalLog {
  info(message: string): void;
  warning(message: string): void;
  /**
   * A block of lines the job printed (one poll's worth). Every sink fences text that could be a
   * workflow command (src/untrusted.ts); this one exists so the job's log can be told apart.
   */
  untrusted?(block: string): void;
}

export interface LocalBackendDeps {
  s3: S3Client;
  log: LocalLog;
  /** Root of the action/CLI checkout: holds training-container/ and, for local runs, .venv/. */
  actionRoot: string;
  /** Where job directories go; default <RUNNER_TEMP or tmpdir>/sagemaker-yolo-local. */
  workRoot?: string;
  /** Interpreter for the entrypoint; default <actionRoot>/.venv/bin/python, else python3. */
  python?: string;
  /** Script run as `<python> <entrypoint> train`; default <actionRoot>/training-container/train.py. */
  entrypoint?: string;
  /** `auto` (default): docker when its daemon answers and an image is given, else python. */
  runtime?: 'auto' | Runtime;
  /** Extra environment for the entrypoint (CUDA_VISIBLE_DEVICES, ...). */
  env?: Record<string, string>;
  sleep?: Sleep;
  now?: () => number;
  /** How often wait() reads the log and checks the process; default 1000 ms. */
  pollMs?: number;
  /** SIGTERM-to-SIGKILL grace, SageMaker's 120 s by default. */
  stopGraceMs?: number;
  /** Parallel S3 downloads; default 8. */
  concurrency?: number;
}

export interface LocalBackend extends TrainingBackend {
  readonly kind: 'local';
  /** SIGTERM, up to the grace period for the checkpoint, then SIGKILL; returns the final outcome. */
  stop(jobName: string): Promise<JobOutcome>;
  /** The emulated /opt/ml root of a job. */
  jobDir(jobName: string): string;
}

/** Jobs this process is launching (downloading their channels) right now, by job directory. */
const launching = new Set<string>();

export function createLocalBackend(deps: LocalBackendDeps): LocalBackend {
  const { s3, log } = deps;
  const workRoot = path.resolve(deps.workRoot ?? defaultWorkRoot());
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 1000;
  const graceMs = deps.stopGraceMs ?? 120_000;
  const concurrency = deps.concurrency ?? 8;
  const metricDefs = compileMetricDefinitions(metricDefinitionsFromFile());
  const owned = new Map<string, ExitSlot>();
  const finalizing = new Map<string, Promise<JobOutcome>>();
  const store = createJobStore(workRoot);
  const { jobDir } = store;
  const readRecord = store.read;
  const requireRecord = store.require;
  const writeRecord = store.write;

  function isAlive(record: LocalJobRecord): boolean {
    const mine = owned.get(record.jobName);
    if (mine) return mine.exit === undefined;
    if (record.pid !== undefined) return pidAlive(record.pid);
    // Before the child exists, the launcher itself is the job (it is downloading the channels).
    if (record.launcherPid === process.pid) return launching.has(jobDir(record.jobName));
    return record.launcherPid !== undefined && pidAlive(record.launcherPid);
  }

  /** A finished job whose archives vanished (a fresh emulator, a lifecycle rule): upload again. */
  async function ensureArchives(record: LocalJobRecord): Promise<void> {
    const dir = jobDir(record.jobName);
    const pairs: [string | undefined, string, string][] = [
      [record.outputDataUri, path.join(dir, 'output', 'data'), 'output.tar.gz'],
      [record.modelArtifactsUri, path.join(dir, 'model'), 'model.tar.gz'],
    ];
    for (const [uri, src, name] of pairs) {
      if (!uri || (await s3ObjectExists(s3, uri))) continue;
      log.info(`${uri} is missing; uploading it again from ${src}`);
      const { bucket, key } = parseS3Uri(uri);
      await packAndUpload({ s3, sleep }, src, path.join(dir, 'archives', name), bucket, key);
    }
  }

  async function start(
    config: Config,
    image: ImageResult,
    input: DatasetInput,
  ): Promise<LocalJobRecord> {
    const jobName = config.jobName;
    const dir = jobDir(jobName);
    const hyperparameters = hyperparametersToStrings(config.hyperparameters);
    finalizing.delete(jobName);
    owned.delete(jobName);
    await fs.mkdir(dir, { recursive: true });
    const logOffset = (await fs.stat(path.join(dir, LOG)).catch(() => undefined))?.size ?? 0;
    const dataDir = path.join(dir, 'input', 'data');
    const inputDataConfig = buildInputDataConfig(input);
    let record: LocalJobRecord = {
      version: 1,
      jobName,
      status: 'InProgress',
      startedAt: now(),
      launcherPid: process.pid,
      logOffset,
      bucket: config.bucket,
      prefix: config.prefix,
      region: config.region,
      maxRuntimeSeconds: config.maxRuntimeSeconds,
      waitTimeoutSeconds: config.waitTimeoutSeconds,
    };
    await writeRecord(record);

    const hosts = await layOutTrees(dir, config.instanceCount, {
      'hyperparameters.json': hyperparameters,
      'inputdataconfig.json': inputDataConfig,
    });

    // Like SageMaker, a job that cannot get its data or start its container is a Failed job with a
    // reason, reported like any other, rather than an exception out of launch.
    const fail = async (reason: string) => {
      log.warning(`Local training job ${jobName} failed: ${reason}`);
      record = {
        ...record,
        status: 'Failed',
        endedAt: now(),
        failureReason: clipFailureReason(reason),
      };
      await writeRecord(record);
      return record;
    };
    try {
      await fillChannels({ s3, sleep, concurrency, log: (m) => log.info(m) }, input, dataDir);
    } catch (error) {
      return fail(`ClientError: Data download failed: ${errorMessage(error)}`);
    }
    // stop() from another process while we downloaded: honour it instead of starting.
    const stopRequested = async () => (await readRecord(jobName))?.stopRequested === true;
    if (await stopRequested()) {
      record = { ...record, status: 'Stopped', stopRequested: true, endedAt: now() };
      await writeRecord(record);
      return record;
    }
    try {
      const { slot, ...started } = await spawnEntrypoint(deps, dir, jobName, image, hosts);
      owned.set(jobName, slot);
      record = { ...record, ...started };
    } catch (error) {
      return fail(
        `AlgorithmError: could not start the training entrypoint: ${errorMessage(error)}`,
      );
    }
    if (await stopRequested()) {
      record = await requestStop(record); // it came while spawning: pass it on
    } else {
      await writeRecord(record);
    }
    log.info(
      `Local training job ${jobName} started (${record.runtime}, pid ${record.pid}) in ${dir}; log: ${path.join(dir, LOG)}`,
    );
    return record;
  }

  // ---- end of a job ----

  function finalize(jobName: string): Promise<JobOutcome> {
    let pending = finalizing.get(jobName);
    if (!pending) {
      pending = doFinalize(jobName).catch((error: unknown) => {
        finalizing.delete(jobName); // let a later call try again
        throw error;
      });
      finalizing.set(jobName, pending);
    }
    return pending;
  }

  /** Once the process is gone: decide the status, pack and upload, record the outcome. */
  async function doFinalize(jobName: string): Promise<JobOutcome> {
    const dir = jobDir(jobName);
    const record = await requireRecord(jobName);
    if (!isActive(record.status)) return outcomeFromRecord(record, dir, now());
    const exit = owned.get(jobName)?.exit;
    const logText = (await readText(path.join(dir, LOG), record.logOffset)) ?? '';
    const failureText = await readText(path.join(dir, 'output', 'failure'));
    const modelFiles = await listDir(path.join(dir, 'model'));
    const lastLogLine = lastNonEmptyLine(logText);
    const decided = decideEnd({
      ...(exit ? { exit } : {}),
      ...(failureText !== undefined ? { failureText } : {}),
      ...(lastLogLine !== undefined ? { lastLogLine } : {}),
      modelFiles,
      stopRequested: record.stopRequested === true,
    });
    let ended: LocalJobRecord = {
      ...record,
      status: decided.status,
      endedAt: now(),
      finalMetrics: finalMetricsFromLog(logText, metricDefs),
      ...(exit ? { exitCode: exit.code, signal: exit.signal } : {}),
      ...(decided.failureReason ? { failureReason: decided.failureReason } : {}),
    };
    const loc = outputKeys(record.bucket, record.prefix, jobName);
    try {
      // Like SageMaker: output data always (it explains failures), the model unless it failed.
      ended.outputDataUri = await packAndUpload(
        { s3, sleep },
        path.join(dir, 'output', 'data'),
        path.join(dir, 'archives', 'output.tar.gz'),
        loc.bucket,
        loc.outputKey,
      );
      if (decided.status !== 'Failed' && modelFiles.length > 0) {
        ended.modelArtifactsUri = await packAndUpload(
          { s3, sleep },
          path.join(dir, 'model'),
          path.join(dir, 'archives', 'model.tar.gz'),
          loc.bucket,
          loc.modelKey,
        );
      }
    } catch (error) {
      ended = {
        ...ended,
        status: 'Failed',
        failureReason: clipFailureReason(
          `ClientError: uploading the job's outputs failed: ${errorMessage(error)}`,
        ),
      };
    }
    await writeRecord(ended);
    const outcome = outcomeFromRecord(ended, dir, now());
    log.info(
      `Local training job ${jobName} ${outcome.status} after ${outcome.trainingSeconds} s` +
        (outcome.failureReason ? `: ${outcome.failureReason}` : ''),
    );
    return outcome;
  }

  // ---- stop ----

  /** Asks the job to stop (SIGTERM: the container saves its checkpoint); does not wait. */
  async function requestStop(record: LocalJobRecord, limit?: 'MaxRuntimeExceeded') {
    const updated: LocalJobRecord = {
      ...record,
      status: 'Stopping',
      stopRequested: true,
      stopRequestedAt: now(),
      ...(limit ? { limitExceeded: limit } : {}),
    };
    await writeRecord(updated);
    // Only the main process: docker run proxies it to the container's PID 1, as `docker stop`
    // (and SageMaker) would; python's data-loader workers follow their parent.
    terminate(record.pid);
    return updated;
  }

  function killJob(record: LocalJobRecord): void {
    if (record.pid === undefined) return;
    log.warning(`Local training job ${record.jobName} ignored SIGTERM; killing it`);
    hardKill(record.pid, record.containerName);
  }

  async function stop(jobName: string): Promise<JobOutcome> {
    let record = await requireRecord(jobName);
    const dir = jobDir(jobName);
    if (!isActive(record.status)) return outcomeFromRecord(record, dir, now());
    if (!isAlive(record)) return finalize(jobName);
    if (!record.stopRequested) {
      log.info(`Stopping local training job ${jobName} (SIGTERM, up to ${graceMs / 1000} s)`);
      record = await requestStop(record);
    }
    const deadline = (record.stopRequestedAt ?? now()) + graceMs;
    let killDeadline: number | undefined;
    for (;;) {
      // Re-read: a launcher still downloading settles the job itself once it sees the request.
      record = (await readRecord(jobName)) ?? record;
      if (!isActive(record.status)) return outcomeFromRecord(record, dir, now());
      if (!isAlive(record)) break;
      if (killDeadline === undefined && now() >= deadline) {
        killJob(record);
        killDeadline = now() + 10_000;
      }
      if (killDeadline !== undefined && now() >= killDeadline) break;
      await sleep(Math.min(pollMs, 250));
    }
    return finalize(jobName);
  }

  // ---- the backend ----

  return {
    kind: 'local',
    jobDir,
    stop,

    async launch(config, image, dataset): Promise<LaunchResult> {
      const jobName = config.jobName;
      let record = await readRecord(jobName);
      if (record && isActive(record.status)) {
        if (isAlive(record)) {
          log.info(
            `Local training job ${jobName} is already running (pid ${record.pid}): following it`,
          );
          return { jobName, attached: true };
        }
        await finalize(jobName);
        record = await readRecord(jobName);
      }
      if (record?.status === 'Completed') {
        // SageMaker's re-run safety: the same job name never trains twice.
        log.info(`Local training job ${jobName} already completed in ${jobDir(jobName)}`);
        await ensureArchives(record);
        return {
          jobName,
          attached: false,
          alreadyEnded: outcomeFromRecord(record, jobDir(jobName), now()),
        };
      }
      if (record)
        log.info(
          `Local training job ${jobName} ended ${record.status} before: starting it again (resumes from its checkpoints)`,
        );
      launching.add(jobDir(jobName));
      try {
        await start(config, image, dataset.input);
      } finally {
        launching.delete(jobDir(jobName));
      }
      return { jobName, attached: false };
    },

    async wait(jobName): Promise<JobOutcome> {
      const dir = jobDir(jobName);
      let record = await requireRecord(jobName);
      if (!isActive(record.status)) return outcomeFromRecord(record, dir, now());
      // Each poll's lines go out as one block (one fence when any of them needs it).
      const batch = lineBatch((block) => (log.untrusted ? log.untrusted(block) : log.info(block)));
      const tail = tailFile(path.join(dir, LOG), record.logOffset, batch.add, batch.flush);
      const waitStart = now();
      let killed = false;
      for (;;) {
        await tail.poll();
        record = (await readRecord(jobName)) ?? record;
        if (!isActive(record.status)) {
          await tail.flush();
          return outcomeFromRecord(record, dir, now()); // finalized elsewhere (stop from another process)
        }
        if (!isAlive(record)) {
          await tail.flush();
          return finalize(jobName);
        }
        const t = now();
        if (!record.stopRequested && t - record.startedAt > record.maxRuntimeSeconds * 1000) {
          log.warning(
            `Local training job ${jobName} exceeded max-runtime (${record.maxRuntimeSeconds} s): stopping it`,
          );
          record = await requestStop(record, 'MaxRuntimeExceeded');
        } else if (!killed && record.stopRequestedAt && t - record.stopRequestedAt > graceMs) {
          killJob(record);
          killed = true;
        }
        if (t - waitStart > record.waitTimeoutSeconds * 1000) {
          return { ...outcomeFromRecord(record, dir, t), timedOut: true };
        }
        await sleep(pollMs);
      }
    },

    async describe(jobName): Promise<JobOutcome> {
      const record = await requireRecord(jobName);
      // A job whose process is gone but was never finalized (its launcher exited): settle it now.
      if (isActive(record.status) && !isAlive(record)) return finalize(jobName);
      return outcomeFromRecord(record, jobDir(jobName), now());
    },
  };
}
