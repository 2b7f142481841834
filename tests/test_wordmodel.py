"""The next-word model: windows that fit, forward equal to Keras, gradients checked twice."""

import numpy as np
import pytest
from messages import naming

from rnnbook.models import wordmodel
from rnnbook.nn import gradcheck, losses


def keras_model(keras, vocab_size, embed_dim, units, steps, dtype):
    model = keras.Sequential(
        [
            keras.Input((steps,), dtype="int64"),
            keras.layers.Embedding(vocab_size, embed_dim, dtype=dtype),
            keras.layers.SimpleRNN(units, dtype=dtype),
            keras.layers.Dense(vocab_size, dtype=dtype),
        ]
    )
    return model


def random_params(vocab_size, embed_dim, units, rng):
    params = wordmodel.init(vocab_size, embed_dim, units, rng)
    params["embedding"]["embeddings"] = rng.normal(size=(vocab_size, embed_dim))  # not tiny
    params["rnn"]["bias"] = rng.normal(scale=0.5, size=units)
    params["dense"]["bias"] = rng.normal(scale=0.5, size=vocab_size)
    return params


@pytest.mark.parametrize("length", [1, 3, 9])
def test_windows_fit_and_targets_are_the_next_word(length):
    ids = np.arange(10) * 7
    inputs, targets = wordmodel.windows(ids, length)
    assert inputs.shape == (10 - length, length) and targets.shape == (10 - length,)
    for i in range(len(targets)):
        np.testing.assert_array_equal(inputs[i], ids[i : i + length])
        assert targets[i] == ids[i + length]
    assert targets[-1] == ids[-1]  # the last window's target is the last word, not past it


@pytest.mark.parametrize(
    ("ids", "length", "message"),
    [
        (np.arange(3), 3, "longer than length=3"),
        (np.arange(6).reshape(2, 3), 1, r"ids must be \(L,\); got shape \(2, 3\)"),
        (np.array([-1, 2, 3]), 2, "ids must be ids >= 0; got -1 to 3"),
        (np.arange(5), 0, "length must be a positive integer"),
    ],
)
def test_windows_rejects_bad_arguments(ids, length, message):
    with pytest.raises(ValueError, match=message):
        wordmodel.windows(ids, length)


@pytest.mark.parametrize(("n", "t", "v", "e", "h"), [(1, 1, 2, 1, 1), (3, 4, 7, 2, 5)])
def test_forward_equals_keras(tf_keras, n, t, v, e, h):
    _, keras = tf_keras
    rng = np.random.default_rng(n + t)
    params = random_params(v, e, h, rng)
    ids = rng.integers(0, v, size=(n, t))
    model = keras_model(keras, v, e, h, t, "float64")
    model.set_weights(wordmodel.keras_weights(params))
    logits, _ = wordmodel.forward(ids, params)
    assert logits.shape == (n, v)
    np.testing.assert_allclose(logits, model(ids).numpy(), rtol=0, atol=1e-12)
    back = wordmodel.from_keras_weights(model.get_weights())
    for part in params:
        for key in params[part]:
            np.testing.assert_array_equal(back[part][key], params[part][key])


def test_gradients_pass_finite_differences_and_equal_gradient_tape(tf_keras):
    tf, keras = tf_keras
    rng = np.random.default_rng(4)
    v, e, h, n, t = 6, 3, 4, 5, 3
    params = random_params(v, e, h, rng)
    ids = rng.integers(0, v, size=(n, t))
    targets = rng.integers(0, v, size=n)

    def loss():
        return losses.softmax_cross_entropy(wordmodel.forward(ids, params)[0], targets)[0]

    logits, cache = wordmodel.forward(ids, params)
    _, dlogits = losses.softmax_cross_entropy(logits, targets)
    grads = wordmodel.backward(dlogits, cache, params)
    assert gradcheck.check(loss, params, grads) < 1e-7

    model = keras_model(keras, v, e, h, t, "float64")
    model.set_weights(wordmodel.keras_weights(params))
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    with tf.GradientTape() as tape:
        value = loss_fn(targets, model(ids))
    expected = [
        tf.convert_to_tensor(g).numpy() for g in tape.gradient(value, model.trainable_weights)
    ]
    assert np.isclose(float(value), loss(), rtol=1e-12)
    for ours, theirs in zip(wordmodel.keras_weights(grads), expected, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)


def test_bad_arguments_are_rejected():
    params = wordmodel.init(5, 2, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("ids", "(N, T)", "(4,)")):
        wordmodel.forward(np.arange(4), params)
    with pytest.raises(ValueError, match=r"ids must lie in \[0, 5\)"):
        wordmodel.forward(np.array([[1, 5]]), params)
    with pytest.raises(ValueError, match="weights must be 6 arrays"):
        wordmodel.from_keras_weights(wordmodel.keras_weights(params)[:5])
