// Markdown helpers for text we do not control (class names, job names, failure reasons, URIs).
// GitHub renders comments as GFM and then runs filters over the HTML (mentions, issue links), so
// escaping has to defeat three things: raw HTML, markdown syntax (including table pipes and
// line-start block markers) and @mentions. Entities are used rather than backslashes because they
// work the same in paragraphs and table cells.

/** Characters that can start or change markdown/HTML structure anywhere in a line. */
const INLINE_SPECIAL = /[&<>"'`\\*_[\](){}#|~!$^]/g;
/** C0/C1 controls and bidi overrides/isolates (which can make text read differently than it is). */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** Zero-width space: breaks `@name` (no notifications) and bare URLs (no autolinks), invisibly. */
const ZWSP = '\u200B';

function entity(ch: string): string {
  return `&#${ch.codePointAt(0)};`;
}

/** Truncates to at most `max` code points (never splitting a surrogate pair), with an ellipsis. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/**
 * Escapes text for one line of markdown (a table cell, a list item, a heading). Newlines and other
 * whitespace runs collapse to one space so the text cannot end a table row or start a block.
 */
export function escapeInline(text: string, maxChars = 200): string {
  const flat = text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  return escapeChars(truncateText(flat, maxChars));
}

function escapeChars(text: string): string {
  return (
    text
      .replace(INLINE_SPECIAL, entity)
      .replace(/@/g, `@${ZWSP}`)
      // GFM autolinks bare URLs and www. names, possibly after entities are decoded: break them.
      .replace(/\b(https?|ftp):\/\//gi, `$1:${ZWSP}//`)
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWSP}.`)
  );
}

/**
 * An identifier or URI (S3 URI, image URI) as a code span, so it can be copied exactly; falls back
 * to escaped text when it holds anything a code span in a table cell could not carry literally.
 */
export function code(text: string, maxChars = 300): string {
  if (text.length <= maxChars && /^[A-Za-z0-9._:/@+=,~%#?&-]+$/.test(text)) return `\`${text}\``;
  return escapeInline(text, maxChars);
}

/**
 * Escapes multi-line text (a failure reason) as a blockquote: each line escaped, line-start block
 * markers (lists, setext underlines, ordered lists, indented code) neutralised.
 */
export function escapeBlockquote(text: string, maxChars = 4000): string {
  const clean = truncateText(text.replace(INVISIBLE, '').replace(/\r\n?/g, '\n'), maxChars);
  const lines = clean
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line, i, all) => line !== '' || (i > 0 && all[i - 1] !== ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) return '> (no reason given)';
  return lines
    .map((line) => {
      if (line === '') return '>';
      let escaped = escapeChars(line);
      // A leading -, +, = or "12." would start a list, a setext heading or an ordered list.
      escaped = escaped.replace(/^[-+=]/, entity).replace(/^(\d+)\./, '$1&#46;');
      return `> ${escaped}`;
    })
    .join('\n');
}

/**
 * A markdown link to an http(s) URL, or just the escaped text when the URL is not one.
 * The destination is wrapped in <> after percent-encoding what could end it.
 */
export function link(text: string, url: string | undefined, maxChars = 200): string {
  const label = escapeInline(text, maxChars);
  const safe = safeUrl(url);
  return safe ? `[${label}](<${safe}>)` : label;
}

export function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  // URL.href already percent-encodes spaces and quotes; <, > and control characters cannot
  // survive parsing either. Encode the remaining characters that end a `(<...>)` destination.
  return parsed.href.replace(/[<>()\s]/g, (ch) => encodeURIComponent(ch));
}

export type Align = 'left' | 'right' | 'center';

/**
 * A GFM table. Cells are taken as already-safe markdown: escape user text with escapeInline first.
 * Pipes and newlines are still replaced defensively so one bad cell cannot break the table.
 */
export function table(headers: string[], rows: string[][], align: Align[] = []): string {
  const cell = (s: string) => s.replace(/\|/g, '&#124;').replace(/[\r\n]+/g, ' ');
  const sep = headers.map((_, i) => {
    const a = align[i] ?? 'left';
    return a === 'right' ? '---:' : a === 'center' ? ':-:' : '---';
  });
  const line = (cells: string[]) => `| ${cells.map(cell).join(' | ')} |`;
  return [line(headers), `|${sep.join('|')}|`, ...rows.map((r) => line(r))].join('\n');
}

/** Size as GitHub may count it: UTF-8 bytes are never fewer than characters or UTF-16 units. */
export function markdownSize(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Cuts markdown to at most `maxBytes` UTF-8 bytes without splitting a character, an entity or a
 * line, and appends `note`. The head of the text (where the marker lives) is always kept.
 */
export function truncateMarkdown(text: string, maxBytes: number, note: string): string {
  if (markdownSize(text) <= maxBytes) return text;
  const budget = maxBytes - markdownSize(note) - 2;
  if (budget <= 0) throw new Error('truncateMarkdown: budget smaller than the note');
  const bytes = Buffer.from(text, 'utf8');
  // Step back off UTF-8 continuation bytes so the cut ends on a whole character.
  let end = budget;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  let cut = bytes.subarray(0, end).toString('utf8');
  const lastNewline = cut.lastIndexOf('\n');
  if (lastNewline > 0) cut = cut.slice(0, lastNewline);
  // Never leave a half entity such as "&#12".
  cut = cut.replace(/&#?\w*$/, '');
  return `${cut}\n\n${note}`;
}
