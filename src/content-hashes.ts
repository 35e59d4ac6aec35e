// Content ids of a dataset's files by absolute path, packed (packed-map.ts): held from validation
// to the snapshot, 50k of them took about 12 MB of heap as a Map of objects (15 in git).
import { contentIdOf, hashFileSync, type ContentId, type GitObjectFormat } from './hash.js';
import { PackedMap, writeSha256, writeSize, type RecordCodec } from './packed-map.js';

const BLOB_HEX = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** sha256 (32 bytes), size (float64), git blob id length (0, 20 or 32) and its bytes (32). */
const CONTENT_ID: RecordCodec<ContentId> = {
  bytes: 73,
  write(id, into, at, key) {
    if (id.gitBlob !== undefined && !BLOB_HEX.test(id.gitBlob)) {
      throw new Error(`${key}: '${id.gitBlob}' is not a git blob id (40 or 64 lowercase hex)`);
    }
    writeSha256(id.sha256, into, at, key);
    writeSize(id.size, into, at + 32, key);
    into[at + 40] = id.gitBlob === undefined ? 0 : id.gitBlob.length / 2;
    if (id.gitBlob !== undefined) into.write(id.gitBlob, at + 41, 'hex');
  },
  read(from, at) {
    const sha256 = from.toString('hex', at, at + 32);
    const size = from.readDoubleLE(at + 32);
    const blobBytes = from[at + 40]!;
    return blobBytes === 0
      ? { sha256, size }
      : { sha256, size, gitBlob: from.toString('hex', at + 41, at + 41 + blobBytes) };
  },
};

/**
 * Content ids of files read during validation and snapshotting (or taken from git), by absolute
 * path, so that no file is read twice; `gitFormat` (set in a git work tree) adds each file's git
 * blob id to the files read.
 */
export class ContentHashes extends PackedMap<ContentId> {
  constructor(readonly gitFormat?: GitObjectFormat) {
    super(CONTENT_ID);
  }

  /** Hashes bytes just read from `abs` and keeps the result. */
  record(abs: string, data: Uint8Array): ContentId {
    const id = contentIdOf(data, this.gitFormat);
    this.set(abs, id);
    return id;
  }

  /** The id of `abs`, read now if it was not read before. */
  ofFile(abs: string): ContentId {
    let id = this.get(abs);
    if (!id) {
      id = hashFileSync(abs, this.gitFormat);
      this.set(abs, id);
    }
    return id;
  }
}
