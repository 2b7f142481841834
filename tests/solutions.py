"""Load the hidden solutions of a chapter's exercises, so tests can run them past the checkers."""

import nbformat
import numpy as np
from notebook_audit import ROOT


def load(notebook, name):
    """Return the function `name` defined by a `solution`-tagged cell of chapters/<notebook>."""
    nb = nbformat.read(ROOT / "chapters" / notebook, as_version=4)
    namespace = {"np": np}
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "solution" in tags and f"def {name}(" in cell.source:
            exec(compile(cell.source, f"{notebook}:{name}", "exec"), namespace)
            return namespace[name]
    raise LookupError(f"no solution cell defining {name}() in {notebook}")
