// Progress lines for long uploads: files and bytes, rate and ETA (requests and bytes), throttled
// for the log.
import { formatBytes, formatDuration } from '../format.js';

export interface SyncProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  seconds: number;
}

/**
 * `uploaded 535/1500 files, 41.0 MB of 42.3 MB (35%), 3.1 MB/s, ETA 1m 12s`. Each file costs a
 * request (latency, retries) as well as its bytes: the ETA is the larger of the files-left and
 * bytes-left estimates, and the percentage the smaller share done, so a run whose big images went
 * first does not claim "97%, ETA 5 s" with a thousand label files still to send.
 */
export function formatProgress(p: SyncProgress): string {
  const byteRate = p.seconds > 0 ? p.bytes / p.seconds : 0;
  const fileRate = p.seconds > 0 ? p.files / p.seconds : 0;
  const estimates = [
    byteRate > 0 ? (p.totalBytes - p.bytes) / byteRate : undefined,
    fileRate > 0 ? (p.totalFiles - p.files) / fileRate : undefined,
  ].filter((s): s is number => s !== undefined);
  const done = p.files >= p.totalFiles && p.bytes >= p.totalBytes;
  const eta = done
    ? formatDuration(0)
    : estimates.length
      ? formatDuration(estimates.reduce((a, b) => Math.max(a, b)))
      : '?';
  const share = Math.min(
    p.totalFiles > 0 ? p.files / p.totalFiles : 1,
    p.totalBytes > 0 ? p.bytes / p.totalBytes : 1,
  );
  const pct = Math.floor(100 * share);
  return `uploaded ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${pct}%), ${formatBytes(byteRate)}/s, ETA ${eta}`;
}

/** Logs at most once per interval, and always the final update. */
export function progressLogger(
  log: (line: string) => void,
  intervalMs = 5000,
  now: () => number = Date.now,
): (p: SyncProgress) => void {
  let last = -Infinity;
  return (p) => {
    const t = now();
    const finished = p.files >= p.totalFiles;
    if (!finished && t - last < intervalMs) return;
    last = t;
    log(formatProgress(p));
  };
}

/** For hashing (no byte counts known up front): `hashed 1200/4701 files, 410/s, ETA 8.5s`, throttled. */
export function hashProgressLogger(
  log: (line: string) => void,
  intervalMs = 5000,
  now: () => number = Date.now,
): (done: number, total: number) => void {
  const started = now();
  let last = started;
  return (done, total) => {
    const t = now();
    if (done < total && t - last < intervalMs) return;
    last = t;
    const seconds = (t - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = rate > 0 ? formatDuration((total - done) / rate) : '?';
    log(`hashed ${done}/${total} files, ${Math.round(rate)}/s, ETA ${eta}`);
  };
}
