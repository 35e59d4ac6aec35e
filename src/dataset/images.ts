// Image checks as ultralytics 8.4.190 makes them (data/utils.py `check_image`, called by
// `verify_image_label`): PIL opens the file and verify()s it, both sides must be at least 10 px,
// the format PIL detects (by content, not by suffix) must be one it lists, and a JPEG that does
// not end with FFD9 is re-saved, which only works when the data is complete. Any failure drops
// the image. We read headers (image-size) and, where PIL would notice more, the structure:
// PNG chunks and CRCs, the WebP RIFF length, the BMP header, ISO-BMFF boxes of AVIF.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { imageSize } from 'image-size';
import { type ContentHashes } from '../content-hashes.js';
import { readInto } from '../read-buffers.js';

/** File suffixes ultralytics collects as images (IMG_FORMATS of the pinned version). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'avif',
  'bmp',
  'dng',
  'heic',
  'heif',
  'jp2',
  'jpeg',
  'jpg',
  'mpo',
  'png',
  'tif',
  'tiff',
  'webp',
]);

/** image-size types whose PIL format is in IMG_FORMATS (dng is TIFF inside, mpo is JPEG). */
const SUPPORTED_TYPES: ReadonlySet<string> = new Set([
  'bmp',
  'jpg',
  'png',
  'tiff',
  'webp',
  'jp2',
  'j2c',
  'heif',
  'avif',
]);

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
  /** drop: ultralytics ignores the image; fix: it repairs it; keep: nothing happens. */
  outcome: 'drop' | 'fix' | 'keep';
  rule: string;
  message: string;
}

/** What the full bytes say beyond the header (only gathered where PIL looks further). */
export interface ImageBody {
  /** The JPEG ends with the FFD9 end-of-image marker. */
  endsWithEoi?: boolean;
  /** The JPEG has an end-of-image marker after its scan (only looked for when it does not end with one). */
  hasEoi?: boolean;
  /** A structural problem PIL's open/verify raises on (PNG chunks, WebP/BMP/AVIF lengths). */
  broken?: string;
}

/** Pure: the rules over what the header (and, where needed, the body) said. */
export function judgeImage(header: HeaderResult, body: ImageBody = {}): ImageFinding[] {
  if (!header.ok) {
    return [
      { outcome: 'drop', rule: 'unreadable-image', message: `unreadable image: ${header.reason}` },
    ];
  }
  const { type, width, height } = header.info;
  if (!SUPPORTED_TYPES.has(type)) {
    return [
      {
        outcome: 'drop',
        rule: 'image-format',
        message: `the file is ${type.toUpperCase()} (${width}x${height}), a format ultralytics does not train on`,
      },
    ];
  }
  if (body.broken) {
    return [{ outcome: 'drop', rule: 'broken-image', message: `broken image: ${body.broken}` }];
  }
  if (width < MIN_IMAGE_SIDE || height < MIN_IMAGE_SIDE) {
    return [
      {
        outcome: 'drop',
        rule: 'image-too-small',
        message: `image is ${width}x${height} px: ultralytics needs at least ${MIN_IMAGE_SIDE} px on each side`,
      },
    ];
  }
  if (type === 'jpg' && body.endsWithEoi === false) {
    return body.hasEoi
      ? [
          {
            outcome: 'fix',
            rule: 'jpeg-restored',
            message: `JPEG (${width}x${height}) has bytes after its end marker: ultralytics re-saves it ("corrupt JPEG restored and saved")`,
          },
        ]
      : [
          {
            outcome: 'drop',
            rule: 'truncated-jpeg',
            message: `JPEG (${width}x${height}) is truncated (no FFD9 end marker after the image data): ultralytics cannot re-save it and ignores the image`,
          },
        ];
  }
  return [];
}

const PNG_SIGNATURE_LENGTH = 8;

/** PIL reads every chunk up to IEND and checks its CRC. */
export function pngProblem(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = PNG_SIGNATURE_LENGTH;
  for (;;) {
    if (at + 8 > bytes.length) return 'truncated PNG file (no IEND chunk)';
    const length = view.getUint32(at);
    const type = fourCC(bytes, at + 4);
    if (type === 'IEND') return undefined;
    const end = at + 8 + length + 4;
    if (end > bytes.length) return `truncated PNG file (the ${type} chunk is cut short)`;
    const expected = view.getUint32(end - 4);
    if (crc32(bytes.subarray(at + 4, end - 4)) !== expected) {
      return `broken PNG file (CRC error in the ${type} chunk)`;
    }
    at = end;
  }
}

/** libwebp refuses a file shorter than its RIFF header says. */
export function webpProblem(head: Uint8Array, fileSize: number): string | undefined {
  if (head.length < 12) return 'truncated WebP file';
  const riffSize = new DataView(head.buffer, head.byteOffset).getUint32(4, true);
  return fileSize < 8 + riffSize
    ? `truncated WebP file (${fileSize} of ${8 + riffSize} bytes)`
    : undefined;
}

function fourCC(bytes: Uint8Array, at: number): string {
  let out = '';
  for (let i = at; i < at + 4 && i < bytes.length; i++)
    out += String.fromCharCode(bytes[i] as number);
  return out;
}

/** PIL reads the 14-byte file header and the whole info header. */
export function bmpProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < 18) return 'truncated BMP header';
  const infoSize = new DataView(bytes.buffer, bytes.byteOffset).getUint32(14, true);
  return bytes.length < 14 + infoSize ? 'truncated BMP header' : undefined;
}

