import os
import signal
import subprocess
import sys
import textwrap

import pytest
import torch
from support import CONTAINER, write_config, write_snapshot_channels
from yolojob import stop
from yolojob.errors import StopRequested, failure_reason
from yolojob.job import main


@pytest.fixture
def opt_root(tmp_path, monkeypatch):
    monkeypatch.setenv("OPT_ML_ROOT", str(tmp_path / "ml"))
    monkeypatch.setenv("YOLO_JOB_WORKDIR", str(tmp_path / "work"))
    previous = signal.getsignal(signal.SIGTERM)
    yield tmp_path / "ml"
    # main() installs its handler in this process
    signal.signal(signal.SIGTERM, previous)
    stop.reset()


def failure(opt_root):
    text = (opt_root / "output" / "failure").read_text()
    assert text.count("\n") == 1 and text.endswith("\n")  # exactly one line
    return text.strip()


def test_cuda_oom_says_what_to_change():
    oom = torch.cuda.OutOfMemoryError(
        "CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 22.0 GiB total)"
    )
    assert failure_reason(oom, 16) == (
        "CUDA out of memory with batch-size 16: reduce batch-size (e.g. 8) or imgsz, or use a larger instance"
    )
    assert failure_reason(
        RuntimeError("CUDA out of memory. Tried to allocate 20 MiB"), 1
    ) == ("CUDA out of memory with batch-size 1: reduce imgsz or use a larger instance")
    assert "batch-size auto" in failure_reason(oom, -1)


def test_other_errors_keep_type_and_message_on_one_bounded_line():
    reason = failure_reason(ValueError("first line\n  second line"))
    assert reason == "ValueError: first line second line"
    assert len(failure_reason(KeyError("x" * 5000))) == 1024


def test_bad_hyperparameter_fails_the_job_with_its_reason(opt_root):
    write_config(opt_root, {"epochs": "many"})
    assert main(["train"]) == 1
    assert (
        failure(opt_root)
        == 'hyperparameter epochs="many": must be an integer at least 1 and at most 10000'
    )
    assert not (opt_root / "model").exists()


def test_multi_host_fails_before_touching_data(opt_root):
    write_config(opt_root, {"epochs": "1"}, hosts=("algo-1", "algo-2"))
    assert main(["train"]) == 1
    assert failure(opt_root).startswith("multi-instance not supported yet")


def test_missing_dataset_fails_clearly(opt_root):
    write_config(opt_root, {"epochs": "1"}, channels=())
    assert main(["train"]) == 1
    assert failure(opt_root).startswith("dataset not found")


def test_missing_pretrained_weights_say_how_to_bake_them(
    opt_root, floorplans, monkeypatch, tmp_path
):
    monkeypatch.setenv("YOLO_WEIGHTS_DIR", str(tmp_path / "no-weights"))
    write_snapshot_channels(floorplans, opt_root)
    write_config(opt_root, {"model": "yolov8m.pt", "epochs": "1"})
    assert main(["train"]) == 1
    assert "--build-arg PRETRAINED_WEIGHTS=yolov8m.pt" in failure(opt_root)


def test_simulated_cuda_oom_during_training_becomes_the_oom_reason(
    opt_root, floorplans, monkeypatch
):
    from ultralytics import YOLO

    def out_of_memory(self, **kwargs):
        # the real arguments got here
        assert kwargs["batch"] == 16 and kwargs["data"].endswith("dataset.yaml")
        raise torch.cuda.OutOfMemoryError(
            "CUDA out of memory. Tried to allocate 1.50 GiB"
        )

    monkeypatch.setattr(YOLO, "train", out_of_memory)
    write_snapshot_channels(floorplans, opt_root)
    write_config(
        opt_root, {"model": "yolov8n.yaml", "epochs": "1", "batch": "16", "imgsz": "64"}
    )
    assert main(["train"]) == 1
    assert failure(opt_root) == (
        "CUDA out of memory with batch-size 16: reduce batch-size (e.g. 8) or imgsz, or use a larger instance"
    )


def test_a_stale_failure_from_an_earlier_attempt_is_removed(opt_root):
    (opt_root / "output").mkdir(parents=True)
    (opt_root / "output" / "failure").write_text("old reason\n")
    write_config(opt_root, {"epochs": "0"})
    main(["train"])
    assert failure(opt_root).startswith('hyperparameter epochs="0"')


def test_usage_error_without_the_train_command():
    assert main([]) == 2
    assert main(["serve"]) == 2


def test_sigterm_raises_at_the_next_safe_point(opt_root):
    stop.install(60, on_timeout=lambda: None, forward=lambda: False)
    stop.check_stop()  # nothing requested yet
    os.kill(os.getpid(), signal.SIGTERM)
    with pytest.raises(StopRequested):
        stop.check_stop()


def test_watchdog_exits_non_zero_when_no_safe_point_comes(tmp_path):
    marker = tmp_path / "reason"
    script = textwrap.dedent(
        f"""
        import os, signal, sys, time
        sys.path.insert(0, {str(CONTAINER)!r})
        from yolojob import stop
        stop.install(0.5, on_timeout=lambda: open({str(marker)!r}, "w").write("timed out"), forward=lambda: False)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # stuck: never reaches check_stop
        """
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=20)
    assert done.returncode == stop.EXIT_STOPPED
    assert marker.read_text() == "timed out"
