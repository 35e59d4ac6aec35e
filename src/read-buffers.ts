// Whole-file reads into reusable buffers. A sync reads every file it validates or uploads; a fresh
// Buffer per file (fs.readFile, Buffer.allocUnsafe) is an ArrayBuffer outside V8's heap that only a
// garbage collection frees, and on a 9k-file first sync 55 MB of them piled up between collections.
// Reads are synchronous: a small file takes microseconds, where the promise API costs four
// thread-pool round trips (open, fstat, read, close) per file.
import { readSync } from 'node:fs';

/**
 * Fills `target` from `fd` at `position`; returns how many bytes were read (fewer only at the end
 * of the file).
 */
export function readInto(fd: number, target: Uint8Array, position = 0): number {
  let got = 0;
  while (got < target.length) {
    const n = readSync(fd, target, got, target.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/**
 * Buffers lent out for one use at a time and kept for the next, so that memory is the pool's size
 * however many files pass through: at most one buffer per use in flight, each as big as the
 * largest request it served (from 64 KiB). A request above `maxBytes` gets a buffer of its own.
 */
export class BufferPool {
  private readonly free: Buffer[] = [];
  /** Pooled buffers made so far (a smaller one is replaced when a bigger request comes). */
  allocated = 0;

  constructor(readonly maxBytes = 1024 * 1024) {}

  /** Runs `use` with a buffer of exactly `size` bytes, returned to the pool when `use` settles. */
  async use<T>(size: number, use: (buffer: Buffer) => Promise<T>): Promise<T> {
    if (size > this.maxBytes) return use(Buffer.allocUnsafe(size));
    let whole = this.free.pop();
    if (!whole || whole.length < size) {
      whole = Buffer.allocUnsafe(Math.min(this.maxBytes, Math.max(size, 64 * 1024)));
      this.allocated++;
    }
    try {
      return await use(whole.subarray(0, size));
    } finally {
      this.free.push(whole);
    }
  }
}
