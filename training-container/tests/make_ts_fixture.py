"""Regenerates the TypeScript metrics reader's fixtures from real tiny training runs.

    .venv/bin/python training-container/tests/make_ts_fixture.py          # floor plans, detect
    .venv/bin/python training-container/tests/make_ts_fixture.py --tasks  # one run per task

Writes __tests__/fixtures/container-output/:
- output.tar.gz: what SageMaker packs from /opt/ml/output/data (metrics.json and results.csv at
  the archive root), normalised (mtime 0, root owner) so unchanged content gives unchanged bytes;
- train.log: the entrypoint's stdout and stderr, as CloudWatch would show them, metric lines included.

With --tasks, tasks/<task>/output.tar.gz and tasks/<task>/metric-lines.log (the epoch's metric
line) for every task, from the 1-epoch runs of test_tasks.py (support.train_task).
"""

from __future__ import annotations

import gzip
import io
import sys
import tarfile
import tempfile
from pathlib import Path

from support import (
    REPO,
    TASK_MODELS,
    TINY_TRAINING,
    generate_floorplans,
    run_entrypoint,
    train_task,
    write_config,
    write_snapshot_channels,
)

FIXTURE_DIR = REPO / "__tests__" / "fixtures" / "container-output"


def pack(data_dir: Path) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for f in sorted(data_dir.iterdir()):
            info = tarfile.TarInfo(f.name)
            info.size, info.mode, info.mtime = f.stat().st_size, 0o644, 0
            tar.addfile(info, io.BytesIO(f.read_bytes()))
    return gzip.compress(raw.getvalue(), mtime=0)


def tasks() -> int:
    for task in TASK_MODELS:
        with tempfile.TemporaryDirectory() as tmp:
            opt, _, done = train_task(task, Path(tmp))
            if done.returncode != 0:
                print(done.stdout[-4000:], file=sys.stderr)
                return 1
            out = FIXTURE_DIR / "tasks" / task
            out.mkdir(parents=True, exist_ok=True)
            (out / "output.tar.gz").write_bytes(pack(opt / "output" / "data"))
            lines = [
                x for x in done.stdout.splitlines() if x.startswith("[yolo-metrics]")
            ]
            (out / "metric-lines.log").write_text("\n".join(lines) + "\n")
            print(f"wrote {out}")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--tasks"]:
        return tasks()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        dataset = generate_floorplans(base / "floorplans")
        opt, work = base / "ml", base / "work"
        write_snapshot_channels(dataset, opt)
        write_config(opt, dict(TINY_TRAINING, epochs="2"))
        done = run_entrypoint(opt, work)
        if done.returncode != 0:
            print(done.stdout[-4000:], file=sys.stderr)
            return 1
        FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
        (FIXTURE_DIR / "output.tar.gz").write_bytes(pack(opt / "output" / "data"))
        (FIXTURE_DIR / "train.log").write_text(
            done.stdout.replace(tmp, "/tmp/job"), encoding="utf-8"
        )
    print(f"wrote {FIXTURE_DIR / 'output.tar.gz'} and {FIXTURE_DIR / 'train.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
