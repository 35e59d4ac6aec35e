// V8's heap sizing for a process that reads thousands of files and sends thousands of requests.
// By default V8 grows the young generation to 64 MiB a semi-space (Node has no pointer
// compression) and lets the old generation grow to about 4x its live objects between full
// collections: a 9k-file first sync peaked at 330 MB of RSS for 28 MB of live objects. V8 reads
// these two flags at every collection, so they take effect when set after start (unlike
// --max-semi-space-size and --max-old-space-size, read once when the heap is made, which only
// whoever starts node could pass).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const LEAN_HEAP_FLAGS = [
  // The young generation keeps its initial size (1 MiB a semi-space) instead of doubling.
  '--semi-space-growth-factor=1',
  // A full collection once the old generation has grown by half of what survived the last one.
  '--heap-growing-percent=50',
] as const;

/** Sets LEAN_HEAP_FLAGS for this process; call first thing in an entry point. */
export function useLeanHeap(): void {
  for (const flag of LEAN_HEAP_FLAGS) setFlagsFromString(flag);
}

/**
 * A full collection that also gives the pages it frees back to the OS. Node 24's V8 keeps every
 * page a collection frees in a pool for later reuse and empties the pool only in a
 * memory-reducing collection (idle time, memory pressure), which a busy sync never reaches: a 50k
 * file sync held 32 MB of pooled pages through its whole upload after validation let go of its
 * maps. The collector's `gc()` is only on the global object of contexts made after
 * `--expose-gc`; its last-resort flavour is the memory-reducing one. Costs one full collection
 * (tens of ms at 50k files): call it where a phase has just let go of much of the heap. A sync
 * calls it twice: at the start of prepareSync, before the snapshot and the sync cache are built on
 * top of validation's garbage (a 50k-file first sync in git peaked there: 161 -> 143.5 MiB), and
 * once those are made, before the upload.
 */
export function returnFreedHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as
    ((options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void) | undefined;
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}
