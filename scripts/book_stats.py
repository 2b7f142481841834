"""Measure the numbers on the page "How this book is tested" (chapters/testing.md).

    .venv/bin/python scripts/book_stats.py           # runs make test, make book, make browser-test
    .venv/bin/python scripts/book_stats.py --counts  # only what the files say, in a second
    .venv/bin/python scripts/book_stats.py --from-runs  # the tables from runs already made:

        PYTHONPATH=$PWD/scripts PYTEST_ADDOPTS="-p book_stats" \
            make test ARGS="--junitxml=_build/stats/make-test.xml"
        PYTEST_ADDOPTS="--junitxml=_build/stats/browser-test.xml" make browser-test
        .venv/bin/python scripts/book_stats.py --from-runs

It prints Markdown tables to paste into chapters/testing.md, and keeps the logs of the runs in
_build/stats/. While `make test` runs, this module is also loaded into pytest as a plugin
(-p book_stats), where it counts the finite-difference gradient checks each test makes through
`rnnbook.nn.gradcheck` (pytest's user_properties, which the JUnit XML keeps) and collects the
largest difference to Keras that each comparison test records (pytest's record_property).
`make test` itself is run unchanged. --from-runs reads the JUnit XML of both runs, the browser
test's _build/reading-report.json and the PDF's page count (pdfinfo).
"""

import functools
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
# a notebook cell checks a gradient when it takes central differences, through the package or
# written out as (f(a + eps) - f(a - eps)) / (2 * eps), and asserts the result
NOTEBOOK_GRADCHECK = re.compile(r"\bgradcheck\.(check|numerical_gradient)\(|/\s*\(2 \* eps\)")
# the tests of the checker itself call it on purpose with wrong gradients; they check no model
NOT_A_MODEL_CHECK = "tests/test_gradcheck.py"


# --- the pytest plugin -------------------------------------------------------------------------

_count = {"depth": 0, "calls": 0, "worst": 0.0}


def _counted(fn, returns_error):
    # wraps: the counted function keeps its name, module and signature, so that tests which
    # list the package's functions (test_argument_order) still find it
    @functools.wraps(fn)
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
    # loaded only on request (-p book_stats), so count whenever loaded
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
    test_xml = LOGS / "make-test.xml"
    test_xml.unlink(missing_ok=True)
    # set up the environment first, so that no install is timed
    timed(["make", "book"], LOGS / "warm-up.log")

    env = dict(os.environ)
    env["PYTEST_ADDOPTS"] = (env.get("PYTEST_ADDOPTS", "") + " -p book_stats").strip()
    paths = [str(ROOT / "scripts"), env.get("PYTHONPATH")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    # the plugin's counts reach the JUnit XML as user properties, as for --from-runs
    command = ["make", "test", f"ARGS=--junitxml={test_xml}"]
    test_seconds, test_output = timed(command, LOGS / "make-test.log", env)
    records, _ = junit_records(test_xml)

    for built in ("html", ".doctrees", "jupyter_execute"):
        subprocess.run(["rm", "-rf", str(ROOT / "_build" / built)], check=True)
    book_seconds, _ = timed(["make", "book"], LOGS / "make-book.log")
    browser_seconds, browser_output = timed(["make", "browser-test"], LOGS / "browser-test.log")

    return {
        "make test": f"{test_seconds:.0f} s ({closing_line(test_output)})",
        **numbers_of_tests(records),
        "make book (clean build)": f"{book_seconds:.0f} s",
        "make browser-test": f"{browser_seconds:.0f} s ({closing_line(browser_output)})",
    }


def junit_records(path):
    """pytest_runtest_logreport's records, from a run's JUnit XML file: (records, summary)."""
    import xml.etree.ElementTree as ET

    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    records, summary = [], {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "time": 0.0}
    for suite in suites:
        for key in summary:
            summary[key] += type(summary[key])(suite.get(key, 0))
        for case in suite.iter("testcase"):
            if case.find("skipped") is not None:
                continue
            # pytest's node id back from the classname: tests.test_x -> tests/test_x.py
            module = case.get("classname", "")
            if module.endswith(".ipynb"):
                module = module.removesuffix(".ipynb").replace(".", "/") + ".ipynb"
            else:
                module = module.replace(".", "/") + ".py"
            nodeid = f"{module}::{case.get('name', '')}"
            props = [(p.get("name"), p.get("value")) for p in case.iter("property")]
            named = dict(props)
            records.append(
                {
                    "id": nodeid,
                    "outcome": "failed" if case.find("failure") is not None else "passed",
                    "gradchecks": int(named.get("gradchecks", 0)),
                    "gradcheck_worst": float(named.get("gradcheck_worst", 0.0)),
                    "keras": [float(v) for k, v in props if k == "largest_difference_to_keras"],
                    "dtype": "float32" if "float32" in nodeid else "float64",
                }
            )
    return records, summary


def closing_counts(summary):
    """The counts of a run as pytest's closing line says them ('1069 passed, 2 skipped in 121s')."""
    bad = summary["failures"] + summary["errors"]
    passed = summary["tests"] - bad - summary["skipped"]
    parts = [f"{passed} passed"]
    parts += [f"{summary['failures']} failed"] if summary["failures"] else []
    parts += [f"{summary['errors']} errors"] if summary["errors"] else []
    parts += [f"{summary['skipped']} skipped"] if summary["skipped"] else []
    return f"{', '.join(parts)} in {summary['time']:.0f} s"


def numbers_of_tests(records):
    """The rows of the test run (model gradient checks only: not the checker's own tests)."""
    model_checks = [
        r for r in records if r["gradchecks"] and not r["id"].startswith(NOT_A_MODEL_CHECK)
    ]
    keras = {"float64": [], "float32": []}
    for r in records:
        keras[r["dtype"]].extend(r["keras"])
    return {
        "tests run by make test": len(records),
        "nbval cell tests": sum(".ipynb::" in r["id"] for r in records),
        "unit tests": sum(".ipynb::" not in r["id"] for r in records),
        "unit tests with a gradient check": len(model_checks),
        "gradient checks in unit tests": sum(r["gradchecks"] for r in model_checks),
        "largest gradient-check relative error": max(
            (r["gradcheck_worst"] for r in model_checks), default=float("nan")
        ),
        "Keras comparisons recorded": sum(map(len, keras.values())),
        "largest difference to Keras, float64": max(keras["float64"], default=float("nan")),
        "largest difference to Keras, float32": max(keras["float32"], default=float("nan")),
    }


def reading_numbers(report_path, pdf_path):
    """The table of "The page as a reader sees it", from the browser test's reading-report.json."""
    report = json.loads(Path(report_path).read_text())
    pages = report["pages"]
    if not pages:
        sys.exit(f"{report_path} lists no page: run `make browser-test` first")

    def total(*keys):
        return sum(numbers[k] for numbers in pages.values() for k in keys)

    chinese = sum(p.startswith("zh/") for p in pages)
    # a run of part of the browser test (-k) writes a report of its pages only; the pages not
    # measured on purpose are the start pages (redirects) and the search page (no article)
    html = Path(pdf_path).parent
    built = {
        p.relative_to(html).as_posix()
        for p in html.rglob("*.html")
        if "_static" not in p.parts and p.name not in ("index.html", "search.html")
    }
    if built - set(pages):
        sys.exit(
            f"{report_path} does not hold {sorted(built - set(pages))[:3]}...: it is from a run"
            " of part of the browser test; run the whole `make browser-test`"
        )

    def per_edition(*keys):
        both = total(*keys)
        return f"{both // 2} in each edition" if both % 2 == 0 else f"{both} in both editions"

    pdf = "no PDF: run `make pdf`"
    if Path(pdf_path).is_file():
        info = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True, check=True)
        pages_of_pdf = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1)
        pdf = f"{pages_of_pdf} A4 pages"
    return {
        "pages checked": f"{len(pages) - chinese} English, and the Chinese edition's {chinese}",
        "elements wider than the column, 1280 and 768 px": total(
            "overflowing elements at 1280 px", "overflowing elements at 768 px"
        ),
        "figures checked (at 1280 px)": per_edition("figures"),
        "figures shown below 80% of their drawn size": total("figures scaled below 80%"),
        "figures whose alt text is a file name": total("figures without alt text"),
        f"axe-core {report.get('axe', '')} critical or serious violations": total(
            "axe critical or serious violations"
        ),
        "axe-core violations of any impact (elements, all pages)": total(
            "axe violations of any impact"
        ),
        "formulas that are keyboard stops": total("formulas that are tab stops"),
        "PDF (`make pdf`)": pdf,
    }


