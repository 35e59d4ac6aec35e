"""Copies installed distributions and everything they require from one site-packages directory
into another, file by file as their RECORD lists them (hard links when on the same filesystem).

Used by scripts/test-base-image.sh to give the local base image the torch/torchvision that .venv
installed from this machine's wheel files: the same files pip would unpack again, in seconds.

    python copy_dists.py <site-packages> <destination> torch torchvision
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from importlib import metadata

from packaging.requirements import Requirement


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(site: str, roots: list[str]) -> list[metadata.Distribution]:
    """The roots and what they require, with the extras each requirement asks for (torch pulls
    its CUDA libraries through extras of cuda-toolkit)."""
    found = {canonical(d.metadata["Name"]): d for d in metadata.distributions(path=[site])}
    todo = [(canonical(r), frozenset()) for r in roots]
    seen: dict[str, set[str]] = {}
    while todo:
        name, extras = todo.pop()
        if name in seen and extras <= seen[name]:
            continue
        if name not in found:
            raise SystemExit(f"copy_dists: {name} is not installed in {site}")
        wanted = seen.setdefault(name, set())
        wanted.update(extras)
        for text in found[name].requires or []:
            req = Requirement(text)
            # This interpreter's markers: the image runs the same Python minor version on Linux.
            if req.marker is None or any(
                req.marker.evaluate({"extra": e}) for e in ("", *sorted(wanted))
            ):
                todo.append((canonical(req.name), frozenset(req.extras)))
    return [found[name] for name in seen]


def copy(site: str, dest: str, dists: list[metadata.Distribution]) -> int:
    site = os.path.realpath(site)
    count = 0
    for dist in dists:
        for rel in dist.files or []:
            src = os.path.normpath(os.path.join(site, str(rel)))
            if not src.startswith(site + os.sep) or not os.path.isfile(src):
                continue  # console scripts in ../../bin are written for the source interpreter
            target = os.path.join(dest, os.path.relpath(src, site))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            try:
                os.link(src, target)
            except OSError:
                shutil.copy2(src, target)
            count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        raise SystemExit(__doc__)
    site, dest, roots = argv[0], argv[1], argv[2:]
    dists = closure(site, roots)
    files = copy(site, dest, dists)
    names = ", ".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in dists))
    print(f"copied {files} files of {names}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
