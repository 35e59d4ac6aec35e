import pytest
from PIL import ImageFont
from yolojob.environment import (
    AMP_CHECK_WEIGHTS,
    default_workers,
    device_string,
    resolve_model,
    seed_fonts,
)
from yolojob.errors import HyperparameterError


def test_seeded_fonts_are_real_fonts_and_existing_ones_are_kept(tmp_path):
    (tmp_path / "Arial.ttf").write_bytes(b"baked")
    seed_fonts(tmp_path)
    assert (tmp_path / "Arial.ttf").read_bytes() == b"baked"
    # loads: plots can draw labels
    ImageFont.truetype(str(tmp_path / "Arial.Unicode.ttf"), 12)


def test_ultralytics_finds_the_seeded_font_without_downloading():
    from ultralytics.utils import USER_CONFIG_DIR
    from ultralytics.utils.checks import check_font

    # conftest seeded it
    assert check_font("Arial.ttf") == USER_CONFIG_DIR / "Arial.ttf"


@pytest.mark.parametrize(("gpus", "device"), [(0, "cpu"), (1, "0"), (4, "0,1,2,3")])
def test_all_visible_gpus_or_cpu(gpus, device):
    assert device_string(gpus) == device


@pytest.mark.parametrize(
    ("cpus", "gpus", "workers"),
    [(2, 0, 1), (1, 0, 0), (8, 1, 7), (96, 8, 8), (48, 4, 8)],
)
def test_workers_follow_the_cpu_count(cpus, gpus, workers):
    assert default_workers(cpus, gpus) == workers


def test_model_resolution(tmp_path):
    assert resolve_model("yolov8n.yaml", tmp_path) == "yolov8n.yaml"
    (tmp_path / "yolov8m.pt").write_bytes(b"weights")
    assert resolve_model("yolov8m.pt", tmp_path) == str(tmp_path / "yolov8m.pt")
    # the one baked model
    assert resolve_model(None, tmp_path) == str(tmp_path / "yolov8m.pt")
    with pytest.raises(
        HyperparameterError, match=r'model="yolov8x.pt": weights not found'
    ):
        resolve_model("yolov8x.pt", tmp_path)
    (tmp_path / "yolov8s.pt").write_bytes(b"weights")
    with pytest.raises(
        HyperparameterError, match="model is not set and the image has 2 baked weights"
    ):
        resolve_model(None, tmp_path)


def test_the_amp_check_weights_are_never_the_default_model(tmp_path):
    (tmp_path / AMP_CHECK_WEIGHTS).write_bytes(b"weights")
    with pytest.raises(
        HyperparameterError,
        match=r"image has 0 baked weights .*not counting yolo26n.pt",
    ):
        resolve_model(None, tmp_path)
    (tmp_path / "yolov8m.pt").write_bytes(b"weights")
    assert resolve_model(None, tmp_path) == str(tmp_path / "yolov8m.pt")
    # asked for by name it is an ordinary model
    assert resolve_model(AMP_CHECK_WEIGHTS, tmp_path) == str(
        tmp_path / AMP_CHECK_WEIGHTS
    )
