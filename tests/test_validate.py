"""Argument checks say what was expected and what arrived."""

import numpy as np
import pytest
from messages import naming

from rnnbook import validate


def test_array_accepts_and_converts():
    out = validate.array([[1, 2, 3]], "x", "N D", D=3)
    assert out.dtype == np.float64 and out.shape == (1, 3)
    assert validate.array(np.zeros((2, 1), np.float32), "x", "N D").dtype == np.float32


@pytest.mark.parametrize(
    ("value", "dims", "sizes", "message"),
    [
        (np.zeros((3, 4)), "N T D", {}, r"x must be \(N, T, D\); got shape \(3, 4\)"),
        (
            np.zeros((3, 4, 5)),
            "N T D",
            {"D": 2},
            r"x must be \(N, T, D\) with D=2; got shape \(3, 4, 5\)",
        ),
        (np.zeros((3, 0, 5)), "N T D", {}, r"x must not be empty; got shape \(3, 0, 5\)"),
        (np.array([1.0, np.inf]), "N", {}, "x must be finite; it holds 1 NaN or inf"),
        (np.zeros(3), "H", {"H": 2}, r"x must be \(H,\) with H=2; got shape \(3,\)"),
    ],
)
def test_array_rejects_with_a_clear_message(value, dims, sizes, message):
    with pytest.raises(ValueError, match=message):
        validate.array(value, "x", dims, **sizes)


def test_array_rejects_text():
    with pytest.raises(TypeError, match="x must hold numbers; got dtype <U1"):
        validate.array(["a"], "x", "N")


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "3"])
def test_positive_int_rejects(bad):
    with pytest.raises(ValueError, match="units must be a positive integer"):
        validate.positive_int(bad, "units")


def test_generator_and_params():
    with pytest.raises(TypeError, match="got RandomState"):
        validate.generator(np.random.RandomState(0))
    with pytest.raises(ValueError, match=naming("params", "['kernel', 'bias']")):
        validate.params({"bias": 0, "kernel": 0}, "params", {"kernel": (2, 3), "bias": (3,)})
    with pytest.raises(ValueError, match=naming("params['bias']", "(3,)", "(2,)")):
        validate.params(
            {"kernel": np.zeros((2, 3)), "bias": np.zeros(2)},
            "params",
            {"kernel": (2, 3), "bias": (3,)},
        )


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((0.5, "rate", 0, 1), {"high_open": True}, 0.5),
        ((0, "rate", 0, 1), {"high_open": True}, 0.0),  # a closed end holds its bound
        ((np.float32(2.5), "alpha", 0), {"low_open": True}, 2.5),
        ((np.array(3), "b"), {}, 3.0),  # a 0-d array is a number
    ],
)
def test_number_returns_a_float_inside_its_interval(args, kwargs, expected):
    value = validate.number(*args, **kwargs)
    assert value == expected and type(value) is float


@pytest.mark.parametrize(
    ("value", "kwargs", "error", "message"),
    [
        (1.0, {"low": 0, "high": 1, "high_open": True}, ValueError, r"in \[0, 1\); got 1.0"),
        (0, {"low": 0, "high": 1, "low_open": True}, ValueError, r"in \(0, 1\]; got 0"),
        (-0.1, {"low": 0, "low_open": True}, ValueError, "a number > 0; got -0.1"),
        (np.inf, {"low": 0}, ValueError, "a number >= 0; got inf"),
        (np.nan, {}, ValueError, "a finite number; got nan"),
        (True, {}, TypeError, "a finite number; got True"),
        ("0.5", {"low": 0}, TypeError, "got '0.5'"),
        (np.zeros(2), {}, ValueError, r"a single number; got shape \(2,\)"),
    ],
)
def test_number_names_the_interval_and_what_arrived(value, kwargs, error, message):
    with pytest.raises(error, match=f"^x must be .*{message}"):
        validate.number(value, "x", **kwargs)


def test_integer_takes_python_and_numpy_integers_from_its_lower_bound():
    assert validate.integer(np.int8(3), "k") == 3 and validate.integer(0, "k") == 0
    for bad in [-1, 2.0, True, "3"]:
        with pytest.raises(ValueError, match=f"^k must be an integer >= 0; got {bad!r}"):
            validate.integer(bad, "k")
    with pytest.raises(ValueError, match="k must be an integer >= 2; got 1"):
        validate.integer(1, "k", low=2)


def test_ids_checks_dtype_shape_and_range():
    ids = validate.ids([[0, 4], [2, 1]], "ids", 5, "N T")
    assert ids.dtype.kind == "i" and ids.shape == (2, 2)
    cases = [
        (np.zeros(3), {"vocab_size": 5}, TypeError, "ids must be integer ids; got dtype float64"),
        (np.array([True]), {"vocab_size": 5}, TypeError, "got dtype bool"),
        (np.zeros(3, int), {"vocab_size": 5, "dims": "N T"}, ValueError, r"\(N, T\); got shape"),
        (np.zeros((2, 0), int), {"vocab_size": 5}, ValueError, "must not be empty"),
        (np.array([0, 5]), {"vocab_size": 5}, ValueError, r"must lie in \[0, 5\); got 0 to 5"),
        (np.array([-2, 1]), {}, ValueError, "must be ids >= 0; got -2 to 1"),
    ]
    for value, kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            validate.ids(value, "ids", **kwargs)
    assert validate.ids(np.array([7, 9]), "ids").tolist() == [7, 9]  # no size: any id >= 0


def test_array_without_dims_takes_any_shape_and_can_force_float64():
    arr = validate.array(np.ones((2, 3, 4), np.float32), "a", dtype=np.float64)
    assert arr.shape == (2, 3, 4) and arr.dtype == np.float64
    assert validate.array(np.float32(2), "a").dtype == np.float32
    with pytest.raises(ValueError, match="a must be finite"):
        validate.array([1.0, np.nan], "a")
