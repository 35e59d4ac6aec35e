#!/usr/bin/env bash
# Fails when the committed dist/ is not what `npm run package` builds from the committed sources.
set -euo pipefail
cd "$(dirname "$0")/.."
before=$(mktemp -d)
cp -r dist "$before/dist" 2>/dev/null || mkdir -p "$before/dist"
npm run -s package
if ! diff -r -q "$before/dist" dist; then
  echo "dist/ is stale: run 'npm run package' and commit dist/" >&2
  exit 1
fi
