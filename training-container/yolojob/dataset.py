"""Finds the dataset in the SageMaker channels and hands ultralytics a yaml whose paths are real.

Two layouts (see DESIGN.md, "Training container I/O"):
- `training` + `snapshot`: the blobs are named by their sha256 (ManifestFile), the snapshot JSON
  (`<fingerprint>.json.gz`, gzip'd; `<fingerprint>.json`, plain, from syncs before issue 16) maps
  relative paths to them. The tree is rebuilt with symlinks under a writable work dir, so
  ultralytics can write its label caches beside the labels without copying any image.
- one plain channel holding a dataset with its yaml: used in place.
In both cases the yaml is rewritten with `path` pointing at where the data really is.

classify datasets have no yaml: ultralytics reads class folders under train/ and val/ (and
test/) and is given the dataset folder itself. Their snapshot's `config` is "".
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import DatasetError, UnsupportedError
from .paths import OptMl

BLOBS, SNAPSHOT = "training", "snapshot"
# gzip'd first: what the action writes now; plain: what it wrote before (still in users' buckets)
SNAPSHOT_SUFFIXES = (".json.gz", ".json")
# a 50,000-file snapshot is about 6 MB of JSON; this only stops a damaged file from filling memory
MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class SnapshotFile:
    sha256: str
    size: int


@dataclass(frozen=True)
class Snapshot:
    name: str
    files: dict[str, SnapshotFile]
    config: str


def channel_names(opt: OptMl) -> list[str]:
    """Channels from inputdataconfig.json when present, else the folders under input/data."""
    if opt.input_data_config.exists():
        config = json.loads(opt.input_data_config.read_text(encoding="utf-8"))
        for name, channel in config.items():
            if channel.get("TrainingInputMode", "File") == "Pipe":
                raise UnsupportedError(
                    f"channel {name!r} uses TrainingInputMode Pipe: use File or FastFile"
                )
        return sorted(config)
    if not opt.data_dir.is_dir():
        return []
    return sorted(p.name for p in opt.data_dir.iterdir() if p.is_dir())


def _safe_relpath(rel: object, where: str) -> str:
    p = PurePosixPath(rel) if isinstance(rel, str) else None
    if p is None or not rel or p.is_absolute() or ".." in p.parts or "\\" in rel:
        raise DatasetError(
            f"{where}: file path {rel!r} must be a relative path inside the dataset"
        )
    return str(p)


def parse_snapshot(text: str, name: str) -> Snapshot:
    where = f"dataset snapshot {name}"
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise DatasetError(f"{where}: not valid JSON ({e})") from e
    if not isinstance(doc, dict) or doc.get("version") != 1:
        version = doc.get("version") if isinstance(doc, dict) else None
        raise DatasetError(
            f"{where}: version {version!r} is not supported (expected 1)"
        )
    raw_files = doc.get("files")
    if not isinstance(raw_files, dict) or not raw_files:
        raise DatasetError(
            f"{where}: 'files' must be a non-empty object of path -> {{sha256, size}}"
        )
    files: dict[str, SnapshotFile] = {}
    for rel, entry in raw_files.items():
        rel = _safe_relpath(rel, where)
        sha = entry.get("sha256") if isinstance(entry, dict) else None
        size = entry.get("size") if isinstance(entry, dict) else None
        if (
            not isinstance(sha, str)
            or not SHA256.fullmatch(sha)
            or not isinstance(size, int)
            or size < 0
        ):
            raise DatasetError(
                f"{where}: entry {rel!r} must have a lowercase hex sha256 and a size >= 0, got {entry!r}"
            )
        files[rel] = SnapshotFile(sha, size)
    config = doc.get("config")
    if config != "" and (
        not isinstance(config, str)
        or config not in files
        or not config.endswith((".yaml", ".yml"))
    ):
        raise DatasetError(
            f"{where}: 'config' {config!r} must name a .yaml/.yml file listed in 'files', "
            'or be "" for a classify dataset (class folders, no yaml)'
        )
    return Snapshot(name, files, config)


def snapshot_stem(path: Path) -> str:
    """The fingerprint part of a snapshot file name: `<fp>.json.gz` or `<fp>.json` -> `<fp>`."""
    for suffix in SNAPSHOT_SUFFIXES:
        if path.name.endswith(suffix):
            return path.name[: -len(suffix)]
    return path.stem


def read_snapshot_text(path: Path) -> str:
    """The snapshot JSON text of a channel file, gunzipped when it is `.json.gz`."""
    if not path.name.endswith(".gz"):
        return path.read_text(encoding="utf-8")
    try:
        with gzip.open(path, "rb") as f:
            data = f.read(MAX_SNAPSHOT_BYTES + 1)
    except (OSError, EOFError) as e:  # BadGzipFile is an OSError; EOFError: truncated
        raise DatasetError(
            f"dataset snapshot {path.name}: not a complete gzip file ({e})"
        ) from e
    if len(data) > MAX_SNAPSHOT_BYTES:
        raise DatasetError(
            f"dataset snapshot {path.name}: inflates to more than {MAX_SNAPSHOT_BYTES} bytes"
        )
    return data.decode("utf-8")


def find_snapshot(channel: Path) -> Path:
    found = (
        sorted(
            p
            for p in channel.iterdir()
            if p.is_file() and p.name.endswith(SNAPSHOT_SUFFIXES)
        )
        if channel.is_dir()
        else []
    )
    if len(found) != 1:
        raise DatasetError(
            f"channel {SNAPSHOT!r} ({channel}) must hold exactly one snapshot JSON "
            f"(<fingerprint>.json.gz, or .json from older syncs), found {len(found)}"
            + (f": {', '.join(p.name for p in found)}" if found else "")
        )
    return found[0]


def materialise_snapshot(
    snapshot: Snapshot, blobs: Path, dest: Path, task: str = "detect"
) -> Path:
    """Rebuilds the dataset tree at dest with symlinks to the blobs; returns the rewritten yaml,
    or for classify the folder holding the class folders."""
    missing, wrong_size = [], []
    for rel, f in snapshot.files.items():
        blob = blobs / f.sha256
        if not blob.is_file():
            missing.append(f"{rel} ({f.sha256})")
        elif blob.stat().st_size != f.size:
            wrong_size.append(
                f"{rel} ({blob.stat().st_size} bytes, snapshot says {f.size})"
            )
    if missing or wrong_size:
        problems = [f"{len(missing)} missing", f"{len(wrong_size)} with the wrong size"]
        first = (missing + wrong_size)[0]
        raise DatasetError(
            f"dataset not found: snapshot {snapshot.name} lists {len(snapshot.files)} files, "
            f"{' and '.join(problems)} in channel {BLOBS!r} ({blobs}); first: {first}"
        )
    if dest.exists():  # a previous attempt in the same container: start clean
        shutil.rmtree(dest)
    for rel, f in snapshot.files.items():
        link = dest / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink((blobs / f.sha256).resolve(), link)
    name = f"{snapshot.name}:{snapshot.config or '/'}"
    if task == "classify":
        # a yaml beside the class folders is not read by ultralytics' classify trainer
        root = (dest / snapshot.config).parent if snapshot.config else dest
        check_classify_root(root, name)
        return root
    if not snapshot.config:
        raise DatasetError(
            f"dataset snapshot {snapshot.name} has no data yaml ('config' is \"\"): task {task} "
            "needs one; only classify datasets are class folders without a yaml"
        )
    config = dest / snapshot.config
    source = config.read_text(encoding="utf-8")
    config.unlink()  # replace the link with a real, rewritten file; the blob stays untouched
    return write_data_yaml(
        source,
        config,
        dest,
        config.parent,
        name=name,
        confine=dest,
    )


def find_yaml(channel: Path) -> Path:
    top = sorted(p for p in channel.glob("*.y*ml") if p.suffix in {".yaml", ".yml"})
    found = top or sorted(
        p for p in channel.rglob("*.y*ml") if p.suffix in {".yaml", ".yml"}
    )
    if len(found) != 1:
        listed = ", ".join(str(p.relative_to(channel)) for p in found[:10])
        raise DatasetError(
            f"dataset not found: channel {channel.name!r} ({channel}) must hold exactly one data yaml, "
            f"found {len(found)}" + (f": {listed}" if found else "")
        )
    return found[0]


def _entries(value: Any) -> list[str]:
    return (
        [value]
        if isinstance(value, str)
        else [v for v in value or [] if isinstance(v, str)]
    )


def _root_candidates(
    data: dict[str, Any], tree_root: Path, yaml_dir: Path
) -> list[Path]:
    """Where the split paths may be relative to, in the order the action's validator resolves them:
    the yaml's `path` against the yaml's folder, the yaml's folder, and the tree root last."""
    out = []
    old = data.get("path")
    if isinstance(old, str) and old and not Path(old).is_absolute():
        out.append(yaml_dir / old)
    out += [yaml_dir, tree_root]
    return list(dict.fromkeys(out))


