"""Local backend only (not in the image): runs one training job on several emulated hosts.

Usage: python local_hosts.py HOST=OPT_ML_ROOT [HOST=OPT_ML_ROOT ...] -- ENTRYPOINT [ARGS...]

Each host is a real process, `python ENTRYPOINT ARGS` with its own /opt/ml tree (OPT_ML_ROOT)
whose resourceconfig.json names it; they meet on 127.0.0.1 at a free port. The first host writes
to this process's output (the job's log), the others to <their root>/train.log, as SageMaker
keeps one log stream per host. What SageMaker does around the containers happens here too:
SIGTERM goes to every host; when a host fails, the others get a bounded time to end before they
are killed; the job's reason (the first host's output/failure) says which host ended how.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

# After one host failed, how long the others may take to notice (a lost peer fails a collective
# at once; a silent one only at the collective timeout) before they are killed.
SURVIVOR_GRACE_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def parse(argv: list[str]) -> tuple[list[tuple[str, Path]], list[str]]:
    if "--" not in argv:
        raise SystemExit(__doc__)
    cut = argv.index("--")
    hosts = []
    for item in argv[:cut]:
        name, _, root = item.partition("=")
        if not name or not root:
            raise SystemExit(f"expected HOST=OPT_ML_ROOT, got {item!r}")
        hosts.append((name, Path(root)))
    return hosts, argv[cut + 1 :]


def how_it_ended(code: int) -> str:
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def main(argv: list[str]) -> int:
    hosts, command = parse(argv)
    port = free_port()
    procs: dict[str, subprocess.Popen] = {}
    stopping = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True
        for p in procs.values():
            if p.poll() is None:
                p.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    for i, (name, root) in enumerate(hosts):
        env = dict(
            os.environ,
            OPT_ML_ROOT=str(root),
            YOLO_CONFIG_DIR=str(root / "yolo-config"),
            YOLO_JOB_MASTER_ADDR="127.0.0.1",
            YOLO_JOB_MASTER_PORT=str(port),
        )
        out = None if i == 0 else (root / "train.log").open("ab")
        procs[name] = subprocess.Popen(
            [sys.executable, *command], env=env, cwd=root, stdout=out, stderr=out
        )
        (root / "host.pid").write_text(f"{procs[name].pid}\n", encoding="utf-8")
        print(f"[local-hosts] {name} started (pid {procs[name].pid}, {root})", flush=True)

    first_failure: tuple[str, int] | None = None
    deadline: float | None = None
    while any(p.poll() is None for p in procs.values()):
        for name, p in procs.items():
            code = p.poll()
            if code not in (None, 0) and first_failure is None:
                first_failure = (name, code)
                deadline = time.monotonic() + SURVIVOR_GRACE_SECONDS
                print(f"[local-hosts] {name} {how_it_ended(code)}", flush=True)
        if deadline is not None and time.monotonic() > deadline:
            for name, p in procs.items():
                if p.poll() is None:
                    print(f"[local-hosts] {name} still runs; killing it", flush=True)
                    p.kill()
            deadline = None
        time.sleep(0.2)

    codes = {name: p.returncode for name, p in procs.items()}
    leader, leader_root = hosts[0]
    if stopping or all(c == 0 for c in codes.values()):
        return codes[leader]
    failure = leader_root / "output" / "failure"
    own = failure.read_text(encoding="utf-8").strip() if failure.exists() else ""
    name, code = first_failure or next((n, c) for n, c in codes.items() if c != 0)
    if name != leader:
        other_reason = hosts_failure(dict(hosts)[name])
        head = f"host {name} {how_it_ended(code)}" + (f" ({other_reason})" if other_reason else "")
        failure.parent.mkdir(parents=True, exist_ok=True)
        failure.write_text(head + (f"; {leader}: {own}" if own else "") + "\n", encoding="utf-8")
    return codes[leader] or 1


def hosts_failure(root: Path) -> str:
    f = root / "output" / "failure"
    return f.read_text(encoding="utf-8").strip() if f.exists() else ""


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
