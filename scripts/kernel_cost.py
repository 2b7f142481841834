"""What holding NumPy and OpenBLAS to their AVX2 kernels (the Makefile does) costs in time.

    make kernel-cost NB=chapters/05_bptt.ipynb [ARGS="--rounds 5"]

Executes the notebook in a fresh kernel with the CPU's own kernels ("native") and with the
Makefile's settings ("held"), taking turns so that both see the same load, and prints the wall
time of every run and the ratio of the medians. On a CPU without AVX-512 the two are the same.
"""

import os
import statistics
import subprocess
import sys
import time

import cli

# the Makefile sets these and is the one place that says what they hold
HELD_NAMES = ("OPENBLAS_CORETYPE", "NPY_DISABLE_CPU_FEATURES")
SCRIPTS = os.path.dirname(os.path.abspath(__file__))  # where RUN finds kernels.py
RUN = """
import sys, pathlib, kernels, nbformat
nb = nbformat.read(sys.argv[1], as_version=4)
kernels.client(nb, pathlib.Path(sys.argv[1]).parent, timeout=600).execute()
"""


def run(notebook, held):
    """Wall time of one execution, with the Makefile's settings (`held`, a dict) or without."""
    env = {key: value for key, value in os.environ.items() if key not in HELD_NAMES}
    env.update(held)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [SCRIPTS, env.get("PYTHONPATH")]))
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, notebook], env=env, capture_output=True)
    if done.returncode:
        last = (done.stderr.decode(errors="replace").strip().splitlines() or ["no message"])[-1]
        sys.exit(f"{notebook} failed to run ({'held' if held else 'native'} kernels): {last}")
    return time.perf_counter() - start


def main():
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.notebook.endswith(".ipynb") or not os.path.isfile(args.notebook):
        parser.error(f"expected a notebook (.ipynb) that exists; got {args.notebook!r}")
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1; got {args.rounds}")
    held = {name: os.environ[name] for name in HELD_NAMES if name in os.environ}
    if len(held) < len(HELD_NAMES):
        sys.exit(f"expected {', '.join(HELD_NAMES)} in the environment: run `make kernel-cost`")
    times = {"native": [], "held": []}
    for _ in range(args.rounds):
        for name in times:
            times[name].append(run(args.notebook, held if name == "held" else {}))
            print(f"{name:7} {times[name][-1]:6.1f} s", flush=True)
    native, held = (statistics.median(times[name]) for name in ("native", "held"))
    print(f"median: native {native:.1f} s, held {held:.1f} s, held / native {held / native:.2f}")


if __name__ == "__main__":
    main()
