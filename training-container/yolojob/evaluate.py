"""Evaluates the trained model and builds metrics.json (schema in DESIGN.md).

The numbers always come from validating best.pt here, never from model.train()'s return value:
that is None under multi-GPU DDP, and it would not cover the test split anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .results import best_epoch, epochs_completed

SCHEMA_VERSION = 1


def split_metrics(m: Any) -> dict[str, Any]:
    """Overall and per-class numbers from an ultralytics DetMetrics."""
    box = m.box
    names: dict[int, str] = dict(m.names)
    instances = getattr(m, "nt_per_class", None)
    index = {
        int(c): i for i, c in enumerate(box.ap_class_index)
    }  # classes present in the split
    per_class = []
    for cls, name in sorted(names.items()):
        i = index.get(cls)
        per_class.append(
            {
                "name": name,
                "instances": int(instances[cls])
                if instances is not None and cls < len(instances)
                else 0,
                "ap50": float(box.ap50[i]) if i is not None else 0.0,
                "ap50_95": float(box.ap[i]) if i is not None else 0.0,
                "precision": float(box.p[i]) if i is not None else 0.0,
                "recall": float(box.r[i]) if i is not None else 0.0,
            }
        )
    return {
        "map50": float(box.map50),
        "map50_95": float(box.map),
        "precision": float(box.mp),
        "recall": float(box.mr),
        "per_class": per_class,
    }


def validate(
    weights: Path, data: Path, split: str, args: dict[str, Any], project: Path
) -> dict[str, Any]:
    from ultralytics import YOLO

    metrics = YOLO(str(weights)).val(
        data=str(data),
        split=split,
        project=str(project),
        name=split,
        exist_ok=True,
        plots=False,
        **args,
    )
    return split_metrics(metrics)


def build_metrics(
    splits: dict[str, dict[str, Any]],
    rows: list[dict[str, float]],
    *,
    model: str,
    imgsz: int,
    ultralytics_version: str,
) -> dict[str, Any]:
    """Headline numbers from `test` when the dataset has one (never used to pick best.pt), else `val`."""
    headline = "test" if "test" in splits else "val"
    return {
        "schema": SCHEMA_VERSION,
        **splits[headline],
        "split": headline,
        "epochs_completed": epochs_completed(rows),
        "best_epoch": best_epoch(rows),
        "ultralytics_version": ultralytics_version,
        "imgsz": imgsz,
        "model": model,
        "splits": splits,
    }
