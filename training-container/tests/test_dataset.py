import json
import os
import shutil

import pytest
import yaml
from support import sha256, write_config, write_snapshot_channels
from yolojob.dataset import parse_snapshot, prepare_dataset
from yolojob.errors import DatasetError, UnsupportedError
from yolojob.paths import OptMl


def test_rebuilds_the_snapshot_tree_with_links_to_the_blobs(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {})
    data = prepare_dataset(opt, tmp_path / "work")

    root = tmp_path / "work" / "datasets" / fingerprint
    assert data == root / "dataset.yaml"
    assert not data.is_symlink()  # rewritten copy, the blob itself is untouched
    doc = yaml.safe_load(data.read_text())
    assert next(iter(doc)) == "path" and doc["path"] == str(root.resolve())
    assert doc["names"] == {0: "room"}
    image = root / "images" / "val" / "plan_00017.png"
    assert image.is_symlink()
    assert os.readlink(image).startswith(str((opt.data_dir / "training").resolve()))
    assert (
        image.read_bytes()
        == (floorplans / "images" / "val" / "plan_00017.png").read_bytes()
    )
    blobs = sorted(p.name for p in (opt.data_dir / "training").iterdir())
    assert (
        len(blobs)
        == len(list(floorplans.rglob("*.png")))
        + len(list(floorplans.rglob("*.txt")))
        + 1
    )


@pytest.mark.parametrize("gzipped", [True, False], ids=["json.gz", "plain json"])
def test_the_snapshot_channel_is_read_gzipped_or_plain(floorplans, tmp_path, gzipped):
    # .json.gz is what the action writes; a plain .json is what syncs before it wrote, and a
    # branch or --skip-upload run may still name one
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(floorplans, opt.root, gzipped=gzipped)
    write_config(opt.root, {})
    (name,) = [p.name for p in (opt.data_dir / "snapshot").iterdir()]
    assert name == fingerprint + (".json.gz" if gzipped else ".json")

    data = prepare_dataset(opt, tmp_path / "work")

    root = tmp_path / "work" / "datasets" / fingerprint
    assert data == root / "dataset.yaml"
    label = root / "labels" / "train" / "plan_00000.txt"
    assert label.is_symlink()
    assert label.read_bytes() == (floorplans / "labels/train/plan_00000.txt").read_bytes()


def test_a_damaged_gzip_snapshot_fails_naming_the_file(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {})
    path = opt.data_dir / "snapshot" / f"{fingerprint}.json.gz"
    path.write_bytes(path.read_bytes()[:40])  # cut short, as an interrupted copy would be
    with pytest.raises(
        DatasetError,
        match=rf"dataset snapshot {fingerprint}\.json\.gz: not a complete gzip file",
    ):
        prepare_dataset(opt, tmp_path / "work")


def test_two_snapshot_files_in_the_channel_are_refused(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(floorplans, opt.root)
    write_snapshot_channels(floorplans, opt.root, gzipped=False)
    write_config(opt.root, {})
    with pytest.raises(
        DatasetError,
        match=rf"exactly one snapshot JSON .*found 2: {fingerprint}\.json, {fingerprint}\.json\.gz",
    ):
        prepare_dataset(opt, tmp_path / "work")


def test_a_second_attempt_in_the_same_container_starts_clean(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {})
    first = prepare_dataset(opt, tmp_path / "work")
    (first.parent / "stale.txt").write_text("left over")
    second = prepare_dataset(opt, tmp_path / "work")
    assert second == first and not (first.parent / "stale.txt").exists()


def test_missing_blobs_fail_with_counts_and_the_first_missing_file(
    floorplans, tmp_path
):
    opt = OptMl(tmp_path / "ml")
    write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {})
    label = floorplans / "labels" / "train" / "plan_00000.txt"

    (opt.data_dir / "training" / sha256(label)).unlink()
    with pytest.raises(
        DatasetError,
        match=r"dataset not found: snapshot \w+ lists \d+ files, 1 missing .*plan_00000.txt",
    ):
        prepare_dataset(opt, tmp_path / "work")


def test_an_empty_split_is_named(floorplans, tmp_path):
    dataset = tmp_path / "ds"
    shutil.copytree(floorplans, dataset)
    for f in (dataset / "images" / "val").iterdir():
        f.unlink()
    (dataset / "images" / "val" / "README").write_text("no images here")
    opt = OptMl(tmp_path / "ml")
    write_snapshot_channels(dataset, opt.root)
    write_config(opt.root, {})
    with pytest.raises(
        DatasetError, match=r"dataset split 'val' is empty: no images in images/val"
    ):
        prepare_dataset(opt, tmp_path / "work")


