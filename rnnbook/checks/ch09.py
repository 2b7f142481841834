"""Checkers for chapter 9 (encoder-decoders and attention)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.nn import attention


def check_additive_scores(fn):
    """additive_scores(query, keys, v) against attention.scores (Keras' additive score)."""
    rng = np.random.default_rng(902)

    def reference(query, keys, v):
        return attention.scores(query, keys, score="additive", scale=v)

    def case(label, n, tq, tk, d):
        args = rng.normal(size=(n, tq, d)), rng.normal(size=(n, tk, d))
        return Case(label, (*args, rng.normal(size=d)))

    cases = [
        case("one query, one key, D = 1", 1, 1, 1, 1),
        case("2 sequences, 3 queries, 5 keys, D = 4", 2, 3, 5, 4),
        case("as many queries as keys", 1, 4, 4, 3),
        case("more queries than keys", 3, 6, 2, 2),
    ]
    compare(fn, reference, cases, exercise="additive_scores")


def check_causal_self_attention(fn):
    """causal_self_attention(x, wq, wk, wv) against a masked, scaled softmax written out."""
    rng = np.random.default_rng(903)

    def reference(x, wq, wk, wv):
        q, k, v = x @ wq, x @ wk, x @ wv  # (N, T, K), (N, T, K), (N, T, Dv)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(k.shape[-1])  # (N, T, T)
        future = np.triu(np.ones(scores.shape[1:], dtype=bool), k=1)  # key after query
        scores = np.where(future, -np.inf, scores)
        weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
        weights /= weights.sum(axis=-1, keepdims=True)
        return weights @ v, weights

    def case(label, n, t, d, k, dv, size=1.0):
        x = size * rng.normal(size=(n, t, d))
        return Case(
            label, (x, rng.normal(size=(d, k)), rng.normal(size=(d, k)), rng.normal(size=(d, dv)))
        )

    cases = [
        case("a sequence of one step", 1, 1, 3, 2, 2),
        case("2 sequences of 5 steps, K = 4", 2, 5, 3, 4, 2),
        case("K = 1", 1, 4, 2, 1, 3),
        case(
            "large inputs (scores in the thousands: the softmax must not overflow)",
            2,
            6,
            4,
            3,
            3,
            size=20.0,
        ),
    ]
    compare(fn, reference, cases, exercise="causal_self_attention")
