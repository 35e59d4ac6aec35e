"""FastFile input mode: SageMaker mounts /opt/ml/input read-only from S3, so the entrypoint must
train without writing anything under it. Proven by training with that tree made read-only."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from support import (
    TINY_TRAINING,
    entrypoint_command,
    entrypoint_env,
    network_attempts,
    write_config,
    write_snapshot_channels,
)
from yolojob.paths import OptMl, streams_input

# chmod does not stop root: as root, the entrypoint also runs under a read-only bind mount of
# input/ in its own mount namespace (as SageMaker's read-only FastFile mount would stop it).
AS_ROOT = os.geteuid() == 0
READ_ONLY_MOUNT = 'mount --bind -o ro "$1" "$1"; shift; exec "$@"'


def read_only_wrapper(path: Path) -> list[str]:
    if not AS_ROOT:
        return []
    probe = subprocess.run(
        ["unshare", "--mount", "true"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(
            "running as root without mount namespaces: chmod alone cannot stop root"
        )
    return [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "sh",
        "-ec",
        READ_ONLY_MOUNT,
        "sh",
        str(path),
    ]


def tree(root: Path) -> dict[str, int]:
    return {
        p.relative_to(root).as_posix(): p.stat().st_size
        for p in sorted(root.rglob("*"))
    }


def make_read_only(root: Path) -> None:
    for p in [root, *root.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)


@pytest.fixture
def base(tmp_path):
    yield tmp_path
    for p in [tmp_path, *tmp_path.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)


def fastfile_config(opt: Path) -> None:
    config = opt / "input" / "config" / "inputdataconfig.json"
    channels = json.loads(config.read_text())
    for channel in channels.values():
        channel["TrainingInputMode"] = "FastFile"
    config.write_text(json.dumps(channels))


def test_streams_input_follows_inputdataconfig(base):
    opt = base / "ml"
    write_config(opt, dict(TINY_TRAINING, epochs="1"))
    assert not streams_input(OptMl(opt))
    fastfile_config(opt)
    assert streams_input(OptMl(opt))


def test_trains_with_the_input_tree_read_only(floorplans, base):
    opt, scratch = base / "ml", base / "scratch"
    write_snapshot_channels(floorplans, opt)
    write_config(opt, dict(TINY_TRAINING, epochs="1"))
    fastfile_config(opt)
    # What SageMaker gives the container: writable model/, output/, checkpoints/.
    for d in (opt / "model", opt / "output", opt / "checkpoints", scratch):
        d.mkdir(parents=True)
    before = tree(opt / "input")
    make_read_only(opt / "input")

    env = entrypoint_env(opt, scratch)
    # The defaults under test: no work dir or ultralytics config dir given.
    del env["YOLO_JOB_WORKDIR"]
    del env["YOLO_CONFIG_DIR"]
    env.update(TMPDIR=str(scratch), HOME=str(scratch))
    wrapper = read_only_wrapper(opt / "input")

    # The setup bites: the entrypoint's user cannot write under input/.
    probe = subprocess.run(
        [*wrapper, "touch", str(opt / "input" / "data" / "probe")],
        capture_output=True,
        check=False,
    )
    assert probe.returncode != 0, probe

    done = subprocess.run(
        [*wrapper, *entrypoint_command(scratch)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert (opt / "model" / "best.pt").stat().st_size > 0
    assert (
        json.loads((opt / "output" / "data" / "metrics.json").read_text())["schema"]
        == 1
    )
    assert not (opt / "output" / "failure").exists()
    assert tree(opt / "input") == before
    # The scratch space moved to the temp dir, outside input/.
    assert (scratch / "yolo-job").is_dir()
    assert network_attempts(scratch) == ""