def _inside(p: Path, top: Path) -> bool:
    """p (after `..`) lies in top. The last part is not followed: in a rebuilt snapshot every file
    is a link to its blob outside the tree, so only the folders above it are resolved."""
    p = Path(os.path.normpath(p.absolute()))
    return (p.parent.resolve() / p.name).is_relative_to(top.resolve())


def _check_confined(data: dict[str, Any], top: Path, name: str) -> None:
    """Snapshot mode: training (and ultralytics' label caches) must stay inside the rebuilt tree."""
    root = Path(data["path"])
    if not _inside(root, top):
        raise DatasetError(
            f"dataset not found: data yaml {name}: the dataset root {root} is outside the snapshot ({top}); "
            "use a `path` relative to the yaml that stays inside the dataset (e.g. '.')"
        )
    for split in ("train", "val", "test"):
        for entry in _entries(data.get(split)):
            if not _inside(root / entry, top):
                raise DatasetError(
                    f"dataset not found: data yaml {name}: split {split!r} path {entry!r} is outside the "
                    f"snapshot ({top}); use paths relative to the dataset root"
                )


def _split_under(root: Path, value: str) -> str:
    """The split path ultralytics' check_det_dataset ends up using for a single-string split: as
    written, or, when that does not exist and it starts with `../` (Roboflow writes
    `../train/images` beside a yaml in the dataset root), without that prefix."""
    if not (root / value).exists() and value.startswith("../"):
        return value[3:]
    return value


