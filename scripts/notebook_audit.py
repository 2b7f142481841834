"""What the tests and the scripts need to know about the notebooks: which the book lists (_toc.yml),
and how nbval treats them."""

import re
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
OPT_OUT_TAGS = {"nbval-ignore-output", "nbval-skip"}
OPT_OUT_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP"}
# an opted-out cell must say why, in a comment readers see next to the code
REASON = re.compile(r"^#\s*not checked by nbval:\s*\S", re.MULTILINE)


def toc_files():
    """Every document listed in _toc.yml, as paths relative to the root, without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def toc_notebooks():
    """The notebooks of the book, in reading order."""
    return [ROOT / f"{f}.ipynb" for f in toc_files() if (ROOT / f"{f}.ipynb").exists()]


def opts_out(cell):
    """True when nbval will not compare this code cell's outputs."""
    tags = set(cell.metadata.get("tags", []))
    comments = {
        line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")
    }
    return bool(tags & OPT_OUT_TAGS or comments & OPT_OUT_MARKERS)


def comparison_counts(paths):
    """(code cells, cells whose outputs nbval compares, cells opted out, cells printing nothing)."""
    total = compared = opted_out = silent = 0
    for path in paths:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            total += 1
            if opts_out(cell):
                opted_out += 1
            elif cell.outputs:
                compared += 1
            else:
                silent += 1
    return total, compared, opted_out, silent
