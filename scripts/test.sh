#!/usr/bin/env bash
# Every test of the project: static checks, the TypeScript suite (unit, lifecycle and integration
# tests against a local moto server), the training container's pytest suite (real CPU training),
# and a check that the committed dist/ is the bundle of the committed sources.
# Installs what is missing first, so it also works on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
./scripts/setup-python.sh
export PATH="$PWD/.venv/bin:$PATH"

echo "== static checks"
npm run -s typecheck
npm run -s lint
npm run -s format:check
.venv/bin/ruff check training-container scripts
.venv/bin/hadolint training-container/Dockerfile
.venv/bin/zizmor --offline --config .github/zizmor.yml --min-severity medium .github/workflows

echo "== dist/ matches the sources"
./scripts/check-dist.sh

echo "== TypeScript tests"
npm test -- --ci

echo "== training container tests"
.venv/bin/python -m pytest -q training-container/tests
