"""The pure launcher: resourceconfig.json -> this host's torchrun command and environment."""

import json

import pytest
from support import CONTAINER  # noqa: F401 - puts yolojob on sys.path
from yolojob.errors import UnsupportedError
from yolojob.launcher import (
    MASTER_PORT,
    Cluster,
    launch_plan,
    never_joined_reason,
    parse_cluster,
    read_cluster,
    worker_failed_reason,
    world_size,
)

WORKER = ["/opt/program/train.py", "worker"]


def cluster(count: int, current: int = 1, iface: str | None = "eth0") -> Cluster:
    # SageMaker's order in the file is not guaranteed; the launcher sorts
    hosts = [f"algo-{i}" for i in range(count, 0, -1)]
    doc = {"current_host": f"algo-{current}", "hosts": hosts}
    if iface:
        doc["network_interface_name"] = iface
    return parse_cluster(doc)


@pytest.mark.parametrize("gpus", [0, 1, 8])
def test_one_host_never_goes_through_torchrun(gpus):
    assert launch_plan(cluster(1), gpus, "python", WORKER) is None


@pytest.mark.parametrize(
    ("hosts", "current", "gpus", "node_rank", "per_node", "ranks"),
    [
        (2, 1, 0, 0, 1, 2),
        (2, 2, 1, 1, 1, 2),
        (2, 2, 8, 1, 8, 16),
        (4, 1, 0, 0, 1, 4),
        (4, 3, 1, 2, 1, 4),
        (4, 4, 8, 3, 8, 32),
    ],
)
def test_several_hosts_get_one_torchrun_each(hosts, current, gpus, node_rank, per_node, ranks):
    c = cluster(hosts, current)
    plan = launch_plan(c, gpus, "/usr/bin/python3", WORKER)
    assert plan is not None
    assert plan.argv == [
        "/usr/bin/python3",
        "-m",
        "torch.distributed.run",
        f"--nnodes={hosts}",
        f"--nproc_per_node={per_node}",
        f"--node_rank={node_rank}",
        "--master_addr=algo-1",
        f"--master_port={MASTER_PORT}",
        "--rdzv_conf=timeout=600",
        "--max_restarts=0",
        *WORKER,
    ]
    assert world_size(c, gpus) == ranks
    assert plan.env == {
        "YOLO_JOB_HOSTS": ",".join(f"algo-{i}" for i in range(1, hosts + 1)),
        "YOLO_JOB_CURRENT_HOST": f"algo-{current}",
        "YOLO_JOB_COLLECTIVE_TIMEOUT": "1800",
        "TORCH_NCCL_ASYNC_ERROR_HANDLING": "1",
        "NCCL_SOCKET_IFNAME": "eth0",
        "GLOO_SOCKET_IFNAME": "eth0",
    }


def test_overrides_for_a_local_run_and_no_interface_name():
    plan = launch_plan(
        cluster(2, 2, iface=None),
        0,
        "py",
        WORKER,
        master_addr="127.0.0.1",
        master_port=29123,
        rendezvous_timeout=20,
        collective_timeout=60,
    )
    assert "--master_addr=127.0.0.1" in plan.argv
    assert "--master_port=29123" in plan.argv
    assert "--rdzv_conf=timeout=20" in plan.argv
    assert plan.env["YOLO_JOB_COLLECTIVE_TIMEOUT"] == "60"
    assert "NCCL_SOCKET_IFNAME" not in plan.env and "GLOO_SOCKET_IFNAME" not in plan.env


def test_hosts_are_sorted_the_same_way_on_every_host():
    c = parse_cluster({"current_host": "algo-2", "hosts": ["algo-2", "algo-1"]})
    assert (c.hosts, c.node_rank, c.leader, c.is_leader, c.others) == (
        ("algo-1", "algo-2"),
        1,
        "algo-1",
        False,
        ("algo-1",),
    )


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ([], "expected a JSON object"),
        ({"current_host": "algo-1", "hosts": []}, r"hosts=\[\] must be a non-empty list"),
        ({"current_host": "algo-1", "hosts": ["algo-1", "algo-1"]}, "repeats a name"),
        ({"current_host": "algo-9", "hosts": ["algo-1"]}, "current_host='algo-9' is not one of"),
    ],
)
def test_a_broken_resource_config_names_the_field(doc, match):
    with pytest.raises(UnsupportedError, match=match):
        parse_cluster(doc)


def test_no_resource_config_is_one_local_host(tmp_path):
    assert read_cluster(tmp_path / "missing.json").hosts == ("algo-1",)
    f = tmp_path / "resourceconfig.json"
    f.write_text(json.dumps({"current_host": "algo-2", "hosts": ["algo-1", "algo-2"]}))
    assert read_cluster(f).current_host == "algo-2"


def test_failure_reasons_name_the_hosts():
    assert never_joined_reason(cluster(2, 2), "algo-1", 7777, 600, "") == (
        "distributed training: host algo-2 could not form the group of 2 hosts (algo-1, algo-2) "
        "at algo-1:7777 within 600 s; a host never started or cannot reach algo-1"
    )
    lost = "RuntimeError: [../gloo/transport/tcp/pair.cc:538] Connection closed by peer [127.0.0.1]:4242"
    assert worker_failed_reason(cluster(2, 1), lost) == (
        "distributed training failed on host algo-1 (1 of 2): lost contact with host algo-2 "
        f"(it died, was stopped or became unreachable): {lost}"
    )
    assert "lost contact with one of the hosts algo-1, algo-2, algo-4" in worker_failed_reason(
        cluster(4, 3), "DistBackendError: NCCL watchdog timeout"
    )
    assert worker_failed_reason(cluster(2, 2), "ValueError: bad label") == (
        "distributed training failed on host algo-2 (2 of 2): ValueError: bad label"
    )
