from pathlib import Path

from yolojob.paths import OptMl, ddp_error_file, work_dir


def test_a_relative_opt_ml_root_is_made_absolute(tmp_path, monkeypatch):
    # ultralytics would put a relative `project` under its own runs dir
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPT_ML_ROOT", "ml")
    opt = OptMl.from_env()
    assert opt.root == tmp_path / "ml" and opt.checkpoints_dir.is_absolute()
    monkeypatch.delenv("OPT_ML_ROOT")
    assert OptMl.from_env().root == Path("/opt/ml")


def test_the_scratch_dir_is_on_the_job_volume_outside_what_sagemaker_uploads(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("YOLO_JOB_WORKDIR", raising=False)
    monkeypatch.setenv("OPT_ML_ROOT", str(tmp_path / "ml"))
    opt = OptMl.from_env()
    assert work_dir() == tmp_path / "ml" / "input" / "yolo-job"
    for uploaded in (opt.model_dir, opt.root / "output", opt.checkpoints_dir):
        assert not work_dir().is_relative_to(uploaded)
    assert ddp_error_file().parent == work_dir()
    monkeypatch.delenv("OPT_ML_ROOT")
    assert work_dir() == Path("/opt/ml/input/yolo-job")
    # the override, made absolute like OPT_ML_ROOT
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("YOLO_JOB_WORKDIR", "scratch")
    assert work_dir() == tmp_path / "scratch"
