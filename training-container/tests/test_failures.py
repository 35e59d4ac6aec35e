import json
import os
import signal
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
import torch
from support import CONTAINER, write_config, write_snapshot_channels
from yolojob import stop
from yolojob.errors import StopRequested, failure_reason
from yolojob.job import Job, main
from yolojob.paths import OptMl, ddp_error_file

OOM_MESSAGE = "CUDA out of memory. Tried to allocate 1.50 GiB"


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


def test_cuda_oom_names_the_requested_batch_and_how_far_ultralytics_retried():
    oom = torch.cuda.OutOfMemoryError(OOM_MESSAGE)
    assert failure_reason(oom, 16, 2) == (
        "CUDA out of memory with batch-size 16 (ultralytics already retried down to 2): "
        "reduce batch-size (e.g. 1) or imgsz, or use a larger instance"
    )
    assert failure_reason(oom, 8, 1) == (
        "CUDA out of memory with batch-size 8 (ultralytics already retried down to 1): "
        "reduce imgsz or use a larger instance"
    )
    assert failure_reason(oom, 16, 16) == failure_reason(oom, 16)  # no retry
    assert failure_reason(oom, -1, 24).startswith(
        "CUDA out of memory with batch-size auto (ultralytics chose 24): set batch-size"
    )


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


def test_a_broken_resource_config_fails_before_touching_data(opt_root):
    write_config(opt_root, {"epochs": "1"}, hosts=("algo-1", "algo-2"))
    config = opt_root / "input" / "config" / "resourceconfig.json"
    config.write_text(json.dumps({"current_host": "algo-3", "hosts": ["algo-1", "algo-2"]}))
    assert main(["train"]) == 1
    assert failure(opt_root) == (
        "resourceconfig.json: current_host='algo-3' is not one of hosts ['algo-1', 'algo-2']"
    )


@pytest.mark.parametrize(
    ("batch", "reason"),
    [
        (
            "-1",
            ('hyperparameter batch="-1": auto batch does not work across 2 hosts; set batch '
            "(the global batch, split over 2 ranks)"),
        ),
        (
            "1",
            ('hyperparameter batch="1": the global batch is split over 2 ranks (2 hosts x 1), '
            "so it must be at least 2"),
        ),
    ],
)
def test_a_batch_that_cannot_be_split_over_the_hosts_fails_naming_the_rule(
    opt_root, floorplans, batch, reason
):
    write_snapshot_channels(floorplans, opt_root)
    write_config(opt_root, {"epochs": "1", "batch": batch}, hosts=("algo-1", "algo-2"))
    assert main(["train"]) == 1
    assert failure(opt_root) == reason


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


def test_an_oom_after_ultralytics_halved_the_batch_says_so(
    opt_root, floorplans, monkeypatch
):
    from ultralytics import YOLO

    def out_of_memory(self, **kwargs):
        # ultralytics' first-epoch retries: 16 -> 8 -> 4 -> 2, then it gives up
        self.trainer = SimpleNamespace(batch_size=2)
        raise torch.cuda.OutOfMemoryError(OOM_MESSAGE)

    monkeypatch.setattr(YOLO, "train", out_of_memory)
    write_snapshot_channels(floorplans, opt_root)
    write_config(
        opt_root, {"model": "yolov8n.yaml", "epochs": "1", "batch": "16", "imgsz": "64"}
    )
    assert main(["train"]) == 1
    assert failure(opt_root).startswith(
        "CUDA out of memory with batch-size 16 (ultralytics already retried down to 2): "
    )


def test_a_ddp_worker_oom_becomes_the_reason_instead_of_the_launcher_exit_status(
    opt_root, floorplans, monkeypatch
):
    """Multi-GPU: the parent only sees CalledProcessError from torch.distributed.run."""
    from ultralytics import YOLO

    def ddp_launch(self, **kwargs):
        # what happens in a worker: RANK set, yolojob.stop imported, then a CUDA OOM escapes
        with monkeypatch.context() as worker:
            worker.setenv("RANK", "1")
            worker.setattr(stop, "_worker_installed", False)
            worker.setattr(sys, "excepthook", sys.excepthook)
            previous = signal.getsignal(signal.SIGTERM)
            assert stop.install_worker()
            try:
                raise torch.cuda.OutOfMemoryError(OOM_MESSAGE)
            except torch.cuda.OutOfMemoryError as e:
                sys.excepthook(type(e), e, e.__traceback__)
            finally:
                signal.signal(signal.SIGTERM, previous)
        raise subprocess.CalledProcessError(
            1, ["python", "-m", "torch.distributed.run"]
        )

    monkeypatch.setattr(YOLO, "train", ddp_launch)
    write_snapshot_channels(floorplans, opt_root)
    write_config(
        opt_root, {"model": "yolov8n.yaml", "epochs": "1", "batch": "16", "imgsz": "64"}
    )
    # a record left by an earlier attempt is not this run's
    ddp_error_file().parent.mkdir(parents=True)
    ddp_error_file().write_text(json.dumps({"reason": "old", "cuda_oom": False}))
    assert main(["train"]) == 1
    assert failure(opt_root) == (
        "CUDA out of memory with batch-size 16: reduce batch-size (e.g. 8) or imgsz, or use a larger instance"
    )