def from_runs(test_xml, browser_xml, report_path, pdf_path):
    """Both tables of chapters/testing.md from runs already made (see the module's docstring)."""
    for path in (test_xml, browser_xml):
        if not Path(path).is_file():
            sys.exit(f"no {path}: make the runs first (.venv/bin/python {__file__} --help)")
    records, summary = junit_records(test_xml)
    if not any(r["gradchecks"] for r in records):
        sys.exit(f"{test_xml} counts no gradient check: was make test run with -p book_stats?")
    _, browser = junit_records(browser_xml)
    numbers = {"make test (pytest's own time)": closing_counts(summary)}
    numbers |= numbers_of_tests(records)
    numbers["make browser-test (pytest's own time)"] = closing_counts(browser)
    return numbers, reading_numbers(report_path, pdf_path)


def table(numbers):
    lines = ["| what | number |", "|---|---|"]
    for key, value in numbers.items():
        shown = f"{value:.1e}" if isinstance(value, float) else value
        lines.append(f"| {key} | {shown} |")
    return "\n".join(lines)


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


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true", help="only count, run nothing")
    parser.add_argument(
        "--from-runs",
        action="store_true",
        help="print the page's tables from runs already made (their JUnit XML, reading report)",
    )
    parser.add_argument("--test-xml", default=str(LOGS / "make-test.xml"), help="for --from-runs")
    parser.add_argument(
        "--browser-xml", default=str(LOGS / "browser-test.xml"), help="for --from-runs"
    )
    args = parser.parse_args(argv)
    if args.counts and args.from_runs:
        parser.error("give --counts or --from-runs, not both")
    numbers = counts_from_files()
    reading = None
    if args.from_runs:
        runs, reading = from_runs(
            args.test_xml,
            args.browser_xml,
            ROOT / "_build" / "reading-report.json",
            ROOT / "_build" / "html" / "rnnbook.pdf",
        )
        numbers |= runs
        when = time.strftime("%Y-%m-%d", time.gmtime(Path(args.test_xml).stat().st_mtime))
    else:
        if not args.counts:
            numbers |= measure_runs()
        when = time.strftime("%Y-%m-%d")
    numbers["measured on"] = f"{when}, {machine()}"
    print(table(numbers))
    if reading:
        print("\nThe page as a reader sees it:\n")
        print(table(reading))


if __name__ == "__main__":
    main()
