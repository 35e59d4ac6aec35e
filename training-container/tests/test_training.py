"""Real ultralytics training on CPU through the entrypoint, exactly as the image runs it."""

import json
import math
import signal
import threading
import time
from pathlib import Path

import pytest
from support import (
    TINY_TRAINING,
    network_attempts,
    run_entrypoint,
    start_entrypoint,
    write_config,
    write_snapshot_channels,
)
from yolojob.metric_lines import load_format, parse_line
from yolojob.results import best_epoch, read_results
from yolojob.resume import RESUME, inspect_checkpoint

FMT = load_format()


def metric_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith(FMT.prefix)]


def label_instances(floorplans: Path, split: str) -> int:
    return sum(
        len(f.read_text().splitlines())
        for f in (floorplans / "labels" / split).glob("*.txt")
    )


@pytest.fixture(scope="module")
def two_epoch_run(floorplans, tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    opt, work = base / "ml", base / "work"
    fingerprint = write_snapshot_channels(floorplans, opt)
    write_config(opt, dict(TINY_TRAINING, epochs="2"))
    done = run_entrypoint(opt, work)
    assert done.returncode == 0, done.stdout[-4000:]
    return opt, work, fingerprint, done.stdout


def test_writes_model_and_output_files(two_epoch_run):
    opt, work, _, _ = two_epoch_run
    for name in ("best.pt", "last.pt", "training_metrics.json"):
        assert (opt / "model" / name).stat().st_size > 0, name
    assert sorted(p.name for p in (opt / "output" / "data").iterdir()) == [
        "metrics.json",
        "results.csv",
    ]
    assert not (opt / "output" / "failure").exists()
    assert network_attempts(work) == ""  # works under SageMaker network isolation


def test_results_csv_has_one_row_per_epoch(two_epoch_run):
    opt = two_epoch_run[0]
    rows = read_results(opt / "output" / "data" / "results.csv")
    assert [r["epoch"] for r in rows] == [1, 2]


def test_one_metric_line_per_epoch_and_every_definition_captures_its_number(
    two_epoch_run,
):
    opt, _, _, log = two_epoch_run
    rows = read_results(opt / "output" / "data" / "results.csv")
    lines = metric_lines(log)
    assert len(lines) == len(rows) == 2
    assert (
        log.count(FMT.prefix) == 2
    )  # each on a line of its own, not inside a progress bar
    for line, row in zip(lines, rows):
        captured = parse_line(FMT, line)
        # every column of detect's results.csv, and only those
        assert set(captured) == {d.name for d in FMT.definitions if d.column in row}, (
            line
        )
        assert {"map50", "train:box_loss"} <= set(captured)
        for d in FMT.definitions:
            if d.column not in row:
                continue
            assert math.isclose(
                captured[d.name], row[d.column], rel_tol=1e-5, abs_tol=1e-12
            ), (d.name, line)


def test_metrics_json_equals_a_fresh_validation_of_best_pt(two_epoch_run, floorplans):
    from ultralytics import YOLO, __version__

    opt, work, fingerprint, _ = two_epoch_run
    metrics = json.loads((opt / "output" / "data" / "metrics.json").read_text())
    data = work / "datasets" / fingerprint / "dataset.yaml"
    for split in ("val", "test"):
        m = YOLO(str(opt / "model" / "best.pt")).val(
            data=str(data),
            split=split,
            imgsz=64,
            batch=4,
            device="cpu",
            workers=0,
            plots=False,
            project=str(work / "check"),
            name=split,
            exist_ok=True,
        )
        got = metrics["splits"][split]
        expected = {
            "map50": m.box.map50,
            "map50_95": m.box.map,
            "precision": m.box.mp,
            "recall": m.box.mr,
        }
        for key, value in expected.items():
            assert got[key] == pytest.approx(float(value), abs=1e-12), (split, key)
        (room,) = got["per_class"]
        assert room["name"] == "room" and room["instances"] == label_instances(
            floorplans, split
        )
        assert room["ap50"] == pytest.approx(float(m.box.ap50[0]), abs=1e-12)
    # headline = the held-out test split; and the run learned something, so equality means something
    assert {k: metrics[k] for k in ("map50", "precision", "recall")} == {
        k: metrics["splits"]["test"][k] for k in ("map50", "precision", "recall")
    }
    assert metrics["splits"]["val"]["recall"] > 0
    rows = read_results(opt / "output" / "data" / "results.csv")
    assert metrics["box"] == {
        k: metrics[k] for k in ("map50", "map50_95", "precision", "recall")
    }
    assert metrics | {"splits": None, "per_class": None, "box": None} == {
        "schema": 1,
        "task": "detect",
        "primary": "box",
        "box": None,
        "map50": metrics["map50"],
        "map50_95": metrics["map50_95"],
        "precision": metrics["precision"],
        "recall": metrics["recall"],
        "per_class": None,
        "split": "test",
        "epochs_completed": 2,
        "best_epoch": best_epoch(rows),
        "ultralytics_version": __version__,
        "imgsz": 64,
        "model": "yolov8n.yaml",
        "splits": None,
    }


def test_a_finished_checkpoint_is_evaluated_not_retrained(two_epoch_run, tmp_path):
    opt, work, _, _ = two_epoch_run
    before = (opt / "output" / "data" / "metrics.json").read_text()
    (opt / "output" / "data" / "metrics.json").unlink()
    again = run_entrypoint(opt, work)
    assert again.returncode == 0, again.stdout[-4000:]
    assert "finished training; evaluating it" in again.stdout
    assert metric_lines(again.stdout) == []  # no epoch ran
    assert json.loads(
        (opt / "output" / "data" / "metrics.json").read_text()
    ) == json.loads(before)


def test_spot_interruption_resumes_from_the_checkpoint(floorplans, tmp_path):
    opt, work = tmp_path / "ml", tmp_path / "work"
    write_snapshot_channels(floorplans, opt)
    write_config(opt, dict(TINY_TRAINING, epochs="3"))
    last = opt / "checkpoints" / "train" / "weights" / "last.pt"

    proc = start_entrypoint(opt, work)
    killer = threading.Timer(300, proc.kill)  # never hang the suite
    killer.start()
    first_log, signalled_at = [], None
    for line in proc.stdout:
        first_log.append(line)
        if signalled_at is None and line.startswith(f"{FMT.prefix} epoch=1 "):
            while (
                not last.exists()
            ):  # the epoch-1 checkpoint is written right after its csv row
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            signalled_at = time.monotonic()
    proc.wait()
    killer.cancel()
    first_log = "".join(first_log)
    assert signalled_at is not None, first_log[-4000:]
    assert proc.returncode == 143, first_log[-4000:]
    assert time.monotonic() - signalled_at < 60  # well inside SageMaker's 120 s
    assert "stopped by SIGTERM" in (opt / "output" / "failure").read_text()
    assert not (opt / "model" / "best.pt").exists()
    stopped_after = len(read_results(opt / "checkpoints" / "train" / "results.csv"))
    assert 1 <= stopped_after < 3
    assert inspect_checkpoint(last).action == RESUME

    second = run_entrypoint(opt, work)
    assert second.returncode == 0, second.stdout[-4000:]
    assert (
        f"Resuming training {last} from epoch {stopped_after + 1} to 3 total epochs"
        in second.stdout
    )
    resumed_epochs = [
        int(parse_line(FMT, line)["epoch"]) for line in metric_lines(second.stdout)
    ]
    # continued, not restarted
    assert resumed_epochs == list(range(stopped_after + 1, 4))
    rows = read_results(opt / "output" / "data" / "results.csv")
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    metrics = json.loads((opt / "output" / "data" / "metrics.json").read_text())
    assert metrics["epochs_completed"] == 3
    for name in ("best.pt", "last.pt", "training_metrics.json"):
        assert (opt / "model" / name).exists()
    assert not (opt / "output" / "failure").exists()
    assert network_attempts(work) == ""
