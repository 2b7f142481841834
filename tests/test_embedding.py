"""The embedding lookup equals Keras' Embedding, and its backward pass is the right scatter-add."""

import numpy as np
import pytest
from messages import naming

from rnnbook.nn import embedding, gradcheck


def test_init_shape_range_and_reproducibility():
    params = embedding.init(7, 3, np.random.default_rng(0))
    assert list(params) == ["embeddings"] and params["embeddings"].shape == (7, 3)
    assert np.all(np.abs(params["embeddings"]) <= 0.05)
    again = embedding.init(7, 3, np.random.default_rng(0))
    np.testing.assert_array_equal(params["embeddings"], again["embeddings"])


@pytest.mark.parametrize("shape", [(1,), (1, 1), (4, 6), (2, 3, 2)])
def test_forward_equals_keras_embedding(keras, shape):
    rng = np.random.default_rng(1)
    params = {"embeddings": rng.normal(size=(9, 4))}
    ids = rng.integers(0, 9, size=shape)
    layer = keras.layers.Embedding(9, 4, dtype="float64")
    layer.build(shape)
    layer.set_weights(list(params.values()))
    x, _ = embedding.forward(ids, params)
    assert x.shape == shape + (4,)
    np.testing.assert_array_equal(x, layer(ids).numpy())


def test_backward_sums_repeated_ids_and_passes_gradcheck():
    rng = np.random.default_rng(2)
    params = {"embeddings": rng.normal(size=(5, 3))}
    ids = np.array([[0, 2, 2], [2, 4, 0]])  # id 2 three times, id 0 twice, 1 and 3 never
    weights = rng.normal(size=(2, 3, 3))

    def loss():
        return np.sum(embedding.forward(ids, params)[0] * weights)

    _, cache = embedding.forward(ids, params)
    grads = embedding.backward(weights, cache, params)
    np.testing.assert_allclose(
        grads["embeddings"][2], weights[0, 1] + weights[0, 2] + weights[1, 0]
    )
    np.testing.assert_array_equal(grads["embeddings"][[1, 3]], 0.0)
    assert gradcheck.check(loss, params, grads) < 1e-7


def test_backward_equals_gradient_tape(keras):
    import tensorflow as tf

    rng = np.random.default_rng(3)
    params = {"embeddings": rng.normal(size=(6, 2))}
    ids = rng.integers(0, 6, size=(3, 5))
    dx = rng.normal(size=(3, 5, 2))
    table = tf.Variable(params["embeddings"])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(table, ids) * dx)
    expected = tf.convert_to_tensor(tape.gradient(loss, table)).numpy()
    _, cache = embedding.forward(ids, params)
    np.testing.assert_allclose(
        embedding.backward(dx, cache, params)["embeddings"], expected, atol=1e-12
    )


@pytest.mark.parametrize(
    ("ids", "error", "message"),
    [
        (np.array([0.0, 1.0]), TypeError, "integer ids"),
        (np.array([0, 5]), ValueError, r"\[0, 5\); got 0 to 5"),
        (np.array([-1, 2]), ValueError, r"got -1 to 2"),
        (np.zeros((2, 0), dtype=int), ValueError, "must not be empty"),
    ],
)
def test_forward_rejects_bad_ids(ids, error, message):
    with pytest.raises(error, match=message):
        embedding.forward(ids, {"embeddings": np.zeros((5, 2))})


def test_bad_table_sizes_and_gradient_shape_are_rejected():
    with pytest.raises(ValueError, match=naming("vocab_size", "positive integer")):
        embedding.init(0, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("params['embeddings']", "(V, E)")):
        embedding.forward(np.array([0]), {"embeddings": np.zeros(5)})
    params = {"embeddings": np.zeros((5, 2))}
    _, cache = embedding.forward(np.array([[1, 2]]), params)
    with pytest.raises(ValueError, match=naming("dx", "(1, 2, 2)")):
        embedding.backward(np.zeros((2, 2)), cache, params)
