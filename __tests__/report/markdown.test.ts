import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  escapeBlockquote,
  escapeInline,
  link,
  markdownSize,
  safeUrl,
  table,
  truncateMarkdown,
  truncateText,
} from '../../src/report/markdown.js';
import { decode, tables, tagNames, toHtml } from './render-html.js';

const HOSTILE = '<img src=x onerror=alert(1)>|**x**';
// Tags micromark produces for a one-row table and nothing else.
const TABLE_TAGS = new Set(['table', 'thead', 'tbody', 'tr', 'th', 'td']);

describe('escapeInline', () => {
  it('renders HTML, emphasis and pipes as literal text inside a table cell', () => {
    const md = table(['Class', 'n'], [[escapeInline(HOSTILE), '1']]);
    const html = toHtml(md);
    expect(tagNames(html)).toEqual(TABLE_TAGS);
    const rows = tables(html)[0] as string[][];
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveLength(2);
    expect(decode(rows[1]?.[0] as string)).toBe(HOSTILE);
  });

  it('collapses newlines so text cannot end a row or start a block', () => {
    const name = 'a\n| b | c |\n\n# heading\r\n```\ncode';
    const html = toHtml(table(['Class'], [[escapeInline(name)]]));
    const rows = tables(html)[0] as string[][];
    expect(rows).toHaveLength(2);
    expect(tagNames(html)).toEqual(TABLE_TAGS);
    expect(decode(rows[1]?.[0] as string)).toBe('a | b | c | # heading ``` code');
  });

  it('breaks @mentions with a zero-width space and drops bidi overrides', () => {
    expect(escapeInline('@octocat')).toBe('@\u200Boctocat');
    expect(escapeInline('ab\u202Ecd\u0007')).toBe('abcd');
  });

  it('neutralises math, strikethrough, links, autolinks and entities', () => {
    const text =
      '$x$ ~~y~~ [a](http://e) &lt; ![i](x) https://evil.example www.evil.example a@b.co';
    const html = toHtml(escapeInline(text));
    expect(tagNames(html)).toEqual(new Set(['p']));
    expect(decode(html.replace(/<\/?p>/g, '')).replace(/\u200B/g, '')).toBe(text);
  });

  it('truncates long text with an ellipsis, by code points', () => {
    expect(escapeInline('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(truncateText('😀😀😀', 2)).toBe('😀…');
  });

  it('keeps any string inert and single-cell (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => {
        const html = toHtml(table(['a', 'b'], [[escapeInline(s), 'end']]));
        const rows = tables(html)[0] as string[][];
        expect(rows[1]?.[1]).toBe('end');
        for (const tag of tagNames(html)) expect(TABLE_TAGS).toContain(tag);
      }),
      { numRuns: 300 },
    );
  });
});

describe('escapeBlockquote', () => {
  it('quotes every line and neutralises block syntax', () => {
    const reason =
      'AlgorithmError: boom\n- not a list\n1. not ordered\n===\n    indented\n<script>x</script>';
    const md = escapeBlockquote(reason);
    const html = toHtml(md);
    expect(tagNames(html)).toEqual(new Set(['blockquote', 'p']));
    expect(decode(html)).toContain('<script>x</script>');
    expect(md.split('\n').every((l) => l.startsWith('>'))).toBe(true);
  });

  it('collapses blank-line runs and says when there is nothing', () => {
    expect(escapeBlockquote('a\n\n\n\nb\n\n')).toBe('> a\n>\n> b');
    expect(escapeBlockquote(' \n ')).toBe('> (no reason given)');
  });
});

describe('link and safeUrl', () => {
  it('links http(s) URLs and escapes the label', () => {
    const md = link(
      'job *x*',
      'https://console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/a (b)',
    );
    const html = toHtml(md);
    const [, href, label] = /<a href="([^"]*)">(.*?)<\/a>/.exec(html) ?? [];
    expect(decodeURIComponent(decode(href ?? ''))).toBe(
      'https://console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/a (b)',
    );
    expect(decode(label ?? '')).toBe('job *x*');
  });

  it('drops other schemes and garbage to plain text', () => {
    expect(link('x', 'javascript:alert(1)')).toBe('x');
    expect(link('x', 'not a url')).toBe('x');
    expect(safeUrl(undefined)).toBeUndefined();
  });
});

describe('table', () => {
  it('aligns columns and keeps a stray pipe inside its cell', () => {
    const md = table(['a', 'b'], [['1|2', '3']], ['left', 'right']);
    expect(md).toBe('| a | b |\n|---|---:|\n| 1&#124;2 | 3 |');
    expect(tables(toHtml(md))[0]?.[1]).toEqual(['1|2', '3']);
  });
});

describe('truncateMarkdown', () => {
  it('returns text within the budget untouched', () => {
    expect(truncateMarkdown('abc', 10, 'note')).toBe('abc');
  });

  it('cuts at a line boundary, keeps the head and appends the note within the budget', () => {
    const text = `<!-- marker -->\n${'line &#60; é\n'.repeat(1000)}`;
    const out = truncateMarkdown(text, 2000, '_cut_');
    expect(markdownSize(out)).toBeLessThanOrEqual(2000);
    expect(out.startsWith('<!-- marker -->\n')).toBe(true);
    expect(out.endsWith('\n\n_cut_')).toBe(true);
    expect(out).not.toMatch(/&#?\d*\n\n_cut_$/);
    expect(out).not.toContain('\uFFFD');
  });

  it('never splits a character or an entity even inside one long line (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 50, maxLength: 400 }),
        fc.integer({ min: 20, max: 300 }),
        (s, max) => {
          const text = escapeInline(s, 1000);
          const out = truncateMarkdown(text, max, 'n');
          expect(markdownSize(out)).toBeLessThanOrEqual(max);
          // What is kept is a prefix of the input, so no character was split.
          const kept = out === text ? out : out.slice(0, -'\n\nn'.length);
          expect(text.startsWith(kept)).toBe(true);
          expect(out.replace(/&#\d+;/g, '')).not.toMatch(/&#?\d*$|&#?\d*\n/);
        },
      ),
    );
  });
});
