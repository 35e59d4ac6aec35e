"""The ultralytics task a job trains, and what each task reports.

The action sends the task as the `task` hyperparameter (from its `task` input, or read from the
model name). Without it the entrypoint reads the name the same way: a `-seg`, `-cls`, `-pose` or
`-obb` stem (or a folder of that task's name) is that task, anything else detects, as
ultralytics' `guess_model_task` reads file names.
"""

from __future__ import annotations

import math
from pathlib import PurePosixPath
from typing import Any

TASKS = ("detect", "segment", "obb", "pose", "classify")

# ultralytics' order: the first match wins (yolov8n-seg-pose.pt would be segment)
_NAMED = (("-seg", "segment"), ("-cls", "classify"), ("-pose", "pose"), ("-obb", "obb"))
_FOLDERS = ("segment", "classify", "pose", "obb", "detect")

# results.csv column suffix and metrics.json block per kind of metric
KIND_SUFFIX = {"box": "(B)", "mask": "(M)", "pose": "(P)"}
TOP1, TOP5 = "metrics/accuracy_top1", "metrics/accuracy_top5"


def task_from_model(model: str | None) -> str:
    path = PurePosixPath((model or "").replace("\\", "/").lower())
    stem = path.name.rsplit(".", 1)[0] if "." in path.name else path.name
    for suffix, task in _NAMED:
        if suffix in stem:
            return task
    for folder in _FOLDERS:
        if folder in path.parts[:-1]:
            return folder
    return "detect"


def metric_kinds(task: str) -> tuple[str, ...]:
    """The mAP blocks a task reports, primary first (empty for classify: top-1/top-5 instead)."""
    return {
        "segment": ("mask", "box"),
        "pose": ("box", "pose"),
        "classify": (),
    }.get(task, ("box",))


def primary_kind(task: str) -> str:
    """What the headline numbers (and the action's gate) are: masks for segment, top-1/top-5
    accuracy for classify, boxes for everything else (pose included, as the issue specifies)."""
    kinds = metric_kinds(task)
    return kinds[0] if kinds else "accuracy"


def column(name: str, kind: str) -> str:
    """The results.csv column of a metric: column('mAP50-95', 'mask') -> metrics/mAP50-95(M)."""
    return f"metrics/{name}{KIND_SUFFIX[kind]}"


def fitness(row: dict[str, float], task: str) -> float:
    """ultralytics' fitness of a results.csv row, which decides best.pt: mAP50-95 of every block
    the task reports, summed (boxes + masks, boxes + keypoints); mean of top-1 and top-5 for
    classify."""
    if task == "classify":
        return (row.get(TOP1, math.nan) + row.get(TOP5, math.nan)) / 2
    return sum(row.get(column("mAP50-95", k), math.nan) for k in metric_kinds(task))


def block(metric: Any) -> dict[str, float]:
    """An ultralytics Metric (box, seg or pose) as a metrics.json block."""
    return {
        "map50": float(metric.map50),
        "map50_95": float(metric.map),
        "precision": float(metric.mp),
        "recall": float(metric.mr),
    }