def test_a_plain_channel_with_a_yaml_is_used_in_place(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    shutil.copytree(floorplans, opt.data_dir / "training")
    write_config(opt.root, {}, channels=("training",))
    data = prepare_dataset(opt, tmp_path / "work")
    doc = yaml.safe_load(data.read_text())
    assert doc["path"] == str((opt.data_dir / "training").resolve())
    # input untouched
    assert (
        not (opt.data_dir / "training" / "dataset.yaml").read_text().startswith("path")
    )


def test_a_yaml_whose_path_points_elsewhere_is_redirected(floorplans, tmp_path):
    opt = OptMl(tmp_path / "ml")
    channel = opt.data_dir / "training"
    shutil.copytree(floorplans, channel / "floorplans")
    (channel / "data.yaml").write_text(
        "path: floorplans\ntrain: images/train\nval: images/val\nnames: [room]\n"
    )
    write_config(opt.root, {}, channels=("training",))
    doc = yaml.safe_load(prepare_dataset(opt, tmp_path / "work").read_text())
    assert doc["path"] == str((channel / "floorplans").resolve())


@pytest.mark.parametrize(
    ("channels", "match"),
    [
        ((), "found none"),
        (("a", "b"), "found a, b"),
    ],
)
def test_unusable_channel_sets_fail_clearly(tmp_path, channels, match):
    opt = OptMl(tmp_path / "ml")
    for c in channels:
        (opt.data_dir / c).mkdir(parents=True)
    write_config(opt.root, {}, channels=channels)
    with pytest.raises(DatasetError, match=match):
        prepare_dataset(opt, tmp_path / "work")


def test_a_channel_without_a_yaml_fails(tmp_path):
    opt = OptMl(tmp_path / "ml")
    (opt.data_dir / "training" / "images").mkdir(parents=True)
    write_config(opt.root, {}, channels=("training",))
    with pytest.raises(DatasetError, match="must hold exactly one data yaml, found 0"):
        prepare_dataset(opt, tmp_path / "work")


def test_pipe_mode_is_rejected(tmp_path):
    opt = OptMl(tmp_path / "ml")
    opt.config_dir.mkdir(parents=True)
    opt.input_data_config.write_text(
        json.dumps({"training": {"TrainingInputMode": "Pipe"}})
    )
    with pytest.raises(UnsupportedError, match="Pipe"):
        prepare_dataset(opt, tmp_path / "work")


@pytest.mark.parametrize(
    ("doc", "match"),
    [
        ({"version": 2, "files": {}}, "version 2 is not supported"),
        ({"version": 1, "files": {}}, "non-empty"),
        (
            {
                "version": 1,
                "files": {"../x.png": {"sha256": "a" * 64, "size": 1}},
                "config": "x",
            },
            "relative path inside",
        ),
        (
            {
                "version": 1,
                "files": {"/x.png": {"sha256": "a" * 64, "size": 1}},
                "config": "x",
            },
            "relative path inside",
        ),
        (
            {
                "version": 1,
                "files": {"x.png": {"sha256": "XYZ", "size": 1}},
                "config": "x",
            },
            "lowercase hex sha256",
        ),
        (
            {
                "version": 1,
                "files": {"x.png": {"sha256": "a" * 64, "size": 1}},
                "config": "d.yaml",
            },
            "'config' 'd.yaml'",
        ),
    ],
)
def test_malformed_snapshots_are_rejected(doc, match):
    with pytest.raises(DatasetError, match=match):
        parse_snapshot(json.dumps(doc), "fp")


def snapshot_of(dataset, opt, tmp_path, config="dataset.yaml"):
    write_snapshot_channels(dataset, opt.root, config)
    write_config(opt.root, {})
    return prepare_dataset(opt, tmp_path / "work")


def test_validation_is_accepted_for_val(floorplans, tmp_path):
    dataset = tmp_path / "ds"
    shutil.copytree(floorplans, dataset)
    (dataset / "dataset.yaml").write_text(
        "train: images/train\nvalidation: images/val\nnames: [room]\n"
    )
    doc = yaml.safe_load(
        snapshot_of(dataset, OptMl(tmp_path / "ml"), tmp_path).read_text()
    )
    assert doc["val"] == "images/val" and "validation" not in doc
    assert list(doc) == ["path", "train", "val", "names"]


def test_the_yaml_path_is_resolved_against_the_yaml_folder_first(floorplans, tmp_path):
    """As the action's validator does: `path` under the yaml's folder, then that folder, then the
    tree root. A decoy at the tree root must not win."""
    dataset = tmp_path / "ds"
    for where in ("", "sub", "sub/data"):
        for split in ("train", "val"):
            shutil.copytree(
                floorplans / "images" / split, dataset / where / "images" / split
            )
    (dataset / "sub" / "data.yaml").write_text(
        "path: data\ntrain: images/train\nval: images/val\nnames: [room]\n"
    )
    opt = OptMl(tmp_path / "ml")
    data = snapshot_of(dataset, opt, tmp_path, config="sub/data.yaml")
    tree = data.parent.parent
    assert yaml.safe_load(data.read_text())["path"] == str(
        (tree / "sub" / "data").resolve()
    )
    # no `path`: the yaml's own folder, still before the tree root
    (dataset / "sub" / "data.yaml").write_text(
        "train: images/train\nval: images/val\nnames: [room]\n"
    )
    shutil.rmtree(opt.root)
    data = snapshot_of(dataset, opt, tmp_path, config="sub/data.yaml")
    tree = data.parent.parent
    assert yaml.safe_load(data.read_text())["path"] == str((tree / "sub").resolve())


def test_a_snapshot_yaml_cannot_reach_outside_the_rebuilt_tree(floorplans, tmp_path):
    # a dataset outside the snapshot that the yaml could otherwise point at
    shutil.copytree(floorplans, tmp_path / "decoy")
    dataset = tmp_path / "ds"
    shutil.copytree(floorplans, dataset)
    opt = OptMl(tmp_path / "ml")
    # the tree is rebuilt in tmp_path/work/datasets/<fingerprint>: ../../.. is tmp_path
    (dataset / "dataset.yaml").write_text(
        "path: ../../..\ntrain: decoy/images/train\nval: decoy/images/val\nnames: [room]\n"
    )
    with pytest.raises(
        DatasetError, match=r"dataset not found: .*outside the snapshot"
    ):
        snapshot_of(dataset, opt, tmp_path)
    shutil.rmtree(opt.root)
    absolute = tmp_path / "decoy" / "images"
    (dataset / "dataset.yaml").write_text(
        f"train: {absolute / 'train'}\nval: images/val\nnames: [room]\n"
    )
    with pytest.raises(
        DatasetError, match=r"split 'train' path '/.*' is outside the snapshot"
    ):
        snapshot_of(dataset, opt, tmp_path)


def test_a_download_script_is_dropped(floorplans, tmp_path):
    dataset = tmp_path / "ds"
    shutil.copytree(floorplans, dataset)
    with (dataset / "dataset.yaml").open("a") as f:
        f.write("download: |\n  import os; os.system('curl example.com')\n")
    doc = yaml.safe_load(
        snapshot_of(dataset, OptMl(tmp_path / "ml"), tmp_path).read_text()
    )
    assert "download" not in doc and doc["names"] == {0: "room"}


@pytest.mark.parametrize("stem", ["not-a-fingerprint", "..", "A" * 64])
def test_the_snapshot_file_name_must_be_a_fingerprint(floorplans, tmp_path, stem):
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(floorplans, opt.root)
    write_config(opt.root, {})
    snap = opt.data_dir / "snapshot"
    (snap / f"{fingerprint}.json.gz").rename(snap / f"{stem}.json.gz")
    with pytest.raises(DatasetError, match="must be named <fingerprint>.json.gz"):
        prepare_dataset(opt, tmp_path / "work")
    # nothing was created or removed outside the work dir's datasets folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ml"]


def test_a_roboflow_yaml_with_parent_split_paths_trains_from_the_snapshot(
    floorplans, tmp_path
):
    """Roboflow writes `train: ../train/images` beside a yaml in the dataset root, with the
    author's laptop path: ultralytics retries `path / x[3:]`, and so does the rebuilt yaml."""
    dataset = tmp_path / "ds"
    for split, folder in (("train", "train"), ("val", "valid")):
        for kind in ("images", "labels"):
            shutil.copytree(floorplans / kind / split, dataset / folder / kind)
    (dataset / "data.yaml").write_text(
        "path: /Users/someone/Downloads/rooms.v3i.yolov8\n"
        "train: ../train/images\nval: ../valid/images\ntest: ../test/images\n"
        "nc: 1\nnames: ['room']\n"
    )
    opt = OptMl(tmp_path / "ml")
    data = snapshot_of(dataset, opt, tmp_path, config="data.yaml")
    doc = yaml.safe_load(data.read_text())
    root = data.parent
    assert doc["path"] == str(root.resolve())
    # the `../` retry is written out, so confinement and the split checks see the real folders;
    # the export's `test` line names a folder that is not there: ultralytics never reads it while
    # training, so the job goes on without it
    assert (doc["train"], doc["val"]) == ("train/images", "valid/images")
    assert "test" not in doc

    from ultralytics.data.utils import check_det_dataset

    checked = check_det_dataset(str(data))
    assert checked["train"] == str((root / "train" / "images").resolve())
    assert checked["val"] == str((root / "valid" / "images").resolve())
