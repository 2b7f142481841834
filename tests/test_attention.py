"""Attention: Keras' Attention and AdditiveAttention with the same inputs, finite differences."""

import numpy as np
import pytest
from messages import naming

from rnnbook import backend
from rnnbook.nn import attention, gradcheck

tf, keras = backend.load_keras(0)

CASES = [("dot", False), ("dot", True), ("additive", False), ("additive", True)]


def inputs(seed, n=2, tq=3, tv=5, d=4, dv=6):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, tq, d)), rng.normal(size=(n, tv, dv)), rng.normal(size=(n, tv, d))


def keras_layer(score, use_scale, scale):
    if score == "dot":
        layer = keras.layers.Attention(use_scale=use_scale, dtype="float64")
    else:
        layer = keras.layers.AdditiveAttention(use_scale=use_scale, dtype="float64")
    if use_scale:
        layer.build([(None, None, len(np.atleast_1d(scale)))] * 3)
        layer.set_weights([np.asarray(scale)])
    return layer


@pytest.mark.parametrize(("score", "use_scale"), CASES)
@pytest.mark.parametrize("given_key", [True, False])
def test_forward_and_gradients_equal_keras_in_float64(score, use_scale, given_key):
    query, value, key = inputs(1)
    if not given_key:
        value = value[..., :4]  # the key is the value: same width as the query
    rng = np.random.default_rng(2)
    scale = None
    if use_scale:
        scale = np.array(1.7) if score == "dot" else rng.normal(size=4)
    layer = keras_layer(score, use_scale, scale)
    dcontext = rng.normal(size=query.shape[:2] + value.shape[2:])  # loss = sum(context * dcontext)
    key_arg = key if given_key else None
    context, weights, cache = attention.forward(query, value, key_arg, score=score, scale=scale)
    dquery, dvalue, dkey, dscale = attention.backward(dcontext, cache)

    q, v, k = (tf.constant(a) for a in (query, value, key))
    with tf.GradientTape() as tape:
        tape.watch([q, v, k])
        call = [q, v, k] if given_key else [q, v]
        out, scores = layer(call, return_attention_scores=True)
        loss = tf.reduce_sum(out * dcontext)
    sources = [q, v, k] if given_key else [q, v]
    grads = tape.gradient(loss, sources + list(layer.trainable_variables))
    assert np.max(np.abs(context - out.numpy())) < 1e-12
    assert np.max(np.abs(weights - scores.numpy())) < 1e-12
    assert np.max(np.abs(dquery - grads[0].numpy())) < 1e-12
    assert np.max(np.abs(dvalue - grads[1].numpy())) < 1e-12
    if given_key:
        assert np.max(np.abs(dkey - grads[2].numpy())) < 1e-12
    else:
        assert dkey is None
    if use_scale:
        assert np.max(np.abs(dscale - grads[-1].numpy())) < 1e-12
    else:
        assert dscale is None


@pytest.mark.parametrize(("score", "use_scale"), CASES)
def test_backward_matches_finite_differences(score, use_scale):
    query, value, key = inputs(3)
    rng = np.random.default_rng(4)
    scale = None
    if use_scale:
        scale = np.array(0.8) if score == "dot" else rng.normal(size=4)
    dcontext = rng.normal(size=(2, 3, 6))
    dweights = rng.normal(size=(2, 3, 5))  # a loss that reads the weights too

    def loss():
        context, weights, _ = attention.forward(query, value, key, score=score, scale=scale)
        return np.sum(context * dcontext) + np.sum(weights * dweights)

    _, _, cache = attention.forward(query, value, key, score=score, scale=scale)
    dquery, dvalue, dkey, dscale = attention.backward(dcontext, cache, dweights)
    arrays = {"query": query, "value": value, "key": key}
    analytic = {"query": dquery, "value": dvalue, "key": dkey}
    if use_scale:
        arrays["scale"], analytic["scale"] = scale, np.reshape(dscale, np.shape(scale))
    assert gradcheck.check(loss, arrays, analytic) < 1e-7


def test_weights_are_distributions_over_the_keys():
    query, value, key = inputs(5)
    for score in ("dot", "additive"):
        context, weights, _ = attention.forward(query, value, key, score=score)
        assert weights.shape == (2, 3, 5) and context.shape == (2, 3, 6)
        assert np.all(weights > 0) and np.allclose(weights.sum(axis=-1), 1.0)


def test_one_matching_key_takes_nearly_all_the_weight():
    key = np.eye(4)[None] * 20.0  # (1, 4, 4): key j points along axis j
    value = np.arange(4.0)[None, :, None]  # value j is the number j
    query = key[:, [2]]  # matches key 2 only
    context, weights, _ = attention.forward(query, value, key)
    assert weights[0, 0, 2] > 0.999 and abs(context[0, 0, 0] - 2.0) < 1e-3


def test_self_attention_equals_attention_of_projections():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 7, 5))
    params = {
        "query": rng.normal(size=(5, 3)),
        "key": rng.normal(size=(5, 3)),
        "value": rng.normal(size=(5, 4)),
    }
    out, weights = attention.self_attention(x, params)
    expected, expected_w, _ = attention.forward(
        x @ params["query"], x @ params["value"], x @ params["key"], scale=np.array(3**-0.5)
    )
    assert np.allclose(out, expected) and np.allclose(weights, expected_w)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"score": "cosine"}, r"score must be one of \('dot', 'additive'\); got 'cosine'"),
        ({"key": np.zeros((2, 4, 4))}, r"key must be \(N, Tv, D\) = \(2, 5, 4\).*\(2, 4, 4\)"),
        (
            {"key": np.zeros((2, 5, 3))},
            r"key must be \(N, Tv, D\) with N=2, D=4; got shape \(2, 5, 3\)",
        ),
        ({"score": "additive", "scale": np.ones(3)}, r"scale must be \(D,\) with D=4"),
        ({"scale": np.ones(4)}, r"scale must have shape \(\) for dot scores; got \(4,\)"),
    ],
)
def test_bad_input_is_named(kwargs, message):
    query, value, key = inputs(7)
    kwargs = {"key": key, **kwargs}
    with pytest.raises(ValueError, match=message):
        attention.forward(query, value, kwargs.pop("key"), **kwargs)


def test_backward_rejects_a_wrong_cache_and_shape():
    query, value, key = inputs(8)
    _, _, cache = attention.forward(query, value, key)
    with pytest.raises(TypeError, match=naming("cache", "attention.forward")):
        attention.backward(np.zeros((2, 3, 6)), None)
    with pytest.raises(ValueError, match=naming("dcontext", "(2, 3, 6)")):
        attention.backward(np.zeros((2, 3, 5)), cache)
