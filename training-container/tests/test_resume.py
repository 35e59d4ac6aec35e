import pytest
import torch
from yolojob.resume import EVALUATE, FRESH, RESUME, decide, inspect_checkpoint


def ckpt(epoch, optimizer=True, epochs=10):
    return {
        "epoch": epoch,
        "optimizer": {"state": {}} if optimizer else None,
        "train_args": {"epochs": epochs},
    }


@pytest.mark.parametrize(
    ("checkpoint", "action", "next_epoch"),
    [
        (None, FRESH, None),
        (ckpt(0), RESUME, 2),  # epoch is 0-based in ultralytics checkpoints
        (ckpt(4), RESUME, 6),
        (ckpt(-1, optimizer=False), EVALUATE, None),  # stripped: training finished
        (ckpt(3, optimizer=False), EVALUATE, None),
        (ckpt(9, epochs=10), EVALUATE, None),  # all epochs ran, final strip did not
    ],
)
def test_decisions(checkpoint, action, next_epoch):
    d = decide(checkpoint)
    assert (d.action, d.next_epoch) == (action, next_epoch)


def test_an_unreadable_checkpoint_starts_over_and_says_why(tmp_path):
    last = tmp_path / "last.pt"
    last.write_bytes(b"\x80\x04truncated")
    d = inspect_checkpoint(last)
    assert d.action == FRESH and "unreadable" in d.reason


def test_reads_real_checkpoint_files(tmp_path):
    last = tmp_path / "last.pt"
    assert inspect_checkpoint(last).action == FRESH
    torch.save(ckpt(1, epochs=3), last)
    assert inspect_checkpoint(last).next_epoch == 3
    torch.save(ckpt(-1, optimizer=False), last)
    assert inspect_checkpoint(last).action == EVALUATE
