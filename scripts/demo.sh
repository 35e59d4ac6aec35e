#!/usr/bin/env bash
# One command, no AWS account: install what is missing, then run the real pipeline locally on a
# generated floor-plan sample (see scripts/demo.ts for the knobs).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
./scripts/setup-python.sh
[ -f dist/cli.js ] || npm run -s package
exec node_modules/.bin/tsx scripts/demo.ts
