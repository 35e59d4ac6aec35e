"""Expected failures and the one-line reason SageMaker shows for any failure."""

from __future__ import annotations

import re
from pathlib import Path

MAX_REASON = 1024  # SageMaker keeps the first 1024 characters as FailureReason


class JobError(Exception):
    """A failure whose message already is the complete, user-facing reason."""


class HyperparameterError(JobError):
    pass


class DatasetError(JobError):
    pass


class UnsupportedError(JobError):
    pass


class StopRequested(Exception):
    """SIGTERM (spot reclaim, StopTrainingJob) reached a safe point; the checkpoint stays resumable."""


def is_cuda_oom(exc: BaseException) -> bool:
    # torch.cuda.OutOfMemoryError subclasses RuntimeError; older paths only say it in the message.
    return type(exc).__name__ == "OutOfMemoryError" or "CUDA out of memory" in str(exc)


def oom_reason(batch: int | None) -> str:
    tail = "or use a larger instance"
    if batch is None or batch < 1:
        return f"CUDA out of memory with batch-size auto: set batch-size explicitly (e.g. 8) or reduce imgsz, {tail}"
    if batch == 1:
        return f"CUDA out of memory with batch-size 1: reduce imgsz {tail}"
    return f"CUDA out of memory with batch-size {batch}: reduce batch-size (e.g. {batch // 2}) or imgsz, {tail}"


def failure_reason(exc: BaseException, batch: int | None = None) -> str:
    if isinstance(exc, JobError):
        reason = str(exc)
    elif is_cuda_oom(exc):
        reason = oom_reason(batch)
    else:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return re.sub(r"\s+", " ", reason).strip()[:MAX_REASON]


def write_failure(path: Path, reason: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reason + "\n", encoding="utf-8")
