// The local training backend (`instance-type: local`): runs the training container's entrypoint on
// this machine against an emulated /opt/ml tree, filled from S3 the way SageMaker fills it, and
// writes the archives back where SageMaker would. Everything after training (metrics reader, gate,
// report) therefore cannot tell the two backends apart.
//
// The process runs detached with its output in <job dir>/train.log and its state in job.json, so
// a job outlives the process that started it (wait: false), and describe/wait/stop work from any
// process (the action's post step, `sagemaker-yolo status|stop <job>`).
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import {
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { create as createTar } from 'tar';
import { mapLimit } from '../dataset/concurrency.js';
import { errorMessage } from '../errors.js';
import { hyperparametersToStrings } from '../hyperparameters.js';
import { isValidJobName } from '../jobname.js';
import type { DatasetInput, ImageResult, LaunchResult, TrainingBackend } from '../pipeline.js';
import { realSleep, withRetry, type Sleep } from '../retry.js';
import { isS3NotFound, parseS3Uri } from '../s3.js';
import type { Config, JobOutcome } from '../types.js';
import {
  buildDockerRunArgs,
  buildInputDataConfig,
  buildResourceConfig,
  channelPathFor,
  clipFailureReason,
  compileMetricDefinitions,
  decideEnd,
  finalMetricsFromLog,
  isActive,
  keyBasename,
  lastNonEmptyLine,
  listPrefix,
  outcomeFromRecord,
  outputKeys,
  parseJobRecord,
  parseManifest,
  type LocalJobRecord,
  type Runtime,
} from './local-builders.js';
import { metricDefinitionsFromFile } from './request.js';
import { lineBatch } from '../untrusted.js';

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

interface Owned {
  exit?: { code: number | null; signal: string | null };
}

/** Jobs this process is launching (downloading their channels) right now, by job directory. */
const launching = new Set<string>();

const RECORD = 'job.json';
const LOG = 'train.log';
const SHA256_KEY = /^[0-9a-f]{64}$/;

export function defaultWorkRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'sagemaker-yolo-local');
}

