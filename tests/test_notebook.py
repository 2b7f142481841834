import os
import platform
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest
from threadpoolctl import threadpool_info

from rnnbook import jobs, notebook, plotting


def test_setup_sets_printing_style_and_one_blas_thread_and_finds_the_data():
    printing = np.get_printoptions()
    style = {key: mpl.rcParams[key] for key in plotting.BOOK_STYLE}
    try:
        mpl.rcParams.update(mpl.rcParamsDefault)
        np.set_printoptions(precision=8, suppress=False)
        done = notebook.setup()
        assert np.get_printoptions()["precision"] == 4 and np.get_printoptions()["suppress"]
        assert repr(np.array([1e-9, 0.123456])) == "array([0.    , 0.1235])"
        # (rcParams gives a tuple back as a list)
        assert all(
            mpl.rcParams[key] == (list(value) if isinstance(value, tuple) else value)
            for key, value in plotting.BOOK_STYLE.items()
        )
        blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
        assert blas and all(info["num_threads"] == 1 for info in blas)
        assert done.data == jobs.data_path("charlm_surnames.npz").parent
        assert (done.data / "charlm_surnames.npz").is_file()
    finally:
        done.blas.restore_original_limits()
        np.set_printoptions(**printing)
        mpl.rcParams.update(style)


def kernels_held(**env):
    """notebook.stored_kernels() in a fresh Python with `env` (the kernels are chosen at import)."""
    code = "from rnnbook import notebook; print(notebook.stored_kernels())"
    env = {**os.environ, **env}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the stored runs were made on x86-64")
def test_stored_kernels_needs_numpy_and_openblas_held_to_avx2():
    makefile = {
        "OPENBLAS_CORETYPE": "Haswell",
        "NPY_DISABLE_CPU_FEATURES": " ".join(notebook.HELD_OFF),
    }
    assert kernels_held(**makefile)
    assert not kernels_held(**{**makefile, "OPENBLAS_CORETYPE": "Prescott"})  # other BLAS kernels
    if "avx512f" in Path("/proc/cpuinfo").read_text():  # NumPy's own AVX-512 kernels
        assert not kernels_held(**{**makefile, "NPY_DISABLE_CPU_FEATURES": ""})
