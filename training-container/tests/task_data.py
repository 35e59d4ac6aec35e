"""Tiny generated datasets for every ultralytics task, for real 1-epoch CPU training runs.

Each image is a 64 px grey canvas with one or two rotated dark rectangles. The labels describe the
same rectangles the way each task reads them: a polygon of the 4 corners (segment), the 4 corners
as an oriented box (obb), a box plus the 4 corners as keypoints (pose), the box alone (detect). classify has no labels and
no yaml: class folders under train/ and val/, a dark square (`square`) or a dark disc (`disc`).
Deterministic: the same seed always gives the same files.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

IMGSZ = 64
SPLITS = {"train": 8, "val": 4}
# pose: the 4 corners, visible; mirrored left-right, corner 0 <-> 1 and 2 <-> 3
KPT_SHAPE = [4, 3]
FLIP_IDX = [1, 0, 3, 2]


def _corners(rng: random.Random) -> list[tuple[float, float]]:
    cx, cy = rng.uniform(20, 44), rng.uniform(20, 44)
    w, h = rng.uniform(14, 26), rng.uniform(10, 20)
    a = math.radians(rng.uniform(-30, 30))
    c, s = math.cos(a), math.sin(a)
    out = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        out.append((cx + dx * c - dy * s, cy + dx * s + dy * c))
    return out


def _norm(points: list[tuple[float, float]]) -> list[float]:
    return [min(1.0, max(0.0, v / IMGSZ)) for p in points for v in p]


def _row(task: str, corners: list[tuple[float, float]]) -> str:
    flat = _norm(corners)
    xs, ys = flat[0::2], flat[1::2]
    box = [
        (min(xs) + max(xs)) / 2,
        (min(ys) + max(ys)) / 2,
        max(xs) - min(xs),
        max(ys) - min(ys),
    ]
    if task in ("segment", "obb"):
        values = flat
    elif task == "pose":  # box, then x y visibility per keypoint
        values = box + [v for x, y in zip(xs, ys) for v in (x, y, 2.0)]
    else:  # detect: the box around the rectangle
        values = box
    return "0 " + " ".join(f"{v:.6f}" for v in values)


def generate_labelled(out: Path, task: str, seed: int = 0) -> Path:
    """images/<split>, labels/<split> and dataset.yaml (no `path`: relative to the yaml)."""
    rng = random.Random(f"{task}-{seed}")
    for split, count in SPLITS.items():
        (out / "images" / split).mkdir(parents=True, exist_ok=True)
        (out / "labels" / split).mkdir(parents=True, exist_ok=True)
        for i in range(count):
            image = Image.new("RGB", (IMGSZ, IMGSZ), (200, 200, 200))
            draw = ImageDraw.Draw(image)
            rows = []
            for _ in range(1 + i % 2):
                corners = _corners(rng)
                draw.polygon(corners, fill=(40, 40, 40))
                rows.append(_row(task, corners))
            image.save(out / "images" / split / f"{i:03d}.png")
            (out / "labels" / split / f"{i:03d}.txt").write_text("\n".join(rows) + "\n")
    data: dict = {"train": "images/train", "val": "images/val", "names": {0: "box"}}
    if task == "pose":
        data.update(kpt_shape=KPT_SHAPE, flip_idx=FLIP_IDX)
    (out / "dataset.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return out


def generate_classify(out: Path, seed: int = 0, with_test: bool = False) -> Path:
    """<split>/<class>/<image>.png for train, val (and test); no yaml, as ultralytics reads it."""
    rng = random.Random(f"classify-{seed}")
    splits = dict(SPLITS, test=2) if with_test else SPLITS
    for split, count in splits.items():
        for name in ("disc", "square"):
            folder = out / split / name
            folder.mkdir(parents=True, exist_ok=True)
            for i in range(count // 2):
                image = Image.new("RGB", (IMGSZ, IMGSZ), (200, 200, 200))
                draw = ImageDraw.Draw(image)
                cx, cy, r = (
                    rng.uniform(22, 42),
                    rng.uniform(22, 42),
                    rng.uniform(10, 18),
                )
                box = (cx - r, cy - r, cx + r, cy + r)
                if name == "disc":
                    draw.ellipse(box, fill=(40, 40, 40))
                else:
                    draw.rectangle(box, fill=(40, 40, 40))
                image.save(folder / f"{i:03d}.png")
    return out
