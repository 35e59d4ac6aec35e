// S3 I/O of the model life cycle: champion pointers (with their history) and run records. Thin:
// the records' shapes and decisions are in champion.ts and run-key.ts.
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { s3Uri } from '../dataset/keys.js';
import type { SnapshotDocument } from '../dataset/snapshot.js';
import { readStoredSnapshot } from '../dataset/stored-snapshot.js';
import { errorName } from '../errors.js';
import { isS3NotFound } from '../s3.js';
import { parseChampion, type Champion } from './champion.js';
import { modelKeys } from './keys.js';
import { parseRunRecord, type RunRecord } from './run-key.js';

export interface Location {
  bucket: string;
  prefix: string;
}

async function getObject(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<{ text: string; etag?: string } | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await res.Body?.transformToString('utf-8')) ?? '';
    return { text, ...(res.ETag ? { etag: res.ETag } : {}) };
  } catch (error) {
    if (isS3NotFound(error)) return undefined;
    throw error;
  }
}

function putJson(
  s3: S3Client,
  bucket: string,
  key: string,
  value: unknown,
  condition: { IfMatch?: string; IfNoneMatch?: string } = {},
) {
  return s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: `${JSON.stringify(value, null, 2)}\n`,
      ContentType: 'application/json',
      ...condition,
    }),
  );
}

export interface StoredChampion {
  champion: Champion;
  uri: string;
  /** The ETag read, for a conditional replace. */
  etag?: string;
}

export async function readChampion(
  s3: S3Client,
  at: Location,
  branch: string,
): Promise<StoredChampion | undefined> {
  const key = modelKeys(at.prefix).champion(branch);
  const found = await getObject(s3, at.bucket, key);
  if (!found) return undefined;
  const uri = s3Uri(at.bucket, key);
  return {
    champion: parseChampion(found.text, uri),
    uri,
    ...(found.etag ? { etag: found.etag } : {}),
  };
}

/** Another run replaced the champion between our read and our write. */
export class ChampionRaceError extends Error {
  override name = 'ChampionRaceError';
}

/**
 * History first, the pointer last: a reader never sees a champion whose history entry is missing.
 * The pointer is replaced only if it is still the one read (If-Match on its ETag, or
 * If-None-Match: * when there was none), so two runs promoting at once cannot both win silently.
 */
export async function writeChampion(
  s3: S3Client,
  at: Location,
  champion: Champion,
  previous: StoredChampion | undefined,
): Promise<{ uri: string; historyUri: string }> {
  const keys = modelKeys(at.prefix);
  const historyKey = keys.history(champion.branch, champion.promotedAt, champion.jobName);
  await putJson(s3, at.bucket, historyKey, champion);
  const key = keys.champion(champion.branch);
  const condition = previous?.etag ? { IfMatch: previous.etag } : { IfNoneMatch: '*' };
  try {
    await putJson(s3, at.bucket, key, champion, condition);
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (errorName(error) === 'PreconditionFailed' || status === 412 || status === 409) {
      throw new ChampionRaceError(
        `${s3Uri(at.bucket, key)} changed while this run was promoting ${champion.jobName} (another run promoted a model at the same time); it was not replaced.`,
      );
    }
    throw error;
  }
  return { uri: s3Uri(at.bucket, key), historyUri: s3Uri(at.bucket, historyKey) };
}

export async function readRunRecord(
  s3: S3Client,
  at: Location,
  key: string,
): Promise<RunRecord | undefined> {
  const objectKey = modelKeys(at.prefix).run(key);
  const found = await getObject(s3, at.bucket, objectKey);
  if (!found) return undefined;
  const record = parseRunRecord(found.text, s3Uri(at.bucket, objectKey));
  if (record.key !== key) {
    throw new Error(`${s3Uri(at.bucket, objectKey)} records run key ${record.key}, not ${key}`);
  }
  return record;
}

export async function writeRunRecord(
  s3: S3Client,
  at: Location,
  record: RunRecord,
): Promise<string> {
  const key = modelKeys(at.prefix).run(record.key);
  await putJson(s3, at.bucket, key, record);
  return s3Uri(at.bucket, key);
}

/**
 * A snapshot document by fingerprint (gzip'd or plain), checked against it (the diff must not rest
 * on damage).
 */
export async function readSnapshotDocument(
  s3: S3Client,
  at: Location,
  fingerprint: string,
): Promise<SnapshotDocument | undefined> {
  if (!/^[0-9a-f]{64}$/.test(fingerprint)) return undefined;
  return (await readStoredSnapshot(s3, at, fingerprint))?.document;
}
