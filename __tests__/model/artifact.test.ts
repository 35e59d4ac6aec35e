// The model artifact through the real @actions/artifact client against a local stand-in of the
// runner's results service and blob storage: what a later actions/download-artifact would get.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  artifactServiceMissing,
  artifactUrl,
  uploadModelArtifact,
} from '../../src/model/artifact.js';
import { startArtifactStandIn, type ArtifactStandIn } from '../helpers/artifact-standin.js';
import { PR_CONTEXT } from '../helpers/config.js';

let standIn: ArtifactStandIn;
let dir: string;
const saved = { ...process.env };

beforeAll(async () => {
  standIn = await startArtifactStandIn({ artifactId: 987 });
  dir = mkdtempSync(path.join(tmpdir(), 'artifact-'));
  mkdirSync(path.join(dir, 'plots'));
  writeFileSync(path.join(dir, 'best.pt'), Buffer.alloc(200_000, 7));
  writeFileSync(path.join(dir, 'last.pt'), 'LAST');
  writeFileSync(path.join(dir, 'training_metrics.json'), '{"schema": 1}');
  writeFileSync(path.join(dir, 'plots', 'results.png'), 'PNG');
  writeFileSync(path.join(dir, 'plots', 'BoxPR_curve.png'), 'PR');
  writeFileSync(path.join(dir, 'unrelated.txt'), 'not part of the model');
});
afterEach(() => {
  process.env = { ...saved };
});
afterAll(async () => {
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
});

const FILES = [
  'best.pt',
  'last.pt',
  'training_metrics.json',
  'plots/BoxPR_curve.png',
  'plots/results.png',
];

/** Names and sizes in a zip, read by Info-ZIP's unzip (not the library that wrote it). */
function zipListing(zip: Buffer): Map<string, number> {
  const file = path.join(dir, '..', `${path.basename(dir)}.zip`);
  writeFileSync(file, zip);
  try {
    const text = execFileSync('unzip', ['-Z', '-l', file], { encoding: 'utf8' });
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = /^[-d]\S+\s+\S+\s+\S+\s+(\d+)\s.*\s(\S+)$/.exec(line);
      if (m && !m[2]!.endsWith('/')) out.set(m[2] as string, Number(m[1]));
    }
    return out;
  } finally {
    rmSync(file, { force: true });
  }
}

describe('uploadModelArtifact', () => {
  it('uploads the model and the plots as one zip, with the name and retention asked for', async () => {
    Object.assign(process.env, {
      ACTIONS_RUNTIME_TOKEN: standIn.runtimeToken,
      ACTIONS_RESULTS_URL: standIn.resultsUrl,
      GITHUB_SERVER_URL: 'https://github.com',
    });
    delete process.env.GITHUB_RETENTION_DAYS;
    const before = Date.now();
    const result = await uploadModelArtifact(
      { name: 'yolo-model-pr-12', dir, files: FILES, retentionDays: 5 },
      PR_CONTEXT,
    );

    expect(result).toEqual({
      uploaded: {
        name: 'yolo-model-pr-12',
        id: 987,
        url: 'https://github.com/acme/floorplans/actions/runs/987654321/artifacts/987',
        size: expect.any(Number),
      },
    });
    const [create, finalize] = standIn.calls;
    expect(standIn.calls.map((c) => c.method)).toEqual(['CreateArtifact', 'FinalizeArtifact']);
    expect(create?.authorization).toBe(`Bearer ${standIn.runtimeToken}`);
    // The backend ids come from the token's scp claim; version 7 is the v4 artifact format.
    expect(create?.body).toMatchObject({
      workflow_run_backend_id: standIn.runBackendId,
      workflow_job_run_backend_id: standIn.jobBackendId,
      name: 'yolo-model-pr-12',
      version: 7,
    });
    // Retention travels as an expiry time, now + 5 days.
    const expiresAt = Date.parse(String(create?.body.expires_at));
    const fiveDays = 5 * 24 * 3600 * 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(before + fiveDays - 3600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + fiveDays + 3600_000);

    // Blob storage: staged blocks, then one commit; the SAS signature rides on each request.
    expect(standIn.blobRequests.every((r) => r.sig === 'standin-signature')).toBe(true);
    expect(standIn.blobRequests.at(-1)?.comp).toBe('blocklist');
    const [zipPath, zip] = [...standIn.blobs][0] as [string, Buffer];
    expect(zipPath).toBe(`/blob/${standIn.runBackendId}/yolo-model-pr-12.zip`);
    const listing = zipListing(zip);
    expect([...listing.keys()].sort()).toEqual([...FILES].sort());
    expect(listing.get('best.pt')).toBe(200_000);

    // Finalize names the same artifact with the size and digest of what was uploaded.
    expect(finalize?.body).toMatchObject({
      name: 'yolo-model-pr-12',
      size: String(zip.length),
      hash: `sha256:${(await import('node:crypto')).createHash('sha256').update(zip).digest('hex')}`,
    });
  }, 60_000);

  it('is skipped, saying why, off a runner', async () => {
    delete process.env.ACTIONS_RUNTIME_TOKEN;
    delete process.env.ACTIONS_RESULTS_URL;
    const calls = standIn.calls.length;
    expect(await uploadModelArtifact({ name: 'm', dir, files: FILES }, PR_CONTEXT)).toEqual({
      skipped:
        'not on a GitHub Actions runner (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL unset)',
    });
    expect(artifactServiceMissing({ ACTIONS_RUNTIME_TOKEN: 'x' })).toMatch(
      /ACTIONS_RESULTS_URL unset/,
    );
    expect(standIn.calls.length).toBe(calls);
  });

  it('builds the artifact page URL from the run context', () => {
    expect(artifactUrl({ ...PR_CONTEXT, serverUrl: 'https://ghe.example.com/' }, 5)).toBe(
      'https://ghe.example.com/acme/floorplans/actions/runs/987654321/artifacts/5',
    );
  });
});
