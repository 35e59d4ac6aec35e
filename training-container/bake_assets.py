"""Image build step: checks the installed packages and bakes weights and fonts into the image.

A SageMaker job with network isolation cannot download anything, so whatever a run needs is put
in the image here (see the Dockerfile):
- PRETRAINED_WEIGHTS (space/comma separated, e.g. "yolov8m.pt yolov8s.pt"): each file is taken
  from the build context's weights/ folder when present there, else downloaded now (the build
  has network).
- yolo26n.pt, always: ultralytics' AMP check loads it on every GPU training (utils/checks.py
  check_amp) and would otherwise try to download it in each job, or wait out connect timeouts
  under network isolation. Switching AMP off instead would cost GPU memory and speed.
- Fonts: Arial.ttf / Arial.Unicode.ttf from weights/ in the context, or downloaded along with
  weights. Without them train.py seeds a substitute at run time, so plots never download.
- ultralytics settings: sync off, weights_dir pointing at the baked weights.

    python bake_assets.py --weights "yolov8m.pt" [--no-download]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from importlib import metadata
from pathlib import Path

FONTS = ("Arial.ttf", "Arial.Unicode.ttf")
# The file check_amp loads from ultralytics' weights dir; yolojob/environment.py has the same name.
AMP_CHECK_WEIGHTS = "yolo26n.pt"


def opencv_distributions() -> list[str]:
    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    return sorted(n for n in names if n.startswith("opencv-"))


def check_packages(requirements: Path) -> None:
    """Exactly the pinned versions, and one OpenCV: two wheels writing cv2/ break each other."""
    problems = []
    for line in requirements.read_text().splitlines():
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line.strip())
        if m and (got := _version(m[1])) != m[2]:
            problems.append(f"{m[1]} is {got}, requirements.txt pins {m[2]}")
    if opencv_distributions() != ["opencv-python-headless"]:
        problems.append(
            f"expected only opencv-python-headless, found {', '.join(opencv_distributions()) or 'none'}"
        )
    if problems:
        raise SystemExit("bake_assets: " + "; ".join(problems))


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def bake(names: list[str], weights_dir: Path, download: bool) -> None:
    names = [*names, *([] if AMP_CHECK_WEIGHTS in names else [AMP_CHECK_WEIGHTS])]
    if download:
        # build time only; the image's runtime stays offline
        os.environ["YOLO_OFFLINE"] = "false"
    from ultralytics import YOLO
    from ultralytics.utils import SETTINGS, USER_CONFIG_DIR

    SETTINGS.update(sync=False, weights_dir=str(weights_dir))
    weights_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = weights_dir / name
        if not target.is_file():
            if not download:
                why = (
                    " (always baked: ultralytics' AMP check loads it on the GPU)"
                    if name == AMP_CHECK_WEIGHTS
                    else ""
                )
                raise SystemExit(
                    f"bake_assets: {name} is not in weights/ of the build context and downloads are off{why}"
                )
            from ultralytics.utils.downloads import attempt_download_asset

            attempt_download_asset(target)
        if not target.is_file():
            raise SystemExit(
                f"bake_assets: could not get {name}: put it in training-container/weights/ and rebuild"
            )
        # proves it loads: a truncated download fails the build, not the job
        YOLO(str(target))
        print(f"baked {target} ({target.stat().st_size / 1e6:.1f} MB)")

    for font in FONTS:
        if (weights_dir / font).is_file():
            shutil.copyfile(weights_dir / font, USER_CONFIG_DIR / font)
        elif download:
            from ultralytics.utils.checks import check_font

            check_font(font)  # best effort: train.py seeds a substitute if this failed
        print(
            f"font {font}: {'baked' if (USER_CONFIG_DIR / font).is_file() else 'substitute at run time'}"
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--weights", default="", help="weights files to bake, space or comma separated"
    )
    p.add_argument(
        "--weights-dir",
        type=Path,
        default=Path(os.environ.get("YOLO_WEIGHTS_DIR", "/opt/ultralytics/weights")),
    )
    p.add_argument(
        "--requirements",
        type=Path,
        default=Path(__file__).with_name("requirements.txt"),
    )
    p.add_argument(
        "--no-download",
        action="store_true",
        help="fail instead of downloading missing weights",
    )
    p.add_argument(
        "--skip-package-check", action="store_true", help="outside the image (tests)"
    )
    a = p.parse_args(argv)
    if not a.skip_package_check:
        check_packages(a.requirements)
    names = [n for n in re.split(r"[\s,]+", a.weights) if n]
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9._-]+\.pt", n)]
    if bad:
        raise SystemExit(
            f"bake_assets: PRETRAINED_WEIGHTS {', '.join(bad)}: expected file names like yolov8m.pt"
        )
    bake(names, a.weights_dir, download=not a.no_download)
    return 0


if __name__ == "__main__":
    sys.exit(main())
