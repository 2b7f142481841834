"""An encoder-decoder of two GRUs, with or without attention over the encoder's states.

The encoder reads the source (one-hot ids); its last state starts the decoder, which reads the
previous output symbol. Without attention the decoder's state s_i alone predicts the next symbol.
With attention (after the decoder step, as Luong et al. arrange it) the state s_i is the query
over the encoder's states h_1..h_S, and [s_i, context_i] predicts the next symbol:

- "dot" (Luong's "general" score): score(s_i, h_j) = s_i . (h_j W_k);
- "additive" (Bahdanau's score): score(s_i, h_j) = v . tanh(s_i W_q + h_j W_k).

The attention itself is `rnnbook.nn.attention` (Keras' `Attention` / `AdditiveAttention`) on the
projected query and keys.
"""

from dataclasses import dataclass

import numpy as np

from rnnbook import validate
from rnnbook.cells import bptt, gru
from rnnbook.decoding import beam
from rnnbook.nn import activations, dense, initializers, losses
from rnnbook.nn import attention as attn

ATTENTION = (None, "dot", "additive")


def _kind(attention):
    if attention not in ATTENTION:
        raise ValueError(f"attention must be one of {ATTENTION}; got {attention!r}")
    return attention


def init(vocab_size, units, attention, rng):
    """Parameters: GRU encoder and decoder (Keras' defaults), attention projections, output."""
    attention = _kind(attention)
    vocab_size = validate.positive_int(vocab_size, "vocab_size")
    units = validate.positive_int(units, "units")
    params = {
        "encoder": gru.init(vocab_size, units, rng),
        "decoder": gru.init(vocab_size, units, rng),
    }
    if attention == "dot":
        params["attention"] = {"key_kernel": initializers.glorot_uniform((units, units), rng)}
    elif attention == "additive":
        params["attention"] = {
            "query_kernel": initializers.glorot_uniform((units, units), rng),
            "key_kernel": initializers.glorot_uniform((units, units), rng),
            "scale": initializers.glorot_uniform((units, 1), rng)[:, 0],  # v
        }
    features = units * (1 if attention is None else 2)
    params["output"] = dense.init(features, vocab_size, rng)
    return params


def attention_of(params):
    """Which attention `params` were made for: None, "dot" or "additive"."""
    if "attention" not in params:
        return None
    return "additive" if "scale" in params["attention"] else "dot"


def _one_hot(ids, vocab_size):
    return np.eye(vocab_size)[ids]


@dataclass(frozen=True)
class Cache:
    """What backward needs from forward."""

    encoder: bptt.Caches
    decoder: bptt.Caches
    states: np.ndarray  # encoder states (N, S, H)
    decoder_states: np.ndarray  # (N, T, H)
    attention: object  # attention.Cache or None
    output: object


def _project(params, decoder_states, states):
    """The query (N, T, A) and keys (N, S, A) of the attention."""
    p = params["attention"]
    query = decoder_states @ p["query_kernel"] if "query_kernel" in p else decoder_states
    return query, states @ p["key_kernel"]


def _attend(params, decoder_states, states):
    """context (N, T, H), weights (N, T, S) and the attention's cache."""
    query, keys = _project(params, decoder_states, states)
    kind = attention_of(params)
    scale = params["attention"].get("scale")
    return attn.forward(query, states, keys, score=kind, scale=scale)


def forward(source, decoder_in, params):
    """Teacher forcing: logits (N, T, V) for every step, attention weights (N, T, S) or None."""
    vocab_size = params["output"]["bias"].shape[0]
    source = _ids(source, "source", vocab_size)
    decoder_in = _ids(decoder_in, "decoder_in", vocab_size, len(source))
    states, (last,), enc = bptt.forward(gru, _one_hot(source, vocab_size), None, params["encoder"])
    ds, _, dec = bptt.forward(gru, _one_hot(decoder_in, vocab_size), (last,), params["decoder"])
    weights = att = None
    features = ds
    if attention_of(params) is not None:
        context, weights, att = _attend(params, ds, states)
        features = np.concatenate([ds, context], axis=-1)  # (N, T, 2H)
    logits, out = dense.forward(features, params["output"])
    return logits, weights, Cache(enc, dec, states, ds, att, out)


