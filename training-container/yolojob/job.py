"""The `train` command: SageMaker inputs -> ultralytics training -> model and metrics outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import yaml

from . import stop
from .dataset import (
    CLASSIFY_VAL,
    check_task_yaml,
    prepare_dataset,
)
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
from .errors import (
    DistributedError,
    HyperparameterError,
    StopRequested,
    failure_reason,
    read_worker_failure,
    write_failure,
)
from .evaluate import build_metrics, validate
from .hyperparameters import load_schema, read_hyperparameters
from .launcher import (
    COLLECTIVE_TIMEOUT_ENV,
    COLLECTIVE_TIMEOUT_SECONDS,
    MASTER_ADDR_ENV,
    MASTER_PORT,
    MASTER_PORT_ENV,
    RENDEZVOUS_TIMEOUT_ENV,
    RENDEZVOUS_TIMEOUT_SECONDS,
    SINGLE_HOST,
    Cluster,
    launch_plan,
    never_joined_reason,
    read_cluster,
    uses_torchrun,
    worker_failed_reason,
    world_size,
)
from .metric_lines import print_epoch_line
from .multihost import joined_marker, multihost_trainer
from .outputs import write_outputs
from .paths import CONTAINER_DIR, OptMl, ddp_error_file, work_dir
from .results import epochs_completed, read_results, trim_results
from .resume import EVALUATE, FRESH, RESUME, Decision, inspect_checkpoint
from .tasks import task_from_model

RUN_NAME = "train"  # ultralytics run folder under /opt/ml/checkpoints
STOP_GRACE_SECONDS = 90.0  # SageMaker allows 120 s after SIGTERM
DEFAULT_BATCH = 16  # ultralytics' default, for messages and evaluation
TRAIN_SCRIPT = CONTAINER_DIR / "train.py"
WORKER_SPEC_ENV = "YOLO_JOB_WORKER_SPEC"  # what the launching process decided, for torchrun's workers


def log(message: str) -> None:
    print(f"[yolo-job] {message}", flush=True)


class Job:
    def __init__(self, opt: OptMl):
        self.opt = opt
        self.hp: dict[str, Any] = {}
        self.model: Any = None  # the ultralytics YOLO object while training
        self.ddp = False
        self.task = "detect"
        self.cluster: Cluster = SINGLE_HOST

    @property
    def save_dir(self) -> Path:
        return self.opt.checkpoints_dir / RUN_NAME

    def requested_batch(self) -> int:
        """The batch size the user asked for (< 1: auto)."""
        return self.hp.get("batch", DEFAULT_BATCH)

    def used_batch(self) -> int | None:
        """What the trainer last ran with: ultralytics picks one for auto and halves it after an
        OOM in the first epoch (one GPU only)."""
        trainer = getattr(self.model, "trainer", None)
        return getattr(trainer, "batch_size", None)

    def stopped_reason(self) -> str:
        done = epochs_completed(read_results(self.save_dir / "results.csv"))
        head = "stopped by SIGTERM (spot interruption or StopTrainingJob)"
        if not self.cluster.is_leader:
            return (
                f"{head} on host {self.cluster.current_host}; {self.cluster.leader} (rank 0) "
                "writes the checkpoint every host resumes from"
            )
        if done == 0 or not (self.save_dir / "weights" / "last.pt").exists():
            when = (
                "before the first epoch finished"
                if done == 0
                else f"after {done} completed epoch(s)"
            )
            return f"{head} {when}; no checkpoint yet, so a restarted job starts training over"
        return (
            f"{head} after {done} completed epoch(s); training resumes from the checkpoint in "
            f"{self.opt.checkpoints_dir} if SageMaker restarts the job"
        )

    def run(self) -> None:
        self.hp = read_hyperparameters(self.opt.hyperparameters, load_schema())
        self.cluster = read_cluster(self.opt.resource_config)
        multihost = uses_torchrun(self.cluster)
        self.task = self.hp.get("task") or task_from_model(self.hp.get("model"))
        data = prepare_dataset(self.opt, work_dir(), self.task)
        check_task_yaml(data, self.task)
        log(f"task: {self.task}; dataset: {data}")

        import ultralytics

        disable_sync()
        gpus = visible_gpus()
        device = device_string(gpus)
        workers = self.hp.get("workers", default_workers(cpu_count(), gpus))
        self.ddp = gpus > 1 or multihost
        batch = self.hp.get("batch", DEFAULT_BATCH)
        if multihost:
            self.check_multihost_batch(batch, gpus)
        elif self.ddp and batch < 1:
            raise HyperparameterError(
                f'hyperparameter batch="-1": auto batch does not work with {gpus} GPUs; set batch'
            )
        log(f"device={device} workers={workers} ultralytics={ultralytics.__version__}")

        weights = self.save_dir / "weights"
        decision = inspect_checkpoint(weights / "last.pt")
        log(f"checkpoint: {decision.reason}")
        if decision.action != EVALUATE:
            self.prepare_run(decision)
            if multihost:
                self.train_across_hosts(decision, data, device, workers, gpus)
            else:
                self.fit(decision, data, device, workers)
        if not self.cluster.is_leader:
            # rank 0's host writes every output; model/ and output/data stay empty here (README)
            log(
                f"host {self.cluster.current_host} done; {self.cluster.leader} (rank 0) writes "
                "the model and metrics"
            )
            return
        self.evaluate(data, device, workers, ultralytics.__version__)

    def check_multihost_batch(self, batch: int, gpus: int) -> None:
        ranks = world_size(self.cluster, gpus)
        if batch < 1:
            raise HyperparameterError(
                f'hyperparameter batch="{batch}": auto batch does not work across '
                f"{self.cluster.size} hosts; set batch (the global batch, split over {ranks} ranks)"
            )
        if batch < ranks:
            raise HyperparameterError(
                f'hyperparameter batch="{batch}": the global batch is split over {ranks} ranks '
                f"({self.cluster.size} hosts x {max(gpus, 1)}), so it must be at least {ranks}"
            )

    def train_across_hosts(
        self, decision: Decision, data: Path, device: str, workers: int, gpus: int
    ) -> None:
        """This host's torchrun: one worker per GPU (one on CPU) joins the group of all hosts."""
        cluster = self.cluster
        master = os.environ.get(MASTER_ADDR_ENV) or cluster.leader
        port = int(os.environ.get(MASTER_PORT_ENV) or MASTER_PORT)
        rendezvous = int(
            os.environ.get(RENDEZVOUS_TIMEOUT_ENV) or RENDEZVOUS_TIMEOUT_SECONDS
        )
        collective = int(
            os.environ.get(COLLECTIVE_TIMEOUT_ENV) or COLLECTIVE_TIMEOUT_SECONDS
        )
        plan = launch_plan(
            cluster,
            gpus,
            sys.executable,
            [str(TRAIN_SCRIPT), "worker"],
            master_addr=master,
            master_port=port,
            rendezvous_timeout=rendezvous,
            collective_timeout=collective,
        )
        assert plan is not None
        spec = {
            "task": self.task,
            "data": str(data),
            "device": device,
            "workers": workers,
            "decision": decision.__dict__,
        }
        env = {**os.environ, **plan.env, WORKER_SPEC_ENV: json.dumps(spec)}
        joined_marker().unlink(missing_ok=True)
        stop.check_stop()
        log(
            f"host {cluster.current_host} is node {cluster.node_rank + 1} of {cluster.size} "
            f"(master {master}:{port}): {' '.join(plan.argv)}"
        )
        code = subprocess.run(plan.argv, env=env, check=False).returncode
        if stop.stop_requested():
            raise StopRequested("stopped by SIGTERM")
        if code == 0:
            return
        rank_reason = read_worker_failure(
            ddp_error_file(), self.requested_batch(), None
        )
        if not joined_marker().exists():
            raise DistributedError(
                never_joined_reason(cluster, master, port, rendezvous, rank_reason or "")
            )
        raise DistributedError(
            worker_failed_reason(
                cluster, rank_reason or f"torchrun exited with status {code}"
            )
        )

    def set_old_run_aside(self) -> Path:
        """Renames the run folder so a new training starts clean while nothing of it is lost."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        aside = self.save_dir.with_name(f"{RUN_NAME}-unreadable-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.save_dir.with_name(f"{RUN_NAME}-unreadable-{stamp}-{n}")
        self.save_dir.rename(aside)
        return aside

    def prepare_run(self, decision: Decision) -> None:
        """The run folder a new training starts in; once per host, before any worker starts."""
        if decision.action == FRESH:
            if decision.keep_old_run and self.save_dir.exists():
                log(f"kept the unusable run folder as {self.set_old_run_aside()}")
            else:
                # leftovers of an epoch that never finished
                shutil.rmtree(self.save_dir, ignore_errors=True)

    def fit(
        self,
        decision: Decision,
        data: Path,
        device: str,
        workers: int,
        multihost: bool = False,
    ) -> None:
        """ultralytics training in this process (and its own DDP workers for several GPUs);
        multihost: this process is one torchrun rank of a group across hosts."""
        from ultralytics import YOLO

        if decision.action == FRESH:
            self.model = YOLO(resolve_model(self.hp.get("model"), weights_dir()))
            self.check_model_task(self.hp.get("model"))
            # the task is the model's (checked above), not a train argument
            args = {k: v for k, v in self.hp.items() if k not in {"model", "task"}}
            args.update(
                data=str(data),
                project=str(self.opt.checkpoints_dir),
                name=RUN_NAME,
                exist_ok=True,
            )
        else:
            assert decision.action == RESUME and decision.next_epoch is not None
            # rows past the checkpoint (an earlier best.pt, or a kill between the row and last.pt)
            dropped = trim_results(
                self.save_dir / "results.csv", decision.next_epoch - 1
            )
            if dropped:
                log(
                    f"results.csv: dropped {dropped} row(s) after the checkpoint's epoch"
                )
            self.model = YOLO(str(self.save_dir / "weights" / decision.checkpoint))
            self.check_model_task(decision.checkpoint)
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
        # a SIGTERM during setup (dataset, model) ends the job here, not after ultralytics' setup
        stop.check_stop()
        if multihost:
            args["trainer"] = multihost_trainer(self.model._smart_load("trainer"))
        self.model.train(**args)
        # DDP: the workers ended on the forwarded signal, not through check_stop
        if stop.stop_requested():
            raise StopRequested("stopped by SIGTERM")

    def check_model_task(self, name: object) -> None:
        """ultralytics trains the task of the model (a checkpoint's own, a yaml's head), whatever
        the data: a mismatch would train, say, boxes on a segment dataset and report box metrics."""
        if self.model.task != self.task:
            raise HyperparameterError(
                f'hyperparameter task="{self.task}": model {name} is a {self.model.task} model; '
                f"use a {self.task} model (e.g. {example_model(self.task)}) "
                f"or task={self.model.task}"
            )

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
        trained = train_args.get("task")
        if trained and trained != self.task:
            # e.g. a finished checkpoint of an earlier job with another task
            raise HyperparameterError(
                f'hyperparameter task="{self.task}": {best.name} in {weights} was trained as '
                f"task={trained}; use task={trained} or a new checkpoint directory"
            )
        imgsz = int(train_args.get("imgsz") or self.hp.get("imgsz", 640))
        batch = self.hp.get("batch", DEFAULT_BATCH)
        val_args = {
            "imgsz": imgsz,
            "batch": batch if batch > 0 else DEFAULT_BATCH,
            "device": device.split(",")[0],  # evaluation runs on one device
            "workers": workers,
        }
        splits = {}
        for split in ("val", "test") if has_test_split(data, self.task) else ("val",):
            log(f"evaluating {best.name} on {split}")
            stop.check_stop()
            splits[split] = validate(
                best, data, split, val_args, work_dir() / "eval", task=self.task
            )

        rows = read_results(self.save_dir / "results.csv")
        model_name = self.hp.get("model") or Path(str(train_args.get("model"))).name
        metrics = build_metrics(
            splits,
            rows,
            model=model_name,
            imgsz=imgsz,
            ultralytics_version=version,
            task=self.task,
        )
        record = {
            "schema": 1,
            "hyperparameters": self.hp,
            "device": device,
            "workers": workers,
            "hosts": list(self.cluster.hosts),
            "evaluated": best.name,
            "metrics": metrics,
            "epochs": rows,
        }
        write_outputs(self.opt, self.save_dir, best, metrics, record)
        headline = (
            ("top1", "top5")
            if self.task == "classify"
            else ("map50", "map50_95", "precision", "recall")
        )
        log(
            f"{metrics['split']} ({self.task}, {metrics['primary']}): "
            + " ".join(f"{k}={metrics[k]:.4f}" for k in headline)
            + f" epochs={metrics['epochs_completed']} best_epoch={metrics['best_epoch']}"
        )


TASK_SUFFIX = {"segment": "-seg", "obb": "-obb", "pose": "-pose", "classify": "-cls"}


def example_model(task: str) -> str:
    return f"yolov8n{TASK_SUFFIX.get(task, '')}.pt"


def has_test_split(data: Path, task: str) -> bool:
    """A test split to report besides val. classify: a test/ folder next to a val/ one (without
    a val folder ultralytics validates on test, so it is the val split already)."""
    if task == "classify":
        return (data / "test").is_dir() and any(
            (data / v).is_dir() for v in CLASSIFY_VAL
        )
    return bool(yaml.safe_load(data.read_text(encoding="utf-8")).get("test"))


def worker_main() -> int:
    """One torchrun rank (see Job.train_across_hosts): trains what the launching process decided.
    An uncaught failure leaves its reason through yolojob.stop's worker excepthook."""
    stop.exit_with_parent()
    opt = OptMl.from_env()
    spec = json.loads(os.environ[WORKER_SPEC_ENV])
    prepare_offline()
    job = Job(opt)
    job.hp = read_hyperparameters(opt.hyperparameters, load_schema())
    job.task = spec["task"]
    disable_sync()
    try:
        job.fit(
            Decision(**spec["decision"]),
            Path(spec["data"]),
            spec["device"],
            spec["workers"],
            multihost=True,
        )
    except StopRequested:
        return stop.EXIT_STOPPED
    return 0


def main(argv: list[str]) -> int:
    if argv == ["worker"] and WORKER_SPEC_ENV in os.environ:
        return worker_main()
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

    def on_timeout() -> None:
        write_failure(
            opt.failure_file,
            job.stopped_reason()
            + " (hard exit: no safe point within the grace period)",
        )

    stop.install(STOP_GRACE_SECONDS, on_timeout, forward=lambda: job.ddp)
    try:
        ddp_error_file().unlink(missing_ok=True)  # likewise a DDP worker's
        prepare_offline()  # before ultralytics is imported
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
        # DDP: the launcher only sees the workers' exit status; a failing worker left its reason
        worker_reason = (
            read_worker_failure(
                ddp_error_file(), job.requested_batch(), job.used_batch()
            )
            if isinstance(e, subprocess.CalledProcessError)
            else None
        )
        reason = worker_reason or failure_reason(
            e, job.requested_batch(), job.used_batch()
        )
        traceback.print_exc()
        print(f"[yolo-job] FAILED: {reason}", file=sys.stderr, flush=True)
        write_failure(opt.failure_file, reason)
        return 1
    return 0
