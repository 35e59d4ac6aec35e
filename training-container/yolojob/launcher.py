"""Several SageMaker hosts: this host's share of one torchrun launch, built from resourceconfig.json.

Pure: read_cluster parses the file, launch_plan turns (cluster, GPUs) into the torchrun command and
environment; job.py runs it. One host never goes through here: a single process on CPU or one GPU,
and ultralytics' own DDP spawning for several GPUs (proven, and it picks a free port itself), so
torchrun is only the cross-host engine. SageMaker's own PyTorch launcher uses the same arguments
(nnodes = hosts, node_rank = index in the sorted hosts, master = the first host, a fixed port,
NCCL_SOCKET_IFNAME from network_interface_name).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .errors import UnsupportedError

MASTER_PORT = 7777  # what SageMaker's torch_distributed launcher uses
# Hosts of one job start within a minute or two of each other; one that has not joined by then
# never will (a failed host, a blocked port).
RENDEZVOUS_TIMEOUT_SECONDS = 600
# A collective waits this long for a silent peer (a host that vanished without closing its
# sockets). Rank 0's epoch-end work (save, plots) runs between collectives, so not too short.
COLLECTIVE_TIMEOUT_SECONDS = 1800

# Overrides for local runs and tests (not set on SageMaker): the hosts' names do not resolve here.
MASTER_ADDR_ENV = "YOLO_JOB_MASTER_ADDR"
MASTER_PORT_ENV = "YOLO_JOB_MASTER_PORT"
RENDEZVOUS_TIMEOUT_ENV = "YOLO_JOB_RENDEZVOUS_TIMEOUT"
COLLECTIVE_TIMEOUT_ENV = "YOLO_JOB_COLLECTIVE_TIMEOUT"
# Set for the workers: who they are among the hosts (for failure reasons).
HOSTS_ENV = "YOLO_JOB_HOSTS"
CURRENT_HOST_ENV = "YOLO_JOB_CURRENT_HOST"


@dataclass(frozen=True)
class Cluster:
    hosts: tuple[str, ...]  # sorted, as SageMaker numbers them
    current_host: str
    network_interface_name: str | None = None

    @property
    def size(self) -> int:
        return len(self.hosts)

    @property
    def node_rank(self) -> int:
        return self.hosts.index(self.current_host)

    @property
    def leader(self) -> str:
        return self.hosts[0]

    @property
    def is_leader(self) -> bool:
        return self.node_rank == 0

    @property
    def others(self) -> tuple[str, ...]:
        return tuple(h for h in self.hosts if h != self.current_host)


SINGLE_HOST = Cluster(hosts=("algo-1",), current_host="algo-1")


def parse_cluster(doc: object) -> Cluster:
    if not isinstance(doc, dict):
        raise UnsupportedError("resourceconfig.json: expected a JSON object")
    hosts = doc.get("hosts")
    current = doc.get("current_host")
    if (
        not isinstance(hosts, list)
        or not hosts
        or not all(isinstance(h, str) and h for h in hosts)
    ):
        raise UnsupportedError(
            f"resourceconfig.json: hosts={hosts!r} must be a non-empty list of names"
        )
    if len(set(hosts)) != len(hosts):
        raise UnsupportedError(f"resourceconfig.json: hosts={hosts!r} repeats a name")
    if current not in hosts:
        raise UnsupportedError(
            f"resourceconfig.json: current_host={current!r} is not one of hosts {hosts!r}"
        )
    iface = doc.get("network_interface_name")
    return Cluster(
        hosts=tuple(sorted(hosts)),
        current_host=current,
        network_interface_name=iface if isinstance(iface, str) and iface else None,
    )


def read_cluster(path: Path) -> Cluster:
    """Local runs without the file are one host."""
    if not path.exists():
        return SINGLE_HOST
    return parse_cluster(json.loads(path.read_text(encoding="utf-8")))


def uses_torchrun(cluster: Cluster) -> bool:
    return cluster.size > 1


def world_size(cluster: Cluster, gpus: int) -> int:
    """Every host runs one process per GPU (one on CPU); SageMaker hosts of a job are alike."""
    return cluster.size * max(gpus, 1)


@dataclass(frozen=True)
class Launch:
    argv: list[str]
    env: dict[str, str]  # added to the current environment


def launch_plan(
    cluster: Cluster,
    gpus: int,
    python: str,
    worker: list[str],
    *,
    master_addr: str | None = None,
    master_port: int = MASTER_PORT,
    rendezvous_timeout: int = RENDEZVOUS_TIMEOUT_SECONDS,
    collective_timeout: int = COLLECTIVE_TIMEOUT_SECONDS,
) -> Launch | None:
    """The torchrun command for this host, or None for one host (no torchrun, see above).
    worker: the script and its arguments each process runs."""
    if not uses_torchrun(cluster):
        return None
    argv = [
        python,
        "-m",
        "torch.distributed.run",
        f"--nnodes={cluster.size}",
        f"--nproc_per_node={max(gpus, 1)}",
        f"--node_rank={cluster.node_rank}",
        f"--master_addr={master_addr or cluster.leader}",
        f"--master_port={master_port}",
        # static rendezvous: how long the TCP store waits for every host to join
        f"--rdzv_conf=timeout={rendezvous_timeout}",
        # a lost host cannot come back into a static group: fail rather than restart
        "--max_restarts=0",
        *worker,
    ]
    env = {
        HOSTS_ENV: ",".join(cluster.hosts),
        CURRENT_HOST_ENV: cluster.current_host,
        COLLECTIVE_TIMEOUT_ENV: str(collective_timeout),
        # NCCL raises on a timed-out or failed collective instead of hanging
        "TORCH_NCCL_ASYNC_ERROR_HANDLING": "1",
    }
    if cluster.network_interface_name:
        env["NCCL_SOCKET_IFNAME"] = cluster.network_interface_name
        env["GLOO_SOCKET_IFNAME"] = cluster.network_interface_name  # CPU hosts
    return Launch(argv=argv, env=env)


def never_joined_reason(
    cluster: Cluster, master: str, port: int, timeout: int, detail: str
) -> str:
    return (
        f"distributed training: host {cluster.current_host} could not form the group of "
        f"{cluster.size} hosts ({', '.join(cluster.hosts)}) at {master}:{port} within {timeout} s; "
        f"a host never started or cannot reach {cluster.leader}"
        + (f" ({detail})" if detail else "")
    )


def worker_failed_reason(cluster: Cluster, rank_reason: str) -> str:
    """A worker on this host failed after the group formed. A peer's death reaches the survivors
    as a lost connection or a timeout, so their reason names the other hosts as the suspects."""
    lost = any(
        marker in rank_reason.lower()
        for marker in (
            "connection closed",
            "connection reset",
            "broken pipe",
            "timed out",
            "timeout",
            "nccl",
            "gloo",
        )
    )
    head = f"distributed training failed on host {cluster.current_host} ({cluster.node_rank + 1} of {cluster.size})"
    if lost:
        suspects = ", ".join(cluster.others)
        noun = "host" if len(cluster.others) == 1 else "one of the hosts"
        return f"{head}: lost contact with {noun} {suspects} (it died, was stopped or became unreachable): {rank_reason}"
    return f"{head}: {rank_reason}"
