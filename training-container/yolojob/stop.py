"""SIGTERM (spot reclaim, StopTrainingJob): stop at the next safe point within SageMaker's 120 s.

The handler only sets a flag; check_stop, registered as an ultralytics callback between batches
and epochs, raises StopRequested there. ultralytics writes last.pt at the end of every epoch and
never mid-epoch, so stopping between batches loses at most the epoch in progress and leaves a
resumable checkpoint. A watchdog exits hard if no safe point comes in time.

check_stop is a module-level function on purpose: for multi-GPU runs ultralytics pickles the
callbacks into its DDP workers, and a module function pickles by reference, so each worker imports
this module while it unpickles them. The parent forwards SIGTERM to the launcher, which passes it
on to the workers; importing this module in a worker (RANK set) installs the same flag-only
handler there, so a worker stops at its next batch instead of dying mid-write (rank 0 writes
last.pt), and an excepthook that leaves the worker's failure reason for the parent.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from .errors import StopRequested, record_worker_failure
from .paths import ddp_error_file

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
_worker_installed = False
_previous_excepthook = sys.excepthook


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


def worker_rank() -> int:
    """The DDP rank torch.distributed.run gives a worker; -1 in the launching (or only) process."""
    try:
        return int(os.environ.get("RANK", "-1"))
    except ValueError:
        return -1


def _say(message: str) -> None:
    """From a signal handler: os.write, because print() into a buffered stream that the interrupted
    code is writing to raises a reentrant-call RuntimeError there (progress bars print constantly)."""
    try:
        os.write(sys.stdout.fileno(), (message + "\n").encode())
    except (OSError, ValueError):
        pass


def _set_flag(_signum: int, _frame: object) -> None:
    if not _requested.is_set():
        _requested.set()
        _say(
            f"SIGTERM received by DDP rank {worker_rank()}: stopping at the next safe point"
        )


def _worker_excepthook(exc_type, exc, tb) -> None:
    if not issubclass(exc_type, (StopRequested, KeyboardInterrupt)):
        try:
            record_worker_failure(ddp_error_file(), exc)
        except Exception as e:  # noqa: BLE001 - never hide the original error behind this one
            print(
                f"[yolo-job] could not record the DDP failure: {e}",
                file=sys.stderr,
                flush=True,
            )
    _previous_excepthook(exc_type, exc, tb)


def install_worker() -> bool:
    """In a DDP worker (RANK >= 0): SIGTERM only sets the flag, and an uncaught exception leaves its
    reason in ddp_error_file(). Does nothing elsewhere or when already done; True when installed."""
    global _worker_installed, _previous_excepthook
    if (
        _worker_installed
        or worker_rank() < 0
        or threading.current_thread() is not threading.main_thread()
    ):
        return False
    signal.signal(signal.SIGTERM, _set_flag)
    _previous_excepthook = sys.excepthook
    sys.excepthook = _worker_excepthook
    _worker_installed = True
    return True


def install(
    grace_seconds: float, on_timeout: Callable[[], None], forward: Callable[[], bool]
) -> None:
    """forward() says whether training runs in child processes (DDP) that need the signal too."""

    def handle(signum: int, _frame: object) -> None:
        global _timer
        if _requested.is_set():
            return
        _requested.set()
        _say(
            f"SIGTERM received: stopping at the next safe point (hard exit in {grace_seconds:.0f} s)"
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


def exit_with_parent(interval: float = 1.0) -> threading.Thread:
    """A torchrun worker runs in a session of its own, so killing its host's process group (a
    hard kill after the grace period) would leave it training alone: it exits once its launcher
    is gone (it was re-parented)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                _say(f"DDP rank {worker_rank()}: its launcher is gone; exiting")
                os._exit(EXIT_STOPPED)

    thread = threading.Thread(target=watch, name="exit-with-parent", daemon=True)
    thread.start()
    return thread


def reset() -> None:
    """For tests: forget a previous request and cancel its watchdog."""
    global _timer
    _requested.clear()
    if _timer is not None:
        _timer.cancel()
        _timer = None


# A DDP worker imports this module while it unpickles the callbacks, before it builds its trainer.
install_worker()
