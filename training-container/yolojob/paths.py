"""The SageMaker /opt/ml layout, movable with OPT_ML_ROOT for local runs and tests."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

# training-container/ (or /opt/program in the image): holds the shared JSON contracts
CONTAINER_DIR = Path(__file__).resolve().parent.parent
SCHEMA_FILE = CONTAINER_DIR / "hyperparameters.schema.json"
METRIC_DEFINITIONS_FILE = CONTAINER_DIR / "metric-definitions.json"


@dataclass(frozen=True)
class OptMl:
    root: Path

    @classmethod
    def from_env(cls) -> OptMl:
        # absolute: ultralytics puts a relative `project` under its own runs dir
        return cls(Path(os.environ.get("OPT_ML_ROOT") or "/opt/ml").absolute())

    @property
    def config_dir(self) -> Path:
        return self.root / "input" / "config"

    @property
    def hyperparameters(self) -> Path:
        return self.config_dir / "hyperparameters.json"

    @property
    def resource_config(self) -> Path:
        return self.config_dir / "resourceconfig.json"

    @property
    def input_data_config(self) -> Path:
        return self.config_dir / "inputdataconfig.json"

    @property
    def data_dir(self) -> Path:
        return self.root / "input" / "data"

    @property
    def model_dir(self) -> Path:
        return self.root / "model"

    @property
    def output_data_dir(self) -> Path:
        return self.root / "output" / "data"

    @property
    def failure_file(self) -> Path:
        return self.root / "output" / "failure"

    @property
    def checkpoints_dir(self) -> Path:
        return self.root / "checkpoints"

    @property
    def scratch_dir(self) -> Path:
        """On the job's storage volume (a disk cache can be tens of GB, more than the container's root
        filesystem holds) and outside model/, output/ and checkpoints/, which SageMaker uploads."""
        return self.root / "input" / "yolo-job"


WORK_DIR_ENV = "YOLO_JOB_WORKDIR"
DDP_ERROR_FILE = "ddp-error"


def streams_input(opt: OptMl) -> bool:
    """True when a channel uses FastFile: SageMaker then mounts the input read-only from S3, so
    nothing may be written under input/."""
    if not opt.input_data_config.exists():
        return False
    try:
        channels = json.loads(opt.input_data_config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(channels, dict) and any(
        isinstance(c, dict) and c.get("TrainingInputMode") == "FastFile"
        for c in channels.values()
    )


def work_dir() -> Path:
    """Writable scratch space (rebuilt dataset trees, ultralytics' caches, evaluation runs):
    $YOLO_JOB_WORKDIR, else <OPT_ML_ROOT>/input/yolo-job, or <temp dir>/yolo-job with FastFile."""
    override = os.environ.get(WORK_DIR_ENV)
    if override:
        return Path(override).absolute()
    opt = OptMl.from_env()
    if streams_input(opt):
        return Path(tempfile.gettempdir()).absolute() / "yolo-job"
    return opt.scratch_dir


def ddp_error_file() -> Path:
    """Where a DDP worker leaves the reason it failed for the launching process to report."""
    return work_dir() / DDP_ERROR_FILE
