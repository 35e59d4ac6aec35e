import { describe, expect, it } from '@jest/globals';
import { fencedLines, fenceToken } from '../src/untrusted.js';

describe('fencedLines', () => {
  it('turns workflow commands off around a line the job printed', () => {
    const token = fenceToken();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect(fenceToken()).not.toBe(token);
    expect(fencedLines('  ::add-mask::0.9 room', token)).toEqual([
      `::stop-commands::${token}`,
      '  ::add-mask::0.9 room',
      `::${token}::`,
    ]);
  });
});
