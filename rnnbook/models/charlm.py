"""A character-level language model: embedding (or one-hot) input, one LSTM layer, dense to logits.

params = {"embedding": {"embeddings"}, "rnn": {...}, "dense": {...}}, the same layers as
keras.Sequential([Embedding(V, E), LSTM(H, return_sequences=True), Dense(V)]); without
"embedding" the input is one-hot, as keras' LSTM fed `ops.one_hot(ids, V)`.

Dropout (Zaremba et al. 2014: on the connections between layers, never on the recurrent one) is
given as explicit masks, so that another framework can be handed the very same masks.
"""

from dataclasses import dataclass

import numpy as np

from rnnbook import validate
from rnnbook.cells import bptt, lstm
from rnnbook.nn import dense, embedding, losses, optim, tree


@dataclass(frozen=True)
class Cache:
    """What `backward` needs from `forward`, one entry per layer (None for one-hot input)."""

    embedding: object
    rnn: bptt.Caches
    dense: np.ndarray
    dropout: tuple = (None, None)  # the masks applied to the LSTM's input and output


def init(vocab_size, embed_dim, units, rng):
    """Keras' initial values for each layer; embed_dim=None feeds one-hot characters instead."""
    vocab_size = validate.positive_int(vocab_size, "vocab_size")
    params = {}
    if embed_dim is not None:
        params["embedding"] = embedding.init(vocab_size, embed_dim, rng)
    params["rnn"] = lstm.init(embed_dim or vocab_size, units, rng)
    params["dense"] = dense.init(units, vocab_size, rng)
    return params


def dropout_masks(shape, input_dim, units, rate, rng):
    """Inverted-dropout masks (input mask (N, T, E), output mask (N, T, H)) for inputs of shape
    (N, T): each entry is 0 with probability `rate`, else 1 / (1 - rate), so that the expected
    activation is unchanged and nothing needs rescaling when dropout is off."""
    rate = validate.number(rate, "rate", 0, 1, high_open=True)
    keep = 1.0 - rate
    masks = []
    for width in (input_dim, units):
        width = validate.positive_int(width, "input_dim and units")
        masks.append((rng.random((*shape, width)) < keep) / keep)
    return tuple(masks)


def forward(inputs, params, states=None, dropout=None):
    """Logits (N, T, V) for the character after each of inputs (N, T): (logits, states, cache).

    dropout: None, or (input mask, output mask) from `dropout_masks`, multiplied into the LSTM's
    input (N, T, E) and output (N, T, H) while training.
    """
    inputs = _check_ids(inputs, "inputs", _vocab_size(params))
    if "embedding" in params:
        x, embedding_cache = embedding.forward(inputs, params["embedding"])  # (N, T, E)
    else:
        dtype = params["rnn"]["kernel"].dtype
        x, embedding_cache = np.eye(_vocab_size(params), dtype=dtype)[inputs], None  # (N, T, V)
    in_mask, out_mask = _check_dropout(dropout, x.shape, params)
    if in_mask is not None:
        x = x * in_mask
    hs, states, rnn_cache = bptt.forward(lstm, x, states, params["rnn"])  # (N, T, H)
    if out_mask is not None:
        hs = hs * out_mask
    # as (N T, H): a 2-D matmul is much faster than NumPy's loop over a stack of matrices
    logits, dense_cache = dense.forward(hs.reshape(-1, hs.shape[2]), params["dense"])
    return (
        logits.reshape(*hs.shape[:2], -1),
        states,
        Cache(embedding_cache, rnn_cache, dense_cache, (in_mask, out_mask)),
    )


