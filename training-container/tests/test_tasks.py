"""Every ultralytics task, trained for real (1 epoch on CPU) through the entrypoint.

detect is covered by test_training.py; here segment, obb, pose and classify, each on a tiny
generated dataset (task_data.py) delivered as a dataset snapshot, as SageMaker delivers it.
"""

import json
import math
import signal
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from support import (
    network_attempts,
    train_task,
    write_config,
    write_snapshot_channels,
)
from task_data import generate_classify, generate_labelled
from yolojob import stop
from yolojob.dataset import check_task_yaml, prepare_dataset
from yolojob.errors import DatasetError
from yolojob.evaluate import split_metrics
from yolojob.job import main
from yolojob.metric_lines import load_format, parse_line
from yolojob.paths import OptMl
from yolojob.results import best_epoch, read_results
from yolojob.tasks import task_from_model

FMT = load_format()
SET_KEYS = ("map50", "map50_95", "precision", "recall")
# what each task's metrics.json must carry: the primary block, then every block
EXPECTED = {
    "segment": ("mask", ("mask", "box")),
    "obb": ("box", ("box",)),
    "pose": ("box", ("box", "pose")),
    "classify": ("accuracy", ()),
}
# ultralytics' attribute for each block
ATTRIBUTE = {"box": "box", "mask": "seg", "pose": "pose"}
# a metric line name only that task's line carries
TASK_ONLY = {
    "segment": {"mask:map50", "mask:map50_95", "train:seg_loss"},
    "obb": {"train:angle_loss", "val:angle_loss"},
    "pose": {"pose:map50", "pose:map50_95", "train:kobj_loss"},
    "classify": {"top1", "top5", "train:loss", "val:loss"},
}


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def trained(request, tmp_path_factory):
    task = request.param
    opt, work, done = train_task(task, tmp_path_factory.mktemp(task))
    assert done.returncode == 0, done.stdout[-4000:]
    return task, opt, work, done.stdout