def _splits_exist_under(data: dict[str, Any], root: Path) -> bool:
    wanted = []
    for split in ("train", "val"):
        value = data.get(split)
        wanted += (
            [_split_under(root, value)] if isinstance(value, str) else _entries(value)
        )
    return all((root / e).exists() for e in wanted)


def _without_parent_fallback(data: dict[str, Any], root: Path) -> dict[str, str]:
    """Writes the `../` fallback out, so confinement and the split checks see the real folder."""
    return {
        split: _split_under(root, value)
        for split in ("train", "val", "test")
        if isinstance(value := data.get(split), str)
    }


def _drop_missing_test_split(data: dict[str, Any], name: str) -> None:
    """ultralytics checks only `val` before training and never reads `test` while training, so a
    `test` that is not there or empty (Roboflow writes `test: ../test/images` into every export) is left
    out with a warning instead of failing the job; the metrics then come from val."""
    from ultralytics.data.utils import IMG_FORMATS

    root = Path(data["path"])
    entries = _entries(data.get("test"))
    if entries and (
        not all((root / e).exists() for e in entries)
        or sum(_count_images(root / e, frozenset(IMG_FORMATS)) for e in entries) == 0
    ):
        print(
            f"warning: data yaml {name}: test split {', '.join(entries)} has no images under {root}; "
            "training without it (ultralytics only needs train and val), metrics come from val",
            flush=True,
        )
        del data["test"]


