"""The job in-process with ultralytics' train call faked: the arguments it picks, and evaluation
that never depends on what train() returned. No training runs here (test_training.py does that)."""

import json
import os
import shutil
from pathlib import Path

import pytest
import torch
import ultralytics  # imported before any CPU count is patched: ultralytics reads it at import
from support import TINY_TRAINING, write_config, write_snapshot_channels
from ultralytics.engine.model import Model
from yolojob import job as job_module
from yolojob.job import Job
from yolojob.outputs import strict_json
from yolojob.paths import OptMl

# What ultralytics appends after each epoch (only the columns the job reads): epoch 1 is the best.
RESULTS_CSV = "epoch,metrics/mAP50-95(B),metrics/mAP50(B)\n1,0.25,0.5\n2,0.125,0.375\n"


def write_checkpoint(path: Path, imgsz: int) -> None:
    """A final (stripped) checkpoint as ultralytics leaves best.pt: untrained, one class."""
    from ultralytics.nn.tasks import DetectionModel

    torch.manual_seed(0)
    model = DetectionModel("yolov8n.yaml", nc=1, verbose=False)
    model.names = {0: "room"}
    ckpt = {
        "epoch": -1,
        "optimizer": None,
        "model": model.half(),
        "ema": None,
        "train_args": {"model": "yolov8n.yaml", "imgsz": imgsz},
        "version": ultralytics.__version__,
    }
    torch.save(ckpt, path)


@pytest.fixture
def opt(tmp_path, monkeypatch) -> OptMl:
    monkeypatch.setenv("YOLO_JOB_WORKDIR", str(tmp_path / "work"))
    return OptMl(tmp_path / "ml")


def record_train_calls(monkeypatch, on_call=None) -> list[dict]:
    """Replaces YOLO.train: records its arguments, runs on_call(kwargs) instead of training and
    returns None, as model.train() does in the launching process of a multi-GPU (DDP) run."""
    calls = []

    def train(self, **kwargs):
        calls.append(kwargs)
        if on_call:
            on_call(kwargs)

    monkeypatch.setattr(Model, "train", train)
    return calls


def test_metrics_come_from_revalidating_best_pt_when_ddp_train_returns_none(
    opt, floorplans, monkeypatch
):
    """Multi-GPU: train() returns None in the launching process and its trainer has no metrics."""

    def ddp_train(kwargs):
        # what the DDP workers leave behind: the checkpoints and results.csv, in the run folder
        run = Path(kwargs["project"]) / kwargs["name"]
        (run / "weights").mkdir(parents=True)
        write_checkpoint(run / "weights" / "best.pt", imgsz=64)
        shutil.copyfile(run / "weights" / "best.pt", run / "weights" / "last.pt")
        (run / "results.csv").write_text(RESULTS_CSV)

    calls = record_train_calls(monkeypatch, ddp_train)
    monkeypatch.setattr(job_module, "visible_gpus", lambda: 2)

    validations = []
    real_validate = job_module.validate

    def validate_on_cpu(weights, data, split, args, project, task):
        validations.append((weights, split, dict(args)))
        # this machine has no GPU 0: the evaluation device the job chose runs as cpu here
        result = real_validate(
            weights, data, split, {**args, "device": "cpu"}, project, task
        )
        validations[-1] += (result,)
        return result

    monkeypatch.setattr(job_module, "validate", validate_on_cpu)
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, dict(TINY_TRAINING, epochs="2"))

    job = Job(opt)
    job.run()

    assert job.ddp
    (train_args,) = calls
    assert train_args["device"] == "0,1"
    # nothing came from training
    assert job.model.metrics is None and job.model.trainer is None
    best = opt.checkpoints_dir / "train" / "weights" / "best.pt"
    assert [(w, s, a["device"]) for w, s, a, _ in validations] == [
        (best, "val", "0"),  # evaluation runs on one device
        (best, "test", "0"),
    ]
    metrics = json.loads((opt.output_data_dir / "metrics.json").read_text())
    validated = {split: result for _, split, _, result in validations}
    assert metrics["splits"] == json.loads(json.dumps(strict_json(validated)))
    assert metrics["split"] == "test"
    assert metrics["map50"] == metrics["splits"]["test"]["map50"]
    assert [c["name"] for c in metrics["per_class"]] == ["room"]
    assert (metrics["epochs_completed"], metrics["best_epoch"]) == (2, 1)
    assert (metrics["imgsz"], metrics["model"]) == (64, "yolov8n.yaml")
    assert (opt.output_data_dir / "results.csv").read_text() == RESULTS_CSV
    assert (opt.model_dir / "best.pt").read_bytes() == best.read_bytes()
    record = json.loads((opt.model_dir / "training_metrics.json").read_text())
    assert record["evaluated"] == "best.pt" and record["metrics"] == metrics
    assert not opt.failure_file.exists()


