// The lean heap flags are set after node has started (src/heap.ts), which Node documents as
// possibly doing nothing: this test proves, on the Node that runs it, that V8 still honours them.
// The workload runs in a child process, with and without the flags. What the old generation's flag
// saves depends on the workload's code shape: the sync benchmarks measure it, no test asserts it.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { LEAN_HEAP_FLAGS } from '../src/heap.js';

// The child imports the module itself: Node 24, which runs the suite, strips its types.
const HEAP_MODULE = new URL('../src/heap.ts', import.meta.url).href;

/** Peak sizes of the young and old generations (MiB) of `workload` run after `flags` are set. */
function peakSpaces(workload: string, flags: readonly string[]): { young: number; old: number } {
  // In a function, as module code runs: V8 optimizes top-level script code differently, and the
  // collector's peaks with it.
  const script = `(() => {
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
  })();`;
  // --single-threaded-gc: the collector works on the main thread, in step with the allocations, so
  // the peaks do not depend on how busy the machine is (concurrent marking falls behind under load).
  const out = execFileSync(process.execPath, ['--single-threaded-gc', '-e', script], {
    encoding: 'utf8',
  });
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

describe('lean heap flags, set after start', () => {
  it('keep the young generation near its initial size where it would grow to tens of MiB', () => {
    const normal = peakSpaces(requests, []);
    const lean = peakSpaces(requests, LEAN_HEAP_FLAGS);
    expect(normal.young).toBeGreaterThanOrEqual(16);
    // 2 MiB: two semi-spaces of 1 MiB (128 MiB without the flags on Node 24).
    expect(lean.young).toBeLessThanOrEqual(normal.young / 2);
    expect(lean.young + lean.old).toBeLessThan(0.6 * (normal.young + normal.old));
  });
});

describe('returnFreedHeap', () => {
  it('gives the pages a collection freed back to the OS, where a plain collection keeps them', () => {
    // RssAnon (MiB) after building and dropping 600k objects, then after `release`.
    const script = (release: string) => `(async () => {
      const { LEAN_HEAP_FLAGS, returnFreedHeap } = await import(${JSON.stringify(HEAP_MODULE)});
      const v8 = require('node:v8');
      for (const flag of LEAN_HEAP_FLAGS) v8.setFlagsFromString(flag);
      const anon = () => Number(/RssAnon:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
      let objects = [];
      for (let i = 0; i < 600000; i++) objects.push({ rel: 'images/train/plan_' + i + '.jpg', size: [i] });
      const built = anon();
      objects = null;
      ${release}
      console.log(JSON.stringify({ built, after: anon() }));
    })();`;
    const run = (release: string, flags: string[] = []) =>
      JSON.parse(
        execFileSync(process.execPath, [...flags, '-e', script(release)], { encoding: 'utf8' }),
      ) as { built: number; after: number };
    const released = run('returnFreedHeap();');
    expect(released.built).toBeGreaterThan(60);
    expect(released.after).toBeLessThan(released.built / 3);
    // What it is for: a plain full collection frees the objects but not (on Node 24) the pages.
    const plain = run("globalThis.gc({ type: 'major', execution: 'sync' });", ['--expose-gc']);
    expect(released.after).toBeLessThan(plain.after);
  });
});
