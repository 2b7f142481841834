"""The dense layer: shapes, Keras' Dense with the same weights, and a finite-difference check."""

import numpy as np
import pytest
from messages import naming

from rnnbook import backend
from rnnbook.nn import dense, gradcheck

_, keras = backend.load_keras(0)


@pytest.mark.parametrize("shape", [(1, 1), (4, 3), (2, 5, 3)])
def test_forward_equals_keras_dense(shape):
    rng = np.random.default_rng(0)
    params = dense.init(shape[-1], 4, rng)
    params["bias"] = rng.normal(size=4)  # a zero bias would hide a bias bug
    x = rng.normal(size=shape)
    layer = keras.layers.Dense(4, dtype="float64")
    layer.build((None, shape[-1]))
    layer.set_weights(list(params.values()))
    y, _ = dense.forward(x, params)
    assert y.shape == shape[:-1] + (4,)
    assert np.max(np.abs(y - layer(x).numpy())) < 1e-12


@pytest.mark.parametrize("shape", [(1, 2), (3, 2), (2, 4, 2)])
def test_backward_matches_finite_differences(shape):
    rng = np.random.default_rng(1)
    params = dense.init(shape[-1], 3, rng)
    x = rng.normal(size=shape)
    weights = rng.normal(size=shape[:-1] + (3,))  # loss = sum(y * weights) makes dy = weights
    y, cache = dense.forward(x, params)
    dx, grads = dense.backward(weights, cache, params)

    def loss():
        return np.sum(dense.forward(x, params)[0] * weights)

    assert gradcheck.check(loss, {"x": x, **params}, {"x": dx, **grads}) < 1e-7


def test_init_is_glorot_uniform_with_zero_bias():
    params = dense.init(300, 200, np.random.default_rng(2))
    limit = np.sqrt(6 / (300 + 200))
    assert list(params) == ["kernel", "bias"]
    assert np.abs(params["kernel"]).max() <= limit
    assert np.abs(params["kernel"]).max() > 0.99 * limit  # uses the whole range
    assert np.all(params["bias"] == 0)


def test_forward_rejects_a_mismatched_input():
    params = dense.init(3, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("x", "D=3", "(4, 5)")):
        dense.forward(np.zeros((4, 5)), params)


def test_backward_rejects_a_mismatched_gradient():
    params = dense.init(3, 2, np.random.default_rng(0))
    _, cache = dense.forward(np.zeros((4, 3)), params)
    with pytest.raises(ValueError, match=naming("dy", "(..., H)", "(4, 3)")):
        dense.backward(np.zeros((4, 3)), cache, params)


def test_init_rejects_bad_sizes_and_generators():
    with pytest.raises(ValueError, match=naming("units", "positive integer", "got 0")):
        dense.init(3, 0, np.random.default_rng(0))
    with pytest.raises(TypeError, match=naming("rng", "numpy.random.Generator")):
        dense.init(3, 2, 42)
