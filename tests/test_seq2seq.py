"""The encoder-decoder: gradients by finite differences, step-by-step decoding, beam search."""

import itertools

import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import reversal
from rnnbook.models import seq2seq
from rnnbook.nn import gradcheck

V = len(reversal.VOCAB)
KINDS = [None, "dot", "additive"]


def model(kind, seed=0, units=5, gain=3.0):
    """Small params, scaled up so that every gradient is large enough to check precisely."""
    rng = np.random.default_rng(seed)
    params = seq2seq.init(V, units, kind, rng)
    for layer in params.values():
        for array in layer.values():
            array *= gain
            array += 0.1 * rng.normal(size=array.shape)  # no zero biases: they would hide bugs
    return params


def batch(seed=1, n=3, length=4):
    source = np.random.default_rng(seed).integers(3, 13, size=(n, length))
    return source, *reversal.decoder_io(source)


@pytest.mark.parametrize("kind", KINDS)
def test_backward_matches_finite_differences(kind):
    params = model(kind)
    source, decoder_in, _ = batch()
    weights = np.random.default_rng(2).normal(size=decoder_in.shape + (V,))

    def loss():
        return np.sum(seq2seq.forward(source, decoder_in, params)[0] * weights)

    _, _, cache = seq2seq.forward(source, decoder_in, params)
    grads = seq2seq.backward(weights, cache, params)
    assert gradcheck.check(loss, params, grads) < 1e-7


@pytest.mark.parametrize("kind", KINDS)
def test_loss_and_grads_is_the_mean_cross_entropy(kind):
    params = model(kind, gain=1.0)
    source, decoder_in, decoder_out = batch(length=3)
    loss, grads = seq2seq.loss_and_grads(source, decoder_in, decoder_out, params)
    logits, _, _ = seq2seq.forward(source, decoder_in, params)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -np.mean(np.take_along_axis(log_p, decoder_out[..., None], -1))
    assert abs(loss - expected) < 1e-12
    error = gradcheck.check(
        lambda: seq2seq.loss_and_grads(source, decoder_in, decoder_out, params)[0], params, grads
    )
    assert error < 1e-5  # some attention gradients are tiny at this scale: differences are noisier


@pytest.mark.parametrize("kind", KINDS)
def test_step_by_step_decoding_equals_teacher_forcing(kind):
    params = model(kind, gain=1.0)
    source, decoder_in, _ = batch(n=2, length=5)
    logits, weights, _ = seq2seq.forward(source, decoder_in, params)
    state = seq2seq.encode(source, params)
    for t in range(decoder_in.shape[1]):
        log_probs, state, w = seq2seq.step(decoder_in[:, t], state, params)
        expected = logits[:, t] - np.log(np.exp(logits[:, t]).sum(-1, keepdims=True))
        assert np.allclose(log_probs, expected, atol=1e-12)
        if kind is None:
            assert w is None and weights is None
        else:
            assert np.allclose(w, weights[:, t], atol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_greedy_takes_the_likeliest_symbol_and_stops_at_the_end(kind):
    params = model(kind, seed=4, gain=1.0)
    source, _, _ = batch(seed=5, n=4, length=3)
    bos, eos = reversal.VOCAB.bos_id, reversal.VOCAB.eos_id
    out, weights = seq2seq.greedy(source, params, bos, eos, max_length=6)
    for row, ids in zip(source, out, strict=True):
        state, last = seq2seq.encode(row[None], params), np.array([bos])
        for symbol in (*ids, None):
            log_probs, state, _ = seq2seq.step(last, state, params)
            best = int(np.argmax(log_probs[0]))
            if symbol is None:  # after the output: the end, unless max_length cut it
                assert best == eos or len(ids) == 6
            else:
                assert best == symbol and symbol != eos
            last = np.array([best])
    assert weights is None if kind is None else weights.shape == (4, 7, 3)


def test_beam_decode_finds_the_likeliest_output_when_the_beam_holds_everything():
    params = model("dot", seed=6, gain=1.0)
    source, _, _ = batch(seed=7, n=1, length=3)
    bos, eos = reversal.VOCAB.bos_id, reversal.VOCAB.eos_id

    def log_prob(ids):
        state, last, total = seq2seq.encode(source, params), np.array([bos]), 0.0
        for symbol in (*ids, eos):
            log_probs, state, _ = seq2seq.step(last, state, params)
            total += log_probs[0, symbol]
            last = np.array([symbol])
        return total

    every = [ids for n in range(3) for ids in itertools.product(range(V), repeat=n)]
    best = max(every, key=log_prob)
    found = seq2seq.beam_decode(source, params, bos, eos, beam_width=V**2, max_length=2)
    assert tuple(found[0]) == best


def test_init_shapes_and_attention_kind():
    rng = np.random.default_rng(0)
    for kind in KINDS:
        params = seq2seq.init(V, 8, kind, rng)
        assert seq2seq.attention_of(params) == kind
        assert params["output"]["kernel"].shape == (8 if kind is None else 16, V)
    assert list(seq2seq.init(V, 8, "additive", rng)["attention"]) == [
        "query_kernel",
        "key_kernel",
        "scale",
    ]


def test_bad_input_is_named():
    params = model("dot")
    with pytest.raises(ValueError, match=naming("attention", "(None, 'dot', 'additive')")):
        seq2seq.init(V, 4, "general", np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("source", "integer ids (N, T)", "float64")):
        seq2seq.forward(np.zeros((2, 3)), np.zeros((2, 4), dtype=int), params)
    with pytest.raises(ValueError, match=naming("decoder_in", "N=2")):
        seq2seq.forward(np.zeros((2, 3), dtype=int), np.zeros((3, 4), dtype=int), params)
    with pytest.raises(ValueError, match=naming("source", "[0, 13)", "0 to 13")):
        seq2seq.forward(np.array([[0, 13]]), np.zeros((1, 4), dtype=int), params)
    with pytest.raises(TypeError, match=naming("cache", "seq2seq.forward")):
        seq2seq.backward(np.zeros((1, 4, V)), None, params)
