"""Long jobs: atomic writes, safe loading, refused checkpoints (a pre-training run killed part-way
and resumed: test_pretrain.py)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnnbook import job_files, jobs
from rnnbook.experiments import pretrain, pretrain_files

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--units", "8", "--embed-dim", "4", "--epochs", "3", "--batch-size", "32", "--limit", "400"]


def _run(out, *extra):
    command = [sys.executable, "-m", "rnnbook.experiments.pretrain", *TINY, "--out", str(out)]
    return subprocess.run([*command, *extra], cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_checkpoint_of_other_options_is_refused_not_silently_used(tmp_path):
    out = tmp_path / "model.npz"
    arrays = {
        **pretrain_files.config_arrays(pretrain.Config(units=8)),
        "frameworks": np.array(["numpy"]),
    }
    job_files.save_arrays(pretrain.checkpoint_path(out), arrays, pretrain.CHECKPOINT_KIND)
    result = _run(out, "--frameworks", "numpy")
    assert result.returncode != 0
    assert "checkpoint of a run with other options" in result.stderr
    assert "--restart" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_planted_pickled_array_is_refused(tmp_path):
    path = tmp_path / "model.npz"
    # np.savez pickles an object array; loading it would run whatever the pickle says
    np.savez(path, symbols=np.array(["a", 1], dtype=object), **{"config/units": np.array(8)})
    with pytest.raises(job_files.JobFileError, match="pickled .* refusing to load"):
        pretrain.load(path)
    checkpoint = pretrain.checkpoint_path(tmp_path / "out.npz")
    np.savez(checkpoint, frameworks=np.array([object()], dtype=object))
    with pytest.raises(job_files.JobFileError, match="pickled"):
        job_files.load_arrays(checkpoint, pretrain.CHECKPOINT_KIND)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"not a model at all", "not a zip archive"),
        (b"\x80\x04\x95 a pickle", "is a pickle"),
        (b"PK\x03\x04 truncated", "corrupt or not an .npz"),
    ],
)
def test_corrupt_files_are_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "model.npz"
    path.write_bytes(content)
    with pytest.raises(job_files.JobFileError, match=message) as caught:
        pretrain.load(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)
    assert "python -m rnnbook.experiments.pretrain" in str(caught.value)


def test_a_single_npy_and_a_foreign_archive_are_refused(tmp_path):
    npy = tmp_path / "model.npz"
    with open(npy, "wb") as handle:
        np.save(handle, np.zeros(3))
    with pytest.raises(job_files.JobFileError, match="single .npy array"):
        pretrain.load(npy)
    foreign = tmp_path / "weights.npz"
    np.savez(foreign, kernel=np.zeros((2, 2)))  # an archive, but not a pre-trained model
    with pytest.raises(job_files.JobFileError, match="lacks symbols, config/units"):
        pretrain.load(foreign)
    other_kind = tmp_path / "other.npz"
    job_files.save_arrays(other_kind, {"symbols": np.array(["a"])}, "something else")
    with pytest.raises(job_files.JobFileError, match="is a file of something else"):
        pretrain.load(other_kind)


def test_an_interrupted_write_leaves_the_old_file(tmp_path):
    path = tmp_path / "result.npz"
    job_files.save_arrays(path, {"x": np.arange(3)}, "test")
    before = path.read_bytes()
    with pytest.raises(RuntimeError), job_files.atomic_path(path) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["result.npz"]
    assert job_files.load_arrays(path, "test")["x"].tolist() == [0, 1, 2]


def test_a_stale_temporary_of_a_dead_process_is_removed(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    stale = tmp_path / f".result.tmp-{dead}.json"
    stale.write_text("{")
    job_files.write_text(tmp_path / "result.json", "{}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_objects_are_never_written(tmp_path):
    with pytest.raises(TypeError, match="would need pickle"):
        job_files.save_arrays(tmp_path / "x.npz", {"x": np.array([None])}, "test")


def test_rng_state_round_trips():
    rng = np.random.default_rng(3)
    rng.random(5)
    state = jobs.rng_state(rng)
    expected = rng.random(4)
    assert np.array_equal(jobs.set_rng_state(np.random.default_rng(), state).random(4), expected)


def test_data_path_finds_the_book_s_data_folder_from_below_or_from_the_environment(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(jobs.DATA_ENV, raising=False)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "model.npz").write_bytes(b"")
    (tmp_path / "chapters").mkdir()
    monkeypatch.chdir(tmp_path / "chapters")  # where the notebooks run
    assert jobs.data_path("model.npz") == tmp_path / "data" / "model.npz"
    # nothing by that name yet: a new result goes into ./data
    assert jobs.data_path("new.npz") == tmp_path / "chapters" / "data" / "new.npz"
    monkeypatch.setenv(jobs.DATA_ENV, str(tmp_path / "elsewhere"))
    assert jobs.data_path("model.npz") == tmp_path / "elsewhere" / "model.npz"


def test_pretrain_loads_the_book_s_model_from_a_copy_of_the_package_outside_the_repository(
    tmp_path,
):
    # as a non-editable install: the package's files live elsewhere than the book's data/
    shutil.copytree(ROOT / "rnnbook", tmp_path / "site" / "rnnbook")
    code = "from rnnbook.experiments import pretrain; print(list(pretrain.load()[0]))"
    env = {k: v for k, v in os.environ.items() if k != jobs.DATA_ENV}
    env["PYTHONPATH"] = str(tmp_path / "site")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "chapters", env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "['numpy', 'keras']"
