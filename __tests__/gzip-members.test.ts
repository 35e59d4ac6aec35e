// A long text gzip'd in members: one text for every reader, whatever the pieces.
import { describe, expect, it } from '@jest/globals';
import { gunzipSync } from 'node:zlib';
import { gzipMembers } from '../src/gzip-members.js';

const members = (gz: Buffer) => gz.toString('hex').split('1f8b08').length - 1;

describe('gzipMembers', () => {
  it('inflates to the pieces joined, small pieces gathered into members of about 64 KiB', () => {
    const small = Array.from({ length: 20000 }, (_, i) => `"images/train/plan_${i}.jpg",`);
    const large = ['x'.repeat(200 * 1024), 'ünï😀'.repeat(30000), 'tail'];
    for (const pieces of [small, large, ['one'], ['', 'a', '']]) {
      expect(gunzipSync(gzipMembers(pieces)).toString('utf8')).toBe(pieces.join(''));
    }
    expect(members(gzipMembers(small))).toBeGreaterThan(5); // about 600 KB of text
    expect(members(gzipMembers(['one']))).toBe(1);
  });

  it('writes an empty text as one member, which gunzip reads as empty', () => {
    for (const pieces of [[], ['']]) {
      expect(gunzipSync(gzipMembers(pieces)).toString('utf8')).toBe('');
    }
  });
});
