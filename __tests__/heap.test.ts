// The lean heap flags are set after node has started (src/heap.ts), which Node documents as
// possibly doing nothing: these tests prove, on the Node that runs them, that V8 still honours
// them. Each workload runs in a child process, with and without the flags.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { LEAN_HEAP_FLAGS } from '../src/heap.js';

/** Peak sizes of the young and old generations (MiB) of `workload` run after `flags` are set. */
function peakSpaces(workload: string, flags: readonly string[]): { young: number; old: number } {
  const script = `
    const v8 = require('node:v8');
    for (const flag of ${JSON.stringify(flags)}) v8.setFlagsFromString(flag);
    const size = (name) => v8.getHeapSpaceStatistics().find((s) => s.space_name === name).space_size;
    let young = 0, old = 0;
    const measure = () => { young = Math.max(young, size('new_space')); old = Math.max(old, size('old_space')); };
    // What a sync keeps for its whole run: a path and a sha256 per file.
    const live = [];
    for (let i = 0; i < 150000; i++) live.push({ rel: 'images/train/plan_' + i + '.jpg', sha256: i.toString(16).padStart(64, '0') });
    ${workload}
    console.log(JSON.stringify({ young: young / 2 ** 20, old: old / 2 ** 20, files: live.length }));
  `;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return JSON.parse(out) as { young: number; old: number };
}

// Requests in flight: short-lived objects, a thousand or two alive at any moment.
const requests = `
  let inFlight = [];
  for (let i = 0; i < 300000; i++) {
    inFlight.push({ headers: { a: 'x-' + i, b: 'y-' + i }, parts: new Array(16).fill(i) });
    if (inFlight.length > 2000) inFlight = inFlight.slice(1000);
    if (i % 2000 === 0) measure();
  }`;

// Objects that live long enough to be promoted to the old generation, then die there.
const promoted = `
  const ring = new Array(20000);
  for (let i = 0; i < 1500000; i++) {
    ring[i % ring.length] = { s: 'request ' + i, parts: [i, i + 1, i + 2, i + 3] };
    if (i % 5000 === 0) measure();
  }`;

describe('lean heap flags, set after start', () => {
  it('keep the young generation near its initial size where it would grow to tens of MiB', () => {
    const normal = peakSpaces(requests, []);
    const lean = peakSpaces(requests, LEAN_HEAP_FLAGS);
    expect(normal.young).toBeGreaterThanOrEqual(16);
    // Mostly 2-3 MiB (two semi-spaces of 1 MiB and pages V8 holds for a moment), at times more.
    expect(lean.young).toBeLessThanOrEqual(normal.young / 2);
    expect(lean.young + lean.old).toBeLessThan(0.6 * (normal.young + normal.old));
  });

  it('collect the old generation sooner, so promoted garbage does not pile up', () => {
    const youngOnly = LEAN_HEAP_FLAGS.filter((f) => f.startsWith('--semi-space-growth-factor'));
    const withoutGrowthLimit = peakSpaces(promoted, youngOnly);
    const lean = peakSpaces(promoted, LEAN_HEAP_FLAGS);
    expect(lean.old).toBeLessThan(0.8 * withoutGrowthLimit.old);
  });
});
