// Bundles an entry point (src/cli.ts, src/index.ts) for a test that must watch the real process's
// stdout and stderr. esbuild takes about a second, where ncc (dist/) takes minutes; the bundle sits
// one level below the checkout, as dist/ does, so actionRoot() finds action.yml and the container.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

export interface Bundle {
  file: string;
  dispose: () => void;
}

export async function bundleEntry(entry: string): Promise<Bundle> {
  const dir = mkdtempSync(path.resolve('.e2e-'));
  const file = path.join(dir, `${path.basename(entry, '.ts')}.mjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: file,
    logLevel: 'error',
    // Some dependencies are CommonJS and call require().
    banner: {
      js: "import { createRequire as __e2eRequire } from 'node:module'; const require = __e2eRequire(import.meta.url);",
    },
  });
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
