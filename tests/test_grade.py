"""The grader: four students of chapter 1 (correct, wrong, nothing, gaming) get the right verdicts.

Each student is built from the chapter and graded by scripts/grade.py for real: the notebook runs in
its own kernel and the grader calls the checkers itself (about 5 s per student).
"""

import json

import grade
import nbformat
import pytest
import students
from notebook_audit import ROOT, toc_notebooks

CH01 = ROOT / "chapters" / "01_neurons.ipynb"


def graded(tmp_path, name, nb, *options):
    """Grade one student's chapter 1: (exit status, {function: result})."""
    folder = tmp_path / name
    folder.mkdir()
    nbformat.write(nb, folder / CH01.name)
    out = tmp_path / f"{name}-results"
    status = grade.main([str(folder), "--select", "ch01.*", "--out", str(out), *options])
    report = json.loads((out / "grades.json").read_text())
    assert (out / "grades.csv").read_text().count("\n") == 1 + len(report["exercises"])
    return status, {r["function"]: r for r in report["students"][0]["exercises"]}


def statuses(results):
    return {name: r["status"] for name, r in results.items()}


def gaming(path):
    """Chapter 1 with every trick: the package's function under the exercise's name, a thin
    wrapper around it, a check cell deleted, one wrapped so it cannot fail, a checker replaced."""
    nb = students.student(
        path,
        {
            **students.solutions(nbformat.read(path, as_version=4)),
            # the package's own function, imported under the exercise's name
            "perceptron_update": "from rnnbook.models.neuron import perceptron_update\n",
            # a thin wrapper around the package's function
            "dense_forward": (
                "from rnnbook.nn import dense\n\n\ndef dense_forward(x, kernel, bias):\n"
                '    return dense.forward(x, {"kernel": kernel, "bias": bias})[0]\n'
            ),
        },
    )
    # the exercise cell of perceptron_update no longer says `def perceptron_update(`
    check = {c.source: c for c in nb.cells if "check" in c.metadata.get("tags", [])}
    nb.cells.remove(check["ch01.check_sigmoid_neuron(sigmoid_neuron)"])  # deleted
    wrapped = check["ch01.check_dense_forward(dense_forward)"]
    wrapped.source = (
        "try:\n    ch01.check_dense_forward(dense_forward)\nexcept Exception:\n    pass"
    )
    # and a check that can no longer fail, in case the grader trusted the notebook's checkers
    nb.cells.append(nbformat.v4.new_code_cell("ch01.check_sigmoid_neuron = lambda fn: None"))
    return nb


P, W, N = grade.PASS, grade.WRONG, grade.NOT_ATTEMPTED
# student: (notebook maker, exit status, statuses of sigmoid_neuron, perceptron_update and
# dense_forward, {function: words its message must contain})
STUDENTS = {
    "correct": (students.correct, 0, (P, P, P), {}),
    "wrong": (students.wrong, 1, (P, P, W), {"dense_forward": ["off by"]}),
    "nothing": (students.nothing, 1, (N, N, N), {}),
    "gaming": (
        gaming,
        1,
        (grade.CHECK_CELL, grade.REFERENCE, grade.REFERENCE),
        {
            "sigmoid_neuron": ["deleted or changed"],
            "perceptron_update": ["rnnbook.models.neuron.perceptron_update"],
            "dense_forward": ["calls rnnbook.nn.dense.forward", "check cell"],
        },
    ),
}


@pytest.mark.parametrize("name", STUDENTS)
def test_each_student_gets_the_right_verdict(tmp_path, name):
    make, expected_status, expected, words = STUDENTS[name]
    status, results = graded(tmp_path, name, make(CH01))
    assert status == expected_status
    functions = ["sigmoid_neuron", "perceptron_update", "dense_forward"]
    assert statuses(results) == dict(zip(functions, expected, strict=True))
    for function, fragments in words.items():
        for fragment in fragments:
            assert fragment in results[function]["message"], (function, fragment)


def test_a_course_can_leave_out_what_a_student_got_wrong(tmp_path):
    course = tmp_path / "course.toml"
    course.write_text('required = ["ch01.sigmoid_neuron", "ch01.perceptron_update"]\n')
    status, results = graded(tmp_path, "wrong", students.wrong(CH01), "--course", str(course))
    assert status == 0, "only the required exercises decide the exit status"
    assert results["dense_forward"]["required"] is False
    assert results["dense_forward"]["status"] == grade.WRONG


def test_a_folder_without_notebooks_is_refused_but_a_student_without_them_fails(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    out = tmp_path / "results"
    with pytest.raises(SystemExit) as refused:
        grade.main([str(tmp_path / "empty"), "--out", str(out)])
    assert refused.value.code == 2 and not out.exists()
    assert "empty has no notebook" in capsys.readouterr().err
    # in a class, a student whose folder holds no notebook fails every exercise as missing
    ann, bob = tmp_path / "class" / "ann", tmp_path / "class" / "bob"
    ann.mkdir(parents=True)
    bob.mkdir()
    nbformat.write(students.nothing(CH01), ann / CH01.name)
    assert grade.students(tmp_path / "class") == [("ann", ann), ("bob", None)]
    exercises = grade.choose(grade.load_manifest())
    results = grade.grade_student("bob", None, exercises)["exercises"]
    assert len(results) == len(exercises) > 0
    assert {r["status"] for r in results} == {grade.MISSING}


def test_the_manifest_lists_every_exercise_of_the_chapters():
    assert grade.manifest_from_chapters(toc_notebooks()) == grade.load_manifest(), (
        "the chapters' exercises changed: run `.venv/bin/python scripts/grade.py --write-manifest`"
    )


def test_a_course_naming_an_exercise_that_does_not_exist_is_refused(tmp_path):
    course = tmp_path / "course.toml"
    course.write_text('required = ["ch01.sigmoid_neuron", "ch01.no_such_thing"]\n')
    with pytest.raises(SystemExit, match="no_such_thing"):
        grade.choose(grade.load_manifest(), course=course)


def test_classroom_autograding_has_one_test_per_exercise_and_reads_one_grading_run(tmp_path):
    config = tmp_path / "autograding.json"
    assert grade.main(["--autograding", str(config), "--setup", "make grade"]) == 0
    tests = json.loads(config.read_text())["tests"]
    assert [t["name"] for t in tests] == [e["id"] for e in grade.load_manifest()]
    assert tests[0]["setup"] == "make grade" and all(t["setup"] == "" for t in tests[1:])
    assert all(t["points"] == 1 for t in tests)
    results = tmp_path / "grades.json"
    results.write_text(
        json.dumps(
            {
                "students": [
                    {
                        "exercises": [
                            {"id": "a.f", "passed": True, "message": "ok"},
                            {"id": "a.g", "passed": False, "message": "wrong"},
                        ]
                    }
                ]
            }
        )
    )
    assert grade.main(["--passed", "a.f", "--results", str(results)]) == 0
    assert grade.main(["--passed", "a.g", "--results", str(results)]) == 1
    assert grade.main(["--passed", "a.h", "--results", str(results)]) == 1
    assert grade.main(["--passed", "a.f", "--results", str(tmp_path / "none.json")]) == 1
