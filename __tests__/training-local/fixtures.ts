// Shared by the local-backend tests: a Config, a snapshot uploaded the way the dataset sync lays it
// out (DESIGN.md S3 layout), and archive reading.
import { createHash } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { x as extractTar } from 'tar';
import { encodeSnapshotJson } from '../../src/dataset/snapshot.js';
import type { DatasetInput } from '../../src/pipeline.js';
import type { Config } from '../../src/types.js';
import { PR_CONTEXT, testConfig } from '../helpers/config.js';

/** A local-backend job: no spot, no role needed, a tiny model from scratch. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return testConfig({
    role: 'arn:aws:iam::123456789012:role/SageMakerRole',
    bucket: 'local-bucket',
    dataset: 'dataset',
    ecrRepository: 'yolo',
    push: false,
    jobName: 'local-job-1',
    jobNameExplicit: true,
    instanceType: 'local',
    volumeSizeGb: 30,
    maxRuntimeSeconds: 3600,
    spot: false,
    maxWaitSeconds: undefined,
    hyperparameters: { model: 'yolov8n.yaml', epochs: 2, imgsz: 64, lr0: 0.01, cos_lr: true },
    waitTimeoutSeconds: 3600,
    comment: false,
    context: {
      ...PR_CONTEXT,
      repository: 'o/r',
      eventName: 'cli',
      ref: 'refs/heads/main',
      sha: 'abc',
      runId: '',
      prNumber: undefined,
    },
    ...overrides,
  });
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

export async function put(s3: S3Client, bucket: string, key: string, body: string | Buffer) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from(body) }));
}

export async function getBuffer(s3: S3Client, bucket: string, key: string): Promise<Buffer> {
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await res.Body!.transformToByteArray());
}

/**
 * Uploads files as blobs + snapshot JSON (gzip'd, as the sync writes it) + manifest; returns the
 * DatasetInput pointing at them.
 */
export async function uploadSnapshot(
  s3: S3Client,
  bucket: string,
  prefix: string,
  files: Record<string, string | Buffer>,
  dataYaml = 'data.yaml',
): Promise<{
  input: Extract<DatasetInput, { kind: 'snapshot' }>;
  blobs: Record<string, string | Buffer>;
}> {
  const entries: Record<string, { sha256: string; size: number }> = {};
  const blobs: Record<string, string | Buffer> = {};
  for (const [rel, content] of Object.entries(files)) {
    const hash = sha256(content);
    entries[rel] = { sha256: hash, size: Buffer.byteLength(content) };
    blobs[hash] = content;
  }
  for (const [hash, content] of Object.entries(blobs)) {
    await put(s3, bucket, `${prefix}/datasets/objects/${hash}`, content);
  }
  const snapshot = JSON.stringify({ version: 1, files: entries, config: dataYaml });
  const fp = sha256(snapshot);
  const manifest = JSON.stringify([
    { prefix: `s3://${bucket}/${prefix}/datasets/objects/` },
    ...Object.keys(blobs),
  ]);
  await put(s3, bucket, `${prefix}/datasets/snapshots/${fp}.manifest`, manifest);
  await put(s3, bucket, `${prefix}/datasets/snapshots/${fp}.json.gz`, encodeSnapshotJson(snapshot));
  return {
    input: {
      kind: 'snapshot',
      manifestUri: `s3://${bucket}/${prefix}/datasets/snapshots/${fp}.manifest`,
      snapshotUri: `s3://${bucket}/${prefix}/datasets/snapshots/${fp}.json.gz`,
      fingerprint: fp,
    },
    blobs,
  };
}

/** Downloads a .tar.gz from S3 and extracts it into a fresh dir under `parent`; returns it. */
export async function extractFromS3(s3: S3Client, uri: string, parent: string): Promise<string> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new Error(`bad uri ${uri}`);
  const dir = mkdtempSync(path.join(parent, 'archive-'));
  const file = path.join(dir, 'archive.tar.gz');
  await fs.writeFile(file, await getBuffer(s3, m[1] as string, m[2] as string));
  const out = path.join(dir, 'x');
  await fs.mkdir(out);
  await extractTar({ file, cwd: out });
  return out;
}

export const quietLog = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (m: string) => void lines.push(m),
    warning: (m: string) => void lines.push(`WARN ${m}`),
  };
};

/** Sets variables (the SDK's credential chain reads process.env); returns the undo. */
export function useEnv(vars: Record<string, string>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/** Every file below root, by its slash-separated relative path. */
export async function readTree(root: string): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const abs = path.join(entry.parentPath, entry.name);
    out[path.relative(root, abs).split(path.sep).join('/')] = await fs.readFile(abs);
  }
  return out;
}
