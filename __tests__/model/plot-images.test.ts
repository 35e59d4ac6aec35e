// comment-images: presigned, on the emulator: the plots land beside the job output, the presigned
// URLs really fetch them, and the stated expiry is the one the URL carries.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createS3Client } from '../../src/aws.js';
import {
  inlinePlots,
  plotsLocation,
  presignSeconds,
  publishPlotImages,
  PRESIGN_MAX_SECONDS,
} from '../../src/model/plot-images.js';
import { modelSection } from '../../src/report/model-section.js';
import { toHtml } from '../report/render-html.js';
import { startMoto, type Moto } from '../helpers/moto.js';

const BUCKET = 'plot-images';
const OUTPUT = `s3://${BUCKET}/yolo-training/output/job-1/output/output.tar.gz`;
const PLOTS = [
  'BoxF1_curve.png',
  'BoxPR_curve.png',
  'confusion_matrix.png',
  'confusion_matrix_normalized.png',
  'results.png',
  'val_batch0_pred.jpg',
  'val_batch1_pred.jpg',
];

describe('pure rules', () => {
  it('shows the curves, the normalized confusion matrix, one PR curve and one prediction batch', () => {
    expect(inlinePlots(PLOTS)).toEqual([
      'results.png',
      'confusion_matrix_normalized.png',
      'BoxPR_curve.png',
      'val_batch0_pred.jpg',
    ]);
    expect(inlinePlots(['confusion_matrix.png', 'val_batch2_pred.jpg'])).toEqual([
      'confusion_matrix.png',
      'val_batch2_pred.jpg',
    ]);
    expect(inlinePlots([])).toEqual([]);
  });

  it('puts the plots beside the job output', () => {
    expect(plotsLocation(OUTPUT)).toEqual({
      bucket: BUCKET,
      prefix: 'yolo-training/output/job-1/plots/',
    });
  });

  it('lives 7 days, or until the signing credentials expire', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    expect(presignSeconds(now)).toBe(PRESIGN_MAX_SECONDS);
    expect(presignSeconds(now, new Date('2026-12-02T11:00:00Z'))).toBe(3600);
    expect(presignSeconds(now, new Date('2027-01-01T00:00:00Z'))).toBe(PRESIGN_MAX_SECONDS);
    expect(presignSeconds(now, new Date('2026-12-02T09:00:00Z'))).toBe(0);
  });

  it('renders the images with the expiry and who can see them; unsafe URLs are dropped', () => {
    const html = toHtml(
      modelSection({
        files: ['best.pt'],
        plots: ['results.png', 'x.png'],
        images: [
          { name: 'results.png', url: 'https://b.s3.amazonaws.com/k/results.png?X-Amz-Expires=60' },
          { name: 'x.png', url: 'javascript:alert(1)' },
        ],
        imagesExpireAt: new Date('2026-12-09T10:00:00Z'),
      }),
    );
    expect(html).toContain(
      '<img src="https://b.s3.amazonaws.com/k/results.png?X-Amz-Expires=60" alt="results.png" />',
    );
    expect(html).not.toContain('javascript');
    expect(html).toContain(
      'they expire at 2026-12-09 10:00 UTC; anyone with the link can see the image.',
    );
  });
});

describe('publishPlotImages on the emulator', () => {
  let moto: Moto;
  let dir: string;
  beforeAll(async () => {
    moto = await startMoto();
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    dir = mkdtempSync(path.join(tmpdir(), 'plot-images-'));
    mkdirSync(path.join(dir, 'plots'));
    for (const p of PLOTS) writeFileSync(path.join(dir, 'plots', p), `bytes of ${p}`);
  }, 30_000);
  afterAll(async () => {
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads the shown plots and signs URLs that fetch them, for 7 days with static keys', async () => {
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    const now = new Date();
    const result = await publishPlotImages(s3, { outputDataUri: OUTPUT, dir, plots: PLOTS, now });
    expect(result?.uri).toBe(`s3://${BUCKET}/yolo-training/output/job-1/plots/`);
    expect(result?.images.map((i) => i.name)).toEqual(inlinePlots(PLOTS));
    expect(result?.expiresAt.getTime()).toBe(now.getTime() + PRESIGN_MAX_SECONDS * 1000);
    for (const image of result?.images ?? []) {
      const url = new URL(image.url);
      expect(url.searchParams.get('X-Amz-Expires')).toBe(String(PRESIGN_MAX_SECONDS));
      const res = await fetch(image.url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(`bytes of ${image.name}`);
    }
    const head = await s3.send(
      new HeadObjectCommand({
        Bucket: BUCKET,
        Key: 'yolo-training/output/job-1/plots/results.png',
      }),
    );
    expect(head.ContentType).toBe('image/png');
    // Not shown, not uploaded.
    await expect(
      s3.send(
        new HeadObjectCommand({
          Bucket: BUCKET,
          Key: 'yolo-training/output/job-1/plots/BoxF1_curve.png',
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('expires with temporary credentials, and says so', async () => {
    const expiration = new Date(Date.now() + 2 * 3600 * 1000);
    const s3 = createS3Client({ region: 'us-east-1', env: moto.env });
    s3.config.credentials = async () => ({
      accessKeyId: 'testing',
      secretAccessKey: 'testing',
      sessionToken: 'session',
      expiration,
    });
    const now = new Date();
    const result = await publishPlotImages(s3, { outputDataUri: OUTPUT, dir, plots: PLOTS, now });
    const seconds = Math.floor((expiration.getTime() - now.getTime()) / 1000);
    expect(new URL(result?.images[0]?.url ?? '').searchParams.get('X-Amz-Expires')).toBe(
      String(seconds),
    );
    expect(result?.expiresAt.getTime()).toBe(now.getTime() + seconds * 1000);
  });
});
