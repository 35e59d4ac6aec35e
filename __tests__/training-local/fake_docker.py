"""A stand-in `docker` CLI: `info` reports an nvidia runtime; `run ... -v <dir>:/opt/ml ... <image> train`
records its arguments in $FAKE_DOCKER_ARGS and becomes fake_train.py with OPT_ML_ROOT=<dir>, applying
each `-e K=V`, so the local backend's docker path runs end to end without a daemon.
"""

import itertools
import json
import os
import sys
from pathlib import Path

args = sys.argv[1:]
if args[:1] == ["info"]:
    print('{"io.containerd.runc.v2":{},"nvidia":{}}')
    sys.exit(0)
if args[:1] == ["run"] and args[-1] == "train":
    Path(os.environ["FAKE_DOCKER_ARGS"]).write_text(json.dumps(args))
    mount = args[args.index("-v") + 1]
    env = dict(os.environ, OPT_ML_ROOT=mount.rpartition(":")[0])
    for flag, value in itertools.pairwise(args):
        if flag == "-e":
            key, _, val = value.partition("=")
            env[key] = val
    fake_train = str(Path(os.environ["FAKE_TRAIN"]))
    # exec: the backend's SIGTERM reaches the "container" as docker's signal proxy would deliver it.
    os.execve(sys.executable, [sys.executable, fake_train, "train"], env)
print(f"fake docker: unsupported {args}", file=sys.stderr)
sys.exit(2)
