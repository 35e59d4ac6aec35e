// Unpacks a SageMaker archive (model.tar.gz, output.tar.gz) into a directory without trusting it:
// only regular files and directories, no absolute paths or `..`, no links of any kind, and caps on
// the number of files and their sizes. Files land in a private staging directory first and are
// moved into place only when the whole archive read cleanly, so a failed download never leaves a
// truncated best.pt behind.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';

export interface UnpackLimits {
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** Far above a YOLO model archive (yolov8x: two ~130 MB checkpoints) and far below a full disk. */
export const DEFAULT_UNPACK_LIMITS: UnpackLimits = {
  maxFiles: 1000,
  maxFileBytes: 4 * 1024 ** 3,
  maxTotalBytes: 8 * 1024 ** 3,
};

export interface UnpackOptions {
  /** Names the archive in errors (e.g. `s3://b/k/model.tar.gz`). */
  label: string;
  limits?: Partial<UnpackLimits>;
  /**
   * Which files to keep and where: the archive-relative path in, the destination-relative path
   * out (undefined: skip the file). Default: every file at its own path.
   */
  select?: (entryPath: string) => string | undefined;
}

export class UnsafeArchiveError extends Error {
  override name = 'UnsafeArchiveError';
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/**
 * The archive path as a safe relative POSIX path (`./best.pt` -> `best.pt`), or an error naming
 * the rule it breaks. Pure.
 */
export function safeEntryPath(raw: string): string {
  const normalized = raw.replace(/\\/g, '/');
  if (normalized.startsWith('/') || /^[A-Za-z]:/.test(normalized)) {
    throw new UnsafeArchiveError(`"${raw}" is an absolute path`);
  }
  const parts = normalized.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new UnsafeArchiveError(`"${raw}" climbs out with ".."`);
  if (parts.some((p) => p.includes('\0'))) throw new UnsafeArchiveError(`"${raw}" holds a NUL`);
  return parts.join('/');
}

/**
 * Unpacks a (gzipped) tar from `source` into `dest` (created when missing); returns the
 * destination-relative paths of the files written, sorted.
 */
export async function unpackArchive(
  source: Readable | Buffer,
  dest: string,
  options: UnpackOptions,
): Promise<string[]> {
  const limits = { ...DEFAULT_UNPACK_LIMITS, ...options.limits };
  const select = options.select ?? ((p: string) => p);
  await mkdir(dest, { recursive: true });
  const staging = await mkdtemp(path.join(dest, '.unpack-'));
  const written = new Map<string, string>(); // destination-relative -> staged absolute path
  let total = 0;
  let files = 0;

  try {
    const parser = new Parser({ strict: true });
    let failure: Error | undefined;
    const fail = (error: Error) => {
      failure ??= error;
      parser.abort(error);
    };
    const pending: Promise<void>[] = [];
    const outputs: WriteStream[] = [];

    parser.on('entry', (entry: ReadEntry) => {
      try {
        if (failure) return void entry.resume();
        const relative = safeEntryPath(entry.path);
        if (entry.type === 'Directory') return void entry.resume();
        if (!FILE_TYPES.has(entry.type)) {
          throw new UnsafeArchiveError(`"${entry.path}" is a ${entry.type}, not a regular file`);
        }
        const target = relative === '' ? undefined : select(relative);
        if (target === undefined) return void entry.resume();
        const destRelative = safeEntryPath(target);
        if ((entry.size ?? 0) > limits.maxFileBytes) {
          throw new UnsafeArchiveError(
            `"${entry.path}" is ${entry.size} bytes, over the ${limits.maxFileBytes}-byte limit per file`,
          );
        }
        if (++files > limits.maxFiles) {
          throw new UnsafeArchiveError(`more than ${limits.maxFiles} files`);
        }
        const staged = path.join(staging, `${files}`);
        let size = 0;
        // One consumer counts and writes. A 'data' listener beside the pipe once unpacked an empty
        // training_metrics.json from a real model.tar.gz read from S3.
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            total += chunk.length;
            if (size > limits.maxFileBytes) {
              const error = new UnsafeArchiveError(
                `"${entry.path}" is over ${limits.maxFileBytes} bytes`,
              );
              fail(error);
              return done(error);
            }
            if (total > limits.maxTotalBytes) {
              const error = new UnsafeArchiveError(
                `more than ${limits.maxTotalBytes} bytes in all`,
              );
              fail(error);
              return done(error);
            }
            done(null, chunk);
          },
        });
        // 'wx': never write through something already at that name
        const out = createWriteStream(staged, { flags: 'wx', mode: 0o644 });
        written.set(destRelative, staged);
        outputs.push(out);
        pending.push(pipeline(entry, counter, out).catch((error: Error) => fail(error)));
      } catch (error) {
        entry.resume();
        fail(error as Error);
      }
    });

    const parsed = new Promise<void>((resolve, reject) => {
      parser.on('error', (error: Error) => reject((failure ??= error)));
      parser.on('abort', (error: Error) => reject((failure ??= error)));
      parser.on('close', () => (failure ? reject(failure) : resolve()));
    });
    if (Buffer.isBuffer(source)) parser.end(source);
    else {
      source.on('error', (error: Error) => fail(error));
      source.pipe(parser);
    }
    try {
      await parsed;
    } finally {
      // A failed or truncated archive may leave an entry that never ends: close its file.
      if (failure) for (const out of outputs) out.destroy();
      await Promise.all(pending);
    }
    if (failure) throw failure;

    for (const [relative, staged] of written) {
      const target = path.join(dest, relative); // safeEntryPath: relative, no '..'
      await mkdir(path.dirname(target), { recursive: true });
      await rename(staged, target);
    }
    return [...written.keys()].sort();
  } catch (error) {
    throw new Error(`${options.label}: ${(error as Error).message}`, { cause: error });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
