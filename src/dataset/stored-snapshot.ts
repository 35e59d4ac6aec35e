// The stored form of a snapshot JSON: gzip at snapshots/<fp>.json.gz since issue 16, plain at
// snapshots/<fp>.json before it. The fingerprint stays the sha256 of the plain canonical JSON, so
// every reader decompresses and checks it; both keys are read, so buckets synced earlier still work.
// (The writer, encodeSnapshotJson, is in snapshot.ts: a snapshot is built gzip'd.)
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { sha256Hex } from '../hash.js';
import { isS3NotFound } from '../s3.js';
import { datasetKeys, s3Uri } from './keys.js';
import { parseSnapshotDocument, type SnapshotDocument } from './snapshot.js';

/**
 * The most a stored snapshot may inflate to. A 50,000-file snapshot is about 6 MB of JSON; the cap
 * only stops a damaged or hostile object from filling memory.
 */
export const MAX_SNAPSHOT_JSON_BYTES = 256 * 1024 * 1024;

/** The snapshot JSON text of a stored object; `source` names it in errors. */
export function decodeSnapshotJson(
  body: Uint8Array,
  source: string,
  maxBytes = MAX_SNAPSHOT_JSON_BYTES,
): string {
  let plain: Buffer;
  try {
    plain = gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    throw new Error(`${source} is not a gzip'd snapshot JSON: ${(error as Error).message}`);
  }
  return plain.toString('utf8');
}

export type StoredSnapshotForm = 'gzip' | 'plain';

/** Where a snapshot may be stored, newest form first: what readers and the no-op check try. */
export function snapshotCandidates(
  prefix: string,
  fingerprint: string,
): { key: string; form: StoredSnapshotForm }[] {
  const keys = datasetKeys(prefix);
  return [
    { key: keys.snapshot(fingerprint), form: 'gzip' },
    { key: keys.plainSnapshot(fingerprint), form: 'plain' },
  ];
}

/** An object's bytes, or undefined when it does not exist (other errors are thrown). */
export async function getObjectBytes(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<Uint8Array | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}

export interface StoredSnapshot {
  /** s3:// URI of the object that was read (the `snapshot` channel for a training job). */
  uri: string;
  form: StoredSnapshotForm;
  /** The canonical JSON, checked against the fingerprint. */
  json: string;
  document: SnapshotDocument;
}

/**
 * The snapshot with this fingerprint, from its gzip'd key or else its plain one; undefined when
 * neither exists. Its JSON is checked against the fingerprint: nothing rests on a damaged object.
 */
export async function readStoredSnapshot(
  s3: S3Client,
  at: { bucket: string; prefix: string },
  fingerprint: string,
): Promise<StoredSnapshot | undefined> {
  for (const { key, form } of snapshotCandidates(at.prefix, fingerprint)) {
    const body = await getObjectBytes(s3, at.bucket, key);
    if (body === undefined) continue;
    const uri = s3Uri(at.bucket, key);
    const json = form === 'gzip' ? decodeSnapshotJson(body, uri) : Buffer.from(body).toString();
    if (sha256Hex(json) !== fingerprint) {
      throw new Error(`${uri} does not hash to its fingerprint`);
    }
    return { uri, form, json, document: parseSnapshotDocument(json, uri) };
  }
  return undefined;
}
