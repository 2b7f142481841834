"""`make lab`: JupyterLab on a folder of notebooks, once what was typed has been checked.

usage: lab.py FOLDER [JupyterLab options ...]

JupyterLab itself starts on a file or on a folder without notebooks, and starts anyway on an option
it does not know (it warns that the option "will have no effect", and may take the next word as
that option's value). Here each of those is refused in one line before anything starts.
"""

import contextlib
import io
import logging
import os
import sys
from pathlib import Path

from cli import ArgumentParser


def folder_problem(folder):
    """Why `folder` is not a folder of notebooks, or None."""
    expected = "DIR must be a folder of notebooks"
    if not folder.exists():
        made = " (`make student` makes it)" if folder.name == "student" else ""
        return f"{expected}; {folder} does not exist{made}"
    if not folder.is_dir():
        return f"{expected}; {folder} is a file"
    if not any(folder.glob("*.ipynb")):
        return f"{expected}; {folder} has no .ipynb file"
    return None


def option_problem(options):
    """The first of `options` that JupyterLab would not understand, or None."""
    from jupyterlab.labapp import LabApp

    app, unknown = LabApp(), []

    class Warnings(logging.Handler):
        def emit(self, record):
            if "Unrecognized" in record.getMessage() or "unrecognized" in record.getMessage():
                unknown.append(record.getMessage())

    expected = "LAB_ARGS must be JupyterLab options (jupyter lab --help-all lists them)"
    known = set()
    for key in [*app.flags, *app.aliases]:
        known.update(key if isinstance(key, tuple) else (key,))
    for option in options:
        name = option.lstrip("-").split("=")[0]
        if option.startswith("-") and name not in known and "." not in name:
            return f"{expected}; {option.split('=')[0]} is not one"
    app.log.handlers[:] = [Warnings()]
    said = io.StringIO()
    try:
        with contextlib.redirect_stderr(said):
            app.parse_command_line(options)
    except SystemExit:  # traitlets' argparse: an unknown option taken as one needing a value
        unknown.append(said.getvalue().strip().splitlines()[-1].split("error: ")[-1])
    if unknown or app.extra_args:
        what = unknown[0] if unknown else f"unexpected {app.extra_args[0]!r}"
        return f"{expected}; got {' '.join(options)!r}: {what}"
    return None


def main(argv=None):
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the notebooks to open")
    args, options = parser.parse_known_args(argv)
    problem = folder_problem(args.folder) or option_problem(options)
    if problem:
        parser.refuse(problem)
    jupyter = Path(sys.executable).parent / "jupyter"
    os.execv(jupyter, [str(jupyter), "lab", *options, f"{args.folder}/"])


if __name__ == "__main__":
    main()
