"""Initialisers: the ranges and orthogonality Keras' defaults promise."""

import numpy as np
import pytest

from rnnbook.nn import initializers


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 4), (1, 8)])
def test_orthogonal_has_orthonormal_rows_or_columns(shape):
    q = initializers.orthogonal(shape, np.random.default_rng(0))
    small = min(shape)
    gram = q @ q.T if shape[0] == small else q.T @ q
    assert q.shape == shape
    assert np.allclose(gram, np.eye(small), atol=1e-12)


def test_glorot_uniform_limit_and_variance():
    w = initializers.glorot_uniform((400, 600), np.random.default_rng(1))
    limit = np.sqrt(6 / 1000)
    assert np.abs(w).max() <= limit
    assert w.var() == pytest.approx(
        2 / 1000, rel=0.02
    )  # Var U(-l, l) = l^2 / 3 = 2 / (fan_in + fan_out)


def test_same_seed_same_weights_and_no_global_state():
    a = initializers.glorot_uniform((3, 3), np.random.default_rng(7))
    np.random.seed(123)  # noqa: NPY002 (the point: global seeding must not matter)
    b = initializers.glorot_uniform((3, 3), np.random.default_rng(7))
    assert np.array_equal(a, b)
