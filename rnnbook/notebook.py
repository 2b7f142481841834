"""What the first code cell of every chapter from 4 on sets up, in one call: `notebook.setup()`."""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnnbook import jobs, plotting


@dataclass(frozen=True)
class Setup:
    """What a chapter gets back from `setup`."""

    blas: object  # threadpoolctl's limiter: blas.restore_original_limits() undoes the limit
    data: Path  # the book's data/ folder, where the long runs' stored results are


def setup():
    """Short, stable printing of arrays, the book's figure style and one BLAS thread.

    One BLAS thread, because the chapters multiply small matrices: on the book's 2-core machine
    a second thread made the character LSTM only 1.2 times as fast when the machine was quiet,
    for twice the CPU time, and more than ten times slower when another job kept the second core
    busy (the page "How fast is it?", chapters/speed.md).
    """
    np.set_printoptions(precision=4, suppress=True)
    plotting.use_book_style()
    blas = threadpool_limits(limits=1, user_api="blas")
    return Setup(blas=blas, data=jobs.data_path("README.md").parent)
