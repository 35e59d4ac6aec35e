"""Runs train.py with an audit hook that records every attempt to reach the network.

Usage: python offline_guard.py <log file> train. The tests assert the log stays empty: the
entrypoint must work with SageMaker network isolation, so not even a DNS lookup may happen.
"""

import runpy
import sys
from pathlib import Path

TRAIN = Path(__file__).resolve().parent.parent / "train.py"
log_path = sys.argv.pop(1)


def record(event: str, args: tuple) -> None:
    remote = event == "socket.getaddrinfo" or (
        event in {"socket.connect", "socket.sendto"}
        and not isinstance(args[1], (str, bytes))  # AF_UNIX is local
    )
    if remote:
        with open(log_path, "a", encoding="utf-8") as f:
            f.write(f"{event} {args[1:]!r}\n")


sys.addaudithook(record)
sys.path.insert(0, str(TRAIN.parent))
sys.argv[0] = str(TRAIN)
runpy.run_path(str(TRAIN), run_name="__main__")
