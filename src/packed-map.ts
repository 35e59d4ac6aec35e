// A string-keyed map of fixed-size records, packed outside V8's heap: the keys' UTF-8 back to back,
// the records in one buffer, found through an open-addressing table. A sync at 50k files holds
// several maps of 50k paths or blob ids (content ids, git's index, blob id -> sha256); as Maps of
// small objects with hex strings each took 10-15 MB of heap, which the collector's headroom grows
// by half again, and strings split out of git's output kept that whole output alive. Here a map
// of 50k paths is about 7 MB; objects are made only when an entry is read.

/** How one record is written into its bytes and read back. */
export interface RecordCodec<V> {
  /** Bytes per record. */
  readonly bytes: number;
  /** Writes `value` at `at`; throws (naming `key`) when it cannot be stored. */
  write(value: V, into: Buffer, at: number, key: string): void;
  read(from: Buffer, at: number): V;
}

const FIRST_CAPACITY = 256;

/** The key looked up, as UTF-8: one buffer for every lookup (no allocation per call). */
let scratch = Buffer.allocUnsafe(4096);

/** FNV-1a over bytes: cheap, and spreads keys that differ only in a digit. */
function fnv1a(bytes: Buffer, length: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h >>> 0;
}

function grown(array: Uint32Array, length: number): Uint32Array {
  const next = new Uint32Array(length);
  next.set(array);
  return next;
}

function grownBuffer(buffer: Buffer, length: number): Buffer {
  const next = Buffer.alloc(length);
  buffer.copy(next);
  return next;
}

export class PackedMap<V> {
  private count = 0;
  /** Every key's UTF-8 back to back; key i ends at keyEnds[i] and starts where i-1 ends. */
  private keyBytes: Buffer = Buffer.alloc(FIRST_CAPACITY * 64);
  private keyEnds: Uint32Array = new Uint32Array(FIRST_CAPACITY);
  private keyHashes: Uint32Array = new Uint32Array(FIRST_CAPACITY);
  private records: Buffer;
  /** Open addressing: entry index + 1 per slot, 0 where empty; at most half full. */
  private slots = new Int32Array(FIRST_CAPACITY * 2);

  constructor(private readonly codec: RecordCodec<V>) {
    this.records = Buffer.alloc(FIRST_CAPACITY * codec.bytes);
  }

  get size(): number {
    return this.count;
  }

  /** The mean UTF-8 length of the keys so far (0 when empty): a guess for a map of related keys. */
  get averageKeyBytes(): number {
    return this.count === 0 ? 0 : this.keyStart(this.count) / this.count;
  }

  /** Encodes `key` into the scratch buffer; returns its length and hash. */
  private encode(key: string): { length: number; hash: number } {
    const needed = Buffer.byteLength(key, 'utf8');
    if (needed > scratch.length) scratch = Buffer.allocUnsafe(needed * 2);
    const length = scratch.write(key, 0, 'utf8');
    return { length, hash: fnv1a(scratch, length) };
  }

  private keyStart(i: number): number {
    return i === 0 ? 0 : this.keyEnds[i - 1]!;
  }

  /** The slot holding the encoded key, or the empty slot where it would go (as -slot - 1). */
  private find(length: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot]! - 1;
      if (entry < 0) return -slot - 1;
      if (this.keyHashes[entry] !== hash) continue;
      const start = this.keyStart(entry);
      if (
        this.keyEnds[entry]! - start === length &&
        scratch.compare(this.keyBytes, start, start + length, 0, length) === 0
      ) {
        return slot;
      }
    }
  }

  private indexOf(key: string): number {
    const { length, hash } = this.encode(key);
    const slot = this.find(length, hash);
    return slot < 0 ? -1 : this.slots[slot]! - 1;
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  get(key: string): V | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.valueAt(i);
  }

  /** Adds or replaces; a value the codec refuses leaves the map as it was. */
  set(key: string, value: V): this {
    const { length, hash } = this.encode(key);
    let slot = this.find(length, hash);
    if (slot >= 0) {
      this.codec.write(value, this.records, (this.slots[slot]! - 1) * this.codec.bytes, key);
      return this;
    }
    const i = this.count;
    if (i === this.keyEnds.length) this.growEntries(i * 2);
    // Written first: a refused value must not leave a key behind.
    this.codec.write(value, this.records, i * this.codec.bytes, key);
    if ((i + 1) * 2 > this.slots.length) {
      this.growTable();
      slot = this.find(length, hash);
    }
    const start = this.keyStart(i);
    if (start + length > this.keyBytes.length) {
      this.keyBytes = grownBuffer(
        this.keyBytes,
        Math.max(this.keyBytes.length * 2, start + length),
      );
    }
    scratch.copy(this.keyBytes, start, 0, length);
    this.keyEnds[i] = start + length;
    this.keyHashes[i] = hash;
    this.slots[-slot - 1] = i + 1;
    this.count++;
    return this;
  }

  /**
   * Makes room for `entries` entries in all (keys of about the length seen so far, or of
   * `keyBytes` each before any), so that a map filled to a known count is allocated once: each
   * doubling on the way held old and new buffers at once and left the old ones for the
   * collector, about the map's own size again at 50k entries.
   */
  reserve(entries: number, keyBytes = 64): this {
    if (entries > this.keyEnds.length) this.growEntries(entries);
    const slots = 2 ** Math.ceil(Math.log2(Math.max(entries * 2, 1)));
    if (slots > this.slots.length) this.growTable(slots);
    const perKey = this.count > 0 ? this.averageKeyBytes : keyBytes;
    const keyCapacity = Math.ceil(entries * perKey * 1.05);
    if (keyCapacity > this.keyBytes.length) this.keyBytes = grownBuffer(this.keyBytes, keyCapacity);
    return this;
  }

  private growEntries(capacity: number): void {
    this.keyEnds = grown(this.keyEnds, capacity);
    this.keyHashes = grown(this.keyHashes, capacity);
    this.records = grownBuffer(this.records, capacity * this.codec.bytes);
  }

  private growTable(length = this.slots.length * 2): void {
    const slots = new Int32Array(length);
    const mask = slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let slot = this.keyHashes[i]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    this.slots = slots;
  }

  private valueAt(i: number): V {
    return this.codec.read(this.records, i * this.codec.bytes);
  }

  private keyAt(i: number): string {
    return this.keyBytes.toString('utf8', this.keyStart(i), this.keyEnds[i]);
  }

  /** Keys in the order they were first set. */
  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.keyAt(i);
  }

  *values(): IterableIterator<V> {
    for (let i = 0; i < this.count; i++) yield this.valueAt(i);
  }

  *entries(): IterableIterator<[string, V]> {
    for (let i = 0; i < this.count; i++) yield [this.keyAt(i), this.valueAt(i)];
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Writes a sha256 (64 lowercase hex) as its 32 bytes; throws naming `key` otherwise. */
export function writeSha256(hex: string, into: Buffer, at: number, key: string): void {
  if (!SHA256_HEX.test(hex)) {
    throw new Error(`${key}: '${hex}' is not a sha256 (64 lowercase hex)`);
  }
  into.write(hex, at, 'hex');
}

/** A size (bytes, a safe integer >= 0) as a float64. */
export function writeSize(size: number, into: Buffer, at: number, key: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new Error(`${key}: size ${size} is not an integer >= 0`);
  }
  into.writeDoubleLE(size, at);
}
