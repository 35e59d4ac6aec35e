import json

import pytest
from yolojob.errors import HyperparameterError
from yolojob.hyperparameters import (
    load_schema,
    parse_hyperparameters,
    read_hyperparameters,
)

SCHEMA = load_schema()


def test_types_every_kind_from_strings():
    typed = parse_hyperparameters(
        {
            "model": "yolov8m.pt",
            "epochs": "100",
            "batch": "-1",
            "imgsz": "640",
            "lr0": "0.01",
            "cos_lr": "True",
            "rect": "false",
            "optimizer": "AdamW",
            "cache": "false",
        },
        SCHEMA,
    )
    assert typed == {
        "model": "yolov8m.pt",
        "epochs": 100,
        "batch": -1,
        "imgsz": 640,
        "lr0": 0.01,
        "cos_lr": True,
        "rect": False,
        "optimizer": "AdamW",
        "cache": False,  # ultralytics spells "no cache" as a boolean
    }
    assert type(typed["epochs"]) is int and type(typed["lr0"]) is float


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        ("epochs", "abc", "must be an integer at least 1 and at most 10000"),
        ("epochs", "1.5", "must be an integer at least 1 and at most 10000"),
        ("epochs", "0", "must be an integer at least 1 and at most 10000"),
        ("imgsz", "100", "must be a multiple of 32"),
        ("lr0", "0", "must be a number greater than 0 and at most 1"),
        ("lr0", "nan", "must be a number greater than 0 and at most 1"),
        ("cos_lr", "yes", "must be true or false"),
        ("optimizer", "sgd", "must be one of auto, SGD, Adam"),
        ("model", "../../etc/passwd", "must match"),
        ("model", "yolov8m.onnx", "must match"),
        ("batch", "0", "must be an integer from 1, -1 (AutoBatch) or a fraction"),
        ("batch", "-2", "must be an integer from 1, -1 (AutoBatch) or a fraction"),
        ("batch", "16.5", "must be an integer from 1, -1 (AutoBatch) or a fraction"),
        ("batch", "4097", "must be an integer from 1, -1 (AutoBatch) or a fraction"),
    ],
)
def test_rejects_a_bad_value_naming_key_value_and_rule(key, value, rule):
    with pytest.raises(HyperparameterError) as e:
        parse_hyperparameters({key: value}, SCHEMA)
    assert f'hyperparameter {key}="{value}"' in str(e.value)
    assert rule in str(e.value)


@pytest.mark.parametrize(
    ("value", "typed"), [("16", 16), ("16.0", 16), ("-1", -1), ("0.7", 0.7)]
)
def test_batch_is_a_size_autobatch_or_a_gpu_memory_share(value, typed):
    # ultralytics: batch >= 1 is the size (an int, for the DataLoader), any batch < 1 AutoBatch.
    result = parse_hyperparameters({"batch": value}, SCHEMA)["batch"]
    assert result == typed and type(result) is type(typed)


def test_rejects_unknown_keys_and_lists_the_allowed_ones():
    with pytest.raises(HyperparameterError) as e:
        parse_hyperparameters({"epochs": "3", "learning_rate": "0.1"}, SCHEMA)
    msg = str(e.value)
    assert 'unknown hyperparameter learning_rate="0.1"' in msg
    assert "allowed: " in msg and "lr0" in msg


def test_reports_every_problem_at_once():
    with pytest.raises(HyperparameterError) as e:
        parse_hyperparameters({"epochs": "x", "batch": "y", "foo": "1"}, SCHEMA)
    msg = str(e.value)
    assert 'epochs="x"' in msg and 'batch="y"' in msg and 'foo="1"' in msg


def test_values_must_be_strings_as_sagemaker_sends_them():
    with pytest.raises(HyperparameterError, match='epochs="3": must be a string'):
        parse_hyperparameters({"epochs": 3}, SCHEMA)


def test_reads_the_file_and_treats_a_missing_file_as_no_hyperparameters(tmp_path):
    path = tmp_path / "hyperparameters.json"
    assert read_hyperparameters(path, SCHEMA) == {}
    path.write_text(json.dumps({"epochs": "5"}))
    assert read_hyperparameters(path, SCHEMA) == {"epochs": 5}
    path.write_text("{not json")
    with pytest.raises(HyperparameterError, match="not valid JSON"):
        read_hyperparameters(path, SCHEMA)


def test_schema_keys_are_real_ultralytics_train_arguments():
    from ultralytics.cfg import DEFAULT_CFG_DICT

    assert set(SCHEMA) <= set(DEFAULT_CFG_DICT), set(SCHEMA) - set(DEFAULT_CFG_DICT)
