"""Run a student's function against the reference on many inputs and explain the first mismatch."""

import copy
import sys
from dataclasses import dataclass, field

import numpy as np


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
    if _is_package_code(getattr(student_fn, "__module__", None)):
        name = f"{student_fn.__module__}.{getattr(student_fn, '__qualname__', '')}".rstrip(".")
        raise ReferenceUsed(
            f"{exercise}: your function is {name} from the rnnbook package, not one you wrote"
        )
    for case in cases:
        expected, reference_calls = package_calls(
            reference_fn, *copy.deepcopy(case.args), **copy.deepcopy(case.kwargs)
        )
        args = copy.deepcopy(case.args)
        try:
            # overflow or 0/0 inside the student's code is a bug even when the result looks right
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                call = getattr(student_fn, "traced_call", None) or _local_call(student_fn)
                got, student_calls = call(*args, **copy.deepcopy(case.kwargs))
        except NotImplementedError:
            raise
        except Exception as err:
            raise ExerciseError(
                f"{exercise}: your function raised {type(err).__name__} for {case.label}: {err}"
            ) from err
        borrowed = sorted(_borrowed(student_calls, reference_calls))
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
        problem = _difference(got, expected, "the output", rtol, atol)
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


def encode(value, arrays):
    """Plain data for JSON, with every array appended to `arrays` (saved without pickle)."""
    if isinstance(value, dict):
        return {"dict": [[str(k), encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, tuple | list):
        return {type(value).__name__: [encode(v, arrays) for v in value]}
    if isinstance(value, str):
        return {"str": value}
    if value is None:
        return {"none": None}
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "biuf":
        return {"other": type(value).__name__}
    arrays.append(array)
    return {"array": len(arrays) - 1, "scalar": type(value).__name__ if array.ndim == 0 else None}


class Other:
    """Stands for a value whose type cannot be stored (a checker names the type)."""


def decode(node, arrays):
    """The value encode() described; arrays: what np.load gave (keys arr_0, arr_1, ...)."""
    if "dict" in node:
        return {k: decode(v, arrays) for k, v in node["dict"]}
    if "tuple" in node:
        return tuple(decode(v, arrays) for v in node["tuple"])
    if "list" in node:
        return [decode(v, arrays) for v in node["list"]]
    if "str" in node:
        return node["str"]
    if "none" in node:
        return None
    if "array" in node:
        array = arrays[f"arr_{node['array']}"]
        scalar = {"int": int, "float": float, "bool": bool}.get(node.get("scalar"))
        return scalar(array) if scalar else array[()] if node.get("scalar") else array
    return type(node["other"], (Other,), {})()


def package_calls(fn, *args, **kwargs):
    """Call fn; return (its result, the set of rnnbook functions that ran, as 'module.qualname')."""
    calls = set()

    def profile(frame, event, arg):
        if event == "call" and _is_package_code(frame.f_globals.get("__name__")):
            calls.add(f"{frame.f_globals['__name__']}.{frame.f_code.co_qualname}")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, calls


def _local_call(fn):
    """A function of this process: called as it is (the grader traces its calls in the kernel)."""
    return lambda *args, **kwargs: (fn(*args, **kwargs), set())


def _is_package_code(module):
    return isinstance(module, str) and (module == "rnnbook" or module.startswith("rnnbook."))


def _borrowed(student_calls, reference_calls):
    """Package functions the student's code ran that it may not: the reference's, any checker."""
    return {
        name
        for name in student_calls
        if name in reference_calls or name.startswith("rnnbook.checks.")
    }


def _difference(got, expected, where, rtol, atol):
    """Describe how `got` differs from `expected`, or return None when they agree."""
    if isinstance(expected, dict):
        # the keys as a set: a dict with the right entries in another order is right
        if not isinstance(got, dict) or set(got) != set(expected):
            keys = sorted(map(str, got)) if isinstance(got, dict) else type(got).__name__
            return f"{where} should be a dict with keys {sorted(map(str, expected))}; got {keys}"
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
