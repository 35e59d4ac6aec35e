"""Test helpers: a fake /opt/ml tree, SageMaker-style channels, and the entrypoint as a subprocess."""

from __future__ import annotations

import atexit
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

CONTAINER = Path(__file__).resolve().parent.parent
REPO = CONTAINER.parent
sys.path.insert(0, str(CONTAINER))  # `import yolojob` as train.py does
sys.path.insert(0, str(REPO / "scripts"))

import make_floorplans
from yolojob.environment import seed_fonts

# Tests that import ultralytics in-process (re-validation) must be offline too, before the import.
_CONFIG_DIR = Path(tempfile.mkdtemp(prefix="yolo-test-config-"))
atexit.register(shutil.rmtree, _CONFIG_DIR, ignore_errors=True)
os.environ["YOLO_OFFLINE"] = "true"
os.environ["YOLO_CONFIG_DIR"] = str(_CONFIG_DIR)
seed_fonts(_CONFIG_DIR / "Ultralytics")

# Fast, learnable settings for tiny CPU runs: optimizer steps every batch (nbs == batch), no warmup
# or mosaic, so two epochs on 17 images already give non-zero precision/recall.
TINY_TRAINING = {
    "model": "yolov8n.yaml",
    "imgsz": "64",
    "batch": "4",
    "nbs": "4",
    "workers": "0",
    "optimizer": "Adam",
    "lr0": "0.01",
    "warmup_epochs": "0",
    "mosaic": "0",
    "plots": "false",
    "seed": "0",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_snapshot_channels(
    dataset: Path, opt_root: Path, config: str = "dataset.yaml", gzipped: bool = True
) -> str:
    """Lays out channels as SageMaker delivers them: blobs named by sha256 + the snapshot JSON,
    gzip'd as the action writes it (`<fp>.json.gz`), or plain as syncs before issue 16 did."""
    blobs = opt_root / "input" / "data" / "training"
    blobs.mkdir(parents=True, exist_ok=True)
    files = {}
    for f in sorted(
        p for p in dataset.rglob("*") if p.is_file() and p.suffix != ".cache"
    ):
        digest = sha256(f)
        (blobs / digest).write_bytes(f.read_bytes())
        files[f.relative_to(dataset).as_posix()] = {
            "sha256": digest,
            "size": f.stat().st_size,
        }
    doc = {"version": 1, "files": files, "config": config}
    text = json.dumps(doc, sort_keys=True, separators=(",", ":"))
    fingerprint = hashlib.sha256(text.encode()).hexdigest()
    snap = opt_root / "input" / "data" / "snapshot"
    snap.mkdir(parents=True, exist_ok=True)
    if gzipped:
        (snap / f"{fingerprint}.json.gz").write_bytes(
            gzip.compress(text.encode(), mtime=0)
        )
    else:
        (snap / f"{fingerprint}.json").write_text(text)
    return fingerprint


def write_config(
    opt_root: Path,
    hyperparameters: dict[str, str],
    channels=("training", "snapshot"),
    hosts=("algo-1",),
):
    config = opt_root / "input" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    (config / "resourceconfig.json").write_text(
        json.dumps(
            {
                "current_host": hosts[0],
                "hosts": list(hosts),
                "network_interface_name": "eth0",
            }
        )
    )
    (config / "inputdataconfig.json").write_text(
        json.dumps(
            {
                c: {
                    "TrainingInputMode": "File",
                    "S3DistributionType": "FullyReplicated",
                }
                for c in channels
            }
        )
    )


def entrypoint_env(opt_root: Path, work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        OPT_ML_ROOT=str(opt_root),
        YOLO_JOB_WORKDIR=str(work),
        YOLO_CONFIG_DIR=str(work / "ultralytics-config"),
        YOLO_OFFLINE="true",
        CUDA_VISIBLE_DEVICES="",  # the tests prove the CPU path on any machine
        PYTHONUNBUFFERED="1",
    )
    return env


def entrypoint_command(work: Path) -> list[str]:
    """train.py under the offline guard; network attempts land in work/network-attempts.log."""
    return [
        sys.executable,
        str(CONTAINER / "tests" / "offline_guard.py"),
        str(work / "network-attempts.log"),
        "train",
    ]


def network_attempts(work: Path) -> str:
    log = work / "network-attempts.log"
    return log.read_text() if log.exists() else ""


def start_entrypoint(opt_root: Path, work: Path) -> subprocess.Popen:
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        entrypoint_command(work),
        env=entrypoint_env(opt_root, work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_entrypoint(
    opt_root: Path, work: Path, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Runs the entrypoint to the end; stdout and stderr together, as SageMaker logs them."""
    work.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        entrypoint_command(work),
        check=False,
        env=entrypoint_env(opt_root, work),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def generate_floorplans(out: Path) -> Path:
    """The shared small dataset: 24 plans at 64 px (17 train, 5 val, 2 test)."""
    make_floorplans.generate(out, count=24, imgsz=64, seed=0)
    return out


# One model per task, built from ultralytics' yaml (no weights to download), 1 epoch.
TASK_MODELS = {
    "detect": "yolov8n.yaml",
    "segment": "yolov8n-seg.yaml",
    "obb": "yolov8n-obb.yaml",
    "pose": "yolov8n-pose.yaml",
    "classify": "yolov8n-cls.yaml",
}


def generate_task_dataset(task: str, out: Path) -> tuple[Path, str]:
    """A tiny dataset for the task and its snapshot `config` ("" for classify: no yaml)."""
    import task_data

    if task == "classify":
        return task_data.generate_classify(out, with_test=True), ""
    return task_data.generate_labelled(out, task), "dataset.yaml"


def train_task(task: str, base: Path) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """Trains the task's model for one epoch through the entrypoint, from a dataset snapshot."""
    dataset, config = generate_task_dataset(task, base / "dataset")
    opt, work = base / "ml", base / "work"
    write_snapshot_channels(dataset, opt, config=config)
    write_config(
        opt, dict(TINY_TRAINING, model=TASK_MODELS[task], task=task, epochs="1")
    )
    return opt, work, run_entrypoint(opt, work)
