"""Expected failures and the one-line reason SageMaker shows for any failure."""

from __future__ import annotations

import json
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


def oom_reason(batch: int | None, used: int | None = None) -> str:
    """batch: what the user asked for (< 1 or None: auto); used: what the trainer last ran with
    (ultralytics picks one for auto and halves it after an OOM in the first epoch on one GPU)."""
    tail = "or use a larger instance"
    if batch is None or batch < 1:
        chose = f" (ultralytics chose {used})" if used and used > 0 else ""
        return (
            f"CUDA out of memory with batch-size auto{chose}: set batch-size explicitly (e.g. 8) "
            f"or reduce imgsz, {tail}"
        )
    smallest = used if used and 0 < used < batch else batch
    retried = (
        f" (ultralytics already retried down to {smallest})" if smallest < batch else ""
    )
    if smallest == 1:
        return (
            f"CUDA out of memory with batch-size {batch}{retried}: reduce imgsz {tail}"
        )
    return (
        f"CUDA out of memory with batch-size {batch}{retried}: reduce batch-size "
        f"(e.g. {smallest // 2}) or imgsz, {tail}"
    )


def failure_reason(
    exc: BaseException, batch: int | None = None, used_batch: int | None = None
) -> str:
    if isinstance(exc, JobError):
        reason = str(exc)
    elif is_cuda_oom(exc):
        reason = oom_reason(batch, used_batch)
    else:
        reason = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return re.sub(r"\s+", " ", reason).strip()[:MAX_REASON]


def worker_failure(exc: BaseException) -> dict[str, object]:
    """What a DDP worker leaves for the launching process, which only sees CalledProcessError. The
    launcher words an OOM itself: it knows the batch size the user asked for."""
    return {"reason": failure_reason(exc), "cuda_oom": is_cuda_oom(exc)}


def record_worker_failure(path: Path, exc: BaseException) -> None:
    """Keeps the first failure: when one rank dies the others fail too, only with lost connections."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as f:
            f.write(json.dumps(worker_failure(exc)))
    except FileExistsError:
        pass


def read_worker_failure(
    path: Path, batch: int | None, used_batch: int | None = None
) -> str | None:
    """The reason a DDP worker recorded, or None when there is none (or it cannot be read)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        reason = str(record["reason"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.get("cuda_oom"):
        reason = oom_reason(batch, used_batch)
    return re.sub(r"\s+", " ", reason).strip()[:MAX_REASON] or None


def write_failure(path: Path, reason: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(reason + "\n", encoding="utf-8")


class DistributedError(JobError):
    """A host could not join the group, or a rank failed or lost a peer (the reason names hosts)."""
