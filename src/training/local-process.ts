// The local job's process: which way it runs (the training image under docker when a daemon
// answers, else train.py in a Python environment), starting it detached with its output in
// train.log, and signalling it.
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImageResult } from '../pipeline.js';
import { buildDockerRunArgs, type Runtime } from './local-builders.js';
import { hostRoot } from './local-hosts.js';
import { LOG } from './local-records.js';

export interface ProcessDeps {
  /** Root of the action/CLI checkout: holds training-container/ and, for local runs, .venv/. */
  actionRoot: string;
  log: { info(message: string): void; warning(message: string): void };
  /** `auto` (default): docker when its daemon answers and an image is given, else python. */
  runtime?: 'auto' | Runtime;
  /** Interpreter for the entrypoint; default <actionRoot>/.venv/bin/python, else python3. */
  python?: string;
  /** Script run as `<python> <entrypoint> train`; default <actionRoot>/training-container/train.py. */
  entrypoint?: string;
  /** Extra environment for the entrypoint (CUDA_VISIBLE_DEVICES, ...). */
  env?: Record<string, string>;
}

/** How the process ended, filled in by its exit event (only for processes this one started). */
export interface ExitSlot {
  exit?: { code: number | null; signal: string | null };
}

export interface Started {
  pid: number;
  runtime: Runtime;
  containerName?: string;
  slot: ExitSlot;
}

/** Alive, or not ours to signal (EPERM): either way it has not ended. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The container name a job runs under (what `docker stop` and `docker kill` are given). */
export function containerNameFor(jobName: string): string {
  return `sagemaker-yolo-${jobName}`;
}

async function chooseRuntime(
  deps: ProcessDeps,
  image: ImageResult,
): Promise<{ runtime: Runtime; gpus: boolean }> {
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
async function assertCanTrain(deps: ProcessDeps, python: string): Promise<void> {
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

function pythonBinary(deps: ProcessDeps): string {
  if (deps.python) return deps.python;
  const venv = path.join(deps.actionRoot, '.venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

/**
 * The command for several hosts: training-container/local_hosts.py starts one entrypoint process
 * per host tree and plays SageMaker's part between them (signals, a failed host ends the job).
 */
export function multiHostArgs(
  actionRoot: string,
  dir: string,
  hosts: string[],
  entrypoint: string,
): string[] {
  return [
    path.join(actionRoot, 'training-container', 'local_hosts.py'),
    ...hosts.map((h) => `${h}=${hostRoot(dir, h, hosts)}`),
    '--',
    entrypoint,
    'train',
  ];
}

/**
 * Starts the entrypoint detached, output appended to <dir>/train.log; resolves once it runs.
 * Several hosts run as processes on this machine (python), never as containers.
 */
export async function spawnEntrypoint(
  deps: ProcessDeps,
  dir: string,
  jobName: string,
  image: ImageResult,
  hosts: string[] = ['algo-1'],
): Promise<Started> {
  const { log } = deps;
  const multiHost = hosts.length > 1;
  if (multiHost && deps.runtime === 'docker') {
    throw new Error(
      `${hosts.length} instances run as ${hosts.length} processes on this machine; the docker runtime runs one container (use instance-count 1 or the python runtime)`,
    );
  }
  const { runtime, gpus } = multiHost
    ? { runtime: 'python' as const, gpus: false }
    : await chooseRuntime(deps, image);
  let command: string;
  let args: string[];
  let env: NodeJS.ProcessEnv;
  let containerName: string | undefined;
  if (runtime === 'docker') {
    containerName = containerNameFor(jobName);
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
    log.info(`Running ${image.imageUri} with docker${gpus ? ' (all GPUs)' : ''}, no network`);
  } else {
    const entrypoint =
      deps.entrypoint ?? path.join(deps.actionRoot, 'training-container', 'train.py');
    if (!existsSync(entrypoint)) throw new Error(`training entrypoint not found: ${entrypoint}`);
    command = pythonBinary(deps);
    if (!deps.entrypoint) await assertCanTrain(deps, command);
    args = multiHost
      ? multiHostArgs(deps.actionRoot, dir, hosts, entrypoint)
      : [entrypoint, 'train'];
    env = {
      ...process.env,
      ...deps.env,
      OPT_ML_ROOT: dir,
      YOLO_OFFLINE: 'true',
      YOLO_CONFIG_DIR: path.join(dir, 'yolo-config'),
      PYTHONUNBUFFERED: '1', // lines reach train.log (and the log) as they are printed
    };
    log.info(
      multiHost
        ? `Running ${entrypoint} on ${hosts.length} local hosts (${hosts.join(', ')}), one process each, gloo over 127.0.0.1`
        : `No docker daemon in use: running ${entrypoint} with ${command}`,
    );
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
    const slot: ExitSlot = {};
    child.once('exit', (code, signal) => {
      slot.exit = { code, signal };
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    return { pid: child.pid as number, runtime, slot, ...(containerName ? { containerName } : {}) };
  } finally {
    await out.close();
  }
}

/** SIGTERM to the main process only: docker run proxies it to the container's PID 1. */
export function terminate(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

/** SIGKILL to the whole process group, and `docker kill` for a container. */
export function hardKill(pid: number | undefined, containerName: string | undefined): void {
  if (pid !== undefined) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL'); // negative: its whole process group
      } catch {
        // not there
      }
    }
  }
  if (containerName) {
    execFile('docker', ['kill', containerName], { env: process.env }, () => undefined);
  }
}
