"""The student edition removes every solution, keeps each exercise runnable, loses nothing else."""

import nbformat
import pytest
import student_edition
from notebook_audit import toc_notebooks

NOTEBOOKS = toc_notebooks()


def cells_tagged(nb, tag):
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_student_copy_hides_solutions_and_keeps_the_rest(path):
    teacher = nbformat.read(path, as_version=4)
    student = student_edition.student_copy(teacher)
    assert len(student.cells) == len(teacher.cells)
    assert len(cells_tagged(teacher, "solution")) >= 2, "every chapter has two checked exercises"
    assert len(cells_tagged(student, "solution")) == 0
    for before, after in zip(teacher.cells, student.cells, strict=True):
        tags = before.metadata.get("tags", [])
        if "solution" in tags:
            namespace = {}
            exec(after.source, namespace)  # the stub is valid Python that defines the function
            fn = next(v for k, v in namespace.items() if callable(v) and not k.startswith("__"))
            with pytest.raises(NotImplementedError):
                fn(*[None] * fn.__code__.co_argcount)
            body = before.source.strip().splitlines()[-1].strip()
            assert body not in after.source, f"solution line left in the handout: {body}"
        elif "check" in tags:
            assert "raises-exception" in after.metadata["tags"]
            assert after.source == before.source
        elif before.cell_type == "markdown":
            assert "{solution}" not in after.source
            if "{solution}" not in before.source:
                assert after.source == before.source
        else:
            assert after == before


def test_stub_keeps_signature_and_docstring():
    source = 'def f(x, y=2):\n    """Add."""\n    z = x + y\n    return z\n'
    assert student_edition.stub(source) == (
        'def f(x, y=2):\n    """Add."""\n' + student_edition.STUB
    )


def test_stub_rejects_a_cell_without_a_function():
    with pytest.raises(ValueError, match="must define a function"):
        student_edition.stub("x = 1\n")


def test_solution_blocks_are_cut_whole():
    md = "Intro.\n\n::::{solution} ex1\n:class: dropdown\n\nAnswer.\n::::\n\nAfter.\n"
    assert student_edition.SOLUTION_BLOCK.sub("", md) == "Intro.\n\n\nAfter.\n"


def test_relative_paths_removes_the_repository_path_from_stored_tracebacks():
    root = student_edition.ROOT
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "ch01.check_sigmoid_neuron(sigmoid_neuron)",
                outputs=[
                    nbformat.v4.new_output(
                        "error",
                        ename="NotImplementedError",
                        evalue="exercise",
                        traceback=[f"File \x1b[0;32m{root}/rnnbook/checks/core.py:51\x1b[0m"],
                    )
                ],
            )
        ]
    )
    assert student_edition.relative_paths(nb) == 1
    assert nb.cells[0].outputs[0].traceback == ["File \x1b[0;32mrnnbook/checks/core.py:51\x1b[0m"]
    assert student_edition.relative_paths(nb) == 0
