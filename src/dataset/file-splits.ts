// The split (train, val, ...) of each file of a snapshot, for the sync's per-split table: one byte
// per file in table order, where a Map from 50k path strings held about 4 MB of heap through the
// whole upload.
import type { FileTable } from './file-table.js';

export class FileSplits {
  private constructor(
    private readonly names: readonly string[],
    /** Per file, its split's index in `names`. */
    private readonly indexes: Uint8Array,
  ) {}

  /** Each file's split from `splitOf` (by relative path); a file it does not name is `other`. */
  static from(files: FileTable, splitOf: ReadonlyMap<string, string>): FileSplits {
    const names = ['other'];
    const indexes = new Uint8Array(files.length);
    for (let i = 0; i < files.length; i++) {
      const split = splitOf.get(files.rel(i)) ?? 'other';
      let at = names.indexOf(split);
      if (at < 0) {
        // A dataset has a handful of splits; a byte leaves room for 255.
        if (names.length === 256) throw new Error('more than 256 splits in one dataset');
        at = names.push(split) - 1;
      }
      indexes[i] = at;
    }
    return new FileSplits(names, indexes);
  }

  /** The split of file i. */
  of(i: number): string {
    return this.names[this.indexes[i]!]!;
  }
}
