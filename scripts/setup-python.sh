#!/usr/bin/env bash
# Creates .venv with the pinned Python packages that the tests, the demo and the local training
# backend need. Idempotent: does nothing when .venv already matches the requirement files.
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin=${PYTHON:-python3.11}
command -v "$python_bin" >/dev/null || python_bin=python3
want=$(cat requirements-dev.txt training-container/requirements.txt | sha256sum | cut -d' ' -f1)
# One stamp per requirement set, so checkouts that share one .venv (worktrees) do not undo each
# other; installs are additive.
stamp=.venv/.requirements-$want
[ -f "$stamp" ] && exit 0
echo "Setting up .venv (Python packages for tests, demo and local training)..."
[ -x .venv/bin/python ] || "$python_bin" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 \
  | { grep -v "^WARNING: Location 'file:" || true; }
touch "$stamp"
