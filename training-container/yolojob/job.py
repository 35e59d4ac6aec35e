"""The `train` command: SageMaker inputs -> ultralytics training -> model and metrics outputs."""

from __future__ import annotations

import shutil
import sys
import traceback
from pathlib import Path
from typing import Any

import yaml

from . import stop
from .dataset import check_single_host, prepare_dataset
from .environment import (
    cpu_count,
    default_workers,
    device_string,
    disable_sync,
    prepare_offline,
    resolve_model,
    visible_gpus,
    weights_dir,
)
from .errors import HyperparameterError, StopRequested, failure_reason, write_failure
from .evaluate import build_metrics, validate
from .hyperparameters import load_schema, read_hyperparameters
from .metric_lines import print_epoch_line
from .outputs import write_outputs
from .paths import OptMl, work_dir
from .results import epochs_completed, read_results
from .resume import EVALUATE, FRESH, RESUME, inspect_checkpoint

RUN_NAME = "train"  # ultralytics run folder under /opt/ml/checkpoints
STOP_GRACE_SECONDS = 90.0  # SageMaker allows 120 s after SIGTERM
DEFAULT_BATCH = 16  # ultralytics' default, for messages and evaluation


def log(message: str) -> None:
    print(f"[yolo-job] {message}", flush=True)


class Job:
    def __init__(self, opt: OptMl):
        self.opt = opt
        self.hp: dict[str, Any] = {}
        self.model: Any = None  # the ultralytics YOLO object while training
        self.ddp = False

    @property
    def save_dir(self) -> Path:
        return self.opt.checkpoints_dir / RUN_NAME

    def effective_batch(self) -> int | None:
        """What the trainer really used: ultralytics halves the batch on OOM in the first epoch."""
        trainer = getattr(self.model, "trainer", None)
        return getattr(trainer, "batch_size", None) or self.hp.get(
            "batch", DEFAULT_BATCH
        )

    def stopped_reason(self) -> str:
        done = epochs_completed(read_results(self.save_dir / "results.csv"))
        return (
            f"stopped by SIGTERM (spot interruption or StopTrainingJob) after {done} completed epoch(s); "
            f"the checkpoint in {self.opt.checkpoints_dir} resumes training on restart"
        )

    def run(self) -> None:
        self.hp = read_hyperparameters(self.opt.hyperparameters, load_schema())
        check_single_host(self.opt.resource_config)
        data = prepare_dataset(self.opt, work_dir())
        log(f"dataset: {data}")

        import ultralytics

        disable_sync()
        gpus = visible_gpus()
        device = device_string(gpus)
        workers = self.hp.get("workers", default_workers(cpu_count(), gpus))
        self.ddp = gpus > 1
        if self.ddp and self.hp.get("batch", DEFAULT_BATCH) < 1:
            raise HyperparameterError(
                f'hyperparameter batch="-1": auto batch does not work with {gpus} GPUs; set batch'
            )
        log(f"device={device} workers={workers} ultralytics={ultralytics.__version__}")

        weights = self.save_dir / "weights"
        decision = inspect_checkpoint(weights / "last.pt")
        log(f"checkpoint: {decision.reason}")
        if decision.action != EVALUATE:
            self.train(decision.action, data, device, workers)
        self.evaluate(data, device, workers, ultralytics.__version__)

    def train(self, action: str, data: Path, device: str, workers: int) -> None:
        from ultralytics import YOLO

        if action == FRESH:
            # leftovers of an epoch that never finished
            shutil.rmtree(self.save_dir, ignore_errors=True)
            self.model = YOLO(resolve_model(self.hp.get("model"), weights_dir()))
            args = {k: v for k, v in self.hp.items() if k != "model"}
            args.update(
                data=str(data),
                project=str(self.opt.checkpoints_dir),
                name=RUN_NAME,
                exist_ok=True,
            )
        else:
            assert action == RESUME
            self.model = YOLO(str(self.save_dir / "weights" / "last.pt"))
            # ultralytics restores every other argument from the checkpoint; data moved, devices may differ
            args = {"resume": True, "data": str(data)}
        args.update(device=device, workers=workers)
        if device == "cpu":
            # AMP needs CUDA; ultralytics would only warn and run its check
            args["amp"] = False
        # the epoch's line first: a stop requested during the epoch still reports it
        self.model.add_callback("on_fit_epoch_end", print_epoch_line)
        for event in stop.STOP_EVENTS:
            self.model.add_callback(event, stop.check_stop)
        self.model.train(**args)
        # DDP: the workers ended on the forwarded signal, not through check_stop
        if stop.stop_requested():
            raise StopRequested("stopped by SIGTERM")

    def evaluate(self, data: Path, device: str, workers: int, version: str) -> None:
        """Validates best.pt on val (and test) and writes every output file."""
        weights = self.save_dir / "weights"
        best = (
            weights / "best.pt"
            if (weights / "best.pt").exists()
            else weights / "last.pt"
        )
        if not best.exists():
            raise FileNotFoundError(f"training produced no checkpoint in {weights}")
        from ultralytics.utils.patches import torch_load

        train_args = torch_load(best, map_location="cpu").get("train_args") or {}
        imgsz = int(train_args.get("imgsz") or self.hp.get("imgsz", 640))
        batch = self.hp.get("batch", DEFAULT_BATCH)
        val_args = {
            "imgsz": imgsz,
            "batch": batch if batch > 0 else DEFAULT_BATCH,
            "device": device.split(",")[0],  # evaluation runs on one device
            "workers": workers,
        }
        has_test = bool(yaml.safe_load(data.read_text(encoding="utf-8")).get("test"))
        splits = {}
        for split in ("val", "test") if has_test else ("val",):
            log(f"evaluating {best.name} on {split}")
            stop.check_stop()
            splits[split] = validate(best, data, split, val_args, work_dir() / "eval")

        rows = read_results(self.save_dir / "results.csv")
        model_name = self.hp.get("model") or Path(str(train_args.get("model"))).name
        metrics = build_metrics(
            splits, rows, model=model_name, imgsz=imgsz, ultralytics_version=version
        )
        record = {
            "schema": 1,
            "hyperparameters": self.hp,
            "device": device,
            "workers": workers,
            "evaluated": best.name,
            "metrics": metrics,
            "epochs": rows,
        }
        write_outputs(self.opt, self.save_dir, best, metrics, record)
        log(
            f"{metrics['split']}: map50={metrics['map50']:.4f} map50_95={metrics['map50_95']:.4f} "
            f"precision={metrics['precision']:.4f} recall={metrics['recall']:.4f} "
            f"epochs={metrics['epochs_completed']} best_epoch={metrics['best_epoch']}"
        )


