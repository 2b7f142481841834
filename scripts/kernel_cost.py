"""What holding NumPy and OpenBLAS to their AVX2 kernels (the Makefile does) costs in time.

    .venv/bin/python scripts/kernel_cost.py chapters/05_bptt.ipynb [--rounds 3]

Executes the notebook in a fresh kernel with the CPU's own kernels ("native") and with the
Makefile's settings ("held"), taking turns so that both see the same load, and prints the wall
time of every run and the ratio of the medians. On a CPU without AVX-512 the two are the same.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HELD = {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
RUN = """
import sys, nbclient, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
nbclient.NotebookClient(nb, timeout=600, resources={"metadata": {"path": "chapters"}}).execute()
"""


def run(notebook, held):
    env = {key: value for key, value in os.environ.items() if key not in HELD}
    env.update(HELD if held else {})
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, notebook], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times = {"native": [], "held": []}
    for _ in range(args.rounds):
        for name in times:
            times[name].append(run(args.notebook, held=name == "held"))
            print(f"{name:7} {times[name][-1]:6.1f} s", flush=True)
    native, held = (statistics.median(times[name]) for name in ("native", "held"))
    print(f"median: native {native:.1f} s, held {held:.1f} s, held / native {held / native:.2f}")


if __name__ == "__main__":
    main()
