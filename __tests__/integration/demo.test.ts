// The README's first command, end to end in a short setting: generated sample, embedded emulator,
// the bundled CLI, real CPU training through the local backend, gate and comment file.
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function runDemo(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('./scripts/demo.sh', [], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

describe('scripts/demo.sh', () => {
  it('runs validate -> sync -> local training -> gate -> comment without an AWS account', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'demo-'));
    try {
      // The quick setting (the default trains 30 epochs for minutes: see the README).
      const { code, output } = await runDemo({ DEMO_DIR: dir, DEMO_QUICK: '1' });
      expect(output).toMatch(/Quality gate|map50/);
      expect(code).toBe(0);
      // Each stage ran for real.
      expect(output).toMatch(/== Dataset: validate/);
      expect(output).toMatch(/\[yolo-metrics\] epoch=1 /);
      expect(output).toContain('Trained with training-container/train.py in .venv (DEMO_DOCKER=1');
      expect(output).toMatch(/\[yolo-metrics\] epoch=2 /);
      expect(output).toMatch(/✓ map50 .* >= 0 \(map50-threshold\)/);
      const comment = readFileSync(path.join(dir, 'comment.md'), 'utf8');
      expect(comment).toContain('<!-- sagemaker-yolo-action:default -->');
      expect(comment).toMatch(/passed the quality gate/);
      expect(comment).toMatch(/\| room \| \d+ \|/);
      expect(comment).toMatch(/Snapshot \| `[0-9a-f]{12}`/);
      // The job trained from the gzip'd snapshot JSON the sync stored, as SageMaker delivers it.
      const jobData = path.join(dir, 'runner', 'sagemaker-yolo-local', 'demo-floorplans', 'input');
      expect(readdirSync(path.join(jobData, 'data', 'snapshot'))).toEqual([
        expect.stringMatching(/^[0-9a-f]{64}\.json\.gz$/),
      ]);
      // The Training section with both curves (2 epochs are enough for a line).
      expect(comment).toContain('- Epochs: 2 of 2 asked');
      expect(comment.match(/^```mermaid$/gm)).toHaveLength(2);
      // The model and ultralytics' plots came home, as the old launcher's download did.
      expect(existsSync(path.join(dir, 'models', 'best.pt'))).toBe(true);
      expect(existsSync(path.join(dir, 'models', 'plots', 'results.png'))).toBe(true);
      expect(comment).toContain('Downloaded: `best.pt`, `last.pt`, `training_metrics.json`.');
      // A local run costs no AWS money: no cost row rather than a made-up one.
      expect(comment).not.toMatch(/\| Cost \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
