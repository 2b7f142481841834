"""Make students' notebooks from the chapters, for the grader's tests and the class-of-three run.

A student's notebook is the handout (scripts/student_edition.py) with some exercise cells filled
in: with the hidden solution (a correct student), with a plausible mistake (a wrong one), or left
as the stub (a student who did nothing). The gaming student changes the notebook around the answer.

    PYTHONPATH=scripts .venv/bin/python tests/students.py FOLDER
        writes FOLDER/{correct,wrong,nothing}/NN_name.ipynb (under pytest, pyproject.toml puts
        scripts/ on the import path)
"""

from pathlib import Path

import cli
import nbformat
import student_edition
from notebook_audit import toc_notebooks

# plausible mistakes, one per exercise named (the rest of a wrong student's answers are right)
MISTAKES = {
    "dense_forward": '''def dense_forward(x, kernel, bias):
    """Pre-activations (N, H) of a dense layer."""
    return x @ kernel  # the bias forgotten
''',
    "softmax": '''def softmax(a):
    """Probabilities along the last axis of a."""
    e = np.exp(a)  # not shifted: overflows for large logits
    return e / np.sum(e, axis=-1, keepdims=True)
''',
    "rnn_step": '''def rnn_step(x_t, h_prev, params):
    """The next state (N, H)."""
    w, u = params["kernel"], params["recurrent_kernel"]
    return np.tanh(x_t @ w + h_prev @ u.T + params["bias"])  # a transposed recurrent kernel
''',
    "next_word_windows": '''def next_word_windows(ids, length):
    """Every window of `length` ids and the id after it."""
    count = len(ids) - length - 1  # off by one: the last window is lost
    inputs = np.array([ids[i : i + length] for i in range(count)]).reshape(count, length)
    return inputs, np.array(ids[length : length + count])
''',
}


def defines(cell, name):
    return cell.cell_type == "code" and f"def {name}(" in cell.source


def solutions(teacher):
    """{function name: source of the solution cell that defines it}."""
    found = {}
    for cell in teacher.cells:
        if "solution" in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                if line.startswith("def "):
                    found[line[4:].split("(")[0]] = cell.source
    return found


def student(path, answers):
    """The handout of chapter `path` with the exercise cells of `answers` ({name: source})."""
    nb = student_edition.student_copy(nbformat.read(path, as_version=4))
    for name, source in answers.items():
        cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
        cell = next(c for c in cells if defines(c, name))
        cell.source = source
    return nb


def correct(path):
    return student(path, solutions(nbformat.read(path, as_version=4)))


def wrong(path):
    answers = solutions(nbformat.read(path, as_version=4))
    return student(path, {**answers, **{k: v for k, v in MISTAKES.items() if k in answers}})


def nothing(path):
    return student(path, {})


def class_of_three(folder, notebooks=None):
    """FOLDER/correct, FOLDER/wrong, FOLDER/nothing, each with every chapter's notebook."""
    folder = Path(folder)
    for make in (correct, wrong, nothing):
        (folder / make.__name__).mkdir(parents=True, exist_ok=True)
        for path in notebooks or toc_notebooks():
            nbformat.write(make(path), folder / make.__name__ / path.name)


if __name__ == "__main__":
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="where correct/, wrong/ and nothing/ are written")
    folder = parser.parse_args().folder
    class_of_three(folder)
    print(f"wrote {folder}/correct, wrong and nothing")
