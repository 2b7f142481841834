"""A character-level language model: embedding (or one-hot) input, one LSTM layer, dense to logits.

params = {"embedding": {"embeddings"}, "lstm": {...}, "dense": {...}}, the same layers as
keras.Sequential([Embedding(V, E), LSTM(H, return_sequences=True), Dense(V)]); without
"embedding" the input is one-hot, as keras' LSTM fed `ops.one_hot(ids, V)`.
"""

from dataclasses import dataclass

import numpy as np

from rnnbook import bptt, dense, embedding, losses, lstm, optim, validate


@dataclass(frozen=True)
class Cache:
    """What `backward` needs from `forward`, one entry per layer (None for one-hot input)."""

    embedding: object
    lstm: bptt.Caches
    dense: np.ndarray


def init(vocab_size, units, rng, embed_dim=None):
    """Keras' initial values for each layer; embed_dim=None feeds one-hot characters instead."""
    vocab_size = validate.positive_int(vocab_size, "vocab_size")
    params = {}
    if embed_dim is not None:
        params["embedding"] = embedding.init(vocab_size, embed_dim, rng)
    params["lstm"] = lstm.init(embed_dim or vocab_size, units, rng)
    params["dense"] = dense.init(units, vocab_size, rng)
    return params


def forward(params, inputs, states=None):
    """Logits (N, T, V) for the character after each of inputs (N, T): (logits, states, cache)."""
    inputs = _check_ids(inputs, "inputs", _vocab_size(params))
    if "embedding" in params:
        x, embedding_cache = embedding.forward(inputs, params["embedding"])  # (N, T, E)
    else:
        dtype = params["lstm"]["kernel"].dtype
        x, embedding_cache = np.eye(_vocab_size(params), dtype=dtype)[inputs], None  # (N, T, V)
    hs, states, lstm_cache = bptt.forward(lstm, x, states, params["lstm"])  # (N, T, H)
    # as (N T, H): a 2-D matmul is much faster than NumPy's loop over a stack of matrices
    logits, dense_cache = dense.forward(hs.reshape(-1, hs.shape[2]), params["dense"])
    return (
        logits.reshape(*hs.shape[:2], -1),
        states,
        Cache(embedding_cache, lstm_cache, dense_cache),
    )


def backward(dlogits, cache, params):
    """Gradients of every parameter, in the structure of params, given dL/dlogits (N, T, V)."""
    batch, steps, vocab_size = dlogits.shape
    dlogits = dlogits.reshape(batch * steps, vocab_size)  # as forward flattened hs
    dhs, dense_grads = dense.backward(dlogits, cache.dense, params["dense"])
    dhs = dhs.reshape(batch, steps, -1)  # (N, T, H)
    dx, _, lstm_grads = bptt.backward(lstm, dhs, cache.lstm, params["lstm"])
    grads = {}
    if "embedding" in params:
        grads["embedding"] = embedding.backward(dx, cache.embedding, params["embedding"])
    grads["lstm"] = lstm_grads
    grads["dense"] = dense_grads
    return grads


def loss_and_grads(params, inputs, targets, mask=None):
    """Mean cross-entropy of targets (N, T) over the unmasked positions, and its gradients."""
    inputs = _check_ids(inputs, "inputs", _vocab_size(params))
    targets = _check_ids(targets, "targets", _vocab_size(params))
    if targets.shape != inputs.shape:
        raise ValueError(
            f"targets must have the shape of inputs, {inputs.shape}; got {targets.shape}"
        )
    logits, _, cache = forward(params, inputs)
    loss, dlogits = losses.softmax_cross_entropy(logits, targets, mask)
    # the loss is computed in float64; the backward pass stays in the model's precision
    return loss, backward(dlogits.astype(logits.dtype, copy=False), cache, params)


def train_step(params, optimizer, inputs, targets, mask=None, max_norm=5.0):
    """Update params in place (clipped to max_norm unless None): (loss, norm before clipping)."""
    loss, grads = loss_and_grads(params, inputs, targets, mask)
    if max_norm is None:
        norm = optim.global_norm(grads)
    else:
        grads, norm = optim.clip_by_global_norm(grads, max_norm)
    optimizer.step(params, grads)
    return loss, norm


def keras_weights(params):
    """The list a Keras model of the same layers takes in set_weights, in its order."""
    return [w for layer in params.values() for w in layer.values()]


def _vocab_size(params):
    if not isinstance(params, dict) or "dense" not in params or "lstm" not in params:
        got = list(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict from charlm.init; got {got}")
    return np.shape(params["dense"]["bias"])[0]


def _check_ids(ids, name, vocab_size):
    """Return ids as an integer array (N, T) of values in [0, V), or raise."""
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"{name} must be integer character ids; got dtype {ids.dtype}")
    if ids.ndim != 2 or 0 in ids.shape:
        raise ValueError(f"{name} must be (N, T) with N, T >= 1; got shape {ids.shape}")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise ValueError(
            f"{name} must be ids in [0, {vocab_size}); got values from {ids.min()} to {ids.max()}"
        )
    return ids
