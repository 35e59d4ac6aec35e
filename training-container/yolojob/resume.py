"""What to do with the checkpoint directory SageMaker restored (spot restarts, retries).

ultralytics writes last.pt with optimizer state after every epoch and strips it (optimizer None,
epoch -1) when training ends; a stripped checkpoint cannot resume. It writes last.pt, then best.pt
when the epoch is the best so far, without an atomic rename: a hard kill (a DDP worker killed
while rank 0 writes) can leave last.pt truncated. best.pt then still holds an earlier epoch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

FRESH, RESUME, EVALUATE = "fresh", "resume", "evaluate"


@dataclass(frozen=True)
class Decision:
    action: str
    reason: str
    next_epoch: int | None = None  # 1-based, for RESUME
    checkpoint: str = "last.pt"  # RESUME: the file in weights/ to resume from
    keep_old_run: bool = (
        False  # FRESH: set the old run folder aside instead of deleting it
    )


def decide(ckpt: dict[str, Any] | None) -> Decision:
    if ckpt is None:
        return Decision(FRESH, "no checkpoint; starting a new training")
    epoch = ckpt.get("epoch", -1)
    if epoch is None or epoch < 0 or ckpt.get("optimizer") is None:
        return Decision(EVALUATE, "last.pt is from a finished training; evaluating it")
    epochs = (ckpt.get("train_args") or {}).get("epochs")
    if isinstance(epochs, int) and epoch + 1 >= epochs:
        # every epoch ran but the final strip did not (stopped during the final evaluation)
        return Decision(EVALUATE, f"last.pt has all {epochs} epochs; evaluating it")
    return Decision(
        RESUME,
        f"last.pt stopped after epoch {epoch + 1}; resuming",
        next_epoch=epoch + 2,
    )


def load_checkpoint(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """(checkpoint, None), or (None, why it cannot be read)."""
    from ultralytics.utils.patches import torch_load  # late: torch is heavy

    try:
        ckpt = torch_load(path, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unreadable file (e.g. half-written by a hard kill)
        return None, f"{type(e).__name__}: {e}"
    if not isinstance(ckpt, dict):
        return None, f"expected a checkpoint dictionary, got {type(ckpt).__name__}"
    return ckpt, None


def inspect_checkpoint(last: Path) -> Decision:
    """Decides from weights/last.pt; when it is unreadable, from best.pt beside it."""
    if not last.exists():
        return decide(None)
    ckpt, error = load_checkpoint(last)
    if error is None:
        return decide(ckpt)
    best = last.with_name("best.pt")
    if not best.exists():
        return Decision(
            FRESH,
            f"last.pt is unreadable ({error}) and there is no best.pt; starting over "
            "(the old run folder is kept aside)",
            keep_old_run=True,
        )
    best_ckpt, best_error = load_checkpoint(best)
    fallback = decide(best_ckpt) if best_error is None else None
    if fallback is not None and fallback.action == RESUME:
        return Decision(
            RESUME,
            f"last.pt is unreadable ({error}); resuming from best.pt, saved after epoch "
            f"{fallback.next_epoch - 1}",
            next_epoch=fallback.next_epoch,
            checkpoint=best.name,
        )
    why = best_error or "it is not resumable"
    return Decision(
        FRESH,
        f"last.pt is unreadable ({error}) and best.pt cannot resume ({why}); starting over "
        "(the old run folder is kept aside)",
        keep_old_run=True,
    )
