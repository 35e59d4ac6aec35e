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
