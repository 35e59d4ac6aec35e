"""SIGTERM (spot reclaim, StopTrainingJob): stop at the next safe point within SageMaker's 120 s.

The handler only sets a flag; check_stop, registered as an ultralytics callback between batches
and epochs, raises StopRequested there. ultralytics writes last.pt at the end of every epoch and
never mid-epoch, so stopping between batches loses at most the epoch in progress and leaves a
resumable checkpoint. A watchdog exits hard if no safe point comes in time.

check_stop is a module-level function on purpose: for multi-GPU runs ultralytics pickles the
callbacks into its DDP workers, and a module function pickles by reference. Those workers have
no flag; the parent forwards SIGTERM to them instead.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable

from .errors import StopRequested

EXIT_STOPPED = 128 + signal.SIGTERM  # the conventional "terminated" status, non-zero
STOP_EVENTS = (
    "on_pretrain_routine_end",
    "on_train_epoch_start",
    "on_train_batch_end",
    "on_fit_epoch_end",
    "on_val_batch_end",
)

_requested = threading.Event()
_timer: threading.Timer | None = None


def check_stop(_owner: object = None) -> None:
    if _requested.is_set():
        raise StopRequested("stopped by SIGTERM")


def stop_requested() -> bool:
    return _requested.is_set()


def _forward_to_children() -> None:
    import psutil  # an ultralytics dependency

    for child in psutil.Process().children(recursive=False):
        try:
            child.send_signal(signal.SIGTERM)
        except psutil.Error:
            continue


def install(
    grace_seconds: float, on_timeout: Callable[[], None], forward: Callable[[], bool]
) -> None:
    """forward() says whether training runs in child processes (DDP) that need the signal too."""

    def handle(signum: int, _frame: object) -> None:
        global _timer
        if _requested.is_set():
            return
        _requested.set()
        print(
            f"SIGTERM received: stopping at the next safe point (hard exit in {grace_seconds:.0f} s)",
            flush=True,
        )
        if forward():
            _forward_to_children()

        def expire() -> None:
            on_timeout()
            sys.stdout.flush()
            # the main thread is stuck in native code: only a hard exit gets out
            os._exit(EXIT_STOPPED)

        _timer = threading.Timer(grace_seconds, expire)
        _timer.daemon = True
        _timer.start()

    signal.signal(signal.SIGTERM, handle)


def reset() -> None:
    """For tests: forget a previous request and cancel its watchdog."""
    global _timer
    _requested.clear()
    if _timer is not None:
        _timer.cancel()
        _timer = None
