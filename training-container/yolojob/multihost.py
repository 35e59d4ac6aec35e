"""The ultralytics trainer under an external torchrun across hosts (one process per rank).

Rule in ultralytics 8.4.190 (engine/trainer.py, utils/__init__.py): RANK and LOCAL_RANK are read
from the environment at import, and only when WORLD_SIZE > 1. BaseTrainer.__init__ sets
world_size from its own device list (0 on CPU, the number of devices in `device` on GPUs) and
spawns its own DDP workers when that is > 1 and LOCAL_RANK is -1. Under torchrun across hosts
that number is this host's GPUs, not the job's ranks, so the mixin takes WORLD_SIZE from the
environment and never spawns. _setup_ddp is replaced: ultralytics' indexes `device` by
LOCAL_RANK (impossible for "cpu") and fixes a 3 h timeout; here CPU uses gloo (ultralytics would
pick gloo only when NCCL is missing), GPUs NCCL, both with an explicit timeout. The per-rank
batch stays ultralytics' own: global batch // world size (_build_train_pipeline).
"""

from __future__ import annotations

import contextlib
import os
from datetime import timedelta
from pathlib import Path

from .launcher import (
    COLLECTIVE_TIMEOUT_ENV,
    COLLECTIVE_TIMEOUT_SECONDS,
    CURRENT_HOST_ENV,
)
from .paths import work_dir

JOINED_FILE = "dist-joined"


def joined_marker() -> Path:
    """Written once the process group formed: the launcher tells "never joined" from a later failure."""
    return work_dir() / JOINED_FILE


def collective_timeout() -> timedelta:
    return timedelta(
        seconds=int(os.environ.get(COLLECTIVE_TIMEOUT_ENV, COLLECTIVE_TIMEOUT_SECONDS))
    )


class DifferentCheckpointsError(RuntimeError):
    pass


@contextlib.contextmanager
def _cpu_ddp_wrapper():
    """ultralytics wraps with device_ids=[device.index], which is [None] on CPU, and torch refuses
    any device_ids for CPU modules: drop it while the trainer builds its DDP model."""
    import torch

    original = torch.nn.parallel.DistributedDataParallel

    class CpuDDP(original):  # type: ignore[misc, valid-type]
        def __init__(self, module, device_ids=None, *args, **kwargs):
            if device_ids == [None]:
                device_ids = None
            super().__init__(module, device_ids, *args, **kwargs)

    torch.nn.parallel.DistributedDataParallel = CpuDDP
    try:
        yield
    finally:
        torch.nn.parallel.DistributedDataParallel = original


class MultiHostMixin:
    """Put before an ultralytics trainer class (multihost_trainer builds the pair)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.world_size = int(os.environ["WORLD_SIZE"])
        self.ddp = False  # torchrun started this process: never spawn more

    def _setup_ddp(self):
        import torch
        import torch.distributed as dist
        from ultralytics.utils import LOCAL_RANK, RANK

        if self.device.type == "cpu":
            backend = "gloo"
        else:
            from ultralytics.utils.torch_utils import get_torch_device_backend

            index = int(self.args.device.split(",")[LOCAL_RANK])
            self.device = torch.device("cuda", index)
            self.accelerator = get_torch_device_backend(self.device)
            self.accelerator.set_device(index)
            os.environ.setdefault("TORCH_NCCL_BLOCKING_WAIT", "1")
            backend = "nccl"
        dist.init_process_group(
            backend=backend,
            timeout=collective_timeout(),
            rank=RANK,
            world_size=self.world_size,
        )
        print(
            f"[yolo-job] host {os.environ.get(CURRENT_HOST_ENV, '?')}: rank {RANK} of world size "
            f"{self.world_size} ({backend}), batch {self.batch_size // self.world_size} of the "
            f"global {self.batch_size}",
            flush=True,
        )
        marker = joined_marker()
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(f"{RANK}\n", encoding="utf-8")

    def _setup_train(self):
        with _cpu_ddp_wrapper() if self.device.type == "cpu" else contextlib.nullcontext():
            super()._setup_train()
        self._check_same_start()

    def final_eval(self):
        """Only rank 0's host has best.pt, so ultralytics' final validation (which the other ranks
        skip when the file is missing, leaving rank 0 alone in a barrier) cannot run across hosts.
        Rank 0 only strips the optimizer state, which marks the checkpoints finished; the
        launching process on the first host then validates best.pt, as for one host."""
        from ultralytics.utils import RANK
        from ultralytics.utils.torch_utils import strip_optimizer

        if RANK != 0:
            return
        last = strip_optimizer(self.last) if self.last.exists() else {}
        if self.best.exists():
            # best.pt keeps the final training results, as ultralytics records them
            strip_optimizer(self.best, updates={"train_results": last.get("train_results")})

    def _check_same_start(self):
        """Every host must resume from the same checkpoint, or the ranks would run different
        epochs and wait on each other forever."""
        import torch.distributed as dist

        mine = (os.environ.get(CURRENT_HOST_ENV, "?"), int(self.start_epoch))
        starts: list = [None] * self.world_size
        dist.all_gather_object(starts, mine)
        if len({epoch for _, epoch in starts}) > 1:
            seen = ", ".join(
                f"{host} at epoch {epoch + 1}" for host, epoch in sorted(set(starts))
            )
            raise DifferentCheckpointsError(
                f"the hosts start from different checkpoints ({seen}); every host must see the "
                "same /opt/ml/checkpoints (SageMaker restores the checkpoint S3 URI to each host)"
            )


def multihost_trainer(base: type) -> type:
    return type(f"MultiHost{base.__name__}", (MultiHostMixin, base), {})
