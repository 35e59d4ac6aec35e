// The real Docker engine and registry for the image tests (scripts/test-engine.sh): started when
// they do not answer, stopped afterwards only when this helper started them. Nothing is skipped
// when a daemon is missing: the engine is started instead.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// jest runs from the repository root (as every other test assumes).
const ROOT = process.cwd();

export interface Engine {
  /** DOCKER_HOST and PATH (Debian's docker client first, the one that matches the daemon). */
  env: Record<string, string>;
  /** `127.0.0.1:<port>` of the htpasswd-protected registry. */
  registry: string;
  username: string;
  password: string;
  /** Stops what this helper started (nothing when both were already running). */
  stop(): Promise<void>;
}

function parse(output: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export async function startEngine(): Promise<Engine> {
  const script = path.join(ROOT, 'scripts', 'test-engine.sh');
  await run(path.join(ROOT, 'scripts', 'setup-debian.sh'), [], { maxBuffer: 1 << 24 });
  const { stdout } = await run(script, ['start'], { timeout: 120_000 });
  const v = parse(stdout);
  const started = (v.STARTED ?? '').split(' ').filter(Boolean);
  const required = ['DOCKER_HOST', 'PATH', 'REGISTRY', 'REGISTRY_USER', 'REGISTRY_PASSWORD'];
  for (const key of required) {
    if (!v[key]) throw new Error(`test-engine.sh start printed no ${key}:\n${stdout}`);
  }
  return {
    env: { DOCKER_HOST: v.DOCKER_HOST as string, PATH: v.PATH as string },
    registry: v.REGISTRY as string,
    username: v.REGISTRY_USER as string,
    password: v.REGISTRY_PASSWORD as string,
    async stop() {
      if (started.length > 0) await run(script, ['stop', ...started], { timeout: 180_000 });
    },
  };
}

/**
 * The local base image (made once, then reused from the engine's store): its tag.
 * SAGEMAKER_YOLO_TEST_BASE names an image already in the engine to use instead.
 */
export async function testBaseImage(engine: Engine): Promise<string> {
  const given = process.env.SAGEMAKER_YOLO_TEST_BASE?.trim();
  if (given) {
    await docker(engine, ['image', 'inspect', given]); // fails the run when it is not there
    return given;
  }
  const { stdout } = await run(path.join(ROOT, 'scripts', 'test-base-image.sh'), [], {
    maxBuffer: 1 << 26,
    timeout: 1_800_000,
  });
  const tag = stdout.trim().split('\n').pop() ?? '';
  if (!tag.startsWith('sagemaker-yolo-test/base:')) {
    throw new Error(`test-base-image.sh printed no tag:\n${stdout}`);
  }
  return tag;
}

/** Runs the engine's docker client; rejects on a non-zero exit. */
export async function docker(
  engine: Engine,
  args: string[],
  timeoutMs = 600_000,
): Promise<{ stdout: string; stderr: string }> {
  return run('docker', args, {
    env: { ...process.env, ...engine.env },
    timeout: timeoutMs,
    maxBuffer: 1 << 26,
  });
}