def main(argv: list[str]) -> int:
    if argv != ["train"]:
        print(
            "usage: train.py train   (SageMaker runs the image as `docker run <image> train`)",
            file=sys.stderr,
        )
        return 2
    opt = OptMl.from_env()
    # a reason left by an earlier attempt is not this run's
    opt.failure_file.unlink(missing_ok=True)
    job = Job(opt)
    prepare_offline()

    def on_timeout() -> None:
        write_failure(
            opt.failure_file,
            job.stopped_reason()
            + " (hard exit: no safe point within the grace period)",
        )

    stop.install(STOP_GRACE_SECONDS, on_timeout, forward=lambda: job.ddp)
    try:
        job.run()
    except StopRequested:
        reason = job.stopped_reason()
        log(reason)
        write_failure(opt.failure_file, reason)
        return stop.EXIT_STOPPED
    except Exception as e:  # noqa: BLE001 - the one boundary that turns any failure into a reason
        if (
            stop.stop_requested()
        ):  # e.g. the DDP launcher failing because its workers got SIGTERM
            write_failure(opt.failure_file, job.stopped_reason())
            return stop.EXIT_STOPPED
        reason = failure_reason(e, job.effective_batch())
        traceback.print_exc()
        print(f"[yolo-job] FAILED: {reason}", file=sys.stderr, flush=True)
        write_failure(opt.failure_file, reason)
        return 1
    return 0
