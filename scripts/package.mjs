// Bundles the three entry points with ncc into dist/: the action's main and post steps and the CLI.
// Each bundle is self-contained so the action runs from a checkout without node_modules. The three
// builds run side by side: packaging is on every developer's path (and the before-stop check).
// A dynamic import() becomes a chunk file beside the bundle (`<id>.index.js`, loaded relative to
// it): chunks are copied into dist/ too, and two builds writing the same chunk name with different
// content is an error (one would load the other's code). ncc writes licenses.txt once per chunk,
// each overwriting the last, so an entry with `lazy` modules gets its licenses from a second build
// that imports them statically (one chunk, every package listed).
import { execFile } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// `node scripts/package.mjs [dir]`: into dist/ unless told otherwise (check-dist.sh builds beside
// it, so the tests can read dist/ while it builds).
const outDir = process.argv[2] ?? 'dist';
const entries = [
  { source: 'src/index.ts', target: 'index.js' },
  { source: 'src/post.ts', target: 'post.js' },
  {
    source: 'src/cli.ts',
    target: 'cli.js',
    executable: true,
    lazy: ['src/cli/pipeline-modules.ts', 'src/image/build.ts'],
  },
];

const ncc = path.resolve('node_modules/.bin/ncc');
const build = async (source) => {
  const out = mkdtempSync(path.join(tmpdir(), 'ncc-'));
  await run(ncc, ['build', source, '-o', out, '--license', 'licenses.txt', '--minify', '--quiet']);
  return out;
};

/** The full license list of an entry whose `lazy` modules ncc puts in chunks. */
async function licensesOf(entry) {
  const dir = mkdtempSync('.ncc-licenses-');
  try {
    const file = path.join(dir, 'entry.ts');
    const specifier = (p) => JSON.stringify(`../${p.replace(/\.ts$/, '.js')}`);
    writeFileSync(
      file,
      [entry.source, ...entry.lazy].map((p) => `import ${specifier(p)};\n`).join(''),
    );
    const out = await build(file);
    const chunks = readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f));
    if (chunks.length)
      throw new Error(`${entry.source}: the license build still has chunks ${chunks}`);
    const licenses = readFileSync(path.join(out, 'licenses.txt'), 'utf8');
    rmSync(out, { recursive: true, force: true });
    return licenses;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const built = await Promise.all(
  entries.map(async (entry) => {
    const [out, licenses] = await Promise.all([
      build(entry.source),
      entry.lazy ? licensesOf(entry) : undefined,
    ]);
    if (licenses !== undefined) writeFileSync(path.join(out, 'licenses.txt'), licenses);
    return { ...entry, out };
  }),
);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// In entry order, so the output does not depend on which build finished first.
for (const { source, target, executable, out } of built) {
  cpSync(path.join(out, 'index.js'), path.join(outDir, target));
  if (executable) chmodSync(path.join(outDir, target), 0o755);
  for (const chunk of readdirSync(out).filter((f) => /^\d+\.index\.js$/.test(f))) {
    const content = readFileSync(path.join(out, chunk));
    const into = path.join(outDir, chunk);
    if (existsSync(into) && !readFileSync(into).equals(content)) {
      throw new Error(`${source}: chunk ${chunk} differs from another bundle's`);
    }
    writeFileSync(into, content);
  }
  const licenses = readFileSync(path.join(out, 'licenses.txt'), 'utf8');
  writeFileSync(path.join(outDir, 'licenses.txt'), licenses, { flag: 'a' });
  rmSync(out, { recursive: true, force: true });
}
const packageJson = JSON.stringify({ type: 'module' }, null, 2) + '\n';
writeFileSync(path.join(outDir, 'package.json'), packageJson);
