// Test helper: a raw ustar archive written byte by byte, so a test can hold exactly the entries a
// hostile or broken archive would (`../x`, absolute paths, symlinks, devices) that tar writers refuse.
import { gzipSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** '0' file (default), '2' symlink, '1' hard link, '5' directory, '3' char device. */
  type?: string;
  body?: string | Buffer;
  linkname?: string;
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value.slice(0, length), offset, length, 'latin1');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

export function rawTar(entries: RawEntry[], gzip = true): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const type = entry.type ?? '0';
    const size = type === '0' ? body.length : 0;
    const header = Buffer.alloc(512);
    field(header, 0, 100, entry.name);
    field(header, 100, 8, octal(0o644, 8));
    field(header, 108, 8, octal(0, 8));
    field(header, 116, 8, octal(0, 8));
    field(header, 124, 12, octal(size, 12));
    field(header, 136, 12, octal(0, 12));
    header.fill(' ', 148, 156);
    field(header, 156, 1, type);
    field(header, 157, 100, entry.linkname ?? '');
    field(header, 257, 6, 'ustar\0');
    field(header, 263, 2, '00');
    let sum = 0;
    for (const byte of header) sum += byte;
    field(header, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
    blocks.push(header);
    if (size > 0) {
      blocks.push(body, Buffer.alloc((512 - (size % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return gzip ? gzipSync(tar) : tar;
}
