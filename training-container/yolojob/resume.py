"""What to do with the checkpoint directory SageMaker restored (spot restarts, retries).

ultralytics writes last.pt with optimizer state after every epoch and strips it (optimizer None,
epoch -1) when training ends; a stripped checkpoint cannot resume.
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


def decide(ckpt: dict[str, Any] | None, load_error: str | None = None) -> Decision:
    if load_error is not None:
        return Decision(FRESH, f"last.pt is unreadable ({load_error}); starting over")
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


def inspect_checkpoint(last: Path) -> Decision:
    if not last.exists():
        return decide(None)
    from ultralytics.utils.patches import torch_load  # late: torch is heavy

    try:
        ckpt = torch_load(last, map_location="cpu")
    except Exception as e:  # noqa: BLE001 - any unreadable file (e.g. half-written by a hard kill)
        return decide(None, f"{type(e).__name__}: {e}")
    if not isinstance(ckpt, dict):
        return decide(
            None, f"expected a checkpoint dictionary, got {type(ckpt).__name__}"
        )
    return decide(ckpt)
