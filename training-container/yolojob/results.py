"""Reads ultralytics results.csv: one row per finished epoch, columns looked up by trimmed name."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from .tasks import fitness

EPOCH = "epoch"


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


def best_epoch(rows: list[dict[str, float]], task: str = "detect") -> int | None:
    """The epoch best.pt was saved at: the first with the highest fitness, as ultralytics keeps it."""
    best, best_fit = None, -math.inf
    for r in rows:
        fit = fitness(r, task)
        if math.isfinite(fit) and fit > best_fit:
            best, best_fit = int(r[EPOCH]), fit
    return best


def trim_results(path: Path, last_epoch: int) -> int:
    """Drops rows after last_epoch (1-based), e.g. before resuming from an earlier checkpoint than
    the table reached, so no epoch appears twice. Returns how many rows were dropped."""
    if not path.exists():
        return 0
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines:
        return 0
    header = [h.strip() for h in next(csv.reader([lines[0]]))]
    if EPOCH not in header:
        return 0
    column = header.index(EPOCH)
    kept = [lines[0]]
    for line in lines[1:]:
        if not line.endswith(
            "\n"
        ):  # half-written by a hard kill: the next row would join it
            continue
        cells = next(csv.reader([line]), [])
        epoch = _number(cells[column].strip()) if len(cells) > column else math.nan
        if math.isfinite(epoch) and epoch <= last_epoch:
            kept.append(line)
    dropped = len(lines) - len(kept)
    if dropped:
        path.write_text("".join(kept), encoding="utf-8")
    return dropped
