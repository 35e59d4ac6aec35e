#!/usr/bin/env python3
"""Deterministic synthetic floor plans with YOLO labels (class `room`, optionally `door`).

Each image is a floor outline split into rooms by walls with door gaps, room names as text and
scanner-like noise. Image i depends only on (seed, i, imgsz, with_doors), so the same options
always produce byte-identical files. Used by the container tests, the benchmarks and the local
run. Layout: images/<split>/*.png, labels/<split>/*.txt and dataset.yaml (no `path` key, so
ultralytics resolves the splits relative to the yaml's folder). A rerun into the same --out first
removes the images/ and labels/ folders and dataset.yaml there (other files are left alone), so no
stale image or label cache from an earlier run ends up in a split.

    python scripts/make_floorplans.py --count 24 --imgsz 64 --seed 0 --out /tmp/plans
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOM_NAMES = (
    "LIVING",
    "KITCHEN",
    "BED",
    "BATH",
    "OFFICE",
    "HALL",
    "STORE",
    "DINING",
    "WC",
    "LAUNDRY",
)
ROOM, DOOR = 0, 1
MIN_COUNT, MIN_IMGSZ = 3, 32


@dataclass(frozen=True)
class Rect:
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def w(self) -> int:
        return self.x1 - self.x0

    @property
    def h(self) -> int:
        return self.y1 - self.y0


@dataclass(frozen=True)
class Plan:
    image: Image.Image
    # (class, x0, y0, x1, y1) in pixels
    boxes: list[tuple[int, float, float, float, float]]


def split_rooms(
    rng: random.Random, rect: Rect, min_side: int, depth: int = 0
) -> tuple[list[Rect], list[tuple]]:
    """Binary space partition: returns leaf rooms and the internal walls (orientation, fixed, start, end)."""
    can_v, can_h = rect.w >= 2 * min_side, rect.h >= 2 * min_side
    # Keep splitting big rectangles; stop randomly once rooms are plausible so counts vary (2-9 rooms).
    if not (can_v or can_h) or (depth >= 2 and rng.random() < 0.35) or depth >= 4:
        return [rect], []
    vertical = can_v and (
        not can_h or (rect.w >= rect.h if rng.random() < 0.8 else rng.random() < 0.5)
    )
    if vertical:
        cut = rng.randint(rect.x0 + min_side, rect.x1 - min_side)
        a, b = (
            Rect(rect.x0, rect.y0, cut, rect.y1),
            Rect(cut, rect.y0, rect.x1, rect.y1),
        )
        wall = ("v", cut, rect.y0, rect.y1)
    else:
        cut = rng.randint(rect.y0 + min_side, rect.y1 - min_side)
        a, b = (
            Rect(rect.x0, rect.y0, rect.x1, cut),
            Rect(rect.x0, cut, rect.x1, rect.y1),
        )
        wall = ("h", cut, rect.x0, rect.x1)
    rooms_a, walls_a = split_rooms(rng, a, min_side, depth + 1)
    rooms_b, walls_b = split_rooms(rng, b, min_side, depth + 1)
    return rooms_a + rooms_b, [wall, *walls_a, *walls_b]


def draw_plan(index: int, imgsz: int, seed: int, with_doors: bool) -> Plan:
    # str seeds hash stably across runs and platforms
    rng = random.Random(f"floorplan:{seed}:{index}")
    s = imgsz
    img = Image.new("L", (s, s), 255)
    d = ImageDraw.Draw(img)
    wall = max(1, round(s / 90))  # wall thickness scales with the image, never vanishes
    margin = [round(s * rng.uniform(0.04, 0.14)) for _ in range(4)]
    outline = Rect(margin[0], margin[1], s - margin[2], s - margin[3])
    rooms, walls = split_rooms(rng, outline, min_side=max(8, round(s * 0.18)))

    # Faint grid and dimension lines first, so walls and text draw over them like on a scan.
    for _ in range(rng.randint(2, 5)):
        y = rng.randint(0, s - 1)
        d.line([(0, y), (s, y)], fill=rng.randint(200, 235), width=1)

    boxes: list[tuple[int, float, float, float, float]] = []
    door = max(3, round(s * rng.uniform(0.05, 0.08)))
    for orient, fixed, start, end in walls:
        if orient == "v":
            d.rectangle(
                [fixed - wall // 2, start, fixed + (wall - 1) // 2, end], fill=0
            )
        else:
            d.rectangle(
                [start, fixed - wall // 2, end, fixed + (wall - 1) // 2], fill=0
            )
        if end - start < door + 4 * wall:
            continue
        g0 = rng.randint(start + 2 * wall, end - 2 * wall - door)
        # The gap is the door; the quarter-circle swing is the usual plan symbol and marks its box.
        side = rng.choice((-1, 1))
        if orient == "v":
            d.rectangle([fixed - wall, g0, fixed + wall, g0 + door], fill=255)
            bx = (fixed, g0, fixed + side * door, g0 + door)
            d.line([(fixed, g0), (fixed + side * door, g0)], fill=60, width=1)
            d.arc(
                [fixed - door, g0 - door, fixed + door, g0 + door],
                *((0, 90) if side > 0 else (90, 180)),
                fill=90,
            )
        else:
            d.rectangle([g0, fixed - wall, g0 + door, fixed + wall], fill=255)
            bx = (g0, fixed, g0 + door, fixed + side * door)
            d.line([(g0, fixed), (g0, fixed + side * door)], fill=60, width=1)
            d.arc(
                [g0 - door, fixed - door, g0 + door, fixed + door],
                *((0, 90) if side > 0 else (270, 360)),
                fill=90,
            )
        if with_doors:
            boxes.append(
                (
                    DOOR,
                    min(bx[0], bx[2]),
                    min(bx[1], bx[3]),
                    max(bx[0], bx[2]),
                    max(bx[1], bx[3]),
                )
            )

    d.rectangle(
        [outline.x0, outline.y0, outline.x1, outline.y1], outline=0, width=wall * 2
    )

    font_size = max(6, round(s / 40))
    # Pillow's bundled font: no system font needed
    font = ImageFont.load_default(size=font_size)
    for room in rooms:
        # Room box = the free floor between wall faces: outline walls are 2*wall thick and drawn
        # inwards, internal walls are `wall` thick and centred on the cut.
        after, before = (wall - 1) // 2 + 1, wall // 2
        x0 = room.x0 + (2 * wall if room.x0 == outline.x0 else after)
        y0 = room.y0 + (2 * wall if room.y0 == outline.y0 else after)
        x1 = room.x1 - (2 * wall - 1 if room.x1 == outline.x1 else before)
        y1 = room.y1 - (2 * wall - 1 if room.y1 == outline.y1 else before)
        boxes.append((ROOM, x0, y0, x1, y1))
        name = rng.choice(ROOM_NAMES)
        tw = d.textlength(name, font=font)
        if tw < room.w - 4 * wall and font_size < room.h - 4 * wall:
            cx, cy = (room.x0 + room.x1) / 2, (room.y0 + room.y1) / 2
            d.text((cx - tw / 2, cy - font_size / 2), name, fill=40, font=font)
        if (
            rng.random() < 0.5 and room.w > 6 * wall + 6 and room.h > 6 * wall + 6
        ):  # furniture outline
            fx, fy = (
                rng.randint(room.x0 + 3 * wall, room.x1 - 3 * wall - 3),
                rng.randint(room.y0 + 3 * wall, room.y1 - 3 * wall - 3),
            )
            d.rectangle(
                [
                    fx,
                    fy,
                    min(fx + rng.randint(3, max(3, room.w // 4)), room.x1 - 2 * wall),
                    min(fy + rng.randint(3, max(3, room.h // 4)), room.y1 - 2 * wall),
                ],
                outline=150,
            )

    # Scanner speckle: a few dark and light pixels anywhere.
    px = img.load()
    for _ in range(s * s // 150):
        x, y = rng.randrange(s), rng.randrange(s)
        px[x, y] = rng.choice((rng.randint(0, 90), rng.randint(170, 255)))
    return Plan(img.convert("RGB"), boxes)


def yolo_lines(
    boxes: list[tuple[int, float, float, float, float]], imgsz: int
) -> list[str]:
    out = []
    for cls, x0, y0, x1, y1 in boxes:
        x0, y0, x1, y1 = (min(max(v, 0), imgsz) for v in (x0, y0, x1, y1))
        if x1 - x0 < 1 or y1 - y0 < 1:
            continue
        xc, yc, w, h = (
            (x0 + x1) / 2 / imgsz,
            (y0 + y1) / 2 / imgsz,
            (x1 - x0) / imgsz,
            (y1 - y0) / imgsz,
        )
        out.append(f"{cls} {xc:.6f} {yc:.6f} {w:.6f} {h:.6f}")
    return out


def split_sizes(count: int) -> dict[str, int]:
    """About 70/20/10; val always has at least one image, test once there are 10 or more."""
    n_val = max(1, round(count * 0.2))
    n_test = round(count * 0.1) if count >= 10 else 0
    return {"train": count - n_val - n_test, "val": n_val, "test": n_test}


def clear_output(out: Path) -> None:
    """Removes what generate() writes (and ultralytics' label caches inside labels/)."""
    for name in ("images", "labels"):
        p = out / name
        if p.is_symlink() or p.is_file():
            p.unlink()
        elif p.is_dir():
            shutil.rmtree(p)
    (out / "dataset.yaml").unlink(missing_ok=True)


def generate(
    out: Path, count: int, imgsz: int, seed: int, with_doors: bool = False
) -> Path:
    if count < MIN_COUNT:
        raise ValueError(
            f"--count {count}: need at least {MIN_COUNT} images (train and val must both have one)"
        )
    if imgsz < MIN_IMGSZ:
        raise ValueError(f"--imgsz {imgsz}: must be at least {MIN_IMGSZ} pixels")
    clear_output(out)
    sizes = split_sizes(count)
    index = 0
    for split, n in sizes.items():
        if n == 0:
            continue
        (out / "images" / split).mkdir(parents=True, exist_ok=True)
        (out / "labels" / split).mkdir(parents=True, exist_ok=True)
        for _ in range(n):
            plan = draw_plan(index, imgsz, seed, with_doors)
            stem = f"plan_{index:05d}"
            plan.image.save(out / "images" / split / f"{stem}.png", optimize=False)
            (out / "labels" / split / f"{stem}.txt").write_text(
                "\n".join(yolo_lines(plan.boxes, imgsz)) + "\n"
            )
            index += 1
    names = ["room", "door"] if with_doors else ["room"]
    lines = [
        "# Synthetic floor plans (scripts/make_floorplans.py). No `path` key: ultralytics resolves the",
        "# splits relative to this file's folder.",
        *(f"{split}: images/{split}" for split, n in sizes.items() if n),
        "names:",
        *(f"  {i}: {name}" for i, name in enumerate(names)),
    ]
    yaml_path = out / "dataset.yaml"
    yaml_path.write_text("\n".join(lines) + "\n")
    return yaml_path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--count", type=int, default=60, help="number of images (default 60)"
    )
    p.add_argument(
        "--imgsz",
        type=int,
        default=640,
        help="square image size in pixels (default 640)",
    )
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", type=Path, required=True, help="output directory")
    p.add_argument(
        "--with-doors", action="store_true", help="also label doors as class 1 `door`"
    )
    a = p.parse_args(argv)
    try:
        yaml_path = generate(a.out, a.count, a.imgsz, a.seed, a.with_doors)
    except ValueError as e:
        print(f"make_floorplans: {e}", file=sys.stderr)
        return 2
    sizes = split_sizes(a.count)
    print(
        f"wrote {a.count} images ({', '.join(f'{k} {v}' for k, v in sizes.items())}) and {yaml_path}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
