import numpy as np
import pytest
from messages import naming

from rnnbook.models import mlp
from rnnbook.nn import gradcheck, losses


def setup(activation_dims=(3, 4, 2), n=5, seed=0):
    rng = np.random.default_rng(seed)
    d, h, k = activation_dims
    params = mlp.init(d, h, k, rng)
    for key in ("hidden_bias", "output_bias"):  # non-zero biases, so their role is tested too
        params[key] = rng.normal(size=params[key].shape)
    return params, rng.normal(size=(n, d)), rng


def test_init_shapes_order_and_keras_defaults():
    params = mlp.init(3, 4, 2, np.random.default_rng(0))
    assert list(params) == list(mlp.KEYS)
    assert [v.shape for v in params.values()] == [(3, 4), (4,), (4, 2), (2,)]
    assert np.all(np.abs(params["hidden_kernel"]) <= np.sqrt(6 / 7))
    assert np.all(params["hidden_bias"] == 0) and np.all(params["output_bias"] == 0)


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu"])
def test_backward_matches_central_differences(activation):
    params, x, rng = setup()
    targets = rng.integers(0, 2, size=5)

    def loss():
        return losses.softmax_cross_entropy(mlp.forward(x, params, activation)[0], targets)[0]

    logits, cache = mlp.forward(x, params, activation)
    _, dlogits = losses.softmax_cross_entropy(logits, targets)
    grads = mlp.backward(dlogits, cache, params, activation)
    assert list(grads) == list(mlp.KEYS)
    assert gradcheck.check(loss, params, grads) < 1e-7


def test_forward_and_gradients_match_keras(tf_keras):
    tf, keras = tf_keras
    params, x, rng = setup((3, 4, 1), n=6)
    y = rng.integers(0, 2, size=(6, 1)).astype(float)
    model = keras.Sequential(
        [
            keras.Input((3,), dtype="float64"),
            keras.layers.Dense(4, activation="tanh", dtype="float64"),
            keras.layers.Dense(1, dtype="float64"),
        ]
    )
    model.set_weights(list(params.values()))
    bce = keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")
    with tf.GradientTape() as tape:
        keras_loss = bce(y, model(x))
    keras_grads = tape.gradient(keras_loss, model.trainable_variables)

    logits, cache = mlp.forward(x, params)
    np.testing.assert_allclose(logits, model(x).numpy(), rtol=1e-12, atol=1e-14)
    value, dlogits = losses.binary_cross_entropy(logits, y)
    assert value == pytest.approx(float(keras_loss), rel=1e-12)
    grads = mlp.backward(dlogits, cache, params)
    for key, theirs in zip(mlp.KEYS, keras_grads, strict=True):
        np.testing.assert_allclose(grads[key], theirs.numpy(), rtol=1e-10, atol=1e-14, err_msg=key)


class PlainSGD:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate

    def step(self, params, grads):
        for key in params:
            params[key] -= self.learning_rate * grads[key]


def test_fit_learns_xor_and_records_loss_before_each_update():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    params = mlp.init(2, 4, 1, np.random.default_rng(1))
    first = losses.binary_cross_entropy(mlp.forward(x, params)[0], y)[0]
    history = mlp.fit(x, y, params, losses.binary_cross_entropy, PlainSGD(1.0), epochs=500)
    assert history.shape == (500,) and history[0] == first
    assert history[-1] < 0.1 * history[0]
    predictions = (mlp.forward(x, params)[0] > 0).astype(float)
    np.testing.assert_array_equal(predictions, y)


def test_bad_arguments_are_explained():
    params, x, _ = setup()
    with pytest.raises(ValueError, match=naming("x", "D=3", "(5, 4)")):
        mlp.forward(np.zeros((5, 4)), params)
    with pytest.raises(ValueError, match="params must be a dict with keys"):
        mlp.forward(x, {"kernel": params["hidden_kernel"]})
    broken = dict(params, output_bias=np.zeros(3))
    with pytest.raises(ValueError, match=naming("params['output_bias']", "(2,)")):
        mlp.forward(x, broken)
    with pytest.raises(ValueError, match="no useful derivative"):
        mlp.forward(x, params, activation="step")
