import matplotlib as mpl
import numpy as np
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
