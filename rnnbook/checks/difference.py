"""How a student's output differs from the reference's, in words a student can act on."""

import numpy as np


def describe(got, expected, where, rtol, atol):
    """Describe how `got` differs from `expected`, or return None when they agree."""
    if isinstance(expected, dict):
        # the keys as a set: a dict with the right entries in another order is right
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = sorted(map(str, got)) if isinstance(got, dict) else type(got).__name__
            return f"{where} should be a dict with keys {sorted(map(str, expected))}; got {keys}"
        return _first(
            describe(got[k], expected[k], f"{where}[{k!r}]", rtol, atol) for k in expected
        )
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            size = len(got) if isinstance(got, tuple | list) else type(got).__name__
            return f"{where} should be a sequence of {len(expected)} items; got {size}"
        return _first(
            describe(g, e, f"{where}[{i}]", rtol, atol)
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
        )
    try:
        got_arr, exp_arr = np.asarray(got), np.asarray(expected)
    except (TypeError, ValueError):  # a ragged nest of lists, for example
        return f"{where} should be numeric; got {type(got).__name__}"
    if got_arr.dtype.kind not in "fiub":
        return f"{where} should be numeric; got {type(got).__name__}"
    if got_arr.shape != exp_arr.shape:
        return f"{where} has shape {got_arr.shape}; expected shape {exp_arr.shape}"
    if not np.all(np.isfinite(got_arr)) and np.all(np.isfinite(exp_arr)):
        return f"{where} contains NaN or inf"
    error = np.abs(got_arr.astype(float) - exp_arr.astype(float))
    allowed = atol + rtol * np.abs(exp_arr.astype(float))
    if np.all(error <= allowed):
        return None
    worst = np.unravel_index(np.argmax(error - allowed), error.shape)
    at = f" at index {tuple(int(i) for i in worst)}" if error.ndim else ""
    return f"{where} is off by {error[worst]:.3g}{at} (tolerance {allowed[worst]:.2g})"


def _first(problems):
    """The first non-empty description, if any."""
    return next((p for p in problems if p), None)
