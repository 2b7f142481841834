"""Hygiene of every notebook in the book: valid, clean, executed in order, and all listed."""

import json
import re

import nbformat
import pytest
from notebook_audit import REASON, ROOT, opts_out, toc_files, toc_notebooks

NOTEBOOKS = toc_notebooks()
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.])(/(home|root|tmp|Users|work|usr|opt|var|private)/|[A-Z]:\\\\)"
)


def ids(paths):
    return [p.name for p in paths]


def test_toc_and_chapters_folder_agree():
    listed = {f for f in toc_files() if f.startswith("chapters/")}
    present = {
        f"chapters/{p.stem}" for p in (ROOT / "chapters").glob("*") if p.suffix in {".ipynb", ".md"}
    }
    assert present - listed == set(), "documents in chapters/ missing from _toc.yml"
    assert listed - present == set(), "_toc.yml lists documents that do not exist"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_is_valid_and_small(path):
    assert path.stat().st_size < 1_000_000, f"{path.name} is {path.stat().st_size} bytes"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_notebook_was_run_top_to_bottom(path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_outputs_are_clean(path):
    nb = nbformat.read(path, as_version=4)
    for n, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.outputs:
            where = f"{path.name}, cell {n}"
            expected_error = "raises-exception" in cell.metadata.get("tags", [])
            assert out.output_type != "error" or expected_error, f"{where}: error output"
            assert out.get("name") != "stderr", (
                f"{where}: stderr output {out.get('text', '')[:200]}"
            )
            assert "image/svg+xml" not in out.get("data", {}), f"{where}: SVG changes every run"
            text = json.dumps(out)
            assert not ABSOLUTE_PATH.search(text), f"{where}: absolute path in output"
    assert not ABSOLUTE_PATH.search(json.dumps(nb.metadata)), "absolute path in notebook metadata"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=ids(NOTEBOOKS))
def test_every_opt_out_says_why(path):
    for n, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type == "code" and opts_out(cell):
            assert REASON.search(cell.source), (
                f"{path.name}, cell {n} opts out of nbval without"
                " '# not checked by nbval: <reason>'"
            )