@pytest.mark.parametrize(
    ("hyperparameters", "cpus", "gpus", "device", "workers"),
    [
        ({}, 6, 0, "cpu", 5),  # one CPU left for the training loop
        ({"workers": "2"}, 6, 0, "cpu", 2),
        ({}, 16, 2, "0,1", 7),  # per GPU
        ({"workers": "0"}, 16, 2, "0,1", 0),  # an explicit 0 is kept
    ],
)
def test_workers_follow_the_cpu_count_unless_given(
    opt, floorplans, monkeypatch, capsys, hyperparameters, cpus, gpus, device, workers
):
    calls = record_train_calls(monkeypatch)
    evaluated = []
    monkeypatch.setattr(
        Job, "evaluate", lambda self, data, d, w, version: evaluated.append((d, w))
    )
    # the CPUs this process may use (container limits), not the host's
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)))
    monkeypatch.setattr(job_module, "visible_gpus", lambda: gpus)
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {"model": "yolov8n.yaml", "epochs": "1", **hyperparameters})

    Job(opt).run()

    assert f"device={device} workers={workers} " in capsys.readouterr().out
    (train_args,) = calls
    assert (train_args["device"], train_args["workers"]) == (device, workers)
    assert evaluated == [(device, workers)]


def write_unfinished_checkpoint(path: Path, epoch: int, epochs: int) -> None:
    """What ultralytics writes after each epoch: optimizer state kept, 0-based epoch."""
    from ultralytics.nn.tasks import DetectionModel

    model = DetectionModel("yolov8n.yaml", nc=1, verbose=False)
    torch.save(
        {
            "epoch": epoch,
            "optimizer": {"state": {}, "param_groups": []},
            "model": None,
            "ema": model.half(),
            "train_args": {"model": "yolov8n.yaml", "imgsz": 64, "epochs": epochs},
            "version": ultralytics.__version__,
        },
        path,
    )


def restored_run(opt: OptMl, rows: int) -> Path:
    """A run folder as SageMaker restores it after a hard kill truncated last.pt."""
    run = opt.checkpoints_dir / "train"
    (run / "weights").mkdir(parents=True)
    (run / "weights" / "last.pt").write_bytes(b"\x80\x04truncated")
    lines = "".join(f"{e},0.{e},0.{e}\n" for e in range(1, rows + 1))
    (run / "results.csv").write_text(
        "epoch,metrics/mAP50-95(B),metrics/mAP50(B)\n" + lines
    )
    return run


def test_an_unreadable_last_pt_resumes_from_best_pt_without_repeating_epochs(
    opt, floorplans, monkeypatch
):
    loaded = []
    calls = record_train_calls(monkeypatch)
    real_init = Model.__init__

    def remember(self, model="yolo26n.pt", *args, **kwargs):
        loaded.append(str(model))
        real_init(self, model, *args, **kwargs)

    monkeypatch.setattr(Model, "__init__", remember)
    monkeypatch.setattr(Job, "evaluate", lambda self, *args: None)
    run = restored_run(opt, rows=4)
    write_unfinished_checkpoint(run / "weights" / "best.pt", epoch=1, epochs=5)
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, dict(TINY_TRAINING, epochs="5"))

    Job(opt).run()

    assert loaded == [str(run / "weights" / "best.pt")]
    ((train_args),) = calls
    assert train_args["resume"] is True
    # epochs 3 and 4 run again after best.pt's epoch 2: their old rows are gone
    assert (run / "results.csv").read_text().splitlines()[1:] == [
        "1,0.1,0.1",
        "2,0.2,0.2",
    ]
    assert (run / "weights" / "best.pt").exists()


def test_an_unusable_run_folder_is_set_aside_not_deleted(opt, floorplans, monkeypatch):
    calls = record_train_calls(monkeypatch)
    monkeypatch.setattr(Job, "evaluate", lambda self, *args: None)
    run = restored_run(opt, rows=3)  # and no best.pt
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, dict(TINY_TRAINING, epochs="5"))

    Job(opt).run()

    ((train_args),) = calls
    assert "resume" not in train_args and train_args["name"] == "train"
    (aside,) = opt.checkpoints_dir.glob("train-unreadable-*")
    assert (aside / "weights" / "last.pt").read_bytes() == b"\x80\x04truncated"
    assert len((aside / "results.csv").read_text().splitlines()) == 4
    assert not run.exists()  # the new training starts in a clean folder
