// sha256 of text, bytes and files: snapshot blobs, the image context hash and fingerprints.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Small files in one read (fewer syscalls); large ones streamed so memory stays flat. */
const WHOLE_READ_LIMIT = 1024 * 1024;

/** A file's sha256 (hex) and size in bytes; `sizeHint` saves a stat when the caller has one. */
export async function hashFile(
  abs: string,
  sizeHint?: number,
): Promise<{ sha256: string; size: number }> {
  const size = sizeHint ?? (await fs.stat(abs)).size;
  if (size <= WHOLE_READ_LIMIT) {
    const data = await fs.readFile(abs);
    return { sha256: sha256Hex(data), size: data.length };
  }
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of createReadStream(abs, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size: total };
}
