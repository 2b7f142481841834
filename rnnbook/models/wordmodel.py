"""A next-word model: embedding, SimpleRNN, and a dense layer giving logits over the vocabulary.

The layers and weights are those of the Keras model
`Sequential([Embedding(V, E), SimpleRNN(H), Dense(V)])`, so `keras_weights(params)` is what its
`set_weights` takes and `from_keras_weights(model.get_weights())` reads a trained one back.
"""

import numpy as np

from rnnbook import validate
from rnnbook.cells import bptt, rnn
from rnnbook.nn import dense, embedding, tree


def windows(ids, length):
    """Every window of `length` ids and the id that follows it: (inputs (M, T), targets (M,)).

    M = len(ids) - length, so the last window ends one word before the end and its target is
    the last id: no target lies past the end of `ids`.
    """
    ids = validate.ids(ids, "ids", dims="L")
    length = validate.positive_int(length, "length")
    if len(ids) <= length:
        raise ValueError(
            f"ids must be longer than length={length} to give one window; got {len(ids)}"
        )
    count = len(ids) - length
    inputs = np.lib.stride_tricks.sliding_window_view(ids, length)[:count]  # (M, T), a view
    return inputs.copy(), ids[length:].copy()


def init(vocab_size, embed_dim, units, rng):
    """Params {"embedding", "rnn", "dense"}, each initialised as Keras initialises its layer."""
    return {
        "embedding": embedding.init(vocab_size, embed_dim, rng),
        "rnn": rnn.init(embed_dim, units, rng),
        "dense": dense.init(units, vocab_size, rng),
    }


def forward(ids, params):
    """Logits (N, V) for the word after each window of ids (N, T), and a cache for backward."""
    ids = validate.ids(ids, "ids", dims="N T")  # embedding.forward checks them against V
    x, emb_cache = embedding.forward(ids, params["embedding"])  # (N, T, E)
    hs, _, rnn_caches = bptt.forward(rnn, x, None, params["rnn"])  # (N, T, H)
    logits, dense_cache = dense.forward(hs[:, -1], params["dense"])  # (N, V): from h_T only
    return logits, (emb_cache, rnn_caches, dense_cache, hs.shape)


def backward(dlogits, cache, params):
    """Given dL/dlogits (N, V), return grads with the structure of params."""
    emb_cache, rnn_caches, dense_cache, hs_shape = cache
    dh_last, dense_grads = dense.backward(dlogits, dense_cache, params["dense"])  # (N, H)
    dhs = np.zeros(hs_shape)
    dhs[:, -1] = dh_last  # only the last step feeds the loss
    dx, _, rnn_grads = bptt.backward(rnn, dhs, rnn_caches, params["rnn"])  # (N, T, E)
    emb_grads = embedding.backward(dx, emb_cache, params["embedding"])
    return {"embedding": emb_grads, "rnn": rnn_grads, "dense": dense_grads}


# Keras' order of the weights: embeddings, W_xh, W_hh, b, W_hy, b_y
LAYOUT = {
    "embedding": {"embeddings": None},
    "rnn": dict.fromkeys(rnn.shapes(1, 1)),
    "dense": {"kernel": None, "bias": None},
}
keras_weights = tree.keras_weights  # the list Keras' get_weights/set_weights use


def from_keras_weights(weights):
    """Params (float64) from the list keras_weights returns, or a Keras model's get_weights()."""
    return tree.from_keras_weights(weights, LAYOUT, dtype=np.float64)
