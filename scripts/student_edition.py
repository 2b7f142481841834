"""Write the student edition: every notebook of the book with its exercise solutions removed.

Coding exercises keep their signature and docstring and raise NotImplementedError; the cells that
call the checkers are tagged `raises-exception`, so nbval accepts the untouched handout. Written
solutions (`{solution}` blocks) are cut from the markdown.

usage: student_edition.py [OUT_DIR]                  write the edition (default: student/)
       student_edition.py --relative-paths NB...     after running the edition: the stored
           tracebacks of its check cells name this repository's files relative to it, not by
           the absolute path of the machine that ran them (nbval does not compare tracebacks)
"""

import ast
import re
from pathlib import Path

import cli
import nbformat
from notebook_audit import toc_notebooks

ROOT = Path(__file__).resolve().parent.parent

STUB = '    raise NotImplementedError("exercise: write this function, then run the check below")\n'
SOLUTION_BLOCK = re.compile(r"^(:{3,})\{solution\}.*?^\1[ \t]*$\n?", re.MULTILINE | re.DOTALL)


def stub(source):
    """Keep each function's signature and docstring from a solution cell; drop its body."""
    lines = source.splitlines(keepends=True)
    stubs = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        first = node.body[0]
        has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
        end = first.end_lineno if has_doc else first.lineno - 1
        stubs.append("".join(lines[node.lineno - 1 - len(node.decorator_list) : end]) + STUB)
    if not stubs:
        raise ValueError(f"a solution cell must define a function; got:\n{source}")
    return "\n\n".join(stubs)


def student_copy(nb):
    """Return the student edition of one notebook (a new object; the input is not changed)."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "markdown":
            cell.source = SOLUTION_BLOCK.sub("", cell.source)
        elif "solution" in tags:
            cell.source = stub(cell.source)
            cell.metadata["tags"] = [t for t in tags if t not in {"solution", "hide-input"}]
            cell.metadata["tags"].append("exercise")
            cell.outputs, cell.execution_count = [], None
        elif "check" in tags:
            cell.metadata["tags"] = [*tags, "raises-exception"]
            cell.outputs, cell.execution_count = [], None
    return nb


def relative_paths(nb, root=ROOT):
    """Replace root/ by nothing in every stored output of nb (in place); return how many."""
    prefix, count = f"{root}/", 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            for key in ("traceback", "text", "evalue"):
                value = output.get(key)
                if isinstance(value, list):
                    count += sum(line.count(prefix) for line in value)
                    output[key] = [line.replace(prefix, "") for line in value]
                elif isinstance(value, str):
                    count += value.count(prefix)
                    output[key] = value.replace(prefix, "")
    return count


def write_edition(out_dir):
    """Write the student edition of every notebook in _toc.yml into out_dir."""
    out = ROOT / out_dir
    out.mkdir(exist_ok=True)
    for path in toc_notebooks():
        nbformat.write(student_copy(nbformat.read(path, as_version=4)), out / path.name)
        print(f"wrote {out_dir}/{path.name}")


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", nargs="?", default="student", help="default: student/")
    parser.add_argument(
        "--relative-paths",
        nargs="+",
        metavar="NB",
        help="make these executed notebooks' paths relative",
    )
    args = parser.parse_args(argv)
    if args.relative_paths:
        for name in args.relative_paths:
            nb = nbformat.read(name, as_version=4)
            print(f"{name}: {relative_paths(nb)} absolute paths made relative")
            nbformat.write(nb, name)
    else:
        write_edition(args.out_dir)


if __name__ == "__main__":
    main()
