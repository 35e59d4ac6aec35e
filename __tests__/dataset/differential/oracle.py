"""Differential oracle for the dataset validator.

  make  <dir>   writes a corpus of small generated datasets, one per case (<dir>/<id>/case.json says
                the task and what the case is about)
  judge <dir> <out.json>  runs each case through ultralytics itself (check_det_dataset, then a YOLODataset per
                split, whose label scan calls verify_image_label) and writes JSON:
                {id: {"outcome": "fail" | "ok", "dropped": {"train": n, "val": n}, "error": str}}

The training container rewrites the yaml's `path` to the folder the dataset was rebuilt in; judge
does the same (the yaml's folder, or a relative `path` under it) before ultralytics reads it.
Images are generated with Pillow. Nothing here reaches the network (YOLO_OFFLINE).
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("YOLO_OFFLINE", "true")

W, H = 32, 24


def image_bytes(fmt: str, size: tuple[int, int] = (W, H)) -> bytes:
    from PIL import Image

    im = Image.new("RGB", size, (90, 140, 200))
    buf = io.BytesIO()
    im.save(buf, fmt)
    return buf.getvalue()


def heic_bytes() -> bytes:
    """A minimal ISO-BMFF file with a 'heic' brand: enough for a header reader, not for Pillow."""
    ftyp = b"ftypheic" + b"\0\0\0\0" + b"mif1heic"
    ispe = b"ispe" + b"\0\0\0\0" + (W).to_bytes(4, "big") + (H).to_bytes(4, "big")
    ispe_box = (8 + len(ispe)).to_bytes(4, "big") + ispe
    ipco = (8 + len(ispe_box)).to_bytes(4, "big") + b"ipco" + ispe_box
    iprp = (8 + len(ipco)).to_bytes(4, "big") + b"iprp" + ipco
    meta_body = b"\0\0\0\0" + iprp
    meta = (8 + len(meta_body)).to_bytes(4, "big") + b"meta" + meta_body
    return (
        (8 + len(ftyp)).to_bytes(4, "big")
        + ftyp
        + meta
        + (8).to_bytes(4, "big")
        + b"mdat"
    )


FORMATS = {  # suffix -> Pillow format of the content
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "mpo": "JPEG",
    "png": "PNG",
    "bmp": "BMP",
    "tif": "TIFF",
    "tiff": "TIFF",
    "dng": "TIFF",
    "webp": "WEBP",
    "jp2": "JPEG2000",
    "avif": "AVIF",
}

BOX = "0 0.5 0.5 0.2 0.2"
NAMES2 = "names: [room, door]\n"


class Corpus:
    def __init__(self, root: Path):
        self.root = root
        self.count = 0

    def case(
        self, name: str, files: dict[str, bytes | str], task: str = "detect"
    ) -> None:
        self.count += 1
        d = self.root / f"{self.count:04d}"
        for rel, data in files.items():
            p = d / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                data = data.encode("utf-8")
            p.write_bytes(data)
        (d / "case.json").write_text(json.dumps({"name": name, "task": task}))

    def labelled(
        self,
        name: str,
        label: str | bytes,
        task: str = "detect",
        yaml_extra: str = "",
        clean: str = BOX,
        image: bytes | None = None,
        ext: str = "png",
    ) -> None:
        """train: a clean image and one with `label`; val: a clean image."""
        png = image_bytes("PNG")
        files: dict[str, bytes | str] = {
            "data.yaml": f"train: images/train\nval: images/val\n{NAMES2}{yaml_extra}",
            f"images/train/case.{ext}": image if image is not None else png,
            "labels/train/case.txt": label,
        }
        for split in ("train", "val"):
            files[f"images/{split}/ok.png"] = png
            files[f"labels/{split}/ok.txt"] = clean
        self.case(name, files, task)


def make(root: Path) -> int:
    c = Corpus(root)
    # Coordinates at each tolerance edge, both sides, in every column.
    edges = [
        "1", "1.0000000000000002", "1.005", "1.01", "1.0099999", "1.0100001", "1.02", "1.5",
        "0", "-0.0", "-0.009", "-0.0099999", "-0.01", "-0.0100001", "-0.011", "-0.5",
    ]  # fmt: skip
    for col in range(1, 5):
        for v in edges:
            row = BOX.split()
            row[col] = v
            c.labelled(f"coordinate col{col}={v}", " ".join(row))
    # Class ids (nc = 2).
    for cls in ["0", "1", "2", "3", "-1", "-0.005", "-0.01", "-0.02", "0.5", "1.0", "1e9", "nan", "inf", "-inf", "1e39", "+1", "1_0", "١"]:  # fmt: skip
        c.labelled(f"class {cls}", f"{cls} 0.5 0.5 0.2 0.2")
    # Non-finite and malformed values in each column.
    for col in range(1, 5):
        for v in [
            "nan",
            "inf",
            "-inf",
            "NaN",
            "Infinity",
            "abc",
            "0x1",
            "1e",
            ".5",
            "5.",
            "+.5",
            "1e-1",
            "١",
        ]:
            row = BOX.split()
            row[col] = v
            c.labelled(f"value col{col}={v}", " ".join(row))
    # Row widths, polygons, oriented boxes, odd polygons.
    for n in range(1, 14):
        vals = ["0"] + [f"{0.1 + 0.05 * i:.2f}" for i in range(n - 1)]
        c.labelled(f"width {n}", " ".join(vals))
    polygon = "0 0.1 0.1 0.9 0.1 0.5 0.9"
    obb = "1 0.1 0.1 0.4 0.1 0.4 0.3 0.1 0.3"
    odd = "0 0.1 0.1 0.9 0.1 0.5 0.9 0.4"
    mixes = {
        "box+polygon": f"{BOX}\n{polygon}",
        "polygon+obb": f"{polygon}\n{obb}",
        "box+6": f"{BOX}\n0 0.5 0.5 0.2 0.2 0.9",
        "polygon+6": f"{polygon}\n0 0.5 0.5 0.2 0.2 0.9",
        "polygon+3": f"{polygon}\n0 0.5 0.5",
        "polygon+1": f"{polygon}\n0",
        "polygon+odd": f"{polygon}\n{odd}",
        "box+4": f"{BOX}\n0 0.5 0.5 0.2",
        "obb": obb,
        "polygon": polygon,
        "odd polygon": odd,
        "polygon point 1.5 (box inside)": "0 0.5 0.5 1.5 0.5 1.0 0.9",
        "polygon span > 1.01": "0 -0.2 0.1 0.9 0.1 0.5 0.9",
        "polygon nan": "0 0.1 nan 0.9 0.1 0.5 0.9",
        "polygon class 2": "2 0.1 0.1 0.9 0.1 0.5 0.9",
        "polygon dup": f"{polygon}\n{polygon}",
        "polygon same box": f"{polygon}\n0 0.1 0.1 0.9 0.1 0.6 0.9",
        "obb dup formatted": f"{obb}\n1 0.10 0.1 0.4 0.1 0.4 0.3 0.1 0.30",
    }
    for task in ("detect", "segment", "obb"):
        for name, text in mixes.items():
            c.labelled(
                f"{task}: {name}",
                text,
                task=task,
                clean=polygon if task != "detect" else BOX,
            )
    # Duplicates, blank lines, separators, encodings.
    texts: dict[str, str | bytes] = {
        "duplicate": f"{BOX}\n{BOX}",
        "duplicate formatted": f"{BOX}\n0 0.50 0.5 0.2 0.20",
        "duplicate float32": f"{BOX}\n0 0.5 0.5 0.2 0.20000000001",
        "three duplicates": f"{BOX}\n{BOX}\n1 0.1 0.1 0.1 0.1\n{BOX}",
        "blank lines": f"\n\n{BOX}\n\n\n1 0.2 0.2 0.1 0.1\n\n",
        "whitespace line": f"{BOX}\n   \n1 0.2 0.2 0.1 0.1",
        "crlf": f"{BOX}\r\n1 0.2 0.2 0.1 0.1\r\n",
        "cr": f"{BOX}\r1 0.2 0.2 0.1 0.1",
        "vertical tab": f"{BOX}\v1 0.2 0.2 0.1 0.1",
        "form feed": f"{BOX}\f1 0.2 0.2 0.1 0.1",
        "u2028": f"{BOX}\u20281 0.2 0.2 0.1 0.1",
        "x1c": f"{BOX}\x1c1 0.2 0.2 0.1 0.1",
        "tabs": "0\t0.5\t0.5\t0.2\t0.2",
        "nbsp": "0\u00a00.5 0.5 0.2 0.2",
        "bom": f"\ufeff{BOX}",
        "double bom": f"\ufeff\ufeff{BOX}",
        "trailing comment": f"{BOX} # room",
        "trailing garbage line": f"{BOX}\n#",
        "empty": "",
        "only newlines": "\n\n",
        "invalid utf-8": b"0 0.5 0.5 0.2 0.2\n\xff\xfe",
        "latin-1 name": b"0 0.5 0.5 0.2 0.2 \xe9",
        "nul": "0 0.5 0.5 0.2 0.2\x00",
        "leading spaces": f"   {BOX}   ",
        "negative size within tolerance": "0 0.5 0.5 -0.001 0.2",
        "negative x with zero size": "0 -0.005 0.5 0 0.2",
        "negative x, other row negative h": "0 -0.005 0.5 0.1 0.2\n1 0.5 0.5 0.1 -0.0001",
        "zero size": "0 0.5 0.5 0 0",
    }
    for name, text in texts.items():
        c.labelled(name, text)
    # Pose rows (kpt_shape [2, 3] and [2, 2]).
    k3 = "kpt_shape: [2, 3]\n"
    k2 = "kpt_shape: [2, 2]\n"
    pose3 = "0 0.5 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 1"
    pose2 = "0 0.5 0.5 0.2 0.2 0.4 0.4 0.6 0.6"
    pose_cases = {
        "ok": (k3, pose3),
        "kpt x 1.02": (k3, "0 0.5 0.5 0.2 0.2 1.02 0.4 2 0.6 0.6 1"),
        "kpt x 1.005": (k3, "0 0.5 0.5 0.2 0.2 1.005 0.4 2 0.6 0.6 1"),
        "visibility 2 above 1.01 (not a point)": (k3, pose3),
        "box cx 1.5 (not a point)": (k3, "0 1.5 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 1"),
        "box cx inf": (k3, "0 inf 0.5 0.2 0.2 0.4 0.4 2 0.6 0.6 1"),
        "visibility -1": (k3, "0 0.5 0.5 0.2 0.2 0.4 0.4 -1 0.6 0.6 1"),
        "kpt -0.005": (k3, "0 0.5 0.5 0.2 0.2 -0.005 0.4 2 0.6 0.6 1"),
        "wrong width 9": (k3, pose2),
        "box row": (k3, BOX),
        "dims 2 ok": (k2, pose2),
        "dims 2 width 11": (k2, pose3),
        "polygon row": (k3, polygon),
        "duplicate": (k3, f"{pose3}\n{pose3}"),
        "mixed widths": (k3, f"{pose3}\n{BOX}"),
        "no kpt_shape": ("", pose3),
    }
    for name, (extra, text) in pose_cases.items():
        c.labelled(
            f"pose: {name}",
            text,
            task="pose",
            yaml_extra=extra,
            clean=pose3 if extra == k3 else pose2,
        )
    # Pose labels read by a box model (kpt_shape in the yaml).
    c.labelled("detect reads pose rows", pose3, yaml_extra=k3, clean=pose3)
    c.labelled(
        "detect reads pose rows mixed with boxes", f"{pose3}\n{BOX}", yaml_extra=k3
    )
    c.labelled(
        "segment reads pose rows", pose3, task="segment", yaml_extra=k3, clean=polygon
    )
    # Images: every suffix ultralytics lists, whole, tiny, truncated, padded.
    for ext, fmt in FORMATS.items():
        whole = image_bytes(fmt)
        variants = {
            "whole": whole,
            "9x20": image_bytes(fmt, (9, 20)),
            "20x9": image_bytes(fmt, (20, 9)),
            "10x10": image_bytes(fmt, (10, 10)),
            "half": whole[: len(whole) // 2],
            "first 40 bytes": whole[:40],
            "last 2 bytes cut": whole[:-2],
            "junk appended": whole + b"junk",
        }
        for name, data in variants.items():
            c.labelled(f"image .{ext} {name}", BOX, image=data, ext=ext)
    heic = heic_bytes()
    c.labelled("image .heic", BOX, image=heic, ext="heic")
    c.labelled("image .heif", BOX, image=heic, ext="heif")
    c.labelled("image .jpg holding a GIF", BOX, image=image_bytes("GIF"), ext="jpg")
    c.labelled("image .png holding a JPEG", BOX, image=image_bytes("JPEG"), ext="png")
    c.labelled("image .png holding text", BOX, image=b"not an image at all", ext="png")
    c.labelled("image .png empty", BOX, image=b"", ext="png")
    big = image_bytes("JPEG", (64, 48))
    c.labelled(
        "image .jpg 64x48 cut at 70%", BOX, image=big[: int(len(big) * 0.7)], ext="jpg"
    )
    png_crc = bytearray(image_bytes("PNG"))
    png_crc[20] ^= 0xFF  # inside IHDR: its CRC no longer matches
    c.labelled("image .png CRC error", BOX, image=bytes(png_crc), ext="png")
    yaml_cases(c)
    return c.count


def yaml_cases(c: Corpus) -> None:
    png = image_bytes("PNG")

    def tree(prefix: str, n: int = 2, label: str = BOX) -> dict[str, bytes | str]:
        files: dict[str, bytes | str] = {}
        for i in range(n):
            files[f"{prefix}/images/im{i}.png"] = png
            files[f"{prefix}/labels/im{i}.txt"] = label
        return files

    roboflow = {**tree("train"), **tree("valid"), **tree("test")}
    c.case(
        "roboflow ../",
        {
            "data.yaml": f"train: ../train/images\nval: ../valid/images\ntest: ../test/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "roboflow export without a test folder (its yaml still names one)",
        {
            "data.yaml": f"train: ../train/images\nval: ../valid/images\ntest: ../test/images\n{NAMES2}",
            **tree("train"),
            **tree("valid"),
        },
    )
    c.case(
        "roboflow ../ with nc",
        {
            "data.yaml": f"train: ../train/images\nval: ../valid/images\nnc: 2\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "../ in a list (no retry)",
        {
            "data.yaml": f"train: [../train/images]\nval: ../valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "./ paths",
        {
            "data.yaml": f"train: ./train/images\nval: ./valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "absolute laptop path",
        {
            "data.yaml": f"path: /Users/someone/datasets/rooms\ntrain: train/images\nval: valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "relative path .",
        {
            "data.yaml": f"path: .\ntrain: train/images\nval: valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "validation key",
        {
            "data.yaml": f"train: train/images\nvalidation: valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case("no val", {"data.yaml": f"train: train/images\n{NAMES2}", **roboflow})
    c.case("no train", {"data.yaml": f"val: valid/images\n{NAMES2}", **roboflow})
    c.case(
        "val not found",
        {
            "data.yaml": f"train: train/images\nval: nowhere/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "train not found",
        {
            "data.yaml": f"train: nowhere/images\nval: valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    c.case(
        "names and nc disagree",
        {
            "data.yaml": "train: train/images\nval: valid/images\nnames: [a, b]\nnc: 3\n",
            **roboflow,
        },
    )
    c.case(
        "nc only",
        {"data.yaml": "train: train/images\nval: valid/images\nnc: 2\n", **roboflow},
    )
    c.case(
        "nc '2'",
        {"data.yaml": "train: train/images\nval: valid/images\nnc: '2'\n", **roboflow},
    )
    c.case(
        "nc 2.5",
        {"data.yaml": "train: train/images\nval: valid/images\nnc: 2.5\n", **roboflow},
    )
    c.case(
        "names mapping",
        {
            "data.yaml": "train: train/images\nval: valid/images\nnames: {0: a, 1: b}\n",
            **roboflow,
        },
    )
    c.case(
        "names mapping gap",
        {
            "data.yaml": "train: train/images\nval: valid/images\nnames: {0: a, 2: b}\n",
            **roboflow,
        },
    )
    c.case(
        "no names",
        {"data.yaml": "train: train/images\nval: valid/images\n", **roboflow},
    )
    c.case(
        "one class, labels use 1",
        {
            "data.yaml": "train: train/images\nval: valid/images\nnames: [a]\n",
            **tree("train", label="1 0.5 0.5 0.1 0.1"),
            **tree("valid"),
        },
    )
    c.case(
        "list of splits",
        {
            "data.yaml": f"train: [train/images, test/images]\nval: valid/images\n{NAMES2}",
            **roboflow,
        },
    )
    # .txt split lists.
    lists = {**tree("all", 4)}
    lists["train.txt"] = (
        "./all/images/im0.png\n./all/images/im1.png\n./all/images/im2.png\n"
    )
    lists["val.txt"] = "./all/images/im3.png\n"
    c.case(
        ".txt lists",
        {"data.yaml": f"train: train.txt\nval: val.txt\n{NAMES2}", **lists},
    )
    missing = dict(lists)
    missing["train.txt"] = (
        "./all/images/im0.png\n./all/images/gone.png\n./all/images/im1.png\n"
    )
    c.case(
        ".txt list with a missing image",
        {"data.yaml": f"train: train.txt\nval: val.txt\n{NAMES2}", **missing},
    )
    bom = dict(lists)
    bom["train.txt"] = "\ufeff./all/images/im0.png\r\n./all/images/im1.png\r\n\r\n"
    c.case(
        ".txt list with BOM and CRLF",
        {"data.yaml": f"train: train.txt\nval: val.txt\n{NAMES2}", **bom},
    )
    other = dict(lists)
    other["train.txt"] = "./all/images/im0.png\n./all/labels/im0.txt\n"
    c.case(
        ".txt list with a non-image entry",
        {"data.yaml": f"train: train.txt\nval: val.txt\n{NAMES2}", **other},
    )
    # Nested folders and odd names.
    nested = {
        "images/train/a/b/deep.png": png,
        "labels/train/a/b/deep.txt": BOX,
        "images/train/top.png": png,
        "labels/train/top.txt": "0 1.5 0.5 0.1 0.1",
        "images/train/.hidden.png": png,
        "images/train/noext": png,
        "images/train/a/.hid/x.png": png,
        "images/val/v.png": png,
        "labels/val/v.txt": BOX,
    }
    c.case(
        "nested folders",
        {"data.yaml": f"train: images/train\nval: images/val\n{NAMES2}", **nested},
    )
    c.case(
        "flat layout",
        {
            "data.yaml": f"train: train\nval: val\n{NAMES2}",
            "train/a.png": png,
            "train/a.txt": BOX,
            "train/b.png": png,
            "train/b.txt": "0 2 2 2 2",
            "val/c.png": png,
            "val/c.txt": BOX,
        },
    )
    # Whole splits that ultralytics cannot use.
    bad = "0 1.5 0.5 0.1 0.1"
    c.case(
        "every train image dropped",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            **tree("train", label=bad),
            **tree("valid"),
        },
    )
    c.case(
        "every val image dropped",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            **tree("train"),
            **tree("valid", label=bad),
        },
    )
    c.case(
        "train without label files",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            "train/images/a.png": png,
            "train/images/b.png": png,
            **tree("valid"),
        },
    )
    c.case(
        "val without label files",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            **tree("train"),
            "valid/images/a.png": png,
        },
    )
    c.case(
        "train: a background and an image with a corrupt label",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            "train/images/a.png": png,
            "train/images/b.png": png,
            "train/labels/b.txt": "0 1.5 0.5 0.1 0.1",
            **tree("valid"),
        },
    )
    c.case(
        "train with only empty labels",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            **tree("train", label=""),
            **tree("valid"),
        },
    )
    c.case(
        "empty train folder",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
            "train/images/readme.md": "x",
            **tree("valid"),
        },
    )
    polygon = "0 0.1 0.1 0.9 0.1 0.5 0.9"
    mixed = {
        **tree("train", label=polygon),
        "train/images/box.png": png,
        "train/labels/box.txt": BOX,
        **tree("valid", label=polygon),
    }
    for task in ("detect", "segment", "obb"):
        c.case(
            f"{task}: one file of boxes among polygons",
            {"data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}", **mixed},
            task=task,
        )
        c.case(
            f"{task}: boxes only",
            {
                "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
                **roboflow,
            },
            task=task,
        )
        c.case(
            f"{task}: a background among polygons",
            {
                "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}",
                **tree("train", label=polygon),
                "train/images/bg.png": png,
                **tree("valid", label=polygon),
            },
            task=task,
        )
    c.case(
        "pose: kpt_shape [2, 4]",
        {
            "data.yaml": f"train: train/images\nval: valid/images\n{NAMES2}kpt_shape: [2, 4]\n",
            **roboflow,
        },
        task="pose",
    )


def rewrite_path(yaml_file: Path) -> None:
    """What the training container does: `path` becomes the folder the splits are under."""
    import yaml

    data = yaml.safe_load(yaml_file.read_text(encoding="utf-8"))
    old = data.get("path") if isinstance(data, dict) else None
    root = yaml_file.parent
    if isinstance(old, str) and old and not Path(old).is_absolute():
        root = (yaml_file.parent / old).resolve()
    if isinstance(data, dict):
        data["path"] = str(root)
        yaml_file.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def judge_case(case_dir: Path, task: str) -> dict:
    from ultralytics.cfg import DEFAULT_CFG
    from ultralytics.data.dataset import YOLODataset
    from ultralytics.data.utils import check_det_dataset

    # In place: the corpus is generated for one run, and the validator has already read it
    # (ultralytics re-saves JPEGs it restores and writes label caches).
    try:
        yaml_file = case_dir / "data.yaml"
        rewrite_path(yaml_file)
        data = check_det_dataset(str(yaml_file), autodownload=False)
        dropped = {}
        for split in ("train", "val"):
            ds = YOLODataset(
                img_path=data[split],
                data=data,
                task=task,
                imgsz=64,
                augment=split == "train",
                hyp=DEFAULT_CFG,
                prefix=f"{split}: ",
                batch_size=1,
            )
            dropped[split] = len(ds.label_files) - len(ds.labels)
        return {"outcome": "ok", "dropped": dropped}
    except Exception as e:  # noqa: BLE001 -- whatever ultralytics raises ends the run
        return {
            "outcome": "fail",
            "error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}",
        }


def judge(root: Path) -> dict:
    import ultralytics.data.utils as du
    from ultralytics.utils import LOGGER, SETTINGS

    SETTINGS.update({"sync": False})
    LOGGER.setLevel(50)
    # a font for plots: not a dataset rule, and offline here
    du.check_font = lambda *a, **k: None
    import ultralytics.data.base as db

    db.check_file_speeds = lambda *a, **k: None
    import ultralytics.data.dataset as dd

    dd.NUM_THREADS = 1  # tiny cases: a thread pool per split costs more than it saves
    out = {}
    for case_dir in sorted(p for p in root.iterdir() if (p / "case.json").is_file()):
        meta = json.loads((case_dir / "case.json").read_text())
        out[case_dir.name] = judge_case(case_dir, meta["task"])
    return out


if __name__ == "__main__":
    command, where = sys.argv[1], Path(sys.argv[2])
    if command == "make":
        print(make(where))
    elif command == "judge":
        # a file, not stdout: stdout carries ultralytics' own prints
        Path(sys.argv[3]).write_text(json.dumps(judge(where)))
    else:
        sys.exit(f"unknown command {command!r}")
