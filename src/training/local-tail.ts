// Follows a growing log file (a local job's train.log) from a byte offset, line by line.
import { promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface FileTail {
  /** Emits every complete line written since the last poll. */
  poll(): Promise<void>;
  /** Emits what is left, an unterminated last line included. */
  flush(): Promise<void>;
}

/**
 * Streams new lines of `file` to `onLine`; a `\r`-redrawn progress line shows its last state.
 * `onPollEnd` runs after each poll and flush (the caller sends one poll's lines as one block).
 */
export function tailFile(
  file: string,
  offset: number,
  onLine: (line: string) => void,
  onPollEnd: () => void = () => {},
): FileTail {
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
