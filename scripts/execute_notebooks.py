"""Re-run notebooks top to bottom in place, so their stored outputs match what nbval will see.

    python scripts/execute_notebooks.py NOTEBOOK.ipynb [...]     (make execute NB=...)

A notebook is written back only when every cell ran; it is written under a temporary name and
renamed, so an interruption or a failing cell leaves the stored notebook as it was.
"""

import sys
from pathlib import Path

import cli
import kernels
import nbclient
import nbclient.exceptions
import nbformat

from rnnbook import job_files


def merge_streams(outputs):
    """Join consecutive prints to the same stream: how the kernel splits them depends on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute(path):
    """Execute one notebook in its own folder and write it back, without timing metadata."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    kernels.client(nb, Path(path).parent, timeout=600).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    text = nbformat.writes(nb)
    job_files.write_text(path, text if text.endswith("\n") else text + "\n")  # write, then rename


def problem(name):
    """Why `name` cannot be executed (one line), or None."""
    path = Path(name)
    if path.suffix != ".ipynb":
        return f"{name}: expected a notebook (.ipynb)"
    if not path.is_file():
        return f"{name}: no such notebook"
    try:
        nbformat.validate(nbformat.read(path, as_version=4))
    except Exception as error:  # nbformat raises many kinds for a broken file
        return f"{name}: not a valid notebook ({type(error).__name__}: {str(error)[:200]})"
    return None


def failure(name, error):
    """One line for a notebook that did not run through."""
    if isinstance(error, nbclient.exceptions.CellExecutionError):
        return (
            f"{name}: a cell raised {error.ename}: {error.evalue}; the stored notebook is unchanged"
        )
    if isinstance(error, nbclient.exceptions.DeadKernelError):
        return f"{name}: the kernel died ({error}); the stored notebook is unchanged"
    if isinstance(error, TimeoutError | nbclient.exceptions.CellTimeoutError):
        return f"{name}: a cell ran past the timeout; the stored notebook is unchanged"
    return None


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", metavar="NOTEBOOK.ipynb", help="make execute NB=")
    args = parser.parse_args(argv)
    problems = [p for p in map(problem, args.notebooks) if p]
    if problems:  # refused before any notebook runs
        sys.exit("\n".join(problems))
    for name in args.notebooks:
        print(f"executing {name}", flush=True)
        try:
            execute(name)
        except Exception as error:
            line = failure(name, error)
            if line is None:
                raise
            sys.exit(line)


if __name__ == "__main__":
    main()
