"""Reads ultralytics results.csv: one row per finished epoch, columns looked up by trimmed name."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

EPOCH = "epoch"
FITNESS = "metrics/mAP50-95(B)"  # ultralytics' detection fitness


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def parse_results_csv(text: str) -> list[dict[str, float]]:
    """Complete lines only: a row still being appended (no newline yet) is not an epoch yet."""
    if not text.endswith("\n"):
        text = text[: text.rfind("\n") + 1]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]  # ultralytics < 8.3.9 space-padded its header
    return [
        {h: _number(v.strip()) for h, v in zip(header, row)} for row in rows[1:] if row
    ]


def read_results(path: Path) -> list[dict[str, float]]:
    return parse_results_csv(path.read_text(encoding="utf-8")) if path.exists() else []


def epochs_completed(rows: list[dict[str, float]]) -> int:
    epochs = [r[EPOCH] for r in rows if math.isfinite(r.get(EPOCH, math.nan))]
    return int(max(epochs)) if epochs else 0


def best_epoch(rows: list[dict[str, float]]) -> int | None:
    """The epoch best.pt was saved at: the first with the highest fitness, as ultralytics keeps it."""
    best, best_fit = None, -math.inf
    for r in rows:
        fit = r.get(FITNESS, math.nan)
        if math.isfinite(fit) and fit > best_fit:
            best, best_fit = int(r[EPOCH]), fit
    return best
