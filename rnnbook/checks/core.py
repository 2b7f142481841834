"""Run a student's function against the reference on many inputs and explain the first mismatch."""

import copy
from dataclasses import dataclass, field

import numpy as np


class ExerciseError(AssertionError):
    """The student's function gave a wrong answer; the message says where, never what is right."""


@dataclass(frozen=True)
class Case:
    """One input to try: a label a student can understand, positional and keyword arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


def compare(student_fn, reference_fn, cases, *, exercise, rtol=1e-6, atol=1e-8, read_only=None):
    """Raise ExerciseError at the first case whose outputs differ; print one line if all agree.

    read_only maps positions of arguments to their names, for exercises that ask for new arrays:
    the student's function must leave those arguments as it found them."""
    if not callable(student_fn):
        raise TypeError(f"{exercise}: pass your function itself; got {type(student_fn).__name__}")
    for case in cases:
        expected = reference_fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        args = copy.deepcopy(case.args)
        try:
            # overflow or 0/0 inside the student's code is a bug even when the result looks right
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                got = student_fn(*args, **copy.deepcopy(case.kwargs))
        except NotImplementedError:
            raise
        except Exception as err:
            raise ExerciseError(
                f"{exercise}: your function raised {type(err).__name__} for {case.label}: {err}"
            ) from err
        for position, name in (read_only or {}).items():
            if not np.array_equal(args[position], case.args[position]):
                raise ExerciseError(
                    f"{exercise}: for {case.label}, your function changed its argument `{name}`"
                    f" in place; return a new array instead ({name} + ..., not {name} += ...)"
                )
        problem = _difference(got, expected, "the output", rtol, atol)
        if problem:
            raise ExerciseError(f"{exercise}: for {case.label}, {problem}")
    print(f"correct: {exercise} agrees with the reference on all {len(cases)} inputs")


def _difference(got, expected, where, rtol, atol):
    """Describe how `got` differs from `expected`, or return None when they agree."""
    if isinstance(expected, dict):
        if not isinstance(got, dict) or list(got) != list(expected):
            keys = list(got) if isinstance(got, dict) else type(got).__name__
            return f"{where} should be a dict with keys {list(expected)}; got {keys}"
        return _first(
            _difference(got[k], expected[k], f"{where}[{k!r}]", rtol, atol) for k in expected
        )
    if isinstance(expected, tuple | list):
        if not isinstance(got, tuple | list) or len(got) != len(expected):
            size = len(got) if isinstance(got, tuple | list) else type(got).__name__
            return f"{where} should be a sequence of {len(expected)} items; got {size}"
        return _first(
            _difference(g, e, f"{where}[{i}]", rtol, atol)
            for i, (g, e) in enumerate(zip(got, expected, strict=True))
        )
    got_arr, exp_arr = np.asarray(got), np.asarray(expected)
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
