"""What the first code cell of every chapter from 4 on sets up, in one call: `notebook.setup()`;
and whether this machine computes as the one that made the stored runs: `stored_kernels()`."""

import platform
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

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


# the CPU features the Makefile holds NumPy off (NPY_DISABLE_CPU_FEATURES): AVX-512 kernels round
# differently from the AVX2 ones that made the stored outputs
HELD_OFF = ("X86_V4", "AVX512_ICL", "AVX512_SPR")


def stored_kernels():
    """True on the kernels that made the stored runs: x86-64, NumPy and OpenBLAS held to AVX2.

    A chaotic training run amplifies a last-bit difference of rounding, so a chapter asserts its
    exact trained values only where this holds; its claims are asserted on any CPU.
    """
    cpu = np._core._multiarray_umath.__cpu_features__
    blas = {
        info.get("architecture")
        for info in threadpool_info()
        if info.get("internal_api") == "openblas" and "numpy" in info.get("filepath", "")
    }
    return (
        platform.machine() == "x86_64"
        and not any(cpu.get(name) for name in HELD_OFF)
        and blas <= {"Haswell"}
    )
