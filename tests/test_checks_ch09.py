"""Chapter 9's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest

from rnnbook import backend
from rnnbook.checks import ch09
from rnnbook.checks.core import ExerciseError


def softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def causal(x, wq, wk, wv, *, diagonal=0, scale=True, mask_after=False, upper=False):
    """Causal self-attention with one thing changed, for the wrong answers below."""
    q, k, v = x @ wq, x @ wk, x @ wv
    scores = q @ k.transpose(0, 2, 1) / (np.sqrt(k.shape[-1]) if scale else 1.0)
    t = scores.shape[1]
    hidden = (
        np.tril(np.ones((t, t), dtype=bool), k=-1)
        if upper
        else np.triu(np.ones((t, t), dtype=bool), k=1 - diagonal)
    )
    if mask_after:
        weights = softmax(scores, axis=-1)
        weights = np.where(hidden, 0.0, weights)  # zeroed but not renormalised
    else:
        weights = softmax(np.where(hidden, -np.inf, scores), axis=-1)
    return weights @ v, weights


def causal_without_mask(x, wq, wk, wv):
    q, k, v = x @ wq, x @ wk, x @ wv
    weights = softmax(q @ k.transpose(0, 2, 1) / np.sqrt(k.shape[-1]), axis=-1)
    return weights @ v, weights


def causal_naive_softmax(x, wq, wk, wv):
    q, k, v = x @ wq, x @ wk, x @ wv
    e = np.exp(q @ k.transpose(0, 2, 1) / np.sqrt(k.shape[-1]))  # overflows for large scores
    e = np.tril(e)
    weights = e / e.sum(axis=-1, keepdims=True)
    return weights @ v, weights


def additive_tanh_each(query, keys, v):
    return (np.tanh(query)[:, :, None, :] + np.tanh(keys)[:, None, :, :]) @ v


def additive_without_tanh(query, keys, v):
    return (query[:, :, None, :] + keys[:, None, :, :]) @ v


def additive_keys_first(query, keys, v):
    return np.tanh(keys[:, :, None, :] + query[:, None, :, :]) @ v  # (N, Tk, Tq)


def additive_without_v(query, keys, v):
    return np.tanh(query[:, :, None, :] + keys[:, None, :, :]).sum(axis=-1)


@pytest.mark.parametrize(
    ("check", "wrong", "message"),
    [
        ("additive_scores", additive_tanh_each, r"off by"),
        ("additive_scores", additive_without_tanh, r"off by"),
        ("additive_scores", additive_keys_first, r"shape"),
        ("additive_scores", additive_without_v, r"off by"),
        ("causal_self_attention", causal_without_mask, r"off by"),
        ("causal_self_attention", lambda *a: causal(*a, diagonal=1), r"raised|NaN"),
        ("causal_self_attention", lambda *a: causal(*a, diagonal=-1), r"off by"),
        ("causal_self_attention", lambda *a: causal(*a, scale=False), r"off by"),
        ("causal_self_attention", lambda *a: causal(*a, mask_after=True), r"off by"),
        ("causal_self_attention", lambda *a: causal(*a, upper=True), r"off by"),
        ("causal_self_attention", causal_naive_softmax, r"raised FloatingPointError|NaN"),
    ],
)
def test_plausible_wrong_answers_are_rejected(check, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        getattr(ch09, f"check_{check}")(wrong)


def test_additive_reference_is_keras_additive_attention():
    """The checker's reference scores give Keras' AdditiveAttention weights after a softmax."""
    tf, keras = backend.load_keras(0)
    rng = np.random.default_rng(0)
    query, keys, v = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4)), rng.normal(size=4)
    layer = keras.layers.AdditiveAttention(use_scale=True, dtype="float64")
    layer.build([(None, None, 4)] * 3)
    layer.set_weights([v])
    _, weights = layer([query, keys, keys], return_attention_scores=True)

    def formula(query, keys, v):
        return np.tanh(query[:, :, None, :] + keys[:, None, :, :]) @ v

    ch09.check_additive_scores(formula)  # the checker's reference is this formula
    assert np.allclose(softmax(formula(query, keys, v), axis=-1), weights.numpy(), atol=1e-12)


def test_a_right_causal_self_attention_passes(capsys):
    ch09.check_causal_self_attention(causal)  # causal() with nothing changed is right
    assert capsys.readouterr().out.startswith("correct:")
