"""scripts/adding_experiment.py on a tiny grid: killed part-way, it resumes and ends as an
uninterrupted run; its checkpoint is plain arrays; bad arguments get one line."""

import json
import subprocess
import sys

import adding_experiment
import interrupt
import numpy as np
import pytest

SCRIPT = interrupt.ROOT / "scripts" / "adding_experiment.py"
# 2 runs: one model at two rates; the first rate ends better (checked below), so a resumed run
# keeps seed 0's weights of the first run only if it restored which run was best
TINY = ["--lengths", "5", "--seeds", "0", "--models", "LSTM-4", "--epochs", "1"]
TINY += ["--n-train", "128", "--n-val", "32", "--n-test", "32", "--learning-rates", "0.01", "0.003"]


def _command(out):
    return [sys.executable, str(SCRIPT), *TINY, "--out", str(out), "--weights",
            str(out.with_name("weights.npz"))]  # fmt: skip


def _run(out, *extra):
    return subprocess.run(
        [*_command(out), *extra], cwd=interrupt.ROOT, capture_output=True, text=True, timeout=600
    )


def _checkpoint(out):
    return out.with_name(f"{out.stem}.checkpoint.npz")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run, in this process."""
    out = tmp_path_factory.mktemp("uninterrupted") / "results.json"
    adding_experiment.main(_command(out)[2:])
    return out


def test_a_killed_run_resumes_and_writes_what_an_uninterrupted_run_writes(tmp_path, reference):
    out = tmp_path / "results.json"
    out.write_text('{"old": true}\n')  # a result from before, which the kill must leave intact
    interrupt.kill_when(_command(out), _checkpoint(out).exists)
    assert out.read_text() == '{"old": true}\n'
    assert not out.with_name("weights.npz").exists()
    with np.load(_checkpoint(out), allow_pickle=False) as data:  # plain arrays only
        done = len(json.loads(str(data["runs"])))
    assert done == 1

    resumed = interrupt.run(_command(out))
    assert "resuming after run 1 of 2" in resumed.stdout
    assert not _checkpoint(out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "weights.npz"]

    got, expected = json.loads(out.read_text()), json.loads(reference.read_text())
    got.pop("runtime_minutes"), expected.pop("runtime_minutes")
    assert got == expected and len(got["runs"]) == 2
    first, second = (run["val_curve"][-1] for run in got["runs"])
    assert first < second, "the first rate must win, or a lost `best` would go unnoticed"
    with (
        np.load(out.with_name("weights.npz")) as a,
        np.load(reference.with_name("weights.npz")) as b,
    ):
        assert sorted(a.files) == sorted(b.files) and "LSTM-4_T5_0" in a.files
        for name in a.files:
            assert np.array_equal(a[name], b[name]), name


def test_a_checkpoint_of_other_options_or_pickled_is_refused(tmp_path):
    out = tmp_path / "results.json"
    np.savez(_checkpoint(out), settings=np.array("{}"), runs=np.array(["[]", None], dtype=object))
    result = _run(out)
    assert result.returncode == 1 and "pickled" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    np.savez(_checkpoint(out), settings=np.array("{}"), runs=np.array("[]"))
    result = _run(out)
    assert (
        result.returncode == 1 and "other options" in result.stderr and "--restart" in result.stderr
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["--models", "LSTM"], "expected LAYER-UNITS"),
        (["--models", "Transformer-8"], "expected LAYER-UNITS"),
        (["--lengths", "0"], "expected a positive number; got '0'"),
        (["--epochs", "two"], "expected an integer; got 'two'"),
        (["--seeds", "-1"], "--seeds must be 0 or more"),
        (["--out", "results.txt"], "--out must name a .json file"),
        (["--learning-rates", "nan"], "expected a positive number; got 'nan'"),
    ],
)
def test_bad_arguments_get_one_line(args, message):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), *args], cwd=interrupt.ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr.splitlines()[-1]
