// Test helper: Mermaid's own parser, run in a child Node process (mermaid-parse.mjs).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./mermaid-parse.mjs', import.meta.url));

type Result = { ok: true; type: string } | { ok: false; error: string };

/** Parses every source in one process; each result says the diagram type or Mermaid's error. */
export function parseMermaidAll(sources: string[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [SCRIPT],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`mermaid-parse.mjs failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Result[]);
      },
    );
    child.stdin?.end(JSON.stringify(sources));
  });
}

const cache = new Map<string, Result>();

/** Parses many sources in one process (starting mermaid takes seconds) for parseMermaid to reuse. */
export async function prefetchMermaid(sources: string[]): Promise<void> {
  const todo = [...new Set(sources)].filter((s) => !cache.has(s));
  if (todo.length === 0) return;
  const results = await parseMermaidAll(todo);
  todo.forEach((source, i) => cache.set(source, results[i] as Result));
}

/** The diagram type Mermaid parsed; throws Mermaid's parse error for a chart that does not parse. */
export async function parseMermaid(source: string): Promise<string> {
  await prefetchMermaid([source]);
  const result = cache.get(source);
  if (!result?.ok) throw new Error(`Mermaid: ${result?.error ?? 'no result'}`);
  return result.type;
}

/** The sources of every ```mermaid block in a markdown document. */
export function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1] as string);
}
