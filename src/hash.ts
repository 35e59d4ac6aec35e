// sha256 of text, bytes and files: snapshot blobs, the image context hash and fingerprints.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * One read buffer for every file. Synchronous reads into it measured 0.5 s for 50k small files
 * where fs.promises.readFile took 4.6-5.1 s (each promise read is open, fstat, read and close as
 * separate thread-pool round trips); large files stream through it, so memory stays flat.
 */
const READ_BUFFER = Buffer.allocUnsafe(1024 * 1024);

/** A file's sha256 (hex) and size in bytes, read synchronously in 1 MiB chunks. */
export function hashFileSync(abs: string): { sha256: string; size: number } {
  const fd = openSync(abs, 'r');
  try {
    const hash = createHash('sha256');
    let size = 0;
    for (;;) {
      const n = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, null);
      if (n === 0) break;
      hash.update(READ_BUFFER.subarray(0, n));
      size += n;
    }
    return { sha256: hash.digest('hex'), size };
  } finally {
    closeSync(fd);
  }
}

/** hashFileSync behind a promise, for callers in async code. */
export async function hashFile(abs: string): Promise<{ sha256: string; size: number }> {
  return hashFileSync(abs);
}
