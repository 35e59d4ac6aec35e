import { describe, expect, it } from '@jest/globals';
import { formatBytes, formatDuration } from '../src/format.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [12.4, '12s'],
    [45, '45s'],
    [75, '1m 15s'],
    [187, '3m 07s'],
    [252, '4m 12s'],
    [3723, '1h 02m 03s'],
    [7300, '2h 01m 40s'],
    [183840, '2d 03h 04m'],
  ])('%p s -> %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('keeps one decimal for fractional values under 10 s', () => {
    expect(formatDuration(4.2)).toBe('4.2s');
    expect(formatDuration(0.34)).toBe('0.3s');
    expect(formatDuration(6)).toBe('6s');
    expect(formatDuration(0.04)).toBe('0s');
    expect(formatDuration(9.96)).toBe('10s');
  });

  it('counts negative values as 0 and unknown values as unknown', () => {
    expect(formatDuration(-3)).toBe('0s');
    expect(formatDuration(undefined)).toBe('unknown');
    expect(formatDuration(Number.NaN)).toBe('unknown');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('unknown');
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal above 1 KiB', () => {
    expect(formatBytes(12)).toBe('12 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(8 * 1024 * 1024)).toBe('8.0 MiB');
  });
});
