"""Two hosts for real: two entrypoint processes, each with its own /opt/ml tree and
resourceconfig.json (algo-1, algo-2), joined by torchrun over 127.0.0.1 with gloo on CPU."""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import (
    CONTAINER,
    TINY_TRAINING,
    entrypoint_env,
    write_config,
    write_snapshot_channels,
)
from yolojob.metric_lines import load_format
from yolojob.results import read_results
from yolojob.resume import RESUME, inspect_checkpoint

HOSTS = ("algo-1", "algo-2")
FMT = load_format()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Host:
    def __init__(self, base: Path, name: str, floorplans: Path, hp: dict[str, str]):
        self.name = name
        self.opt = base / name / "ml"
        self.work = base / name / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        write_snapshot_channels(floorplans, self.opt)
        write_config(self.opt, hp, hosts=HOSTS)
        (self.opt / "input" / "config" / "resourceconfig.json").write_text(
            json.dumps(
                {"current_host": name, "hosts": list(HOSTS), "network_interface_name": "lo"}
            )
        )
        self.log_path = base / f"{name}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, port: int, extra_env: dict[str, str] | None = None) -> None:
        env = entrypoint_env(self.opt, self.work)
        env.update(
            YOLO_JOB_MASTER_ADDR="127.0.0.1",
            YOLO_JOB_MASTER_PORT=str(port),
            YOLO_JOB_RENDEZVOUS_TIMEOUT="120",
            YOLO_JOB_COLLECTIVE_TIMEOUT="120",
        )
        env.update(extra_env or {})
        with self.log_path.open("a") as log:
            # its own process group: killing the group is the whole host going away
            self.proc = subprocess.Popen(
                [sys.executable, str(CONTAINER / "train.py"), "train"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait(self, timeout: float = 300) -> int:
        assert self.proc is not None
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            kill_host(self.proc.pid)
            raise

    def failure(self) -> str:
        f = self.opt / "output" / "failure"
        return f.read_text().strip() if f.exists() else ""

    def metric_epochs(self) -> list[int]:
        prefix = f"{FMT.prefix} epoch="
        return [
            int(line[len(prefix) :].split()[0])
            for line in self.log().splitlines()
            if line.startswith(prefix)
        ]


def cluster(tmp_path: Path, floorplans: Path, epochs: int) -> list[Host]:
    hp = dict(TINY_TRAINING, epochs=str(epochs))
    return [Host(tmp_path, h, floorplans, hp) for h in HOSTS]


def start_all(hosts: list[Host], **kw) -> None:
    port = free_port()
    for h in hosts:
        h.start(port, **kw)


def wait_until(predicate, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def kill_host(pid: int) -> None:
    """Every process of the host at once, as when the machine goes away (torchrun starts its
    workers in sessions of their own, so the process group is not enough)."""
    import psutil

    try:
        root = psutil.Process(pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return
    for p in tree:
        try:
            p.kill()
        except psutil.NoSuchProcess:
            pass


def kill_all(hosts: list[Host]) -> None:
    for h in hosts:
        if h.proc is not None and h.proc.poll() is None:
            kill_host(h.proc.pid)


@pytest.fixture
def hosts(tmp_path, floorplans):
    made: list[list[Host]] = []

    def make(epochs: int) -> list[Host]:
        made.append(cluster(tmp_path, floorplans, epochs))
        return made[-1]

    yield make
    for group in made:
        kill_all(group)


def test_a_host_that_dies_mid_epoch_fails_the_job_naming_it_within_a_minute(hosts):
    leader, other = group = hosts(4)
    start_all(group)
    # the first epoch is done (its line printed), the second is running on both hosts
    wait_until(lambda: 1 in leader.metric_epochs(), 240, "epoch 1 on algo-1")
    assert leader.proc.poll() is None
    kill_host(other.proc.pid)
    killed_at = time.monotonic()
    code = leader.wait(timeout=120)
    took = time.monotonic() - killed_at
    assert code == 1, leader.log()[-3000:]
    assert took < 60, took
    failure = leader.failure()
    assert failure.startswith(
        "distributed training failed on host algo-1 (1 of 2): lost contact with host algo-2 "
        "(it died, was stopped or became unreachable): "
    ), failure
    assert "Connection closed by peer" in failure or "Connection reset" in failure, failure
    assert not (leader.opt / "model" / "best.pt").exists()
    print(f"algo-1 failed {took:.1f} s after algo-2 was killed")


# One job's life on two hosts: stopped, refused with mismatched checkpoints, resumed to the end.
# The finished job is also where the two-host model and metrics are checked: a fresh two-host run
# of its own cost a third of this file's time and proved nothing the resumed run does not (the
# local backend's suite, __tests__/training-local/multihost.test.ts, still trains one fresh).
def test_sigterm_to_both_hosts_then_the_next_run_resumes_and_rank_0_writes_one_model(
    hosts, tmp_path
):
    from ultralytics import YOLO

    leader, other = group = hosts(3)
    last = leader.opt / "checkpoints" / "train" / "weights" / "last.pt"
    other_last = other.opt / "checkpoints" / "train" / "weights" / "last.pt"
    start_all(group)
    wait_until(lambda: 1 in leader.metric_epochs(), 240, "epoch 1 on algo-1")
    wait_until(last.exists, 60, "last.pt of epoch 1")
    signalled = time.monotonic()
    for h in group:
        h.proc.send_signal(signal.SIGTERM)  # SageMaker signals every host's PID 1
    codes = [h.wait(timeout=120) for h in group]
    took = time.monotonic() - signalled
    assert codes == [143, 143], leader.log()[-3000:] + other.log()[-3000:]
    assert took < 60, took
    assert "stopped by SIGTERM" in leader.failure()
    assert "stopped by SIGTERM" in other.failure()
    done = len(read_results(leader.opt / "checkpoints" / "train" / "results.csv"))
    assert 1 <= done < 3
    assert inspect_checkpoint(last).action == RESUME
    assert not (leader.opt / "model" / "best.pt").exists()
    assert not other_last.exists()  # only rank 0's host writes checkpoints

    # a host without the checkpoint would train other epochs than the rest: refused, not a hang
    start_all(group)
    assert [h.wait() for h in group] == [1, 1]
    assert leader.failure() == (
        "distributed training failed on host algo-1 (1 of 2): DifferentCheckpointsError: the "
        f"hosts start from different checkpoints (algo-1 at epoch {done + 1}, algo-2 at epoch 1); "
        "every host must see the same /opt/ml/checkpoints (SageMaker restores the checkpoint S3 "
        "URI to each host)"
    ), leader.failure()
    assert inspect_checkpoint(last).action == RESUME  # untouched

    # SageMaker restores the job's checkpoint S3 URI (written by rank 0's host) onto every host
    shutil.rmtree(other.opt / "checkpoints")
    shutil.copytree(leader.opt / "checkpoints", other.opt / "checkpoints")
    restored = other_last.read_bytes()
    start_all(group)
    codes = [h.wait() for h in group]
    assert codes == [0, 0], leader.log()[-3000:] + other.log()[-3000:]
    assert f"Resuming training {last} from epoch {done + 1} to 3 total epochs" in leader.log()
    assert leader.metric_epochs().count(done + 1) == 1  # the stopped epoch ran once more, once
    assert leader.metric_epochs()[-1] == 3
    rows = read_results(leader.opt / "checkpoints" / "train" / "results.csv")
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]

    # both processes were ranks of one group of 2, each with half the global batch of 4
    assert "host algo-1: rank 0 of world size 2 (gloo), batch 2 of the global 4" in leader.log()
    assert "host algo-2: rank 1 of world size 2 (gloo), batch 2 of the global 4" in other.log()
    assert "host algo-2 done; algo-1 (rank 0) writes the model and metrics" in other.log()
    # one model: the first host's; the second writes none (SageMaker uploads the first host's)
    assert sorted(p.name for p in (leader.opt / "model").iterdir()) == [
        "best.pt",
        "last.pt",
        "training_metrics.json",
    ]
    assert not (other.opt / "model").exists() or not any((other.opt / "model").iterdir())
    assert not (other.opt / "output" / "data" / "metrics.json").exists()
    assert other_last.read_bytes() == restored  # read to resume, never written
    assert other.metric_epochs() == []

    metrics = json.loads((leader.opt / "output" / "data" / "metrics.json").read_text())
    assert metrics["epochs_completed"] == 3
    record = json.loads((leader.opt / "model" / "training_metrics.json").read_text())
    assert record["hosts"] == ["algo-1", "algo-2"]
    data = next((leader.work / "datasets").glob("*/dataset.yaml"))
    m = YOLO(str(leader.opt / "model" / "best.pt")).val(
        data=str(data),
        split="val",
        imgsz=64,
        batch=4,
        device="cpu",
        workers=0,
        plots=False,
        project=str(tmp_path / "check"),
        name="val",
        exist_ok=True,
    )
    got = metrics["splits"]["val"]
    for key, value in {
        "map50": m.box.map50,
        "map50_95": m.box.map,
        "precision": m.box.mp,
        "recall": m.box.mr,
    }.items():
        assert got[key] == pytest.approx(float(value), abs=1e-12), key


def test_a_host_that_never_joins_fails_the_job_naming_the_hosts(hosts):
    leader, _ = hosts(1)
    leader.start(free_port(), extra_env={"YOLO_JOB_RENDEZVOUS_TIMEOUT": "5"})
    started = time.monotonic()
    timer = threading.Timer(180, lambda: kill_host(leader.proc.pid))
    timer.start()
    code = leader.wait()
    timer.cancel()
    assert code == 1, leader.log()[-3000:]
    assert time.monotonic() - started < 90
    assert leader.failure().startswith(
        "distributed training: host algo-1 could not form the group of 2 hosts (algo-1, algo-2) "
        "at 127.0.0.1:"
    ), leader.failure()
    assert "within 5 s; a host never started or cannot reach algo-1" in leader.failure()
