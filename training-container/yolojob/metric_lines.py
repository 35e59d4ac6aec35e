"""The per-epoch metric line SageMaker scrapes (regexes in metric-definitions.json).

Printed from the trainer's own thread right after ultralytics appends the epoch's results.csv
row, so the line never lands inside a progress bar and comes from the same numbers as the file.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import METRIC_DEFINITIONS_FILE
from .results import EPOCH, read_results


@dataclass(frozen=True)
class MetricDefinition:
    name: str
    regex: str
    key: str
    column: str


@dataclass(frozen=True)
class MetricFormat:
    prefix: str
    definitions: tuple[MetricDefinition, ...]


def load_format(path: Path = METRIC_DEFINITIONS_FILE) -> MetricFormat:
    doc = json.loads(path.read_text(encoding="utf-8"))
    defs = tuple(
        MetricDefinition(d["Name"], d["Regex"], d["key"], d["column"])
        for d in doc["definitions"]
    )
    return MetricFormat(doc["linePrefix"], defs)


def format_line(fmt: MetricFormat, row: dict[str, float]) -> str:
    parts = [fmt.prefix]
    for d in fmt.definitions:
        value = row.get(d.column, math.nan)
        if not math.isfinite(
            value
        ):  # SageMaker needs a number; "nan" would only confuse its charts
            continue
        parts.append(
            f"{d.key}={int(value)}" if d.column == EPOCH else f"{d.key}={value:.6g}"
        )
    return " ".join(parts)


def parse_line(fmt: MetricFormat, line: str) -> dict[str, float]:
    """What SageMaker would record from one log line: Name -> first capture of each matching Regex."""
    found = {}
    for d in fmt.definitions:
        m = re.search(d.regex, line)
        if m:
            found[d.name] = float(m.group(1))
    return found


_format: MetricFormat | None = None


def print_epoch_line(trainer: Any) -> None:
    """ultralytics on_fit_epoch_end callback: prints the row results.csv just got for this epoch.

    A module-level function, so it also runs inside multi-GPU (DDP) workers, where ultralytics
    rebuilds the trainer with pickled callbacks; only rank 0 writes results.csv, so only it prints.
    The final evaluation calls the same event with epoch + 1, which has no row: nothing printed.
    """
    from ultralytics.utils import RANK

    global _format
    if RANK not in {-1, 0}:
        return
    _format = _format or load_format()
    epoch = trainer.epoch + 1  # 0-based in the trainer, 1-based in results.csv
    row = next(
        (r for r in reversed(read_results(Path(trainer.csv))) if r.get(EPOCH) == epoch),
        None,
    )
    if row is not None:
        print(format_line(_format, row), flush=True)
