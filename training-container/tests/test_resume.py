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


def test_an_unreadable_checkpoint_without_best_starts_over_keeping_the_old_run(
    tmp_path,
):
    last = tmp_path / "last.pt"
    last.write_bytes(b"\x80\x04truncated")
    d = inspect_checkpoint(last)
    assert (d.action, d.keep_old_run) == (FRESH, True)
    assert "last.pt is unreadable" in d.reason and "kept aside" in d.reason


def test_an_unreadable_last_pt_resumes_from_an_unfinished_best_pt(tmp_path):
    """A DDP worker killed while rank 0 writes last.pt leaves it truncated; best.pt holds an
    earlier epoch (ultralytics writes last.pt first)."""
    last, best = tmp_path / "last.pt", tmp_path / "best.pt"
    last.write_bytes(b"\x80\x04truncated")
    torch.save(ckpt(2, epochs=10), best)
    d = inspect_checkpoint(last)
    assert (d.action, d.checkpoint, d.next_epoch) == (RESUME, "best.pt", 4)
    assert "resuming from best.pt, saved after epoch 3" in d.reason


@pytest.mark.parametrize(
    "best_content",
    [b"also truncated", ckpt(-1, optimizer=False), ckpt(9, epochs=10)],
)
def test_an_unreadable_last_pt_with_a_best_pt_that_cannot_resume_starts_over(
    tmp_path, best_content
):
    last, best = tmp_path / "last.pt", tmp_path / "best.pt"
    last.write_bytes(b"\x80\x04truncated")
    if isinstance(best_content, bytes):
        best.write_bytes(best_content)
    else:
        torch.save(best_content, best)
    d = inspect_checkpoint(last)
    assert (d.action, d.keep_old_run) == (FRESH, True)
    assert "best.pt cannot resume" in d.reason


def test_reads_real_checkpoint_files(tmp_path):
    last = tmp_path / "last.pt"
    assert inspect_checkpoint(last).action == FRESH
    torch.save(ckpt(1, epochs=3), last)
    assert inspect_checkpoint(last).next_epoch == 3
    torch.save(ckpt(-1, optimizer=False), last)
    assert inspect_checkpoint(last).action == EVALUATE
