// Parses Mermaid sources with Mermaid's own parser, outside jest (whose module sandbox and global
// proxy do not get along with jsdom). Reads a JSON array of sources on stdin, writes a JSON array
// of { ok: true, type } or { ok: false, error } on stdout. mermaid.parse needs a DOM for DOMPurify
// (it sanitizes titles): jsdom provides one; no browser is started.
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const source of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(source);
    results.push(parsed ? { ok: true, type: parsed.diagramType } : { ok: false, error: 'false' });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
