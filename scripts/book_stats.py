"""Measure the numbers on the page "How this book is tested" (chapters/testing.md).

    .venv/bin/python scripts/book_stats.py           # runs make test, make book, make browser-test
    .venv/bin/python scripts/book_stats.py --counts  # only what the files say, in a second

It prints a Markdown table to paste into chapters/testing.md, and keeps the logs of the runs in
_build/stats/. While `make test` runs, this module is also loaded into pytest as a plugin
(PYTEST_ADDOPTS="-p book_stats"), where it counts the finite-difference gradient checks each test
makes through `rnnbook.nn.gradcheck` and collects the largest difference to Keras that each
comparison test records (pytest's record_property). `make test` itself is run unchanged.
"""

import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import cli
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "_build" / "stats"
RESULTS_ENV = "RNNBOOK_STATS_JSON"
# a notebook cell checks a gradient when it takes central differences, through the package or
# written out as (f(a + eps) - f(a - eps)) / (2 * eps), and asserts the result
NOTEBOOK_GRADCHECK = re.compile(r"\bgradcheck\.(check|numerical_gradient)\(|/\s*\(2 \* eps\)")
# the tests of the checker itself call it on purpose with wrong gradients; they check no model
NOT_A_MODEL_CHECK = "tests/test_gradcheck.py"


# --- the pytest plugin -------------------------------------------------------------------------

_count = {"depth": 0, "calls": 0, "worst": 0.0}
_records = []


def _counted(fn, returns_error):
    def wrapper(*args, **kwargs):
        outermost = _count["depth"] == 0
        _count["depth"] += 1
        try:
            result = fn(*args, **kwargs)
        finally:
            _count["depth"] -= 1
        if outermost:
            _count["calls"] += 1
            if returns_error:
                _count["worst"] = max(_count["worst"], float(result))
        return result

    return wrapper


def pytest_configure(config):
    if RESULTS_ENV not in os.environ:
        return
    from rnnbook.nn import gradcheck

    gradcheck.check = _counted(gradcheck.check, returns_error=True)
    gradcheck.numerical_gradient = _counted(gradcheck.numerical_gradient, returns_error=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    calls, worst = _count["calls"], _count["worst"]
    _count["worst"] = 0.0
    yield
    item.user_properties.append(("gradchecks", _count["calls"] - calls))
    item.user_properties.append(("gradcheck_worst", _count["worst"]))
    _count["worst"] = max(worst, _count["worst"])


def pytest_runtest_logreport(report):
    """Runs where the results are gathered (the controller, under pytest-xdist)."""
    if RESULTS_ENV not in os.environ or report.when != "call":
        return
    props = dict(report.user_properties)
    keras = [float(v) for k, v in props.items() if k == "largest_difference_to_keras"]
    _records.append(
        {
            "id": report.nodeid,
            "outcome": report.outcome,
            "gradchecks": props.get("gradchecks", 0),
            "gradcheck_worst": props.get("gradcheck_worst", 0.0),
            "keras": keras,
            "dtype": "float32" if "float32" in report.nodeid else "float64",
        }
    )


def pytest_sessionfinish(session):
    if RESULTS_ENV in os.environ and not hasattr(session.config, "workerinput"):
        Path(os.environ[RESULTS_ENV]).write_text(json.dumps(_records))


# --- the measurements ----------------------------------------------------------------------------


def counts_from_files():
    """What the committed notebooks say, without running anything."""
    import nbformat
    import notebook_audit

    notebooks = notebook_audit.toc_notebooks()
    total, compared, opted_out, silent = notebook_audit.comparison_counts(notebooks)
    gradcheck_cells = 0
    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            source = cell.source if cell.cell_type == "code" else ""
            if NOTEBOOK_GRADCHECK.search(source) and re.search(r"^\s*assert\b", source, re.M):
                gradcheck_cells += 1
    return {
        "notebooks": len(notebooks),
        "code cells": total,
        "cells compared by nbval": compared,
        "cells opted out": opted_out,
        "cells that print nothing": silent,
        "notebook cells with a gradient check": gradcheck_cells,
    }


def timed(command, log, env=None):
    """Run `command` in the repository, its output into `log`; (seconds, output). Fails loudly."""
    start = time.perf_counter()
    with open(log, "w") as out:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    output = Path(log).read_text()
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed (exit {done.returncode}); see {log}")
    return seconds, output


def closing_line(output):
    """pytest's last summary line ('412 passed, 3 skipped in 250.01s')."""
    lines = [line.strip("= ") for line in output.splitlines() if re.search(r"\d+ passed", line)]
    return lines[-1] if lines else "(no pytest summary found)"


def measure_runs():
    LOGS.mkdir(parents=True, exist_ok=True)
    results_file = LOGS / "make-test.json"
    results_file.unlink(missing_ok=True)
    # set up the environment first, so that no install is timed
    timed(["make", "book"], LOGS / "warm-up.log")

    env = dict(os.environ)
    env[RESULTS_ENV] = str(results_file)
    env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p book_stats").strip()
    paths = [str(ROOT / "scripts"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    test_seconds, test_output = timed(["make", "test"], LOGS / "make-test.log", env)
    records = json.loads(results_file.read_text())

    for built in ("html", ".doctrees", "jupyter_execute"):
        subprocess.run(["rm", "-rf", str(ROOT / "_build" / built)], check=True)
    book_seconds, _ = timed(["make", "book"], LOGS / "make-book.log")
    browser_seconds, browser_output = timed(["make", "browser-test"], LOGS / "browser-test.log")

    model_checks = [
        r for r in records if r["gradchecks"] and not r["id"].startswith(NOT_A_MODEL_CHECK)
    ]
    keras = {"float64": [], "float32": []}
    for r in records:
        keras[r["dtype"]].extend(r["keras"])
    return {
        "make test": f"{test_seconds:.0f} s ({closing_line(test_output)})",
        "tests run by make test": len(records),
        "nbval cell tests": sum(".ipynb::" in r["id"] for r in records),
        "unit tests": sum(".ipynb::" not in r["id"] for r in records),
        "unit tests with a gradient check": len(model_checks),
        "gradient checks in unit tests": sum(r["gradchecks"] for r in model_checks),
        "largest gradient-check relative error": max(
            (r["gradcheck_worst"] for r in model_checks), default=float("nan")
        ),
        "Keras comparisons printed": sum(map(len, keras.values())),
        "largest difference to Keras, float64": max(keras["float64"], default=float("nan")),
        "largest difference to Keras, float32": max(keras["float32"], default=float("nan")),
        "make book (clean build)": f"{book_seconds:.0f} s",
        "make browser-test": f"{browser_seconds:.0f} s ({closing_line(browser_output)})",
    }


def machine():
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main():
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true", help="only count, run nothing")
    args = parser.parse_args()
    numbers = counts_from_files()
    if not args.counts:
        numbers |= measure_runs()
    numbers["measured on"] = f"{time.strftime('%Y-%m-%d')}, {machine()}"
    print("| what | number |\n|---|---|")
    for key, value in numbers.items():
        shown = f"{value:.1e}" if isinstance(value, float) else value
        print(f"| {key} | {shown} |")


if __name__ == "__main__":
    main()
