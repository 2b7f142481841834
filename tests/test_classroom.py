"""`make classroom`: the students' repository has the handout and a CI that grades, nothing more."""

import json
import os
import subprocess
import sys

import classroom
import grade
import nbformat
import numpy as np
import pytest
import solutions
import students
import yaml
from notebook_audit import ROOT, toc_notebooks

from rnnbook.checks import recorded
from rnnbook.checks.core import ExerciseError

REPOSITORY = "https://github.com/a-course/rnnbook"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
EXERCISES = grade.load_manifest()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    dest = tmp_path_factory.mktemp("classroom") / "students"
    course = dest.parent / "course.toml"
    course.write_text('[points]\n"ch05.rnn_step_backward" = 3\n')
    classroom.build(dest, grader_repository=REPOSITORY, grader_commit=COMMIT, course=course)
    return dest


def files(dest):
    return sorted(str(p.relative_to(dest)) for p in dest.rglob("*") if p.is_file())


def test_the_repository_holds_the_handout_and_no_solutions_tests_or_instructors_page(repo):
    names = files(repo)
    assert sorted(p.name for p in (repo / "chapters").iterdir()) == [
        p.name for p in toc_notebooks()
    ]
    assert not [n for n in names if n.startswith("tests/") or "test_checks" in n]
    assert not [n for n in names if "instructors" in n or n in {"_config.yml", "_toc.yml"}]
    assert {"LICENSE", "pyproject.toml", "Makefile", "README.md", "scripts/grade.py"} <= set(names)
    for path in (repo / "chapters").iterdir():
        nb = nbformat.read(path, as_version=4)
        tags = {t for c in nb.cells for t in c.metadata.get("tags", [])}
        assert "solution" not in tags and "exercise" in tags
        assert not any("{solution}" in c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_checkers_hold_recorded_outputs_not_reference_code(repo):
    checks = repo / "rnnbook" / "checks"
    for module in {e["checker"].split(".")[0] for e in EXERCISES}:
        source = (checks / f"{module}.py").read_text()
        assert "def " not in source and "import numpy" not in source, module
    # checker-only references of the chapters are not handed out anywhere in the package
    package = "\n".join(p.read_text() for p in (repo / "rnnbook").rglob("*.py"))
    for reference in ["def _gru_step_original", "def _scale_to_radius", "def _hidden_reference"]:
        assert reference not in package
    assert sorted(p.name for p in (checks / "recorded").glob("*.json")) == sorted(
        f"{e['id']}.json" for e in EXERCISES
    )


def perturbed(value):
    """A slightly wrong answer of the same shape."""
    if isinstance(value, dict):
        return {k: perturbed(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return type(value)(perturbed(v) for v in value)
    return np.asarray(value) + 0.01 + 0.01 * np.asarray(value)


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e["id"] for e in EXERCISES])
def test_recorded_checkers_pass_the_solution_and_fail_a_wrong_answer(repo, exercise):
    check = recorded.checker(exercise["id"], repo / "rnnbook" / "checks" / "recorded")
    solution = solutions.load(exercise["notebook"], exercise["function"])
    check(solution)
    with pytest.raises(ExerciseError):
        check(lambda *args, **kwargs: perturbed(solution(*args, **kwargs)))


def test_the_workflow_grades_with_the_pinned_grader_and_nothing_else(repo):
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "grade.yml").read_text())
    (job,) = workflow["jobs"].values()
    text = json.dumps(job)
    assert "make book" not in text and "pages" not in text.lower()
    assert "bash .ci/run" in text
    save = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/cache/save"))
    assert save["if"].startswith("always()"), "the cache is saved when grading fails too"
    assert (
        (repo / ".ci" / "grader.env")
        .read_text()
        .endswith(f"GRADER_REPOSITORY={REPOSITORY}\nGRADER_COMMIT={COMMIT}\n")
    )
    assert os.access(repo / ".ci" / "run", os.X_OK)
    tests = json.loads((repo / ".github" / "classroom" / "autograding.json").read_text())["tests"]
    assert [t["name"] for t in tests] == [e["id"] for e in EXERCISES]
    assert tests[0]["setup"].startswith("bash .ci/run")
    assert all(
        t["run"].startswith(".grader/.venv/bin/python .grader/scripts/grade.py") for t in tests
    )
    points = {t["name"]: t["points"] for t in tests}
    assert points.pop("ch05.rnn_step_backward") == 3 and set(points.values()) == {1}


def test_grade_autograding_by_default_writes_what_the_students_repository_runs(tmp_path):
    """grade.py --autograding, as chapters/instructors.md gives it, writes classroom's file: the
    setup runs .ci/run, each test asks the grader's own Python (a runner's python3 has no NumPy)."""
    course = tmp_path / "course.toml"
    course.write_text('[points]\n"ch05.rnn_step_backward" = 3\n')
    config = tmp_path / "autograding.json"
    assert grade.main(["--autograding", str(config), "--course", str(course)]) == 0
    tests = json.loads(config.read_text())["tests"]
    assert tests[0]["setup"] == "bash .ci/run > grades.log 2>&1 || true"
    assert all(
        t["run"].startswith(".grader/.venv/bin/python .grader/scripts/grade.py --passed ")
        for t in tests
    )
    assert {t["name"]: t["points"] for t in tests}["ch05.rnn_step_backward"] == 3


def test_classroom_refuses_a_course_file_that_is_not_there(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        classroom.main([str(tmp_path / "new"), "--check", "--course", str(tmp_path / "no.toml")])
    assert stop.value.code == 2
    assert "--course must be a course.toml file" in capsys.readouterr().err


def test_the_students_self_check_runs_on_their_copy(repo, tmp_path):
    """The students' own scripts/grade.py with their recorded checkers: chapter 1 done right."""
    chapters = tmp_path / "chapters"
    chapters.mkdir()
    ch01 = ROOT / "chapters" / "01_neurons.ipynb"
    nbformat.write(students.correct(ch01), chapters / ch01.name)
    env = {**os.environ, "PYTHONPATH": str(repo)}  # their rnnbook, in the grader and the kernel
    where = "import rnnbook.checks.ch01 as m; print(m.__file__)"
    found = subprocess.run(
        [sys.executable, "-c", where], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert found.stdout.strip() == str(repo / "rnnbook" / "checks" / "ch01.py")
    done = subprocess.run(
        [sys.executable, str(repo / "scripts" / "grade.py"), str(chapters)]
        + ["--select", "ch01.*", "--out", str(tmp_path / "out")],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((tmp_path / "out" / "grades.json").read_text())
    assert report["students"][0]["required_passed"] == 3


def test_check_config_tells_a_fork_what_it_left_unchanged():
    book = (ROOT / "_config.yml").read_text()
    origin = "git@github.com:a-course/rnnbook.git"
    assert classroom.check_config(book, None) == []
    (problem,) = classroom.check_config(book, origin)
    assert "repository.url is https://github.com/rnnbook/rnnbook" in problem
    repository_only = book.replace("github.com/rnnbook/rnnbook", "github.com/a-course/rnnbook")
    (problem,) = classroom.check_config(repository_only, origin)
    assert "https://a-course.github.io/rnnbook/" in problem
    fork = repository_only.replace("rnnbook.github.io/rnnbook", "a-course.github.io/rnnbook")
    assert classroom.check_config(fork, origin) == []
    hub = fork + "\nlaunch_buttons:\n  jupyterhub_url: https://hub.rnnbook.org\n"
    assert classroom.check_config(hub, origin) != []
