"""A notebook whose kernel dies, or hangs, fails fast and says where (conftest.py)."""

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell(src, execution_count=i + 1) for i, src in enumerate(sources)
    ]
    nbformat.write(nb, path)


def _pytest(folder, *args):
    # the project's conftest.py as a plugin, on notebooks outside the project
    command = [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider"]
    command += ["--nbval", "--nbval-current-env", "-c", str(folder / "pytest.ini"), *args]
    (folder / "pytest.ini").write_text("[pytest]\n")
    # the project's root (conftest.py, tests/) and scripts/ (which conftest imports): the
    # pythonpath that pyproject.toml gives pytest does not apply outside the project
    path = os.pathsep.join([str(ROOT), str(ROOT / "scripts")])
    env = {**os.environ, "PYTHONPATH": path, "RNNBOOK_OUTPUTS": "lax"}
    start = time.monotonic()
    result = subprocess.run(
        command, cwd=folder, capture_output=True, text=True, timeout=300, env=env
    )
    return result, time.monotonic() - start


def test_a_dead_kernel_is_reported_at_once_naming_notebook_and_cell(tmp_path):
    _notebook(
        tmp_path / "dies.ipynb",
        "x = 1",
        "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)",
        "print(x)",
    )
    # a cell timeout far longer than the test may take: only noticing the death can end it
    result, seconds = _pytest(tmp_path, "--nbval-cell-timeout=250", "dies.ipynb")
    assert result.returncode == 1, result.stdout[-3000:]
    out = result.stdout
    assert "dies.ipynb::Cell 1: the kernel died while running this cell (exit status -9)" in out
    assert "dies.ipynb::Cell 2: not run, the kernel died in dies.ipynb::Cell 1" in out
    assert seconds < 200  # not the cell timeout (250 s); about 10 s on the book's machine


def test_a_stuck_cell_times_out(tmp_path):
    _notebook(tmp_path / "stuck.ipynb", "import time\ntime.sleep(300)", "print(1)")
    result, seconds = _pytest(tmp_path, "--nbval-cell-timeout=3", "stuck.ipynb")
    assert result.returncode == 1
    assert "Timeout of 3 seconds exceeded" in result.stdout
    assert seconds < 200


def test_the_projects_cell_timeout_is_set():
    """nbval's default (2,000 s per cell) would let a stuck notebook hold CI for half an hour."""
    import tomllib

    options = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    timeout = [o for o in options["addopts"] if o.startswith("--nbval-cell-timeout=")]
    assert timeout and 0 < int(timeout[0].split("=")[1]) <= 600
