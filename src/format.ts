// Human-readable durations and sizes, one style for the log, the sync table and the PR comment.
// Pure.

/**
 * `2d 03h 04m`, `1h 02m 03s`, `3m 07s`, `45s`; under 10 s a fractional value keeps one decimal
 * (`4.2s`, `0.3s`) so short syncs and quick transitions do not all read `0s`. Negative values
 * count as 0; undefined, NaN and infinities are `unknown`.
 */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'unknown';
  const tenths = Math.round(Math.max(0, seconds) * 10) / 10;
  if (tenths < 10 && !Number.isInteger(tenths)) return `${tenths.toFixed(1)}s`;
  const total = Math.round(Math.max(0, seconds));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${pad(h)}h ${pad(m)}m`;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** 1536 -> "1.5 KiB", 12 -> "12 B". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
