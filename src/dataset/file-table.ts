// The files of a snapshot (path, sha256, size), sorted by path and packed into typed arrays. As a
// 50k-key object with a `{sha256, size}` per file the document took about 12 MB of V8's heap (80
// bytes of hex a file, a 3.7 MB dictionary, the path strings) for the whole of a sync's upload;
// packed it is 3.5 MB outside the heap, and strings are made only while they are read.
import { compareCodePoints } from './files.js';

/** One file of a snapshot, as the stored document writes it. */
export interface SnapshotFile {
  sha256: string;
  size: number;
}

/** sha256 (64 hex) -> size of stored blobs; a Map is one. */
export interface BlobSizes {
  get(sha256: string): number | undefined;
}

const DIGEST_BYTES = 32;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export class FileTable {
  private constructor(
    /** Every path's UTF-8 bytes, back to back in table order. */
    private readonly pathBytes: Buffer,
    /** Where each path's bytes end in `pathBytes` (path i starts where path i-1 ends). */
    private readonly pathEnds: Uint32Array,
    /** Each file's sha256, 32 bytes each. */
    private readonly digests: Buffer,
    private readonly sizes: Float64Array,
    /** The sum of the sizes. */
    readonly totalBytes: number,
  ) {}

  /** A table of any files (sorted here); a path given twice is an error. */
  static fromEntries(entries: Iterable<readonly [string, SnapshotFile]>): FileTable {
    const sorted = [...entries].sort(([a], [b]) => compareCodePoints(a, b));
    const builder = new FileTableBuilder(sorted.length);
    for (const [rel, file] of sorted) builder.add(rel, file.sha256, file.size);
    return builder.done();
  }

  /** @internal FileTableBuilder's way in. */
  static of(
    pathBytes: Buffer,
    pathEnds: Uint32Array,
    digests: Buffer,
    sizes: Float64Array,
    totalBytes: number,
  ): FileTable {
    return new FileTable(pathBytes, pathEnds, digests, sizes, totalBytes);
  }

  get length(): number {
    return this.sizes.length;
  }

  private pathStart(i: number): number {
    return i === 0 ? 0 : this.pathEnds[i - 1]!;
  }

  /** Path of file i, relative to the snapshot root, `/`-separated. */
  rel(i: number): string {
    return this.pathBytes.toString('utf8', this.pathStart(i), this.pathEnds[i]);
  }

  /** sha256 of file i, 64 lowercase hex. */
  sha256(i: number): string {
    return this.digests.toString('hex', i * DIGEST_BYTES, (i + 1) * DIGEST_BYTES);
  }

  size(i: number): number {
    return this.sizes[i]!;
  }

  file(i: number): SnapshotFile {
    return { sha256: this.sha256(i), size: this.sizes[i]! };
  }

  /** The index of `rel`, or -1 (binary search: UTF-8 byte order is code point order). */
  indexOf(rel: string): number {
    const key = Buffer.from(rel, 'utf8');
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const order = this.pathBytes.compare(
        key,
        0,
        key.length,
        this.pathStart(mid),
        this.pathEnds[mid],
      );
      if (order === 0) return mid;
      if (order < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  get(rel: string): SnapshotFile | undefined {
    const i = this.indexOf(rel);
    return i < 0 ? undefined : this.file(i);
  }

  /** Whether files i and j (of this table) hold the same sha256. */
  sameDigest(i: number, j: number): boolean {
    return this.compareDigests(i, j) === 0;
  }

  /** Orders files i and j by their sha256 (the order of the hex strings). */
  compareDigests(i: number, j: number): number {
    return this.digests.compare(
      this.digests,
      j * DIGEST_BYTES,
      (j + 1) * DIGEST_BYTES,
      i * DIGEST_BYTES,
      (i + 1) * DIGEST_BYTES,
    );
  }

  /** [path, file] in path order, each made as it is reached. */
  *entries(): Generator<[string, SnapshotFile]> {
    for (let i = 0; i < this.length; i++) yield [this.rel(i), this.file(i)];
  }

  /**
   * The index of each distinct sha256 once, in hash order; a sha256 that several files hold
   * keeps the first of them in path order.
   */
  distinctByDigest(): Uint32Array {
    const order = Uint32Array.from({ length: this.length }, (_, i) => i).sort(
      (a, b) => this.compareDigests(a, b) || a - b,
    );
    let kept = 0;
    for (let k = 0; k < order.length; k++) {
      if (kept > 0 && this.sameDigest(order[kept - 1]!, order[k]!)) continue;
      order[kept++] = order[k]!;
    }
    return order.subarray(0, kept);
  }

  /** sha256 -> size of these files, by binary search over the digests (no string per file). */
  blobSizes(): BlobSizes {
    const order = this.distinctByDigest();
    const key = Buffer.alloc(DIGEST_BYTES);
    return {
      get: (sha256) => {
        if (!SHA256_HEX.test(sha256)) return undefined;
        key.write(sha256, 'hex');
        let lo = 0;
        let hi = order.length - 1;
        while (lo <= hi) {
          const mid = (lo + hi) >>> 1;
          const at = order[mid]! * DIGEST_BYTES;
          const cmp = this.digests.compare(key, 0, DIGEST_BYTES, at, at + DIGEST_BYTES);
          if (cmp === 0) return this.sizes[order[mid]!];
          if (cmp < 0) lo = mid + 1;
          else hi = mid - 1;
        }
        return undefined;
      },
    };
  }
}

/** Fills a FileTable from files given in path order (a walk's order), one at a time. */
export class FileTableBuilder {
  private pathBytes: Buffer;
  private pathLength = 0;
  private readonly pathEnds: Uint32Array;
  private readonly digests: Buffer;
  private readonly sizes: Float64Array;
  private count = 0;
  private totalBytes = 0;

  constructor(readonly capacity: number) {
    this.pathBytes = Buffer.allocUnsafe(Math.max(64, capacity * 48));
    this.pathEnds = new Uint32Array(capacity);
    this.digests = Buffer.alloc(capacity * DIGEST_BYTES);
    this.sizes = new Float64Array(capacity);
  }

  /** Adds the next file; its path must sort after the last one's (no duplicates). */
  add(rel: string, sha256: string, size: number): void {
    if (this.count === this.capacity) {
      throw new Error(`a file table made for ${this.capacity} files was given more`);
    }
    if (!SHA256_HEX.test(sha256)) throw new Error(`${rel}: '${sha256}' is not a sha256 (64 hex)`);
    if (!Number.isSafeInteger(size) || size < 0) {
      throw new Error(`${rel}: a size of ${size} is not an integer >= 0`);
    }
    const bytes = Buffer.byteLength(rel, 'utf8');
    if (this.pathLength + bytes > this.pathBytes.length) {
      const grown = Buffer.allocUnsafe(
        Math.max(this.pathBytes.length * 2, this.pathLength + bytes),
      );
      this.pathBytes.copy(grown, 0, 0, this.pathLength);
      this.pathBytes = grown;
    }
    this.pathBytes.write(rel, this.pathLength, 'utf8');
    if (this.count > 0) {
      const previous = this.count === 1 ? 0 : this.pathEnds[this.count - 2]!;
      const order = this.pathBytes.compare(
        this.pathBytes,
        previous,
        this.pathLength,
        this.pathLength,
        this.pathLength + bytes,
      );
      if (order <= 0) {
        throw new Error(
          `${rel} ${order === 0 ? 'is given twice' : 'comes out of path order'} in a file table`,
        );
      }
    }
    this.pathLength += bytes;
    this.pathEnds[this.count] = this.pathLength;
    this.digests.write(sha256, this.count * DIGEST_BYTES, 'hex');
    this.sizes[this.count] = size;
    this.totalBytes += size;
    this.count++;
  }

  /** The table of the files added (sharing the builder's arrays; the paths copied to their size). */
  done(): FileTable {
    const n = this.count;
    // The paths' room was a guess: copied to their size. The other arrays were made for exactly
    // `capacity` files, the count callers then add, so they are shared rather than copied.
    return FileTable.of(
      Buffer.from(this.pathBytes.subarray(0, this.pathLength)),
      this.pathEnds.subarray(0, n),
      this.digests.subarray(0, n * DIGEST_BYTES),
      this.sizes.subarray(0, n),
      this.totalBytes,
    );
  }
}
