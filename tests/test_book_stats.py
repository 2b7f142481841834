"""scripts/book_stats.py --from-runs: the tables of chapters/testing.md from runs already made."""

import inspect
import json
import os
import subprocess
import sys

import book_stats
import pytest
from notebook_audit import ROOT

TESTS = """
import numpy as np
import pytest
from rnnbook.nn import gradcheck


def test_a_model_gradient(record_property):
    w = np.array([1.0, 2.0])
    assert gradcheck.check(lambda: float(np.sum(w**3)), w, 3 * w**2) < 1e-7
    record_property("largest_difference_to_keras", 2.5e-15)


@pytest.mark.parametrize("dtype", ["float32"])
def test_keras(record_property, dtype):
    record_property("largest_difference_to_keras", 1.5e-06)


def test_skipped():
    pytest.skip("not here")
"""


@pytest.fixture(scope="module")
def test_xml(tmp_path_factory):
    """A real pytest run with the plugin loaded, writing JUnit XML, as the page's command does."""
    folder = tmp_path_factory.mktemp("run")
    (folder / "test_tiny.py").write_text(TESTS)
    xml = folder / "run.xml"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "scripts"), str(ROOT)]))
    env["PYTEST_ADDOPTS"] = f"-p book_stats --junitxml={xml}"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", "test_tiny.py"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return xml


def test_the_junit_xml_of_a_run_gives_the_counts(test_xml):
    records, summary = book_stats.junit_records(test_xml)
    assert book_stats.closing_counts(summary).startswith("2 passed, 1 skipped in ")
    numbers = book_stats.numbers_of_tests(records)
    assert numbers["tests run by make test"] == 2
    assert numbers["unit tests with a gradient check"] == 1
    assert numbers["gradient checks in unit tests"] == 1
    assert 0 < numbers["largest gradient-check relative error"] < 1e-7
    assert numbers["Keras comparisons recorded"] == 2
    # float32 is told by the test's id (its parameters)
    assert numbers["largest difference to Keras, float64"] == 2.5e-15
    assert numbers["largest difference to Keras, float32"] == 1.5e-06


def test_the_reading_report_gives_the_readers_table(tmp_path):
    page = {
        "overflowing elements at 1280 px": 1,
        "overflowing elements at 768 px": 2,
        "figures": 3,
        "figures scaled below 80%": 0,
        "figures without alt text": 1,
        "axe critical or serious violations": 0,
        "axe violations of any impact": 4,
        "formulas that are tab stops": 0,
    }
    report = tmp_path / "reading-report.json"
    pages = {"intro.html": page, "chapters/a.html": page, "zh/intro.html": page}
    report.write_text(json.dumps({"axe": "4.14.1", "pages": pages}))
    numbers = book_stats.reading_numbers(report, tmp_path / "no.pdf")
    assert numbers["pages checked"] == "2 English, and the Chinese edition's 1"
    assert numbers["elements wider than the column, 1280 and 768 px"] == 9
    assert numbers["figures whose alt text is a file name"] == 3
    assert numbers["axe-core 4.14.1 critical or serious violations"] == 0
    assert numbers["PDF (`make pdf`)"].startswith("no PDF")
    assert numbers["figures checked (at 1280 px)"] == "9 in both editions"
    # a page of the built book that the report lacks: a run of part of the browser test
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "b.html").write_text("<article></article>")
    with pytest.raises(SystemExit, match="chapters/b.html"):
        book_stats.reading_numbers(report, tmp_path / "no.pdf")
    report.write_text(json.dumps({"pages": {}}))
    with pytest.raises(SystemExit, match="make browser-test"):
        book_stats.reading_numbers(report, tmp_path / "no.pdf")


def test_node_ids_come_back_from_the_classnames_and_the_checkers_own_tests_are_left_out(tmp_path):
    xml = tmp_path / "run.xml"
    xml.write_text(
        '<testsuites><testsuite tests="3" time="2.0">'
        '<testcase classname="chapters.05_bptt.ipynb" name="Cell 0"/>'
        '<testcase classname="tests.test_gradcheck" name="test_wrong"><properties>'
        '<property name="gradchecks" value="1"/><property name="gradcheck_worst" value="0.02"/>'
        "</properties></testcase>"
        '<testcase classname="tests.test_bptt" name="test_right"><properties>'
        '<property name="gradchecks" value="2"/><property name="gradcheck_worst" value="1e-9"/>'
        "</properties></testcase></testsuite></testsuites>"
    )
    records, _ = book_stats.junit_records(xml)
    assert [r["id"] for r in records] == [
        "chapters/05_bptt.ipynb::Cell 0",
        "tests/test_gradcheck.py::test_wrong",
        "tests/test_bptt.py::test_right",
    ]
    numbers = book_stats.numbers_of_tests(records)
    assert numbers["nbval cell tests"] == 1 and numbers["unit tests"] == 2
    assert numbers["gradient checks in unit tests"] == 2
    assert numbers["largest gradient-check relative error"] == 1e-9


def test_from_runs_refuses_a_run_without_the_plugin(tmp_path):
    xml = tmp_path / "run.xml"
    xml.write_text(
        '<testsuites><testsuite tests="1" time="1.0"><testcase classname="t" name="a"/>'
        "</testsuite></testsuites>"
    )
    with pytest.raises(SystemExit, match="-p book_stats"):
        book_stats.from_runs(xml, xml, tmp_path / "r.json", tmp_path / "no.pdf")


def test_the_counted_gradient_check_looks_like_the_original():
    """Counting must not hide gradcheck's functions from tests that list the package's functions."""
    from rnnbook.nn import gradcheck

    counted = book_stats._counted(gradcheck.check, returns_error=True)
    assert counted.__module__ == gradcheck.check.__module__ == "rnnbook.nn.gradcheck"
    assert counted.__name__ == "check"
    assert inspect.signature(counted) == inspect.signature(gradcheck.check)
