"""Choosing the next symbol from logits: greedy, temperature, top-k and top-p (nucleus)."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import activations


def _logits(logits):
    """Return logits as a float64 (V,) or (N, V) array, or raise."""
    arr = np.asarray(logits)
    dims = "N V" if arr.ndim == 2 else "V"
    if arr.ndim not in (1, 2):
        raise ValueError(f"logits must be (V,) or (N, V); got shape {arr.shape}")
    return validate.array(arr, "logits", dims).astype(np.float64, copy=False)


def greedy(logits):
    """The id of the largest logit: an int for (V,) logits, an (N,) array for (N, V)."""
    ids = np.argmax(_logits(logits), axis=-1)
    return int(ids) if ids.ndim == 0 else ids


def _check_settings(temperature, top_k, top_p, vocab_size):
    validate.number(temperature, "temperature", 0)
    if top_k is not None:
        validate.positive_int(top_k, "top_k")
        if top_k > vocab_size:
            raise ValueError(f"top_k must be at most the vocabulary size {vocab_size}; got {top_k}")
    if top_p is not None:
        validate.number(top_p, "top_p", 0, 1, low_open=True)


def probabilities(logits, temperature=1.0, top_k=None, top_p=None):
    """The distribution `sample` draws from, (V,) or (N, V); temperature must be > 0 here.

    softmax(logits / temperature); then only the top_k largest logits are kept (ties go to the
    lower id); then only the nucleus: the most probable ids, in order, up to and including the
    first one at which their total probability reaches top_p. What is dropped gets probability
    0 and the rest is renormalised.
    """
    scaled = _logits(logits)
    _check_settings(temperature, top_k, top_p, scaled.shape[-1])
    if temperature == 0:
        raise ValueError("temperature 0 is greedy and has no distribution; use greedy(logits)")
    scaled = scaled / temperature
    # the stable sort puts equal logits in id order, which is how ties are broken
    order = np.argsort(-scaled, axis=-1, kind="stable")  # (..., V) ids, most likely first
    ranked = activations.softmax(np.take_along_axis(scaled, order, axis=-1))  # (..., V)
    keep = np.ones(ranked.shape, dtype=bool)
    if top_k is not None:
        keep[..., top_k:] = False
        ranked = np.where(keep, ranked, 0.0)
        ranked /= ranked.sum(axis=-1, keepdims=True)
    if top_p is not None:
        before = np.cumsum(ranked, axis=-1) - ranked  # probability of the ids ranked above each
        keep &= before < top_p
        ranked = np.where(keep, ranked, 0.0)
        ranked /= ranked.sum(axis=-1, keepdims=True)
    probs = np.empty_like(ranked)
    np.put_along_axis(probs, order, ranked, axis=-1)
    return probs


def sample(logits, rng, temperature=1.0, top_k=None, top_p=None):
    """Draw one id per row of logits from `probabilities(...)`; temperature 0 means greedy."""
    validate.generator(rng)
    logits = _logits(logits)
    _check_settings(temperature, top_k, top_p, logits.shape[-1])
    if temperature == 0:
        return greedy(logits)
    probs = probabilities(logits, temperature, top_k, top_p)
    cumulative = np.cumsum(probs, axis=-1)  # (..., V)
    # u in (0, total]: the first id whose cumulative probability reaches u has p > 0
    u = (1.0 - rng.random(probs.shape[:-1])) * cumulative[..., -1]
    ids = np.sum(cumulative < u[..., None], axis=-1)
    return int(ids) if ids.ndim == 0 else ids
