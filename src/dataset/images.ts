// Image checks from header bytes only (no decoding): the format must be one ultralytics trains on
// and both sides at least 10 px, which is what its verify_image_label asserts.
import { promises as fs } from 'node:fs';
import { imageSize } from 'image-size';

/** File suffixes ultralytics picks up as images (IMG_FORMATS). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'bmp',
  'dng',
  'jpeg',
  'jpg',
  'mpo',
  'png',
  'tif',
  'tiff',
  'webp',
  'pfm',
  'heic',
]);

/** image-size type names for the formats above (dng is TIFF inside, mpo is JPEG, heic is HEIF). */
const SUPPORTED_TYPES: ReadonlySet<string> = new Set(['bmp', 'jpg', 'png', 'tiff', 'webp', 'heif']);
/** Formats image-size cannot read: their headers are not checked. */
const UNCHECKED_EXTENSIONS: ReadonlySet<string> = new Set(['pfm']);

export const MIN_IMAGE_SIDE = 10;
/** First read; a JPEG with large EXIF/ICC blocks may need more, up to MAX_HEADER_BYTES. */
const FIRST_READ = 64 * 1024;
const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export function extensionOf(file: string): string {
  const slash = file.lastIndexOf('/');
  const dot = file.lastIndexOf('.');
  return dot > slash ? file.slice(dot + 1).toLowerCase() : '';
}

export function isImagePath(file: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(file));
}

export interface ImageInfo {
  type: string;
  width: number;
  height: number;
}

export type HeaderResult = { ok: true; info: ImageInfo } | { ok: false; reason: string };

/** Pure: what the header bytes say. `complete` = `head` is the whole file. */
export function readImageHeader(head: Uint8Array, complete: boolean): HeaderResult {
  if (head.length === 0) return { ok: false, reason: 'the file is empty' };
  try {
    // A copy with its own ArrayBuffer: image-size reads through DataViews on `.buffer`, which for
    // a view into a larger (pooled) buffer would run past `head` into unrelated bytes.
    const size = imageSize(new Uint8Array(head));
    return {
      ok: true,
      info: { type: size.type ?? 'unknown', width: size.width, height: size.height },
    };
  } catch (error) {
    const message = (error as Error).message;
    if (!complete && /exceeded|out of range|offset/i.test(message)) {
      return { ok: false, reason: 'truncated-header' };
    }
    if (/unsupported file type: undefined/.test(message)) {
      return { ok: false, reason: 'the header bytes match no known image format' };
    }
    return { ok: false, reason: `not a readable image (${message})` };
  }
}

export interface ImageFinding {
  severity: 'error' | 'warning';
  message: string;
}

/** Pure: the rules over what the header said. */
export function judgeImage(
  ext: string,
  header: HeaderResult,
  endsWithEoi?: boolean,
): ImageFinding[] {
  if (!header.ok) {
    if (UNCHECKED_EXTENSIONS.has(ext)) {
      return [{ severity: 'warning', message: `.${ext} headers are not checked` }];
    }
    return [{ severity: 'error', message: `unreadable image: ${header.reason}` }];
  }
  const { type, width, height } = header.info;
  const findings: ImageFinding[] = [];
  if (!SUPPORTED_TYPES.has(type)) {
    findings.push({
      severity: 'error',
      message: `unsupported image format ${type.toUpperCase()} (${width}x${height}): ultralytics trains on ${[...SUPPORTED_TYPES].join(', ')}`,
    });
  } else if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    findings.push({
      severity: 'error',
      message: `image is ${width}x${height} px: ultralytics needs at least ${MIN_IMAGE_SIDE} px on each side`,
    });
  }
  if (type === 'jpg' && endsWithEoi === false) {
    findings.push({
      severity: 'warning',
      message: `JPEG (${width}x${height}) does not end with the FFD9 end marker (truncated?): ultralytics re-saves it at training time`,
    });
  }
  return findings;
}

/** Reads just enough of an image file to judge it. Never throws for a bad image; I/O errors become findings. */
export async function inspectImageFile(
  abs: string,
): Promise<{ info?: ImageInfo; findings: ImageFinding[] }> {
  const ext = extensionOf(abs);
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(abs, 'r');
    const { size } = await handle.stat();
    let length = Math.min(size, FIRST_READ);
    let header: HeaderResult;
    for (;;) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      header = readImageHeader(buffer.subarray(0, bytesRead), bytesRead >= size);
      if (header.ok || header.reason !== 'truncated-header') break;
      if (length >= Math.min(size, MAX_HEADER_BYTES)) {
        header = { ok: false, reason: `no size marker in the first ${length} bytes` };
        break;
      }
      length = Math.min(size, MAX_HEADER_BYTES, length * 8);
    }
    let endsWithEoi: boolean | undefined;
    if (header.ok && header.info.type === 'jpg' && size >= 2) {
      const tail = Buffer.alloc(2);
      await handle.read(tail, 0, 2, size - 2);
      endsWithEoi = tail[0] === 0xff && tail[1] === 0xd9;
    }
    return {
      ...(header.ok ? { info: header.info } : {}),
      findings: judgeImage(ext, header, endsWithEoi),
    };
  } catch (error) {
    return {
      findings: [{ severity: 'error', message: `cannot read image: ${(error as Error).message}` }],
    };
  } finally {
    await handle?.close();
  }
}
