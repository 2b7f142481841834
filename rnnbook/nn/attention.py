"""Attention: each query reads an average of the values, weighted by how it matches the keys.

Both scores are those of Keras' layers, so that the same arrays give the same results:

- dot-product (Luong), `keras.layers.Attention`: score[i, j] = scale * (q_i . k_j);
- additive (Bahdanau), `keras.layers.AdditiveAttention`:
  score[i, j] = sum_d scale_d tanh(q_id + k_jd).

Then weights = softmax(scores) over the keys, and context_i = sum_j weights[i, j] v_j.
Shapes are batch first: query (N, Tq, D), key (N, Tv, D), value (N, Tv, Dv).
"""

from dataclasses import dataclass

import numpy as np

from rnnbook import validate
from rnnbook.nn import activations

SCORES = ("dot", "additive")


@dataclass(frozen=True)
class Cache:
    """What backward needs from forward."""

    score: str
    query: np.ndarray  # (N, Tq, D)
    key: np.ndarray  # (N, Tv, D)
    value: np.ndarray  # (N, Tv, Dv)
    key_is_value: bool
    scale: object  # None, a number (dot) or (D,) (additive)
    weights: np.ndarray  # (N, Tq, Tv)
    tanhs: object  # additive only: tanh(q_i + k_j), (N, Tq, Tv, D)


def _inputs(query, value, key, score, scale):
    if score not in SCORES:
        raise ValueError(f"score must be one of {SCORES}; got {score!r}")
    query = validate.array(query, "query", "N Tq D")
    batch, _, dim = query.shape
    value = validate.array(value, "value", "N Tv Dv", N=batch)
    key_is_value = key is None
    key = value if key_is_value else validate.array(key, "key", "N Tv D", N=batch, D=dim)
    if key.shape[:2] != value.shape[:2] or key.shape[2] != dim:
        raise ValueError(
            f"key must be (N, Tv, D) = {value.shape[:2] + (dim,)} to match query and value; "
            f"got shape {key.shape}"
        )
    if scale is not None:
        wanted = () if score == "dot" else (dim,)
        scale = validate.array(scale, "scale", "D", D=dim) if wanted else np.asarray(scale)
        if scale.shape != wanted:
            raise ValueError(
                f"scale must have shape {wanted} for {score} scores; got {scale.shape}"
            )
    return query, value, key, key_is_value, scale


def forward(query, value, key=None, *, score="dot", scale=None):
    """Return (context (N, Tq, Dv), weights (N, Tq, Tv), cache); key defaults to value."""
    query, value, key, key_is_value, scale = _inputs(query, value, key, score, scale)
    scores, tanhs = _scores(query, key, score, scale)
    weights = activations.softmax(scores, axis=-1)  # each query's weights add up to one
    context = weights @ value  # (N, Tq, Dv)
    return context, weights, Cache(score, query, key, value, key_is_value, scale, weights, tanhs)


def scores(query, key, *, score="dot", scale=None):
    """The scores (N, Tq, Tv) before the softmax, as forward computes them."""
    query, _, key, _, scale = _inputs(query, key, None, score, scale)
    return _scores(query, key, score, scale)[0]


def _scores(query, key, score, scale):
    """(scores, tanhs): tanhs = tanh(q_i + k_j) (N, Tq, Tv, D) for additive scores, else None."""
    if score == "dot":
        scores = query @ key.transpose(0, 2, 1)  # (N, Tq, Tv)
        return (scores if scale is None else scores * scale), None
    tanhs = np.tanh(query[:, :, None, :] + key[:, None, :, :])  # (N, Tq, Tv, D)
    return (tanhs.sum(axis=-1) if scale is None else tanhs @ scale), tanhs


def backward(dcontext, cache, dweights=None):
    """Given dL/dcontext (and optionally dL/dweights), return (dquery, dvalue, dkey, dscale).

    dkey is None when forward used the value as the key: its gradient is then part of dvalue.
    dscale is None when forward had no scale.
    """
    if not isinstance(cache, Cache):
        raise TypeError(
            f"cache must be what attention.forward returned; got {type(cache).__name__}"
        )
    c = cache
    dcontext = validate.array(dcontext, "dcontext", "N Tq Dv", N=c.weights.shape[0])
    if dcontext.shape != c.weights.shape[:2] + c.value.shape[2:]:
        raise ValueError(
            f"dcontext must have the context's shape {c.weights.shape[:2] + c.value.shape[2:]}; "
            f"got {dcontext.shape}"
        )
    dvalue = c.weights.transpose(0, 2, 1) @ dcontext  # (N, Tv, Dv)
    dw = dcontext @ c.value.transpose(0, 2, 1)  # (N, Tq, Tv)
    if dweights is not None:
        dw = dw + validate.array(dweights, "dweights", "N Tq Tv").reshape(c.weights.shape)
    # softmax backward, row by row: ds_j = w_j (dw_j - sum_k w_k dw_k)
    dscores = c.weights * (dw - np.sum(c.weights * dw, axis=-1, keepdims=True))
    dscale = None
    if c.score == "dot":
        raw = c.query @ c.key.transpose(0, 2, 1)
        if c.scale is not None:
            dscale = np.asarray(np.sum(dscores * raw))
            dscores = dscores * c.scale
        dquery = dscores @ c.key  # (N, Tq, D)
        dkey = dscores.transpose(0, 2, 1) @ c.query  # (N, Tv, D)
    else:
        scale = 1.0 if c.scale is None else c.scale
        if c.scale is not None:
            dscale = np.einsum("nqk,nqkd->d", dscores, c.tanhs)
        dpre = dscores[..., None] * scale * (1 - c.tanhs**2)  # (N, Tq, Tv, D): through tanh
        dquery = dpre.sum(axis=2)
        dkey = dpre.sum(axis=1)
    if c.key_is_value:
        return dquery, dvalue + dkey, None, dscale
    return dquery, dvalue, dkey, dscale


def self_attention(x, params):
    """Scaled dot-product self-attention of a sequence over itself, as in the Transformer.

    x (N, T, D); params {"query": (D, K), "key": (D, K), "value": (D, Dv)}.
    Returns (output (N, T, Dv), weights (N, T, T)).
    """
    x = validate.array(x, "x", "N T D")
    q, k, v = (x @ params[name] for name in ("query", "key", "value"))
    weights = activations.softmax(q @ k.transpose(0, 2, 1) / np.sqrt(k.shape[-1]), axis=-1)
    return weights @ v, weights
