"""What the book's long jobs (pre-training, the adding-problem experiment) share.

- `progress`: a tqdm bar with the rate and an estimate of the time left.
- the files they write and read: rnnbook.job_files.
- `rng_state` and `set_rng_state`: a NumPy generator's state as a plain string array, so a resumed
  run draws the same batches as an uninterrupted one.
- `ArgumentParser`: argparse for the jobs' command lines, a mistake answered in one line.
- `data_path`: where the book's stored results live (its `data/` folder), found from the current
  directory, so that it works whether rnnbook is installed editable or not.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

DATA_ENV = "RNNBOOK_DATA"  # a folder to use instead of the book's data/


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a mistake is answered in one line instead of the usage text and then the
    error: a reader who typed one wrong word needs the error, and `--help` still prints usage."""

    def error(self, message):
        self.refuse(f"{message} (--help lists the options)")

    def refuse(self, message):
        """Exit with status 2 and one line: what was expected and what arrived."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def data_path(name):
    """The path of `name` in the book's data folder: $RNNBOOK_DATA if set, else the first `data/`
    that holds `name` in the current directory or above it (the repository from its root or from
    chapters/), else ./data/name, where a new result is written."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]) / name
    here = Path.cwd().resolve()
    # the package's own location is no guide: a non-editable install lives in site-packages
    for folder in [here, *here.parents]:
        if (folder / "data" / name).is_file():
            return folder / "data" / name
    return here / "data" / name


def progress(iterable=None, *, total=None, desc=None, unit="it", **kwargs):
    """A tqdm progress bar (elapsed time, rate and the estimated time left) on stderr."""
    from tqdm import tqdm

    kwargs.setdefault("file", sys.stderr)
    kwargs.setdefault("dynamic_ncols", True)
    kwargs.setdefault("mininterval", 1.0)
    return tqdm(iterable, total=total, desc=desc, unit=unit, **kwargs)


def rng_state(rng):
    """A NumPy Generator's state as a 0-d string array (JSON), for save_arrays."""
    return np.array(json.dumps(rng.bit_generator.state))


def set_rng_state(rng, state):
    """Restore a state rng_state returned (after a round trip through a file)."""
    rng.bit_generator.state = json.loads(str(state))
    return rng
