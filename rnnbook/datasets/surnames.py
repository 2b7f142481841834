"""The 1990 US Census surname list (88,799 names, public domain), from the `names` package."""

import importlib.util
import pathlib

import numpy as np

from rnnbook import validate


def path():
    """Where the installed `names` package keeps the surname file (dist.all.last)."""
    spec = importlib.util.find_spec("names")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(
            "the surname data come from the `names` package, which is not installed: "
            "pip install names (or pip install -e '.[chapters]')"
        )
    file = pathlib.Path(spec.origin).parent / "dist.all.last"
    if not file.is_file():
        raise FileNotFoundError(f"the `names` package has no surname file at {file}")
    return file


def load():
    """Every surname, lower-case, most frequent first (the Census file's order)."""
    # each line is: NAME, percent of people, cumulative percent, rank
    with path().open(encoding="ascii") as lines:
        return [line.split()[0].lower() for line in lines if line.strip()]


def split(items, held_out=0.1, *, rng):
    """Shuffle items with rng and return (train, held-out), held-out being that fraction of them."""
    items = list(items)
    validate.generator(rng)
    if len(items) < 2:
        raise ValueError(f"items must hold at least 2 entries to split; got {len(items)}")
    validate.number(held_out, "held_out", 0, 1, low_open=True, high_open=True)
    n_held = min(max(1, round(held_out * len(items))), len(items) - 1)
    order = rng.permutation(len(items))
    held = np.sort(order[:n_held])  # each part keeps the input's order, which is easier to read
    train = np.sort(order[n_held:])
    return [items[i] for i in train], [items[i] for i in held]