def backward(dlogits, cache, params):
    """Gradients of every parameter, in the structure of params, given dL/dlogits (N, T, V)."""
    batch, steps, vocab_size = dlogits.shape
    dlogits = dlogits.reshape(batch * steps, vocab_size)  # as forward flattened hs
    dhs, dense_grads = dense.backward(dlogits, cache.dense, params["dense"])
    dhs = dhs.reshape(batch, steps, -1)  # (N, T, H)
    in_mask, out_mask = cache.dropout
    if out_mask is not None:
        dhs = dhs * out_mask  # a dropped unit passes no gradient back
    dx, _, rnn_grads = bptt.backward(lstm, dhs, cache.rnn, params["rnn"])
    if in_mask is not None:
        dx = dx * in_mask
    grads = {}
    if "embedding" in params:
        grads["embedding"] = embedding.backward(dx, cache.embedding, params["embedding"])
    grads["rnn"] = rnn_grads
    grads["dense"] = dense_grads
    return grads


def loss_and_grads(inputs, targets, params, mask=None, dropout=None):
    """Mean cross-entropy of targets (N, T) over the unmasked positions, and its gradients
    (with the dropout masks of `forward`, if given)."""
    inputs = _check_ids(inputs, "inputs", _vocab_size(params))
    targets = _check_ids(targets, "targets", _vocab_size(params))
    if targets.shape != inputs.shape:
        raise ValueError(
            f"targets must have the shape of inputs, {inputs.shape}; got {targets.shape}"
        )
    logits, _, cache = forward(inputs, params, dropout=dropout)
    loss, dlogits = losses.softmax_cross_entropy(logits, targets, mask)
    # the loss is computed in float64; the backward pass stays in the model's precision
    return loss, backward(dlogits.astype(logits.dtype, copy=False), cache, params)


def train_step(
    inputs, targets, params, optimizer, mask=None, max_norm=5.0, dropout=None, weight_decay=0.0
):
    """Update params in place (clipped to max_norm unless None): (loss, norm before clipping).

    weight_decay: decoupled weight decay, as Keras' optimizers' `weight_decay=` (AdamW): after the
    gradients are computed, every parameter is shrunk by the factor 1 - learning rate x decay,
    and then the optimizer takes its step.
    """
    loss, grads = loss_and_grads(inputs, targets, params, mask, dropout)
    if max_norm is None:
        norm = optim.global_norm(grads)
    else:
        grads, norm = optim.clip_by_global_norm(grads, max_norm)
    if not (np.isfinite(weight_decay) and weight_decay >= 0):
        raise ValueError(f"weight_decay must be 0 or more; got {weight_decay}")
    if weight_decay:
        shrink = optimizer.learning_rate * weight_decay
        for layer in params.values():
            for w in layer.values():
                w -= w * np.asarray(shrink, dtype=w.dtype)  # in place, as Keras' assign
    optimizer.step(params, grads)
    return loss, norm


keras_weights = tree.keras_weights  # the list a Keras model of the same layers takes


def _check_dropout(dropout, x_shape, params):
    """(input mask or None, output mask or None), each checked against the shape it multiplies."""
    if dropout is None:
        return None, None
    if not isinstance(dropout, tuple | list) or len(dropout) != 2:
        raise ValueError(f"dropout must be (input mask, output mask); got {type(dropout).__name__}")
    units = np.shape(params["rnn"]["recurrent_kernel"])[0]
    checked = []
    for name, m, shape in zip(
        ("input", "output"), dropout, (x_shape, (*x_shape[:2], units)), strict=True
    ):
        if m is not None:
            m = np.asarray(m)
            if m.shape != shape:
                raise ValueError(f"the {name} dropout mask must have shape {shape}; got {m.shape}")
            m = m.astype(params["rnn"]["kernel"].dtype, copy=False)
        checked.append(m)
    return tuple(checked)


def _vocab_size(params):
    if not isinstance(params, dict) or "dense" not in params or "rnn" not in params:
        got = list(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict from charlm.init; got {got}")
    return np.shape(params["dense"]["bias"])[0]


def _check_ids(ids, name, vocab_size):
    """Return ids as an integer array (N, T) of values in [0, V), or raise."""
    return validate.ids(ids, name, vocab_size, "N T")