def write_data_yaml(
    source: str,
    target: Path,
    tree_root: Path,
    yaml_dir: Path,
    name: str,
    confine: Path | None = None,
) -> Path:
    """Writes the yaml to target with `path` set to the folder its splits are really under.

    confine (snapshot mode): the root and every split must resolve inside this folder."""
    try:
        data = yaml.safe_load(source)
    except yaml.YAMLError as e:
        raise DatasetError(f"data yaml {name}: not valid YAML ({e})") from e
    if isinstance(data, dict) and "val" not in data and "validation" in data:
        # ultralytics and the action's validator accept `validation` for `val`
        data = {("val" if k == "validation" else k): v for k, v in data.items()}
    if not isinstance(data, dict) or "train" not in data or "val" not in data:
        raise DatasetError(
            f"data yaml {name}: must be a mapping with 'train' and 'val' keys"
        )
    candidates = _root_candidates(data, tree_root, yaml_dir)
    root = next((c for c in candidates if _splits_exist_under(data, c)), candidates[0])
    data = {
        "path": str(root.resolve()),
        # every split is checked to exist, so ultralytics would never run a `download` script
        **{k: v for k, v in data.items() if k not in {"path", "download"}},
    }
    data.update(_without_parent_fallback(data, root))
    _drop_missing_test_split(data, name)
    if confine is not None:
        _check_confined(data, confine, name)
    check_splits(data, name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return target


def _count_images(p: Path, suffixes: frozenset[str]) -> int:
    if p.is_dir():
        return sum(
            1
            for f in p.rglob("*")
            if f.suffix.lower().lstrip(".") in suffixes and f.is_file()
        )
    if p.suffix == ".txt":  # a list of image paths, one per line
        return sum(
            1 for line in p.read_text(encoding="utf-8").splitlines() if line.strip()
        )
    return int(p.suffix.lower().lstrip(".") in suffixes)


def check_splits(data: dict[str, Any], name: str) -> dict[str, int]:
    """Every split the yaml names must exist and hold images: fail here, not deep inside ultralytics."""
    # Imported late: heavy, and only needed here.
    from ultralytics.data.utils import IMG_FORMATS

    suffixes = frozenset(IMG_FORMATS)
    root = Path(data["path"])
    counts: dict[str, int] = {}
    for split in ("train", "val", "test"):
        entries = _entries(data.get(split))
        if split == "test" and not entries:
            continue
        if not entries:
            raise DatasetError(f"data yaml {name}: split {split!r} has no path")
        total = 0
        for entry in entries:
            p = root / entry
            if not p.exists():
                raise DatasetError(
                    f"dataset not found: split {split!r} path {entry!r} does not exist under {root} ({name})"
                )
            total += _count_images(p, suffixes)
        if total == 0:
            raise DatasetError(
                f"dataset split {split!r} is empty: no images in {', '.join(entries)} under {root} ({name})"
            )
        counts[split] = total
    return counts


# the validation split folders ultralytics' check_cls_dataset looks for, in its order
CLASSIFY_VAL = ("val", "validation", "valid")


def _class_images(split: Path, suffixes: frozenset[str]) -> dict[str, int]:
    return {
        d.name: _count_images(d, suffixes)
        for d in sorted(split.iterdir())
        if d.is_dir()
    }


def check_classify_root(root: Path, name: str) -> dict[str, int]:
    """classify: train/ and a validation split (val/, validation/, valid/ or test/) of class
    folders holding images, as ultralytics' check_cls_dataset looks for them."""
    from ultralytics.data.utils import IMG_FORMATS

    suffixes = frozenset(IMG_FORMATS)
    counts: dict[str, int] = {}
    val = next((v for v in CLASSIFY_VAL if (root / v).is_dir()), None)
    test = "test" if (root / "test").is_dir() else None
    if not (root / "train").is_dir() or not (val or test):
        found = (
            ", ".join(sorted(p.name for p in root.iterdir() if p.is_dir())) or "none"
        )
        raise DatasetError(
            f"dataset not found: classify dataset {name} must hold a train/ folder and a val/ "
            f"(or validation/, valid/, test/) folder of class folders; found folders: {found}"
        )
    for split in ("train", val, test):
        if split is None:
            continue
        classes = _class_images(root / split, suffixes)
        total = sum(classes.values())
        if total == 0:
            raise DatasetError(
                f"dataset split {split!r} is empty: no images in class folders under {root / split} "
                f"({name}); classify reads <split>/<class name>/<image>"
            )
        counts[split] = total
    return counts


def prepare_dataset(opt: OptMl, work: Path, task: str = "detect") -> Path:
    """The data yaml to train on (the dataset folder for classify), built from whatever channels
    the job was given."""
    channels = channel_names(opt)
    if SNAPSHOT in channels:
        if BLOBS not in channels:
            raise DatasetError(
                f"dataset not found: channel {SNAPSHOT!r} needs the blobs in channel {BLOBS!r}, which is missing"
            )
        path = find_snapshot(opt.data_dir / SNAPSHOT)
        stem = snapshot_stem(path)
        if not SHA256.fullmatch(stem):
            # the name becomes a folder name under the work dir
            raise DatasetError(
                f"dataset not found: snapshot file {path.name!r} in channel {SNAPSHOT!r} must be named "
                "<fingerprint>.json.gz (or <fingerprint>.json), the fingerprint being 64 lowercase hex digits"
            )
        snapshot = parse_snapshot(read_snapshot_text(path), stem)
        return materialise_snapshot(
            snapshot, opt.data_dir / BLOBS, work / "datasets" / snapshot.name, task
        )
    if len(channels) == 1:
        channel = opt.data_dir / channels[0]
        if not channel.is_dir():
            raise DatasetError(
                f"dataset not found: channel {channels[0]!r} has no folder at {channel}"
            )
        if task == "classify":
            check_classify_root(channel, channels[0])
            return channel
        source = find_yaml(channel)
        # a rewritten copy: inputs stay untouched
        target = work / "datasets" / f"channel-{channels[0]}" / source.name
        name = f"{channels[0]}:{source.relative_to(channel)}"
        return write_data_yaml(
            source.read_text(encoding="utf-8"), target, channel, source.parent, name
        )
    found = ", ".join(channels) if channels else "none"
    raise DatasetError(
        f"dataset not found: expected channels {BLOBS!r} + {SNAPSHOT!r} (a dataset snapshot) or one channel "
        f"holding a dataset yaml; found {found} in {opt.data_dir}"
    )


def check_task_yaml(data_yaml: Path, task: str) -> None:
    """pose reads `kpt_shape` ([keypoints, 2 or 3]) from the yaml; without it ultralytics fails
    deep in model setup, so say it here."""
    if task != "pose":
        return
    shape = yaml.safe_load(data_yaml.read_text(encoding="utf-8")).get("kpt_shape")
    if (
        not isinstance(shape, list)
        or len(shape) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in shape)
        or shape[0] < 1
        or shape[1] not in (2, 3)
    ):
        raise DatasetError(
            f"data yaml {data_yaml.name}: task pose needs kpt_shape: [<keypoints>, 2 or 3] "
            f"(x, y and optionally visibility per keypoint), got {shape!r}"
        )
