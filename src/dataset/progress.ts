// Progress lines for long uploads: files and bytes, rate and ETA, throttled for the log.
import { formatBytes, formatDuration } from '../format.js';

export interface SyncProgress {
  files: number;
  totalFiles: number;
  bytes: number;
  totalBytes: number;
  seconds: number;
}

export function formatProgress(p: SyncProgress): string {
  const rate = p.seconds > 0 ? p.bytes / p.seconds : 0;
  const left = p.totalBytes - p.bytes;
  const eta = rate > 0 ? formatDuration(left / rate) : '?';
  const pct = p.totalBytes > 0 ? Math.floor((100 * p.bytes) / p.totalBytes) : 100;
  return `uploaded ${p.files}/${p.totalFiles} files, ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${pct}%), ${formatBytes(rate)}/s, ETA ${eta}`;
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
