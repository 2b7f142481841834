"""Checks on the arguments of public functions, with errors that say what was expected."""

import numpy as np


def array(value, name, dims=None, *, finite=True, dtype=None, **sizes):
    """Return `value` as a float array whose shape matches `dims`, e.g. "N T D", or raise.

    `sizes` pins named axes (`D=5`); `dims=None` takes any shape. The returned array keeps
    float32 and float64 as given and turns anything else into float64, or into `dtype` if given.
    """
    arr = np.asarray(value)
    letters = dims.split() if dims is not None else [f"axis{k}" for k in range(arr.ndim)]
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"{name} must hold numbers; got dtype {arr.dtype}")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    elif arr.dtype not in (np.float32, np.float64):
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


def number(value, name, low=-np.inf, high=np.inf, *, low_open=False, high_open=False):
    """Return float(value) if it is a finite real number (not a bool) in the interval, or raise.

    The interval is [low, high] with either end made open by `low_open`/`high_open`; the
    message names it: `rate must be a number in [0, 1); got 1.5`.
    """
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(f"{name} must be a single number; got shape {value.shape}")
        value = value[()]  # a 0-d array is a number too
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(
            f"{name} must be {_interval(low, high, low_open, high_open)}; got {value!r}"
        )
    number = float(value)
    above = number > low if low_open else number >= low
    below = number < high if high_open else number <= high
    if not (np.isfinite(number) and above and below):
        raise ValueError(
            f"{name} must be {_interval(low, high, low_open, high_open)}; got {value!r}"
        )
    return number


def _interval(low, high, low_open, high_open):
    """Words for an interval of finite numbers: "a number > 0", "a number in (0, 1]"."""
    if np.isfinite(low) and np.isfinite(high):
        return f"a number in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if np.isfinite(low):
        return f"a number {'>' if low_open else '>='} {low:g}"
    if np.isfinite(high):
        return f"a number {'<' if high_open else '<='} {high:g}"
    return "a finite number"


def integer(value, name, low=0):
    """Return int(value) if it is an integer (Python or NumPy, not a bool) >= low, or raise."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        wanted = "a positive integer" if low == 1 else f"an integer >= {low}"
        raise ValueError(f"{name} must be {wanted}; got {value!r}")
    return int(value)


def ids(value, name, vocab_size=None, dims=None):
    """Return `value` as an integer array of ids in [0, vocab_size), shaped as `dims`, or raise.

    `dims` is None for any shape (not empty) or letters such as "N T"; `vocab_size=None` asks
    only for ids >= 0.
    """
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer ids; got dtype {arr.dtype}")
    if dims is not None and arr.ndim != len(dims.split()):
        letters = dims.split()
        wanted = "(" + ", ".join(letters) + ("," if len(letters) == 1 else "") + ")"
        raise ValueError(f"{name} must be {wanted}; got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty; got shape {arr.shape}")
    if arr.min() < 0 or (vocab_size is not None and arr.max() >= vocab_size):
        if vocab_size is None:
            raise ValueError(f"{name} must be ids >= 0; got {arr.min()} to {arr.max()}")
        raise ValueError(f"{name} must lie in [0, {vocab_size}); got {arr.min()} to {arr.max()}")
    return arr


def positive_int(value, name):
    """Return `value` if it is an integer >= 1, or raise."""
    return integer(value, name, low=1)


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