/** Alive, or not ours to signal (EPERM): either way it has not ended. */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readText(file: string, from = 0): Promise<string | undefined> {
  try {
    const buf = await fs.readFile(file);
    return buf.subarray(Math.min(from, buf.length)).toString('utf8');
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

/** Streams new lines of a growing file to `onLine`; `\r`-redrawn progress shows its last state. */
function tailFile(
  file: string,
  offset: number,
  onLine: (line: string) => void,
  onPollEnd: () => void = () => {},
) {
  let pos = offset;
  let partial = '';
  const decoder = new StringDecoder('utf8');
  const emit = (raw: string) => {
    const line = raw
      .split('\r')
      .filter((s) => s.trim() !== '')
      .pop();
    if (line !== undefined) onLine(line);
  };
  async function poll(): Promise<void> {
    try {
      await readNew();
    } finally {
      onPollEnd();
    }
  }
  async function readNew(): Promise<void> {
    const fh = await fs.open(file, 'r').catch(() => undefined);
    if (!fh) return;
    try {
      const buf = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        partial += decoder.write(buf.subarray(0, bytesRead));
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(emit);
      }
    } finally {
      await fh.close();
    }
  }
  async function flush(): Promise<void> {
    await readNew();
    const rest = partial + decoder.end();
    partial = '';
    if (rest) emit(rest);
    onPollEnd();
  }
  return { poll, flush };
}

export function createLocalBackend(deps: LocalBackendDeps): LocalBackend {
  const { s3, log } = deps;
  const workRoot = path.resolve(deps.workRoot ?? defaultWorkRoot());
  const sleep = deps.sleep ?? realSleep;
  const now = deps.now ?? Date.now;
  const pollMs = deps.pollMs ?? 1000;
  const graceMs = deps.stopGraceMs ?? 120_000;
  const concurrency = deps.concurrency ?? 8;
  const metricDefs = compileMetricDefinitions(metricDefinitionsFromFile());
  const owned = new Map<string, Owned>();
  const finalizing = new Map<string, Promise<JobOutcome>>();

  function jobDir(jobName: string): string {
    // Job names become directory names: the SageMaker rule keeps them free of separators.
    if (!isValidJobName(jobName)) throw new Error(`invalid training job name "${jobName}"`);
    return path.join(workRoot, jobName);
  }

  async function readRecord(jobName: string): Promise<LocalJobRecord | undefined> {
    const text = await readText(path.join(jobDir(jobName), RECORD));
    return text === undefined ? undefined : parseJobRecord(text);
  }

  async function requireRecord(jobName: string): Promise<LocalJobRecord> {
    const record = await readRecord(jobName);
    if (!record) {
      throw new Error(`no local training job "${jobName}" under ${workRoot} (no ${RECORD})`);
    }
    return record;
  }

  async function writeRecord(record: LocalJobRecord): Promise<void> {
    const file = path.join(jobDir(record.jobName), RECORD);
    const tmp = `${file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(record, null, 2)}\n`);
    await fs.rename(tmp, file); // atomic: another process never reads half a record
  }

  function isAlive(record: LocalJobRecord): boolean {
    const mine = owned.get(record.jobName);
    if (mine) return mine.exit === undefined;
    if (record.pid !== undefined) return pidAlive(record.pid);
    // Before the child exists, the launcher itself is the job (it is downloading the channels).
    if (record.launcherPid === process.pid) return launching.has(jobDir(record.jobName));
    return record.launcherPid !== undefined && pidAlive(record.launcherPid);
  }

  // ---- S3 in ----

  interface Download {
    bucket: string;
    key: string;
    dest: string;
    sha256?: string;
  }

  async function getText(bucket: string, key: string): Promise<string> {
    return withRetry(
      async () => {
        const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return (await res.Body?.transformToString('utf8')) ?? '';
      },
      { sleep },
    );
  }

  async function download(item: Download): Promise<void> {
    await fs.mkdir(path.dirname(item.dest), { recursive: true });
    const tmp = `${item.dest}.${process.pid}.part`;
    try {
      const res = await s3.send(new GetObjectCommand({ Bucket: item.bucket, Key: item.key }));
      if (!res.Body) throw new Error(`s3://${item.bucket}/${item.key} has no body`);
      const hash = createHash('sha256');
      await pipeline(
        res.Body as Readable,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            hash.update(chunk);
            yield chunk;
          }
        },
        createWriteStream(tmp),
      );
      // Content-addressed blobs carry their own checksum: the job sees exactly the snapshot.
      const digest = hash.digest('hex');
      if (item.sha256 && digest !== item.sha256) {
        throw new Error(`s3://${item.bucket}/${item.key} has sha256 ${digest}, not its name`);
      }
      await fs.rename(tmp, item.dest);
    } catch (error) {
      await fs.rm(tmp, { force: true });
      throw error;
    }
  }

  /** The objects SageMaker would put in each channel, with their destinations. */
  async function channelDownloads(input: DatasetInput, dataDir: string): Promise<Download[]> {
    const training = path.join(dataDir, 'training');
    if (input.kind === 'snapshot') {
      const loc = parseS3Uri(input.manifestUri);
      const manifest = parseManifest(await getText(loc.bucket, loc.key));
      const items: Download[] = manifest.keys.map((rel) => ({
        bucket: manifest.prefix.bucket,
        key: manifest.prefix.key + rel, // SageMaker appends each entry to the prefix as is
        dest: path.join(training, rel.split('/').join(path.sep)),
        ...(SHA256_KEY.test(rel) ? { sha256: rel } : {}),
      }));
      const snap = parseS3Uri(input.snapshotUri);
      items.push({
        bucket: snap.bucket,
        key: snap.key,
        dest: path.join(dataDir, 'snapshot', keyBasename(snap.key)),
      });
      return items;
    }
    const loc = parseS3Uri(input.uri);
    const prefix = listPrefix(loc.key);
    const items: Download[] = [];
    for await (const page of paginateListObjectsV2(
      { client: s3 },
      { Bucket: loc.bucket, Prefix: prefix },
    )) {
      for (const obj of page.Contents ?? []) {
        if (!obj.Key || obj.Key.endsWith('/')) continue; // "folder" markers hold no data
        const rel = channelPathFor(prefix, obj.Key);
        items.push({
          bucket: loc.bucket,
          key: obj.Key,
          dest: path.join(training, rel.split('/').join(path.sep)),
        });
      }
    }
    if (items.length === 0) throw new Error(`no objects under s3://${loc.bucket}/${prefix}`);
    return items;
  }

  // ---- S3 out ----

  async function packAndUpload(srcDir: string, archive: string, bucket: string, key: string) {
    await fs.mkdir(srcDir, { recursive: true }); // the container may have removed it
    const entries = await listDir(srcDir);
    await fs.mkdir(path.dirname(archive), { recursive: true });
    // Entries at the archive root; an empty directory still makes a readable archive (`./` only),
    // where a bare end-of-archive block is refused by strict readers.
    await createTar(
      { gzip: true, file: archive, cwd: srcDir, portable: true },
      entries.length > 0 ? entries : ['.'],
    );
    await withRetry(
      () =>
        new Upload({
          client: s3,
          params: {
            Bucket: bucket,
            Key: key,
            Body: createReadStream(archive),
            ContentType: 'application/x-gzip',
          },
        }).done(),
      { sleep },
    );
    return `s3://${bucket}/${key}`;
  }

  async function exists(uri: string): Promise<boolean> {
    const { bucket, key } = parseS3Uri(uri);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return true;
    } catch (error) {
      if (isS3NotFound(error)) return false;
      throw error;
    }
  }

  /** A finished job whose archives vanished (a fresh emulator, a lifecycle rule): upload again. */
  async function ensureArchives(record: LocalJobRecord): Promise<void> {
    const dir = jobDir(record.jobName);
    const pairs: [string | undefined, string, string][] = [
      [record.outputDataUri, path.join(dir, 'output', 'data'), 'output.tar.gz'],
      [record.modelArtifactsUri, path.join(dir, 'model'), 'model.tar.gz'],
    ];
    for (const [uri, src, name] of pairs) {
      if (!uri || (await exists(uri))) continue;
      log.info(`${uri} is missing; uploading it again from ${src}`);
      const { bucket, key } = parseS3Uri(uri);
      await packAndUpload(src, path.join(dir, 'archives', name), bucket, key);
    }
  }

  // ---- process ----

  async function chooseRuntime(image: ImageResult): Promise<{ runtime: Runtime; gpus: boolean }> {
    const wanted = deps.runtime ?? 'auto';
    // Without an image there is nothing for docker to run (the build was skipped).
    if (wanted === 'python' || (wanted === 'auto' && !image.imageUri)) {
      return { runtime: 'python', gpus: false };
    }
    const probe = await new Promise<{ ok: boolean; out: string }>((resolve) => {
      execFile(
        'docker',
        ['info', '--format', '{{json .Runtimes}}'],
        { timeout: 20_000, env: process.env },
        (error, stdout) => resolve({ ok: !error, out: String(stdout) }),
      );
    });
    if (wanted === 'docker' || probe.ok) {
      return { runtime: 'docker', gpus: probe.out.includes('nvidia') };
    }
    return { runtime: 'python', gpus: false };
  }

  /** Fails early, and says how to fix it, when the Python found has no ultralytics. */
  async function assertCanTrain(python: string): Promise<void> {
    const ok = await new Promise<boolean>((resolve) =>
      execFile(python, ['-c', 'import ultralytics, torch'], { timeout: 120_000 }, (error) =>
        resolve(!error),
      ),
    );
    if (!ok) {
      throw new Error(
        `${python} cannot import ultralytics and torch: run scripts/setup-python.sh in ${deps.actionRoot} ` +
          '(creates .venv with the pinned packages), or start a Docker daemon so the image is used',
      );
    }
  }

  function pythonBinary(): string {
    if (deps.python) return deps.python;
    const venv = path.join(deps.actionRoot, '.venv', 'bin', 'python');
    return existsSync(venv) ? venv : 'python3';
  }

  /** Starts the entrypoint detached, output appended to train.log; resolves once it runs. */
  async function spawnEntrypoint(
    dir: string,
    jobName: string,
    image: ImageResult,
  ): Promise<{ pid: number; runtime: Runtime; containerName?: string }> {
    const { runtime, gpus } = await chooseRuntime(image);
    let command: string;
    let args: string[];
    let env: NodeJS.ProcessEnv;
    let containerName: string | undefined;
    if (runtime === 'docker') {
      containerName = `sagemaker-yolo-${jobName}`;
      const uid = process.getuid?.();
      const gid = process.getgid?.();
      command = 'docker';
      args = buildDockerRunArgs({
        jobDir: dir,
        image: image.imageUri,
        containerName,
        gpus,
        ...(uid !== undefined && uid !== 0 ? { user: `${uid}:${gid ?? uid}` } : {}),
        ...(deps.env ? { env: deps.env } : {}),
      });
      env = process.env;
      log.info(`Running ${image.imageUri} with docker${gpus ? ' (all GPUs)' : ''}`);
    } else {
      const entrypoint =
        deps.entrypoint ?? path.join(deps.actionRoot, 'training-container', 'train.py');
      if (!existsSync(entrypoint)) throw new Error(`training entrypoint not found: ${entrypoint}`);
      command = pythonBinary();
      if (!deps.entrypoint) await assertCanTrain(command);
      args = [entrypoint, 'train'];
      env = {
        ...process.env,
        ...deps.env,
        OPT_ML_ROOT: dir,
        YOLO_OFFLINE: 'true',
        YOLO_CONFIG_DIR: path.join(dir, 'yolo-config'),
        PYTHONUNBUFFERED: '1', // lines reach train.log (and the log) as they are printed
      };
      log.info(`No docker daemon in use: running ${entrypoint} with ${command}`);
    }
    const out = await fs.open(path.join(dir, LOG), 'a');
    try {
      const child = spawn(command, args, {
        cwd: dir,
        env,
        stdio: ['ignore', out.fd, out.fd],
        // Its own process group: it survives the launcher (wait: false) and Ctrl-C of a terminal.
        detached: true,
      });
      const entry: Owned = {};
      child.once('exit', (code, signal) => {
        entry.exit = { code, signal };
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      owned.set(jobName, entry);
      child.unref();
      return { pid: child.pid as number, runtime, ...(containerName ? { containerName } : {}) };
    } finally {
      await out.close();
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
    // A new attempt gets fresh inputs and outputs; checkpoints/ stays so the container resumes.
    for (const sub of ['input', 'model', 'output', 'archives']) {
      await fs.rm(path.join(dir, sub), { recursive: true, force: true });
    }
    const configDir = path.join(dir, 'input', 'config');
    const dataDir = path.join(dir, 'input', 'data');
    const inputDataConfig = buildInputDataConfig(input);
    for (const d of [
      configDir,
      path.join(dir, 'model'),
      path.join(dir, 'output', 'data'),
      path.join(dir, 'checkpoints'),
      path.join(dir, 'yolo-config'),
      ...Object.keys(inputDataConfig).map((c) => path.join(dataDir, c)),
    ]) {
      await fs.mkdir(d, { recursive: true });
    }
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

    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    await fs.writeFile(path.join(configDir, 'hyperparameters.json'), json(hyperparameters));
    await fs.writeFile(path.join(configDir, 'resourceconfig.json'), json(buildResourceConfig()));
    await fs.writeFile(path.join(configDir, 'inputdataconfig.json'), json(inputDataConfig));

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
      const items = await channelDownloads(input, dataDir);
      log.info(`Downloading ${items.length} objects into ${dataDir}`);
      await mapLimit(items, concurrency, (item) => withRetry(() => download(item), { sleep }));
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
      const started = await spawnEntrypoint(dir, jobName, image);
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
        path.join(dir, 'output', 'data'),
        path.join(dir, 'archives', 'output.tar.gz'),
        loc.bucket,
        loc.outputKey,
      );
      if (decided.status !== 'Failed' && modelFiles.length > 0) {
        ended.modelArtifactsUri = await packAndUpload(
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
    if (record.pid !== undefined) {
      try {
        process.kill(record.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    return updated;
  }

  function hardKill(record: LocalJobRecord): void {
    if (record.pid === undefined) return;
    log.warning(`Local training job ${record.jobName} ignored SIGTERM; killing it`);
    for (const target of [-record.pid, record.pid]) {
      try {
        process.kill(target, 'SIGKILL'); // negative: its whole process group
      } catch {
        // not there
      }
    }
    if (record.containerName) {
      execFile('docker', ['kill', record.containerName], { env: process.env }, () => undefined);
    }
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
        hardKill(record);
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
          hardKill(record);
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
