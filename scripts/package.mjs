// Bundles the three entry points with ncc into dist/: the action's main and post steps and the CLI.
// Each bundle is self-contained so the action runs from a checkout without node_modules.
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdtempSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  chmodSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const entries = [
  { source: 'src/index.ts', target: 'dist/index.js' },
  { source: 'src/post.ts', target: 'dist/post.js' },
  { source: 'src/cli.ts', target: 'dist/cli.js', executable: true },
];

const ncc = path.resolve('node_modules/.bin/ncc');
rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
for (const { source, target, executable } of entries) {
  const out = mkdtempSync(path.join(tmpdir(), 'ncc-'));
  execFileSync(
    ncc,
    ['build', source, '-o', out, '--license', 'licenses.txt', '--minify', '--quiet'],
    {
      stdio: 'inherit',
    },
  );
  cpSync(path.join(out, 'index.js'), target);
  if (executable) chmodSync(target, 0o755);
  // The license files are identical in content for shared dependencies; keep the union.
  const licenses = readFileSync(path.join(out, 'licenses.txt'), 'utf8');
  writeFileSync('dist/licenses.txt', licenses, { flag: 'a' });
  rmSync(out, { recursive: true, force: true });
}
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
