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
