"""Writes what SageMaker uploads: output/data (output.tar.gz) and model (model.tar.gz)."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

from .paths import OptMl


def strict_json(value: Any) -> Any:
    """NaN/Infinity become null: JSON.parse on the action side rejects Python's NaN literal."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: strict_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_json(v) for v in value]
    return value


def write_json(path: Path, value: Any) -> None:
    path.write_text(
        json.dumps(strict_json(value), indent=2, allow_nan=False) + "\n",
        encoding="utf-8",
    )


# ultralytics' own plots in its run directory (drawn when `plots` is on, the default): the loss and
# metric curves, the confusion matrices, the PR/F1/P/R curves (Box*, Mask*, Pose* by task) and the
# validation batches with predictions. Reviewers look at these before the numbers.
PLOT_PATTERNS = (
    "results.png",
    "confusion_matrix*.png",
    "*PR_curve.png",
    "*F1_curve.png",
    "*P_curve.png",
    "*R_curve.png",
    "val_batch*_pred.jpg",
)


def copy_plots(run_dir: Path, out: Path) -> list[str]:
    """Copies the plots into out/plots/ (SageMaker packs out into output.tar.gz)."""
    names = sorted(
        {
            p.name
            for pattern in PLOT_PATTERNS
            for p in run_dir.glob(pattern)
            if p.is_file()
        }
    )
    if names:
        (out / "plots").mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(run_dir / name, out / "plots" / name)
    return names


def write_outputs(
    opt: OptMl, run_dir: Path, evaluated: Path, metrics: dict, record: dict
) -> None:
    out, model_dir, weights = opt.output_data_dir, opt.model_dir, run_dir / "weights"
    out.mkdir(parents=True, exist_ok=True)
    model_dir.mkdir(parents=True, exist_ok=True)
    write_json(out / "metrics.json", metrics)
    if (run_dir / "results.csv").exists():
        shutil.copyfile(run_dir / "results.csv", out / "results.csv")
    copy_plots(run_dir, out)
    # copies, not moves: the checkpoint dir must stay complete for a restart after this point
    shutil.copyfile(evaluated, model_dir / "best.pt")
    if (weights / "last.pt").exists():
        shutil.copyfile(weights / "last.pt", model_dir / "last.pt")
    write_json(model_dir / "training_metrics.json", record)
