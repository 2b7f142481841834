"""A learned embedding, as Keras' Embedding: row `ids` of a table (V, E), and its backward pass."""

import numpy as np

from rnnbook import validate


def init(vocab_size, dim, rng):
    """Keras' default: every entry uniform on [-0.05, 0.05]; params {"embeddings": (V, E)}."""
    vocab_size = validate.positive_int(vocab_size, "vocab_size")
    dim = validate.positive_int(dim, "dim")
    return {"embeddings": validate.generator(rng).uniform(-0.05, 0.05, size=(vocab_size, dim))}


def forward(ids, params):
    """Return (x, cache): x = embeddings[ids], of shape ids.shape + (E,), for integer ids."""
    table = params["embeddings"]
    validate.array(table, "params['embeddings']", "V E")
    ids = validate.ids(ids, "ids", len(table))
    # a lookup is the product of a one-hot row with the table, without building the one-hot
    return table[ids], ids


def backward(dx, cache, params):
    """Given dL/dx (ids.shape + (E,)), return grads {"embeddings": (V, E)}; ids get no gradient."""
    ids = cache
    table = params["embeddings"]
    if np.shape(dx) != ids.shape + table.shape[1:]:
        raise ValueError(
            f"dx must have shape ids.shape + (E,) = {ids.shape + table.shape[1:]}; "
            f"got {np.shape(dx)}"
        )
    grad = np.zeros_like(table)
    # a row used several times collects the gradient of every use: add.at sums repeats,
    # where grad[ids] += dx would keep only one of them
    np.add.at(grad, ids.reshape(-1), np.reshape(dx, (-1, table.shape[1])))
    return {"embeddings": grad}
