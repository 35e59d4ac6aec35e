"""Runs ultralytics fully offline and picks devices and workers for this machine.

prepare_offline() must run before `import ultralytics`: it reads YOLO_OFFLINE and YOLO_CONFIG_DIR
at import. With network isolation nothing may try a download, and ultralytics fetches Arial.ttf
whenever it checks a dataset unless the font is already in its config dir, so a font is seeded.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from .errors import HyperparameterError
from .paths import work_dir

# The names ultralytics looks up for ASCII / other labels.
FONTS = ("Arial.ttf", "Arial.Unicode.ttf")
DEFAULT_WEIGHTS_DIR = "/opt/ultralytics/weights"
# ultralytics' GPU AMP check loads this from its weights dir (utils/checks.py check_amp); the image
# always bakes it (bake_assets.py), so it is no candidate for the default model.
AMP_CHECK_WEIGHTS = "yolo26n.pt"


def fallback_font() -> Path:
    """DejaVu Sans from matplotlib (an ultralytics dependency): a real TTF for plot labels."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "matplotlib is not installed: no font to seed for ultralytics"
        )
    return (
        Path(spec.submodule_search_locations[0])
        / "mpl-data"
        / "fonts"
        / "ttf"
        / "DejaVuSans.ttf"
    )


def seed_fonts(ultralytics_dir: Path, source: Path | None = None) -> None:
    """Puts the fonts where ultralytics' check_font finds them, so it never tries to download."""
    ultralytics_dir.mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        target = ultralytics_dir / name
        if not target.exists():
            shutil.copyfile(source or fallback_font(), target)


def prepare_offline() -> Path:
    """Sets the offline environment (keeping values the image or the caller set); returns the config dir."""
    # "true", not "1", is what ultralytics reads
    os.environ.setdefault("YOLO_OFFLINE", "true")
    config_root = Path(
        os.environ.setdefault("YOLO_CONFIG_DIR", str(work_dir() / "ultralytics-config"))
    )
    ultralytics_dir = config_root / "Ultralytics"  # ultralytics appends this folder
    seed_fonts(ultralytics_dir)
    return ultralytics_dir


def disable_sync() -> None:
    """Settings sync (analytics) off; YOLO_OFFLINE already blocks it, this also records it in settings."""
    from ultralytics.utils import SETTINGS

    if SETTINGS.get("sync"):
        SETTINGS.update(sync=False)


def device_string(gpu_count: int) -> str:
    return ",".join(str(i) for i in range(gpu_count)) if gpu_count > 0 else "cpu"


def visible_gpus() -> int:
    import torch

    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def default_workers(cpu_count: int, gpu_count: int) -> int:
    """Dataloader workers per device: the CPUs it can have, one left for the training loop, at most 8."""
    per_device = cpu_count // max(gpu_count, 1)
    return max(0, min(8, per_device - 1))


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))  # honours container CPU limits
    except AttributeError:
        return os.cpu_count() or 1


def weights_dir() -> Path:
    return Path(os.environ.get("YOLO_WEIGHTS_DIR", DEFAULT_WEIGHTS_DIR))


def resolve_model(name: str | None, directory: Path) -> str:
    """A .yaml builds from scratch (shipped with ultralytics); a .pt must be baked into the image."""
    if name is None:
        baked = sorted(directory.glob("*.pt")) if directory.is_dir() else []
        models = [p for p in baked if p.name != AMP_CHECK_WEIGHTS]
        if len(models) == 1:
            return str(models[0])
        raise HyperparameterError(
            f"hyperparameter model is not set and the image has {len(models)} baked weights in {directory} "
            f"(not counting {AMP_CHECK_WEIGHTS}, baked for ultralytics' AMP check): "
            "set model (e.g. yolov8m.pt, or yolov8n.yaml to train from scratch)"
        )
    if name.endswith(".yaml"):
        return name
    path = Path(name)
    for candidate in (path, directory / name, directory / path.name):
        if candidate.is_file():
            return str(candidate)
    raise HyperparameterError(
        f'hyperparameter model="{name}": weights not found in {directory} and the job cannot download them; '
        f"build the image with --build-arg PRETRAINED_WEIGHTS={path.name}, or train from scratch with a "
        ".yaml model (e.g. yolov8n.yaml)"
    )
