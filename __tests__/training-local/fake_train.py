"""A stand-in for training-container/train.py that records what the local backend gave it.

Run as `python fake_train.py train` with OPT_ML_ROOT set, like the real entrypoint. FAKE_MODE picks
the behaviour: ok (write outputs), fail (failure file, exit 1), crash (exit 3, no failure file),
sigterm (wait for SIGTERM, save a checkpoint, exit 143), stubborn (ignore SIGTERM).
"""

import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path

root = Path(os.environ["OPT_ML_ROOT"])
mode = os.environ.get("FAKE_MODE", "ok")
print(f"fake-start mode={mode} argv={sys.argv[1:]}", flush=True)


def tree(base: Path) -> dict:
    return {
        p.relative_to(base).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


config = root / "input" / "config"
seen = {
    "argv": sys.argv[1:],
    "env": {
        k: os.environ.get(k) for k in ("OPT_ML_ROOT", "YOLO_OFFLINE", "YOLO_CONFIG_DIR")
    },
    "cwd": os.getcwd(),
    "config": {
        name: json.loads((config / name).read_text())
        for name in (
            "hyperparameters.json",
            "resourceconfig.json",
            "inputdataconfig.json",
        )
    },
    "data": tree(root / "input" / "data"),
    "checkpoints": sorted(p.name for p in (root / "checkpoints").iterdir()),
    "dirs": {d: (root / d).is_dir() for d in ("model", "output/data", "checkpoints")},
}
out = root / "output" / "data"
model = root / "model"
(out / "seen.json").write_text(json.dumps(seen, indent=1))

if mode == "ok":
    for epoch in (1, 2):
        print(
            f"[yolo-metrics] epoch={epoch} precision={0.4 * epoch} recall={0.3 * epoch}"
            f" map50={0.25 * epoch} map50_95={0.125 * epoch} train_box_loss={3 - epoch}",
            flush=True,
        )
    (out / "metrics.json").write_text(
        json.dumps({"schema": 1, "map50": 0.5, "split": "val"})
    )
    (out / "results.csv").write_text("epoch,metrics/mAP50(B)\n1,0.25\n2,0.5\n")
    (model / "best.pt").write_bytes(b"best weights")
    (model / "last.pt").write_bytes(b"last weights")
    (model / "training_metrics.json").write_text("{}")
    sys.exit(0)

if mode == "fail":
    (root / "checkpoints" / "last.pt").write_bytes(b"epoch 1")
    (root / "output" / "failure").write_text(
        "CUDA out of memory: reduce batch-size, now 16\n"
    )
    sys.exit(1)

if mode == "crash":
    print("Traceback (most recent call last): boom", file=sys.stderr, flush=True)
    sys.exit(3)


def on_term(signum, frame):
    print("SIGTERM received: saving checkpoint", flush=True)
    (root / "checkpoints" / "last.pt").write_bytes(b"saved after SIGTERM")
    (model / "last.pt").write_bytes(b"partial")
    sys.exit(143)


signal.signal(signal.SIGTERM, on_term if mode == "sigterm" else signal.SIG_IGN)
print("ready", flush=True)
deadline = time.time() + 60
while time.time() < deadline:
    time.sleep(0.05)
sys.exit(0)