def fresh_validation(task: str, opt: Path, work: Path, split: str):
    """ultralytics' own numbers for best.pt, validated again outside the entrypoint."""
    from ultralytics import YOLO

    (dataset,) = (work / "datasets").iterdir()
    data = dataset if task == "classify" else dataset / "dataset.yaml"
    return YOLO(str(opt / "model" / "best.pt")).val(
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


def test_metrics_json_carries_the_tasks_metrics_as_ultralytics_computes_them(trained):
    task, opt, work, _ = trained
    metrics = json.loads((opt / "output" / "data" / "metrics.json").read_text())
    primary, kinds = EXPECTED[task]
    assert (metrics["schema"], metrics["task"], metrics["primary"]) == (
        1,
        task,
        primary,
    )
    assert (metrics["epochs_completed"], metrics["best_epoch"]) == (1, 1)
    assert (
        metrics["model"]
        == f"yolov8n-{ {'segment': 'seg', 'classify': 'cls'}.get(task, task) }.yaml"
    )
    assert [k for k in ("box", "mask", "pose") if k in metrics] == sorted(
        kinds, key=("box", "mask", "pose").index
    )
    m = fresh_validation(task, opt, work, metrics["split"])
    if task == "classify":
        assert not any(k in metrics for k in SET_KEYS)
        assert metrics["top1"] == pytest.approx(float(m.top1), abs=1e-12)
        assert metrics["top5"] == pytest.approx(float(m.top5), abs=1e-12)
        assert (
            metrics["top5"] == 1.0
        )  # two classes: the right one is always in the top 5
        assert metrics["split"] == "test" and set(metrics["splits"]) == {"val", "test"}
        return
    for kind in kinds:
        block = getattr(m, ATTRIBUTE[kind])
        expected = (block.map50, block.map, block.mp, block.mr)
        assert [metrics[kind][k] for k in SET_KEYS] == pytest.approx(
            [float(v) for v in expected], abs=1e-12
        ), kind
    # the top-level numbers (what the action gates) are the primary block
    assert {k: metrics[k] for k in SET_KEYS} == metrics[primary]
    (row,) = metrics["per_class"]
    labels = (work / "datasets").glob("*/labels/val/*.txt")
    assert row["name"] == "box"
    assert row["instances"] == sum(len(f.read_text().splitlines()) for f in labels)
    assert "top1" not in metrics


def test_the_metric_line_carries_every_column_of_the_tasks_results_csv(trained):
    task, opt, work, log = trained
    (row,) = read_results(opt / "output" / "data" / "results.csv")
    (line,) = [x for x in log.splitlines() if x.startswith(FMT.prefix)]
    captured = parse_line(FMT, line)
    present = {
        d.name for d in FMT.definitions if math.isfinite(row.get(d.column, math.nan))
    }
    assert set(captured) == present and TASK_ONLY[task] <= present, line
    for d in FMT.definitions:
        if d.name in captured:
            assert math.isclose(captured[d.name], row[d.column], rel_tol=1e-5), d.name
    # and none of another task's
    others = set().union(*(v for k, v in TASK_ONLY.items() if k != task))
    assert not others & set(captured), line
    assert network_attempts(work) == ""


def test_split_metrics_puts_the_primary_block_on_top():
    def metric(base: float) -> SimpleNamespace:
        return SimpleNamespace(
            map50=base, map=base / 2, mp=base + 0.1, mr=base + 0.2,
            ap50=[base], ap=[base / 2], p=[base + 0.1], r=[base + 0.2], ap_class_index=[0],
        )  # fmt: skip

    m = SimpleNamespace(
        names={0: "box"},
        nt_per_class=[3],
        box=metric(0.6),
        seg=metric(0.3),
        pose=metric(0.4),
    )
    seg = split_metrics(m, "segment")
    assert (
        seg["map50"] == 0.3
        and seg["mask"]["map50"] == 0.3
        and seg["box"]["map50"] == 0.6
    )
    assert seg["per_class"][0]["ap50"] == 0.3 and "pose" not in seg
    pose = split_metrics(m, "pose")
    assert (
        pose["map50"] == 0.6 and pose["pose"]["map50_95"] == 0.2 and "mask" not in pose
    )
    assert split_metrics(SimpleNamespace(top1=0.75, top5=1.0), "classify") == {
        "top1": 0.75,
        "top5": 1.0,
        "per_class": [],
    }


def test_best_epoch_follows_each_tasks_fitness():
    rows = [
        {"epoch": 1, "metrics/mAP50-95(B)": 0.5, "metrics/mAP50-95(M)": 0.1},
        {"epoch": 2, "metrics/mAP50-95(B)": 0.3, "metrics/mAP50-95(M)": 0.4},
    ]
    assert best_epoch(rows, "detect") == 1
    assert (
        best_epoch(rows, "segment") == 2
    )  # boxes + masks: 0.6 > 0.7? no: 0.7 at epoch 2
    top = [
        {"epoch": 1, "metrics/accuracy_top1": 0.5, "metrics/accuracy_top5": 1.0},
        {"epoch": 2, "metrics/accuracy_top1": 0.6, "metrics/accuracy_top5": 0.8},
    ]
    assert best_epoch(top, "classify") == 1


@pytest.mark.parametrize(
    ("model", "task"),
    [
        ("yolov8n.pt", "detect"),
        ("yolov8n-seg.yaml", "segment"),
        ("yolo11s-obb.pt", "obb"),
        ("yolov8n-pose.pt", "pose"),
        ("yolov8n-cls.yaml", "classify"),
        ("runs/segment/best.pt", "segment"),
        (None, "detect"),
    ],
)
def test_task_from_model_reads_names_as_ultralytics_does(model, task):
    assert task_from_model(model) == task


def test_a_classify_snapshot_has_no_yaml_and_trains_on_its_folder(tmp_path):
    dataset = generate_classify(tmp_path / "cls")
    opt = OptMl(tmp_path / "ml")
    fingerprint = write_snapshot_channels(dataset, opt.root, config="")
    root = prepare_dataset(opt, tmp_path / "work", "classify")
    assert root == tmp_path / "work" / "datasets" / fingerprint
    assert sorted(p.name for p in (root / "train").iterdir()) == ["disc", "square"]
    with pytest.raises(DatasetError, match="task detect needs one"):
        prepare_dataset(opt, tmp_path / "work", "detect")


def test_a_classify_dataset_without_a_validation_folder_is_named(tmp_path):
    dataset = generate_classify(tmp_path / "cls")
    for f in (dataset / "val").rglob("*.png"):
        f.rename(dataset / "train" / f.parent.name / f"v{f.name}")
    for d in sorted((dataset / "val").iterdir()):
        d.rmdir()
    (dataset / "val").rmdir()
    opt = OptMl(tmp_path / "ml")
    write_snapshot_channels(dataset, opt.root, config="")
    with pytest.raises(
        DatasetError, match=r"train/ folder and a val/ .*found folders: train"
    ):
        prepare_dataset(opt, tmp_path / "work", "classify")


def test_pose_needs_kpt_shape_in_the_yaml(tmp_path):
    dataset = generate_labelled(tmp_path / "pose", "pose")
    check_task_yaml(dataset / "dataset.yaml", "pose")
    doc = yaml.safe_load((dataset / "dataset.yaml").read_text())
    del doc["kpt_shape"]
    (dataset / "dataset.yaml").write_text(yaml.safe_dump(doc))
    with pytest.raises(DatasetError, match=r"task pose needs kpt_shape: .*got None"):
        check_task_yaml(dataset / "dataset.yaml", "pose")


def test_a_model_of_another_task_fails_before_training(tmp_path, monkeypatch):
    monkeypatch.setenv("OPT_ML_ROOT", str(tmp_path / "ml"))
    monkeypatch.setenv("YOLO_JOB_WORKDIR", str(tmp_path / "work"))
    previous = signal.getsignal(signal.SIGTERM)
    try:
        write_snapshot_channels(
            generate_labelled(tmp_path / "seg", "segment"), tmp_path / "ml"
        )
        write_config(
            tmp_path / "ml", {"model": "yolov8n.yaml", "task": "segment", "imgsz": "64"}
        )
        assert main(["train"]) == 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        stop.reset()
    reason = (tmp_path / "ml" / "output" / "failure").read_text()
    assert reason == (
        'hyperparameter task="segment": model yolov8n.yaml is a detect model; '
        "use a segment model (e.g. yolov8n-seg.pt) or task=detect\n"
    )
    assert not (tmp_path / "ml" / "checkpoints" / "train" / "results.csv").exists()


def test_a_finished_checkpoint_of_another_task_is_not_evaluated_as_this_one(
    tmp_path, monkeypatch
):
    import torch
    import ultralytics
    from ultralytics.nn.tasks import DetectionModel
    from yolojob.errors import HyperparameterError
    from yolojob.job import Job

    monkeypatch.setenv("YOLO_JOB_WORKDIR", str(tmp_path / "work"))
    job = Job(OptMl(tmp_path / "ml"))
    job.task = "segment"
    weights = job.save_dir / "weights"
    weights.mkdir(parents=True)
    torch.save(
        {
            "epoch": -1,
            "model": DetectionModel("yolov8n.yaml", nc=1, verbose=False).half(),
            "train_args": {"model": "yolov8n.yaml", "imgsz": 64, "task": "detect"},
            "version": ultralytics.__version__,
        },
        weights / "best.pt",
    )
    with pytest.raises(HyperparameterError, match="was trained as task=detect"):
        job.evaluate(tmp_path / "data.yaml", "cpu", 0, ultralytics.__version__)
