"""The per-epoch metric line SageMaker scrapes (regexes in metric-definitions.json).

A follower thread prints one line for every new results.csv row. Reading the file rather than
hooking the trainer works the same for single-device and multi-GPU (DDP) runs, where training
happens in child processes.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


class MetricLineFollower:
    """Prints a metric line for each results.csv row that appears after start()."""

    def __init__(
        self,
        csv_path: Path,
        fmt: MetricFormat,
        emit: Callable[[str], None],
        interval: float = 0.5,
    ):
        self._csv, self._fmt, self._emit, self._interval = csv_path, fmt, emit, interval
        self._seen = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        # rows from before a resume were printed back then
        self._seen = len(read_results(self._csv))
        self._thread = threading.Thread(
            target=self._run, name="metric-lines", daemon=True
        )
        self._thread.start()

    def poll(self) -> None:
        with self._lock:
            rows = read_results(self._csv)
            for row in rows[self._seen :]:
                self._emit(format_line(self._fmt, row))
            self._seen = max(self._seen, len(rows))

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self.poll()  # the last epoch may have landed after the final tick

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.poll()
            except OSError:  # the file is being replaced; the next tick reads it
                continue
