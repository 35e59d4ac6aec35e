import json
import math

from yolojob.outputs import write_json


def test_non_finite_numbers_become_null_so_strict_json_parsers_accept_the_file(
    tmp_path,
):
    path = tmp_path / "metrics.json"
    write_json(
        path,
        {
            "map50": math.nan,
            "epochs": [{"val/box_loss": math.inf, "epoch": 1.0}],
            "name": "room",
        },
    )
    text = path.read_text()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text) == {
        "map50": None,
        "epochs": [{"val/box_loss": None, "epoch": 1.0}],
        "name": "room",
    }


def test_plots_are_copied_into_output_data_plots_and_nothing_else(tmp_path):
    from yolojob.outputs import copy_plots

    run = tmp_path / "run"
    (run / "weights").mkdir(parents=True)
    wanted = [
        "results.png",
        "confusion_matrix.png",
        "confusion_matrix_normalized.png",
        "BoxPR_curve.png",
        "BoxF1_curve.png",
        "BoxP_curve.png",
        "BoxR_curve.png",
        "MaskPR_curve.png",
        "val_batch0_pred.jpg",
        "val_batch2_pred.jpg",
    ]
    for name in wanted + ["train_batch0.jpg", "val_batch0_labels.jpg", "args.yaml"]:
        (run / name).write_bytes(name.encode())
    (run / "weights" / "best.pt").write_bytes(b"w")
    out = tmp_path / "out"
    out.mkdir()

    assert copy_plots(run, out) == sorted(wanted)
    assert sorted(p.name for p in (out / "plots").iterdir()) == sorted(wanted)
    assert (out / "plots" / "BoxPR_curve.png").read_bytes() == b"BoxPR_curve.png"


def test_no_plots_no_plots_dir(tmp_path):
    from yolojob.outputs import copy_plots

    (tmp_path / "run").mkdir()
    assert copy_plots(tmp_path / "run", tmp_path) == []
    assert not (tmp_path / "plots").exists()
