// Bundles the three entry points with ncc into dist/: the action's main and post steps and the CLI.
// Each bundle is self-contained so the action runs from a checkout without node_modules. The three
// builds run side by side: packaging is on every developer's path (and the before-stop check).
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const entries = [
  { source: 'src/index.ts', target: 'dist/index.js' },
  { source: 'src/post.ts', target: 'dist/post.js' },
  { source: 'src/cli.ts', target: 'dist/cli.js', executable: true },
];

const ncc = path.resolve('node_modules/.bin/ncc');
const built = await Promise.all(
  entries.map(async (entry) => {
    const out = mkdtempSync(path.join(tmpdir(), 'ncc-'));
    await run(ncc, [
      'build',
      entry.source,
      '-o',
      out,
      '--license',
      'licenses.txt',
      '--minify',
      '--quiet',
    ]);
    return { ...entry, out };
  }),
);

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
// In entry order, so the output does not depend on which build finished first.
for (const { target, executable, out } of built) {
  cpSync(path.join(out, 'index.js'), target);
  if (executable) chmodSync(target, 0o755);
  writeFileSync('dist/licenses.txt', readFileSync(path.join(out, 'licenses.txt'), 'utf8'), {
    flag: 'a',
  });
  rmSync(out, { recursive: true, force: true });
}
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
