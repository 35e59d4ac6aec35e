#!/usr/bin/env bash
# Fails when the committed dist/ is not what `npm run package` builds from the committed sources.
# The bundles are built into a directory of their own and compared with dist/, which is left as it
# is: the tests read dist/ while this runs beside them (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
built=$(mktemp -d)
trap 'rm -rf "$built"' EXIT
node scripts/package.mjs "$built/dist"
if ! diff -r -q "$built/dist" dist; then
  echo "dist/ is stale: run 'npm run package' and commit dist/" >&2
  exit 1
fi
