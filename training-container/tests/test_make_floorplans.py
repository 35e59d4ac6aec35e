import hashlib

import make_floorplans
import pytest
import yaml


def digest(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_options_give_identical_files_and_another_seed_does_not(tmp_path):
    make_floorplans.generate(tmp_path / "a", count=6, imgsz=96, seed=3)
    make_floorplans.generate(tmp_path / "b", count=6, imgsz=96, seed=3)
    make_floorplans.generate(tmp_path / "c", count=6, imgsz=96, seed=4)
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert a["images/train/plan_00000.png"] != c["images/train/plan_00000.png"]


def test_layout_splits_and_yaml(floorplans):
    doc = yaml.safe_load((floorplans / "dataset.yaml").read_text())
    assert "path" not in doc  # relative to the yaml's folder, so the tree can move
    assert doc["names"] == {0: "room"}
    sizes = {
        s: len(list((floorplans / "images" / s).glob("*.png")))
        for s in ("train", "val", "test")
    }
    assert sizes == {"train": 17, "val": 5, "test": 2}
    for split in sizes:
        images = {p.stem for p in (floorplans / "images" / split).glob("*.png")}
        assert images == {p.stem for p in (floorplans / "labels" / split).glob("*.txt")}


def test_labels_are_normalised_rooms_inside_the_image(floorplans):
    counts = []
    for label in (floorplans / "labels").rglob("*.txt"):
        rows = [line.split() for line in label.read_text().splitlines()]
        counts.append(len(rows))
        for cls, *box in rows:
            xc, yc, w, h = map(float, box)
            assert cls == "0"
            assert 0 < w <= 1 and 0 < h <= 1
            assert (
                0 <= xc - w / 2
                and xc + w / 2 <= 1
                and 0 <= yc - h / 2
                and yc + h / 2 <= 1
            )
    # several rooms, varying layouts
    assert min(counts) >= 2 and max(counts) > min(counts)


def test_doors_are_a_second_class(tmp_path):
    make_floorplans.generate(tmp_path, count=3, imgsz=320, seed=0, with_doors=True)
    assert yaml.safe_load((tmp_path / "dataset.yaml").read_text())["names"] == {
        0: "room",
        1: "door",
    }
    classes = {
        line.split()[0]
        for f in (tmp_path / "labels").rglob("*.txt")
        for line in f.read_text().splitlines()
    }
    assert classes == {"0", "1"}


def test_cli_rejects_impossible_options(tmp_path, capsys):
    assert make_floorplans.main(["--count", "2", "--out", str(tmp_path)]) == 2
    assert "--count 2: need at least 3 images" in capsys.readouterr().err
    with pytest.raises(ValueError, match="--imgsz 16"):
        make_floorplans.generate(tmp_path, count=3, imgsz=16, seed=0)


def test_a_rerun_into_the_same_folder_leaves_no_stale_files(tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    make_floorplans.generate(out, count=12, imgsz=64, seed=0)
    (out / "labels" / "train.cache").write_bytes(b"ultralytics label cache")
    (out / "notes.txt").write_text("not ours")
    make_floorplans.generate(out, count=4, imgsz=64, seed=1)
    make_floorplans.generate(fresh, count=4, imgsz=64, seed=1)
    # exactly what a run into an empty folder writes: no test split, no file of the first run
    assert digest(out) == digest(fresh) | {"notes.txt": digest(out)["notes.txt"]}
    assert not (out / "images" / "test").exists()
    assert (out / "notes.txt").read_text() == "not ours"
