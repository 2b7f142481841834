"""scripts/test_report.py: what the weekly newest-versions run says changed."""

import test_report

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest">
<testcase classname="chapters.05_bptt.ipynb" name="Cell 6">
<failure message="Notebook cell execution failed">Cell 6: Cell outputs differ
 mismatch 'stdout'</failure></testcase>
<testcase classname="chapters.05_bptt.ipynb" name="Cell 9">
<failure message="Notebook cell execution failed">Cell 9: Cell execution caused an exception
AssertionError</failure></testcase>
<testcase classname="tests.test_optim" name="test_adam">
<failure message="assert 1 == 2">x</failure></testcase>
<testcase classname="tests.test_optim" name="test_sgd"/>
</testsuite></testsuites>
"""


def test_changed_raised_and_other_failures_are_told_apart(tmp_path, capsys):
    report = tmp_path / "report.xml"
    report.write_text(REPORT)
    changed, raised, other = test_report.classify(report)
    assert changed == ["chapters/05_bptt.ipynb::Cell 6 (stdout)"]
    assert raised == ["chapters/05_bptt.ipynb::Cell 9"]
    assert other == ["tests.test_optim::test_adam"]
    assert test_report.main([str(report)]) == 1
    assert "1 notebook cells print something else" in capsys.readouterr().out


def test_lock_changes_see_versions_split_by_python(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("numpy==2.4.6 \\\n    --hash=sha256:00\nkeras==3.15.1 \\\n")
    new.write_text(
        "numpy==2.4.6 ; python_full_version < '3.12' \\\n"
        "numpy==2.5.5 ; python_full_version >= '3.12' \\\nkeras==3.15.1 \\\n"
    )
    assert test_report.lock_changes(old, new) == [
        "- numpy: 2.4.6 -> 2.4.6 (python_full_version < '3.12'), "
        "2.5.5 (python_full_version >= '3.12')"
    ]
