"""The SageMaker /opt/ml layout, movable with OPT_ML_ROOT for local runs and tests."""

from __future__ import annotations

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
        return cls(Path(os.environ.get("OPT_ML_ROOT", "/opt/ml")))

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


def work_dir() -> Path:
    """Writable scratch space (rebuilt dataset trees, evaluation runs); never under /opt/ml."""
    return Path(
        os.environ.get("YOLO_JOB_WORKDIR") or Path(tempfile.gettempdir()) / "yolo-job"
    )
