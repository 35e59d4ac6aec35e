import { describe, expect, it } from '@jest/globals';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BufferPool, readInto } from '../src/read-buffers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'read-buffers-'));

function withFile<T>(bytes: Buffer, use: (fd: number) => T): T {
  const file = path.join(dir, `f-${Math.random()}`);
  writeFileSync(file, bytes);
  const fd = openSync(file, 'r');
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

describe('readInto', () => {
  const content = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));

  it('fills the target from the given position', () => {
    withFile(content, (fd) => {
      const target = Buffer.alloc(1000);
      expect(readInto(fd, target, 500)).toBe(1000);
      expect(target.equals(content.subarray(500, 1500))).toBe(true);
    });
  });

  it('stops at the end of the file and says how much it read', () => {
    withFile(content, (fd) => {
      const target = Buffer.alloc(5000, 0xee);
      expect(readInto(fd, target)).toBe(3000);
      expect(target.subarray(0, 3000).equals(content)).toBe(true);
      expect(target[3000]).toBe(0xee);
    });
  });
});

describe('BufferPool', () => {
  it('lends each use in flight a buffer of its own, of the size asked for', async () => {
    const pool = new BufferPool();
    const seen: Buffer[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const uses = [10, 20, 30].map((size, i) =>
      pool.use(size, async (buffer) => {
        expect(buffer.length).toBe(size);
        buffer.fill(i + 1);
        seen.push(buffer);
        await held;
        return buffer[0];
      }),
    );
    release();
    // Had two uses shared memory, one's fill would have overwritten the other's.
    expect(await Promise.all(uses)).toEqual([1, 2, 3]);
    expect(new Set(seen.map((b) => b.buffer)).size).toBe(3);
    expect(pool.allocated).toBe(3);
  });

  it('keeps memory at one buffer per use in flight however many files pass through', async () => {
    const pool = new BufferPool();
    let inFlight = 0;
    let most = 0;
    const lane = async () => {
      for (let i = 0; i < 250; i++) {
        await pool.use(1000 + i, async (buffer) => {
          most = Math.max(most, ++inFlight);
          buffer.fill(7);
          await new Promise((r) => setImmediate(r));
          inFlight--;
        });
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(most).toBe(4);
    expect(pool.allocated).toBe(4);
  });

  it('replaces a pooled buffer that is too small, and gives a request above the limit its own', async () => {
    const pool = new BufferPool(256 * 1024);
    await pool.use(100, async () => undefined);
    await pool.use(200 * 1024, async (buffer) => expect(buffer.length).toBe(200 * 1024));
    expect(pool.allocated).toBe(2);
    await pool.use(300 * 1024, async (buffer) => expect(buffer.length).toBe(300 * 1024));
    await pool.use(150 * 1024, async () => undefined);
    expect(pool.allocated).toBe(2);
  });

  it('takes the buffer back when the use fails', async () => {
    const pool = new BufferPool();
    await expect(
      pool.use(10, async () => {
        throw new Error('upload failed');
      }),
    ).rejects.toThrow('upload failed');
    await pool.use(10, async () => undefined);
    expect(pool.allocated).toBe(1);
  });
});
