import json
import math
import re
from types import SimpleNamespace

from yolojob.metric_lines import (
    format_line,
    load_format,
    parse_line,
    print_epoch_line,
)
from yolojob.paths import METRIC_DEFINITIONS_FILE
from yolojob.results import best_epoch, epochs_completed, parse_results_csv

FMT = load_format()
HEADER = (
    "epoch,time,train/box_loss,train/cls_loss,train/dfl_loss,metrics/precision(B),metrics/recall(B),"
    "metrics/mAP50(B),metrics/mAP50-95(B),val/box_loss,val/cls_loss,val/dfl_loss,lr/pg0,lr/pg1,lr/pg2\n"
)
ROW1 = "1,0.54,4.78935,2.62636,2.43583,0.01,0.2,0.003,0.0004,5.52438,3.6502,3.37544,0.001,0.001,0.001\n"
ROW2 = "2,1.20,4.1,2.2,2.2,0.0289762,0.315789,0.0102214,1.5e-05,4.27,162.361,3.19,0.0009,0.0009,0.0009\n"


def test_every_definition_captures_its_number_from_a_formatted_line():
    row = parse_results_csv(HEADER + ROW2)[0]
    line = format_line(FMT, row)
    assert line.startswith("[yolo-metrics] epoch=2 ")
    captured = parse_line(FMT, line)
    assert set(captured) == {d.name for d in FMT.definitions if d.column in row}
    assert len(captured) == len(row) - 4  # all but time and the 3 learning rates
    for d in FMT.definitions:
        if d.name in captured:
            assert math.isclose(captured[d.name], row[d.column], rel_tol=1e-5), d.name


def test_map50_does_not_swallow_map50_95():
    line = "[yolo-metrics] epoch=3 map50_95=0.25 map50=0.5"
    assert parse_line(FMT, line) == {"epoch": 3.0, "map50_95": 0.25, "map50": 0.5}


def test_a_blocks_keys_do_not_capture_another_blocks_values():
    line = (
        "[yolo-metrics] epoch=1 mask_map50=0.3 pose_map50=0.4 map50=0.6 mask_map50_95=0.1 "
        "map50_95=0.2 top1=0.9 train_loss=1.5 train_box_loss=2.5"
    )
    captured = parse_line(FMT, line)
    assert captured["map50"] == 0.6 and captured["mask:map50"] == 0.3
    assert captured["pose:map50"] == 0.4 and captured["map50_95"] == 0.2
    assert captured["mask:map50_95"] == 0.1 and captured["top1"] == 0.9
    assert captured["train:loss"] == 1.5 and captured["train:box_loss"] == 2.5


def test_lines_without_the_prefix_are_ignored():
    assert parse_line(FMT, "epoch=3 map50=0.5 precision=1") == {}


def test_non_finite_values_are_left_out_so_sagemaker_only_sees_numbers():
    row = parse_results_csv(HEADER + ROW1.replace("0.003", "nan"))[0]
    line = format_line(FMT, row)
    assert "map50=" not in line and "map50_95=0.0004" in line


def test_definitions_respect_sagemaker_limits():
    doc = json.loads(METRIC_DEFINITIONS_FILE.read_text())
    assert set(doc) >= {"linePrefix", "definitions"}
    assert len(doc["definitions"]) <= 40
    for d in doc["definitions"]:
        assert len(d["Regex"]) <= 500 and re.compile(d["Regex"]).groups == 1
        # anchored on the prefix: other log lines with the same key=value words are not metrics
        assert re.search(d["Regex"], f"{doc['linePrefix']} {d['key']}=1") is not None
        assert re.search(d["Regex"], f"{d['key']}=1") is None
    assert len({d["Name"] for d in doc["definitions"]}) == len(doc["definitions"])


def test_results_csv_parsing_ignores_padding_and_partial_rows():
    padded = HEADER.replace(",", ",  ").replace("  epoch", "epoch") + ROW1 + ROW2[:20]
    rows = parse_results_csv(padded)
    assert len(rows) == 1 and rows[0]["metrics/mAP50(B)"] == 0.003
    assert epochs_completed(rows) == 1


def test_best_epoch_is_the_first_with_the_highest_map50_95():
    rows = parse_results_csv(HEADER + ROW1 + ROW2 + ROW1.replace("1,", "3,", 1))
    assert best_epoch(rows) == 1  # epoch 3 ties epoch 1; ultralytics keeps the first
    assert best_epoch([]) is None


def test_the_epoch_callback_prints_the_row_just_written_and_nothing_for_the_final_evaluation(
    tmp_path, capsys
):
    csv = tmp_path / "results.csv"
    csv.write_text(HEADER + ROW1 + ROW2)
    print_epoch_line(SimpleNamespace(epoch=1, csv=csv))  # trainer epochs are 0-based
    print_epoch_line(
        SimpleNamespace(epoch=2, csv=csv)
    )  # final_eval's extra call: no row 3
    # (ultralytics may greet on first import; only metric lines count)
    lines = [
        line for line in capsys.readouterr().out.splitlines() if FMT.prefix in line
    ]
    assert len(lines) == 1 and lines[0].startswith(
        "[yolo-metrics] epoch=2 precision=0.0289762 "
    )


def test_trim_results_keeps_rows_up_to_an_epoch_and_drops_a_half_written_one(tmp_path):
    from yolojob.results import trim_results

    csv = tmp_path / "results.csv"
    csv.write_text(" epoch, time\n1,2\n2,4\n3,6\n")
    assert trim_results(csv, 2) == 1
    assert csv.read_text() == " epoch, time\n1,2\n2,4\n"
    assert trim_results(csv, 5) == 0
    csv.write_text(" epoch, time\n1,2\n2,4")  # a hard kill before the row's newline
    assert trim_results(csv, 5) == 1
    assert csv.read_text() == " epoch, time\n1,2\n"
    assert trim_results(tmp_path / "missing.csv", 1) == 0
