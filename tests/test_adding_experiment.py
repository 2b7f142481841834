"""scripts/adding_experiment.py on a tiny grid: killed part-way, it resumes and ends as an
uninterrupted run; its checkpoint is plain arrays; bad arguments get one line."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "adding_experiment.py"
TINY = ["--lengths", "5", "--seeds", "0", "--models", "SimpleRNN-4", "LSTM-4"]
TINY += ["--epochs", "1", "--n-train", "128", "--n-val", "32", "--n-test", "32"]
TINY += ["--learning-rates", "0.01", "0.003"]  # 2 models x 2 rates = 4 runs


def _command(out):
    return [sys.executable, str(SCRIPT), *TINY, "--out", str(out), "--weights",
            str(out.with_name("weights.npz"))]  # fmt: skip


def _run(out, *extra):
    result = subprocess.run(
        [*_command(out), *extra], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    return result


def _checkpoint(out):
    return out.with_name(f"{out.stem}.checkpoint.npz")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted") / "results.json"
    result = _run(out)
    assert result.returncode == 0, result.stderr[-2000:]
    return out


def test_a_killed_run_resumes_and_writes_what_an_uninterrupted_run_writes(tmp_path, reference):
    out = tmp_path / "results.json"
    out.write_text('{"old": true}\n')  # a result from before, which the kill must leave intact
    process = subprocess.Popen(
        _command(out), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 400
    while not _checkpoint(out).exists():  # one run finished: kill it before the rest
        assert process.poll() is None, "the experiment ended before its first checkpoint"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert out.read_text() == '{"old": true}\n'
    assert not out.with_name("weights.npz").exists()
    with np.load(_checkpoint(out), allow_pickle=False) as data:  # plain arrays only
        done = len(json.loads(str(data["runs"])))
    assert 1 <= done < 4

    resumed = _run(out)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"resuming after run {done} of 4" in resumed.stdout
    assert not _checkpoint(out).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "weights.npz"]

    got, expected = json.loads(out.read_text()), json.loads(reference.read_text())
    got.pop("runtime_minutes"), expected.pop("runtime_minutes")
    assert got == expected and len(got["runs"]) == 4
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
        [sys.executable, str(SCRIPT), *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert message in result.stderr.splitlines()[-1]
