#!/usr/bin/env node
import './lean-heap.js';
import { runCli } from './cli/program.js';
import { actionRoot } from './paths.js';

const code = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  actionRoot: actionRoot(),
  onSignal: (handler) => process.on('SIGINT', handler),
});
process.exit(code);
