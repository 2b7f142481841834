"""Run a student's function against the reference on many inputs and explain the first mismatch."""

import copy
from dataclasses import dataclass, field

import numpy as np

from rnnbook.checks import calls, difference


class ExerciseError(AssertionError):
    """The student's function gave a wrong answer; the message says where, never what is right."""


class ReferenceUsed(ExerciseError):
    """The student's function is, or calls, the package code that the reference answer runs on."""


@dataclass(frozen=True)
class Case:
    """One input to try: a label a student can understand, positional and keyword arguments."""

    label: str
    args: tuple
    kwargs: dict = field(default_factory=dict)


def compare(student_fn, reference_fn, cases, *, exercise, rtol=1e-6, atol=1e-8, read_only=None):
    """Raise ExerciseError at the first case whose outputs differ; print one line if all agree.

    read_only maps positions of arguments to their names, for exercises that ask for new arrays:
    the student's function must leave those arguments as it found them. A student's function that
    is a function of the rnnbook package fails with ReferenceUsed: the exercise is to write it.
    A student_fn with a `traced_call` method (scripts/grade.py's stand-in for a function that runs
    in the student's kernel) returns the rnnbook functions it ran too; one that the reference also
    runs, or any checker, is a ReferenceUsed failure as well."""
    if _recorder is not None:
        _recorder.append(_record(reference_fn, cases, exercise, rtol, atol, read_only))
        return
    if not callable(student_fn):
        raise TypeError(f"{exercise}: pass your function itself; got {type(student_fn).__name__}")
    if calls.is_package_code(getattr(student_fn, "__module__", None)):
        name = f"{student_fn.__module__}.{getattr(student_fn, '__qualname__', '')}".rstrip(".")
        raise ReferenceUsed(
            f"{exercise}: your function is {name} from the rnnbook package, not one you wrote"
        )
    for case in cases:
        expected, reference_calls = calls.package_calls(
            reference_fn, *copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)
        )
        args = copy.deepcopy(case.args)
        try:
            # overflow or 0/0 inside the student's code is a bug even when the result looks right
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                call = getattr(student_fn, "traced_call", None) or calls.local_call(student_fn)
                got, student_calls = call(*args, **copy.deepcopy(case.kwargs))
        except NotImplementedError:
            raise
        except Exception as err:
            raise ExerciseError(
                f"{exercise}: your function raised {type(err).__name__} for {case.label}: {err}"
            ) from err
        borrowed = sorted(calls.borrowed(student_calls, reference_calls))
        if borrowed:
            raise ReferenceUsed(
                f"{exercise}: your function calls {borrowed[0]} from the rnnbook package, which"
                " the reference answer runs on; the exercise is to write it with NumPy"
            )
        for position, name in (read_only or {}).items():
            if not np.array_equal(args[position], case.args[position]):
                raise ExerciseError(
                    f"{exercise}: for {case.label}, your function changed its argument `{name}`"
                    f" in place; return a new array instead ({name} + ..., not {name} += ...)"
                )
        problem = difference.describe(got, expected, "the output", rtol, atol)
        if problem:
            raise ExerciseError(f"{exercise}: for {case.label}, {problem}")
    print(f"correct: {exercise} agrees with the reference on all {len(cases)} inputs")


# compare() with a recorder set stores its cases and the reference's outputs instead of checking
_recorder = None


def record(checker):
    """What checker gives compare(): cases, the reference's outputs, tolerances, read_only.

    The students' repository checks against these recorded outputs (rnnbook.checks.recorded), so
    the reference functions that only the checkers use are not handed out with it."""
    global _recorder
    _recorder = []
    try:
        checker(None)
    finally:
        recorded, _recorder = _recorder, None
    if len(recorded) != 1:
        raise ValueError(f"{checker.__name__} called compare() {len(recorded)} times; expected 1")
    return recorded[0]


def _record(reference_fn, cases, exercise, rtol, atol, read_only):
    rows = []
    for case in cases:
        expected = reference_fn(*copy.deepcopy(case.args), **copy.deepcopy(case.kwargs))
        rows.append(
            {
                "label": case.label,
                "args": list(case.args),
                "kwargs": case.kwargs,
                "expected": expected,
            }
        )
    return {
        "exercise": exercise,
        "rtol": rtol,
        "atol": atol,
        "read_only": {str(k): v for k, v in (read_only or {}).items()},
        "cases": rows,
    }
