"""Evaluates the trained model and builds metrics.json (schema in DESIGN.md).

The numbers always come from validating best.pt here, never from model.train()'s return value:
that is None under multi-GPU DDP, and it would not cover the test split anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .results import best_epoch, epochs_completed
from .tasks import block, metric_kinds, primary_kind

SCHEMA_VERSION = 1


def per_class(m: Any, metric: Any) -> list[dict[str, Any]]:
    """Per-class numbers of one block (box, seg or pose) of an ultralytics DetMetrics."""
    names: dict[int, str] = dict(m.names)
    instances = getattr(m, "nt_per_class", None)
    index = {
        int(c): i for i, c in enumerate(metric.ap_class_index)
    }  # classes present in the split
    rows = []
    for cls, name in sorted(names.items()):
        i = index.get(cls)
        rows.append(
            {
                "name": name,
                "instances": int(instances[cls])
                if instances is not None and cls < len(instances)
                else 0,
                "ap50": float(metric.ap50[i]) if i is not None else 0.0,
                "ap50_95": float(metric.ap[i]) if i is not None else 0.0,
                "precision": float(metric.p[i]) if i is not None else 0.0,
                "recall": float(metric.r[i]) if i is not None else 0.0,
            }
        )
    return rows


# ultralytics' attribute for each kind of block: DetMetrics.box, SegmentMetrics.seg, PoseMetrics.pose
_ATTRIBUTE = {"box": "box", "mask": "seg", "pose": "pose"}


def split_metrics(m: Any, task: str = "detect") -> dict[str, Any]:
    """One split's numbers from the ultralytics metrics object of the task.

    The top-level map50/map50_95/precision/recall are the task's primary block (masks for
    segment, boxes otherwise) so readers of schema 1 keep working; every block the task reports
    is also written under its own key (`box`, `mask`, `pose`). classify has top1/top5 instead."""
    if task == "classify":
        return {"top1": float(m.top1), "top5": float(m.top5), "per_class": []}
    kinds = metric_kinds(task)
    blocks = {kind: block(getattr(m, _ATTRIBUTE[kind])) for kind in kinds}
    primary = getattr(m, _ATTRIBUTE[kinds[0]])
    return {
        **blocks[kinds[0]],
        **blocks,
        "per_class": per_class(m, primary),
    }


def validate(
    weights: Path,
    data: Path,
    split: str,
    args: dict[str, Any],
    project: Path,
    task: str = "detect",
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
    return split_metrics(metrics, task)


def build_metrics(
    splits: dict[str, dict[str, Any]],
    rows: list[dict[str, float]],
    *,
    model: str,
    imgsz: int,
    ultralytics_version: str,
    task: str = "detect",
) -> dict[str, Any]:
    """Headline numbers from `test` when the dataset has one (never used to pick best.pt), else `val`."""
    headline = "test" if "test" in splits else "val"
    return {
        "schema": SCHEMA_VERSION,
        "task": task,
        "primary": primary_kind(task),
        **splits[headline],
        "split": headline,
        "epochs_completed": epochs_completed(rows),
        "best_epoch": best_epoch(rows, task),
        "ultralytics_version": ultralytics_version,
        "imgsz": imgsz,
        "model": model,
        "splits": splits,
    }