/** PIL reads the first image file directory (IFD) whole when it opens a TIFF. */
export function tiffProblem(head: Uint8Array, fileSize: number): string | undefined {
  if (head.length < 8) return 'truncated TIFF header';
  const little = head[0] === 0x49;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > head.length)
    return ifd + 2 > fileSize ? 'truncated TIFF file (no image directory)' : undefined;
  const entries = view.getUint16(ifd, little);
  return ifd + 2 + 12 * entries > fileSize
    ? 'truncated TIFF file (image directory cut short)'
    : undefined;
}

/** HEIF container: AVIF opens with Pillow's own plugin; HEIC needs pi-heif, absent in the image. */
export function heifProblem(bytes: Uint8Array): string | undefined {
  const brand = fourCC(bytes, 8);
  if (brand !== 'avif' && brand !== 'avis') {
    return `HEIC/HEIF (brand '${brand}') needs the pi-heif package, which the training image does not have; convert to JPEG or PNG`;
  }
  // Every box before the media data must be complete.
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at);
    const type = fourCC(bytes, at + 4);
    if (type === 'mdat') return undefined;
    if (size < 8 || at + size > bytes.length)
      return `truncated AVIF file (the ${type} box is cut short)`;
    at += size;
  }
  return 'truncated AVIF file (no media data)';
}

/** The JPEG's scan is followed by an FFD9 marker (inside the scan FF is always stuffed). */
export function jpegHasEoi(bytes: Uint8Array): boolean {
  let sos = -1;
  for (let i = 2; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xda) {
      sos = i;
      break;
    }
  }
  if (sos < 0) return false;
  for (let i = sos + 2; i + 1 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/** Content ids of files read whole during validation, by absolute path (for the snapshot). */
export type { ContentHashes };

/**
 * Images up to this size are read whole in one synchronous read: the same bytes are judged and
 * hashed for the snapshot, so the file is read once (the users' images average 55 KB). They are
 * read into this one buffer, used and left within one synchronous call, instead of a new buffer
 * per image that only a garbage collection would free.
 */
const WHOLE_IMAGE_READ = 1024 * 1024;
const WHOLE_IMAGE_BUFFER = Buffer.allocUnsafe(WHOLE_IMAGE_READ);

/** Up to `length` bytes from `position` (fewer only at the end of the file). */
function readAt(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  return buffer.subarray(0, readInto(fd, buffer, position));
}

/**
 * Reads just enough of an image file to judge it (the whole of a small one, whose sha256 then goes
 * to `hashes`). Never throws for a bad image; I/O errors become findings. Synchronous reads: the
 * promise API costs four thread-pool round trips per file.
 */
export async function inspectImageFile(
  abs: string,
  hashes?: ContentHashes,
): Promise<{ info?: ImageInfo; findings: ImageFinding[] }> {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const { size } = fstatSync(fd);
    // Synchronous from here to the return: nothing else can use WHOLE_IMAGE_BUFFER meanwhile, and
    // nothing returned refers to it (readImageHeader parses a copy).
    const all =
      size <= WHOLE_IMAGE_READ
        ? WHOLE_IMAGE_BUFFER.subarray(0, readInto(fd, WHOLE_IMAGE_BUFFER.subarray(0, size)))
        : undefined;
    if (all && all.length === size) hashes?.record(abs, all);
    let length = Math.min(size, FIRST_READ);
    let header: HeaderResult;
    let head: Buffer;
    for (;;) {
      head = all ? all.subarray(0, length) : readAt(fd, length, 0);
      header = readImageHeader(head, head.length >= size);
      if (header.ok || header.reason !== 'truncated-header') break;
      if (length >= Math.min(size, MAX_HEADER_BYTES)) {
        header = { ok: false, reason: `no size marker in the first ${length} bytes` };
        break;
      }
      length = Math.min(size, MAX_HEADER_BYTES, length * 8);
    }
    const handle = fd;
    const whole = () => all ?? (head.length >= size ? head : readAt(handle, size, 0));
    const body: ImageBody = {};
    if (header.ok) {
      const type = header.info.type;
      if (type === 'jpg' && size >= 2) {
        const tail = all ? all.subarray(size - 2) : readAt(fd, 2, size - 2);
        body.endsWithEoi = tail[0] === 0xff && tail[1] === 0xd9;
        if (!body.endsWithEoi) body.hasEoi = jpegHasEoi(whole());
      } else if (type === 'png') {
        const problem = pngProblem(whole());
        if (problem) body.broken = problem;
      } else if (type === 'webp') {
        const problem = webpProblem(head, size);
        if (problem) body.broken = problem;
      } else if (type === 'bmp') {
        const problem = bmpProblem(head);
        if (problem) body.broken = problem;
      } else if (type === 'tiff') {
        const problem = tiffProblem(head, size);
        if (problem) body.broken = problem;
      } else if (type === 'heif' || type === 'avif') {
        const problem = heifProblem(whole());
        if (problem) body.broken = problem;
      }
    }
    return {
      ...(header.ok ? { info: header.info } : {}),
      findings: judgeImage(header, body),
    };
  } catch (error) {
    return {
      findings: [
        {
          outcome: 'drop',
          rule: 'unreadable-image',
          message: `cannot read image: ${(error as Error).message}`,
        },
      ],
    };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
