"""Every command a reader types answers a mistake with one line and a non-zero status, before
anything starts (issue 14): the make targets with their variables, and every script's arguments.

Each case runs the real command in a subprocess (about 1-3 s each) and checks the status, that
the command said exactly one line (besides make's own "make: *** ... Error" and pytest's blank
line), and that the line names what was expected and what arrived.
"""

import os
import signal
import subprocess
import sys

import pytest
from notebook_audit import ROOT

# a make run inside `make test` would inherit the outer command line's variables (ARGS=...)
OUTER = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ARGS", "DIR", "NB", "OUT", "PAGES", "LAB_ARGS"}
ENV = {k: v for k, v in os.environ.items() if k not in OUTER}


def said(command, timeout=60):
    """(exit status, the lines the command said other than make's own). A command still running
    after `timeout` seconds started instead of refusing: it is stopped, with its children."""
    with subprocess.Popen(
        command, cwd=ROOT, env=ENV, text=True, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    ) as process:  # fmt: skip
        try:
            out, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            pytest.fail(f"{' '.join(command)} started instead of refusing ({timeout} s)")
    lines = [line for line in out.splitlines() if line.strip() and not line.startswith("make")]
    return process.returncode, lines


def make(*args):
    return said(["make", "--silent", "--no-print-directory", *args])


def script(name, *args):
    return said([sys.executable, str(ROOT / "scripts" / name), *args])


def one_line(status, lines, *facts):
    assert status != 0
    assert len(lines) == 1, lines
    for fact in facts:
        assert fact in lines[0], (fact, lines[0])
    return lines[0]


def test_make_test_refuses_an_unknown_option_and_a_missing_path():
    one_line(*make("test", "ARGS=--bogus"), "unrecognized arguments: --bogus")
    one_line(*make("test", "ARGS=chapters/nope.ipynb"), "chapters/nope.ipynb")


def test_make_grade_wants_a_folder_of_student_notebooks(tmp_path):
    out = tmp_path / "grades"
    line = one_line(*make("grade", "DIR=rnnbook", f"OUT={out}"), "DIR=", "rnnbook has no notebook")
    assert "student" in line and ".py files" in line, line
    one_line(*make("grade", "DIR=nope", f"OUT={out}"), "DIR=", "nope does not exist")
    one_line(*make("grade", "DIR=README.md", f"OUT={out}"), "DIR=", "README.md is a file")
    (tmp_path / "class" / "ann").mkdir(parents=True)
    (tmp_path / "class" / "ann" / "essay.ipynb").write_text("{}")
    one_line(*make("grade", f"DIR={tmp_path / 'class'}", f"OUT={out}"), "essay.ipynb", "book's")
    assert not out.exists(), "nothing is graded or written before the folder is accepted"
    one_line(*make("grade", "DIR=chapters", "OUT=README.md"), "--out", "README.md is a file")
    one_line(*make("grade", "DIR=chapters", "ARGS=--bogus"), "--bogus")


def test_make_classroom_checks_its_folder_before_building_the_handout(tmp_path):
    one_line(*make("classroom", "DIR=README.md"), "DIR=", "README.md is a file")
    one_line(*make("classroom", "DIR=scripts"), "DIR=", "scripts holds")
    one_line(*make("classroom"), "DIR=", "none was given")
    one_line(*make("classroom", f"DIR={tmp_path / 'new'}", "ARGS=--bogus"), "--bogus")
    assert not (tmp_path / "new").exists()


def test_make_lab_wants_a_folder_of_notebooks_and_options_jupyterlab_knows():
    one_line(*make("lab", "DIR=README.md"), "DIR", "README.md is a file")
    one_line(*make("lab", "DIR=rnnbook"), "DIR", "rnnbook has no .ipynb")
    one_line(*make("lab", "DIR=nope"), "DIR", "nope does not exist")
    one_line(*make("lab", "LAB_ARGS=--bogus"), "LAB_ARGS", "--bogus is not one")
    one_line(*make("lab", "LAB_ARGS=--port"), "LAB_ARGS", "--port")


def test_make_translations_refuses_an_unknown_page_before_writing_anything():
    catalogs = sorted((ROOT / "locales").rglob("*.po"))
    before = [p.stat().st_mtime_ns for p in catalogs]
    one_line(*make("translations", "PAGES=chapters/nope"), "PAGES=", "chapters/nope", "01_neurons")
    assert [p.stat().st_mtime_ns for p in catalogs] == before


def test_make_bench_and_pdf_refuse_before_starting():
    one_line(*make("bench", "ARGS=--units 0"), "--units", "positive", "'0'")
    # a mistyped browser path is refused; it does not set off an apt-get install of Chromium
    one_line(*make("pdf", "CHROMIUM=/opt/no-chromium"), "CHROMIUM=/opt/no-chromium", "no such file")


def test_make_execute_and_kernel_cost_refuse_what_is_not_a_notebook():
    one_line(*make("execute", "NB=README.md"), "README.md", "expected a notebook (.ipynb)")
    one_line(*make("kernel-cost", "NB=README.md"), "notebook (.ipynb)", "README.md")
    one_line(*make("kernel-cost", "ARGS=--rounds 0"), "--rounds", "got 0")


# every runnable script (the others in scripts/ are modules the scripts share)
SCRIPTS = sorted(p.name for p in (ROOT / "scripts").glob("*.py") if "__main__" in p.read_text())


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_answers_an_unknown_option_in_one_line(name):
    # (a script with a required argument names that first)
    one_line(*script(name, "--bogus-option"), f"{name}: error: ", "--help")


@pytest.mark.parametrize(
    ("args", "facts"),
    [
        (["--units", "x"], ["--units", "invalid int value: 'x'", "--help"]),
        (["--bogus-option"], ["unrecognized arguments: --bogus-option"]),
        (["--out", "weights.txt"], ["--out must name an .npz file"]),
    ],
)
def test_the_package_s_long_jobs_answer_a_bad_argument_in_one_line(args, facts):
    command = [sys.executable, "-m", "rnnbook.experiments.pretrain", *args]
    one_line(*said(command), "python -m rnnbook.experiments.pretrain: error: ", *facts)
