"""Checks on the arguments of public functions, with errors that say what was expected."""

import numpy as np


def array(value, name, dims, *, finite=True, **sizes):
    """Return `value` as a float array whose shape matches `dims`, e.g. "N T D", or raise.

    `sizes` pins named axes (`D=5`); the returned array keeps float32 and float64 as given
    and turns anything else into float64.
    """
    letters = dims.split()
    arr = np.asarray(value)
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must hold numbers; got dtype {arr.dtype}")
    if arr.dtype not in (np.float32, np.float64):
        arr = arr.astype(np.float64)
    wanted = "(" + ", ".join(letters) + ("," if len(letters) == 1 else "") + ")"
    pinned = ", ".join(f"{k}={v}" for k, v in sizes.items() if k in letters)
    if arr.ndim != len(letters) or any(
        k in letters and arr.shape[letters.index(k)] != v for k, v in sizes.items()
    ):
        hint = f" with {pinned}" if pinned else ""
        raise ValueError(f"{name} must be {wanted}{hint}; got shape {arr.shape}")
    if 0 in arr.shape:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; it holds {np.sum(~np.isfinite(arr))} NaN or inf")
    return arr


def positive_int(value, name):
    """Return `value` if it is an integer >= 1, or raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def generator(rng, name="rng"):
    """Return `rng` if it is a numpy Generator: the package never touches global random state."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)); "
            f"got {type(rng).__name__}"
        )
    return rng


def params(value, name, shapes):
    """Check a parameter dict against `shapes`, a dict of key -> expected shape, in order."""
    if not isinstance(value, dict) or list(value) != list(shapes):
        got = list(value) if isinstance(value, dict) else type(value).__name__
        raise ValueError(f"{name} must be a dict with keys {list(shapes)}; got {got}")
    for key, shape in shapes.items():
        got = np.shape(value[key])
        if got != tuple(shape):
            raise ValueError(f"{name}[{key!r}] must have shape {tuple(shape)}; got {got}")
    return value
