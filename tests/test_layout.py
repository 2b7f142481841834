"""The package's import rules (CONTRIBUTING.md, "Where the code lives"), read with ast.

Layers, lowest first; a module may import the modules of its own subpackage and of lower layers:

0  validate, plotting, diagrams, jobs, job_files, backend   (infrastructure, imports nothing
                                      from rnnbook)
1  nn/, datasets/, notebook            (NumPy building blocks; the data; a chapter's setup)
2  cells/, decoding/                   (recurrent cells and BPTT; sampling and beam search)
3  models/                             (networks built from the layers below)
4  experiments/, checks/               (the chapters' long runs; the exercise checkers)

and: only rnnbook/backend.py imports TensorFlow or Keras; only experiments/ imports backend;
nothing outside experiments/ imports an experiment.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "rnnbook"
LAYERS = {
    "rnnbook.validate": 0,
    "rnnbook.plotting": 0,
    "rnnbook.diagrams": 0,
    "rnnbook.jobs": 0,
    "rnnbook.job_files": 0,
    "rnnbook.backend": 0,
    "rnnbook.notebook": 1,
    "rnnbook.nn": 1,
    "rnnbook.datasets": 1,
    "rnnbook.cells": 2,
    "rnnbook.decoding": 2,
    "rnnbook.models": 3,
    "rnnbook.experiments": 4,
    "rnnbook.checks": 4,
}
TENSORFLOW = {"tensorflow", "keras", "tf_keras"}


def module_name(path, package=PACKAGE):
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def home(name):
    """The unit of the layer table a module belongs to: its subpackage, or itself at top level."""
    parts = name.split(".")
    return ".".join(parts[:2])


def imports(path, package=PACKAGE):
    """Every module the file imports (at any depth, inside functions too), as dotted names."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from rnnbook.cells import lstm` imports the module rnnbook.cells.lstm
                sub = package.parent.joinpath(*node.module.split("."), alias.name)
                is_module = sub.with_suffix(".py").is_file() or (sub / "__init__.py").is_file()
                names.add(f"{node.module}.{alias.name}" if is_module else node.module)
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; write `from rnnbook... import`")
    return names


def problems(package=PACKAGE):
    """Each broken rule as one line naming the importing module and what it imports."""
    found = []
    for path in sorted(package.rglob("*.py")):
        name = module_name(path, package)
        if name == "rnnbook":
            continue
        unit = home(name)
        if unit not in LAYERS:
            found.append(f"{name}: not in the layer table of tests/test_layout.py")
            continue
        for imported in sorted(imports(path, package)):
            top = imported.split(".")[0]
            if top in TENSORFLOW and name != "rnnbook.backend":
                found.append(f"{name} imports {imported}: only rnnbook.backend may")
            if top != "rnnbook" or imported == "rnnbook":
                continue
            target = home(imported)
            if imported == "rnnbook.backend" and unit != "rnnbook.experiments":
                found.append(f"{name} imports rnnbook.backend: only experiments/ may")
            elif target == "rnnbook.experiments" and unit != target:
                found.append(f"{name} imports {imported}: nothing imports an experiment")
            elif target != unit and LAYERS.get(target, 99) >= LAYERS[unit]:
                found.append(
                    f"{name} (layer {LAYERS[unit]}) imports {imported} "
                    f"(layer {LAYERS.get(target, '?')}): only lower layers"
                )
    return found


def test_the_package_keeps_its_import_rules():
    assert problems() == []


def test_every_module_is_imported_by_its_place():
    """No flat leftovers: each module of rnnbook/ top level is one the layer table names."""
    top = {module_name(p) for p in PACKAGE.glob("*.py")} - {"rnnbook"}
    assert top == {name for name in LAYERS if (PACKAGE / (name.split(".")[1] + ".py")).is_file()}


@pytest.mark.parametrize(
    ("where", "line", "expected"),
    [
        ("cells/rnn.py", "from rnnbook.models import charlm", "layer 2) imports rnnbook.models"),
        ("nn/dense.py", "from rnnbook.datasets import vocab", "imports rnnbook.datasets.vocab"),
        ("models/mlp.py", "import tensorflow as tf", "only rnnbook.backend may"),
        ("models/mlp.py", "from rnnbook import backend", "only experiments/ may"),
        ("checks/ch01.py", "from rnnbook.experiments import pretrain", "nothing imports"),
        ("datasets/adding.py", "from rnnbook.nn import dense", "layer 1) imports rnnbook.nn"),
    ],
)
def test_a_broken_rule_is_reported(tmp_path, where, line, expected):
    """Each rule fails on a copy of the package with one forbidden import added."""
    copy = tmp_path / "rnnbook"
    for path in PACKAGE.rglob("*.py"):
        target = copy / path.relative_to(PACKAGE)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    broken = copy / where
    broken.write_text(broken.read_text() + f"\n\ndef _late():\n    {line}\n")
    found = problems(copy)
    assert len(found) == 1 and expected in found[0], found