def test_a_ddp_failure_without_a_worker_record_keeps_the_launcher_error(
    opt_root, floorplans, monkeypatch
):
    from ultralytics import YOLO

    def ddp_launch(self, **kwargs):
        raise subprocess.CalledProcessError(1, ["torchrun"])

    monkeypatch.setattr(YOLO, "train", ddp_launch)
    write_snapshot_channels(floorplans, opt_root)
    write_config(opt_root, {"model": "yolov8n.yaml", "epochs": "1", "imgsz": "64"})
    assert main(["train"]) == 1
    assert failure(opt_root).startswith("CalledProcessError: Command '['torchrun']'")


def test_a_ddp_worker_stops_at_the_next_batch_on_sigterm_and_records_its_failure(
    tmp_path,
):
    """A real worker process: RANK set, importing yolojob.stop (as unpickling the callbacks does)
    installs the flag-only handler and the excepthook. Without them SIGTERM kills it at once."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(CONTAINER)!r})
        from yolojob import stop
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.stop_requested()
        try:
            stop.check_stop()
        except stop.StopRequested:
            print("stopped at the safe point", flush=True)
        raise RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB")
        """
    )
    env = dict(os.environ, RANK="0", YOLO_JOB_WORKDIR=str(tmp_path / "work"))
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr  # the exception, not the signal (-15)
    assert "stopped at the safe point" in done.stdout
    assert (
        "RuntimeError: CUDA out of memory" in done.stderr
    )  # the traceback is still printed
    record = json.loads((tmp_path / "work" / "ddp-error").read_text())
    assert record["cuda_oom"] is True
    # the launching process (no RANK) keeps the default handler until main() installs its own
    env.pop("RANK")
    plain = subprocess.run(
        [sys.executable, "-c", script], env=env, check=False, timeout=60
    )
    assert plain.returncode == -signal.SIGTERM


def test_a_sigterm_during_setup_ends_the_job_before_training(
    opt_root, floorplans, monkeypatch
):
    from ultralytics import YOLO
    from yolojob import job as job_module

    trained = []
    monkeypatch.setattr(YOLO, "train", lambda self, **kwargs: trained.append(kwargs))
    real_prepare = job_module.prepare_dataset

    def prepare_then_sigterm(opt, work, task):
        data = real_prepare(opt, work, task)
        os.kill(
            os.getpid(), signal.SIGTERM
        )  # e.g. a spot reclaim while the dataset was rebuilt
        return data

    monkeypatch.setattr(job_module, "prepare_dataset", prepare_then_sigterm)
    write_snapshot_channels(floorplans, opt_root)
    write_config(opt_root, {"model": "yolov8n.yaml", "epochs": "1", "imgsz": "64"})
    assert main(["train"]) == stop.EXIT_STOPPED
    assert trained == []
    assert failure(opt_root) == (
        "stopped by SIGTERM (spot interruption or StopTrainingJob) before the first epoch "
        "finished; no checkpoint yet, so a restarted job starts training over"
    )


def test_the_stop_message_says_whether_a_restart_resumes(tmp_path):
    job = Job(OptMl(tmp_path / "ml"))
    assert "before the first epoch finished; no checkpoint yet" in job.stopped_reason()
    job.save_dir.mkdir(parents=True)
    (job.save_dir / "results.csv").write_text("epoch,time\n1,3.5\n2,7.0\n")
    assert "after 2 completed epoch(s); no checkpoint yet" in job.stopped_reason()
    (job.save_dir / "weights").mkdir()
    (job.save_dir / "weights" / "last.pt").write_bytes(b"checkpoint")
    assert job.stopped_reason() == (
        "stopped by SIGTERM (spot interruption or StopTrainingJob) after 2 completed epoch(s); "
        f"training resumes from the checkpoint in {tmp_path / 'ml' / 'checkpoints'} "
        "if SageMaker restarts the job"
    )


def test_a_setup_failure_before_ultralytics_is_imported_leaves_a_reason(
    opt_root, monkeypatch, tmp_path
):
    not_a_folder = tmp_path / "config-file"
    not_a_folder.write_text("")
    monkeypatch.setenv(
        "YOLO_CONFIG_DIR", str(not_a_folder)
    )  # prepare_offline cannot seed fonts
    write_config(opt_root, {"epochs": "1"})
    assert main(["train"]) == 1
    assert "config-file/Ultralytics" in failure(opt_root)


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


def test_a_worker_whose_launcher_was_killed_exits_instead_of_training_on(tmp_path):
    import time

    import psutil

    # launcher -> worker, the worker in a session of its own as torchrun starts them
    worker = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(CONTAINER)!r})
        from yolojob import stop
        stop.exit_with_parent(interval=0.1)
        print("ready", flush=True)
        time.sleep(120)
        """
    )
    launcher = textwrap.dedent(
        f"""
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", {worker!r}], start_new_session=True,
                                 stdout=subprocess.PIPE, text=True)
        child.stdout.readline()
        print(child.pid, flush=True)
        time.sleep(120)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", launcher], stdout=subprocess.PIPE, text=True
    )
    worker_pid = int(proc.stdout.readline())
    assert psutil.pid_exists(worker_pid)
    proc.kill()  # SIGKILL: no handler runs, as for a hard-killed process group
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if psutil.Process(worker_pid).status() == psutil.STATUS_ZOMBIE:
                break
        except psutil.NoSuchProcess:
            break
        time.sleep(0.1)
    else:
        os.kill(worker_pid, signal.SIGKILL)
        pytest.fail("the worker outlived its launcher by 10 s")