def backward(dlogits, cache, params):
    """Given dL/dlogits (N, T, V), return grads with the keys and shapes of params."""
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be what seq2seq.forward returned; got {type(cache).__name__}")
    dfeatures, grads_out = dense.backward(dlogits, cache.output, params["output"])
    units = cache.states.shape[2]
    dds = dfeatures[..., :units]
    dstates = np.zeros_like(cache.states)
    grads = {}
    if attention_of(params) is not None:
        p = params["attention"]
        dquery, dvalue, dkeys, dscale = attn.backward(dfeatures[..., units:], cache.attention)
        grads["attention"] = {}
        if "query_kernel" in p:  # query = s W_q
            grads["attention"]["query_kernel"] = _weight_grad(cache.decoder_states, dquery)
            dds = dds + dquery @ p["query_kernel"].T
        else:
            dds = dds + dquery
        grads["attention"]["key_kernel"] = _weight_grad(cache.states, dkeys)  # keys = h W_k
        if "scale" in p:
            grads["attention"]["scale"] = dscale
        dstates = dvalue + dkeys @ p["key_kernel"].T  # the states are the values and the keys
    _, (dlast,), grads_dec = bptt.backward(gru, dds, cache.decoder, params["decoder"])
    _, _, grads_enc = bptt.backward(gru, dstates, cache.encoder, params["encoder"], (dlast,))
    return {"encoder": grads_enc, "decoder": grads_dec, **grads, "output": grads_out}


def _weight_grad(x, dy):
    """dL/dW for y = x W over the leading axes: (D, A)."""
    return x.reshape(-1, x.shape[-1]).T @ dy.reshape(-1, dy.shape[-1])


def loss_and_grads(source, decoder_in, decoder_out, params):
    """Mean cross-entropy per predicted symbol under teacher forcing, and its gradients."""
    logits, _, cache = forward(source, decoder_in, params)
    loss, dlogits = losses.softmax_cross_entropy(logits, decoder_out)
    return loss, backward(dlogits, cache, params)


def encode(source, params):
    """The decoder's starting state for free-running decoding: (h, states, keys)."""
    vocab_size = params["output"]["bias"].shape[0]
    source = _ids(source, "source", vocab_size)
    states, (last,), _ = bptt.forward(gru, _one_hot(source, vocab_size), None, params["encoder"])
    keys = states
    if attention_of(params) is not None:
        keys = states @ params["attention"]["key_kernel"]
    return last, states, keys


def step(ids, state, params):
    """One decoder step for B hypotheses: (log_probs (B, V), state, weights (B, S) or None)."""
    h, states, keys = state
    vocab_size = params["output"]["bias"].shape[0]
    h, _, _ = gru.step(_one_hot(np.asarray(ids), vocab_size), (h,), params["decoder"])
    features, weights = h, None
    kind = attention_of(params)
    if kind is not None:
        p = params["attention"]
        query = h @ p["query_kernel"] if "query_kernel" in p else h
        context, weights, _ = attn.forward(
            query[:, None], states, keys, score=kind, scale=p.get("scale")
        )
        features, weights = np.concatenate([h, context[:, 0]], axis=-1), weights[:, 0]
    logits = features @ params["output"]["kernel"] + params["output"]["bias"]
    return activations.log_softmax(logits), (h, states, keys), weights


def greedy(source, params, start_id, end_id, max_length):
    """Free-running decoding, the likeliest symbol each step: (ids list, weights (N, T, S)).

    Each ids is cut before its first end_id (at most max_length symbols); weights holds every
    step's attention (None without attention), max_length + 1 steps."""
    state = encode(source, params)
    last = np.full(len(source), start_id)
    chosen, weights = [], []
    for _ in range(validate.positive_int(max_length, "max_length") + 1):
        log_probs, state, w = step(last, state, params)
        last = np.argmax(log_probs, axis=1)
        chosen.append(last)
        weights.append(w)
    chosen = np.stack(chosen, axis=1)  # (N, max_length + 1)
    out = []
    for row in chosen:
        ends = np.flatnonzero(row == end_id)
        out.append(row[: ends[0]] if ends.size else row[:max_length])
    return out, (None if weights[0] is None else np.stack(weights, axis=1))


def beam_decode(source, params, start_id, end_id, beam_width, max_length):
    """The likeliest output for each source row by `rnnbook.decoding.beam.search`: id arrays.

    A row for which nothing ends within max_length gives an empty array."""
    out = []
    for row in _ids(source, "source", params["output"]["bias"].shape[0]):
        found = beam.search(
            lambda ids, state: step(ids, state, params)[:2],
            encode(row[None], params),
            start_id,
            end_id,
            beam_width,
            max_length,
        )
        out.append(np.array(found[0][0] if found else (), dtype=np.int64))
    return out


def _ids(value, name, vocab_size, rows=None):
    arr = np.asarray(value)
    if arr.ndim != 2 or arr.dtype.kind not in "iu" or arr.size == 0:
        raise ValueError(f"{name} must be integer ids (N, T); got {arr.dtype} {arr.shape}")
    if rows is not None and len(arr) != rows:
        raise ValueError(f"{name} must have N={rows} rows like source; got shape {arr.shape}")
    if arr.min() < 0 or arr.max() >= vocab_size:
        raise ValueError(f"{name} must be ids in [0, {vocab_size}); got {arr.min()} to {arr.max()}")
    return arr
