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
