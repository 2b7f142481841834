"""Scoring, sampling and searching with a character model agree with reading names from scratch."""

import itertools

import numpy as np
import pytest

from rnnbook.cells import bptt, lstm
from rnnbook.datasets import vocab
from rnnbook.models import charlm, generate
from rnnbook.nn import activations, losses

NAMES = ["ab", "ba", "abba", "b", "aab"]


def model(seed=0, units=6, embed_dim=3):
    chars = vocab.Vocab(["a", "b"])
    params = charlm.init(len(chars), embed_dim, units, np.random.default_rng(seed))
    # larger weights than Keras' initial ones, so that the distributions differ from uniform
    params = {layer: {k: 3 * w for k, w in p.items()} for layer, p in params.items()}
    return params, chars


def next_log_probs(text, params, chars):
    """ln P(next symbol | <s> text), read from scratch with the whole-sequence forward pass."""
    ids = np.concatenate([[chars.bos_id], chars.encode(text)]) if text else np.array([chars.bos_id])
    logits, _, _ = charlm.forward(ids[None, :], params)
    return activations.log_softmax(logits[0, -1])


def test_teacher_forcing_shifts_by_one():
    chars = vocab.Vocab(["a", "b"])
    inputs, targets, mask = generate.teacher_forcing(["ab", "b"], chars)
    a, b = chars["a"], chars["b"]
    # the shorter name's </s> is read as an input where its target is padding: masked out
    assert inputs.tolist() == [[chars.bos_id, a, b], [chars.bos_id, b, chars.eos_id]]
    assert targets.tolist() == [[a, b, chars.eos_id], [b, chars.eos_id, 0]]
    assert mask.tolist() == [[True, True, True], [True, True, False]]


def test_log_likelihoods_equal_the_chain_rule_one_symbol_at_a_time():
    params, chars = model()
    log_p, counts = generate.log_likelihoods(NAMES, params, chars, batch_size=2)
    for name, total, count in zip(NAMES, log_p, counts, strict=True):
        expected = sum(
            next_log_probs(name[:t], params, chars)[chars[symbol]]
            for t, symbol in enumerate([*name, vocab.EOS])
        )
        assert total == pytest.approx(expected, abs=1e-10)
        assert count == len(name) + 1


def test_an_empty_name_is_one_prediction_of_the_end():
    params, chars = model()
    log_p, counts = generate.log_likelihoods(["", "ab"], params, chars)
    assert counts.tolist() == [1, 3]
    assert log_p[0] == pytest.approx(next_log_probs("", params, chars)[chars.eos_id], abs=1e-12)


def test_renormalised_log_likelihoods_leave_out_padding_and_the_start():
    params, chars = model()
    log_p, _ = generate.log_likelihoods(NAMES, params, chars, batch_size=2, renormalise=True)
    allowed = [i for i in range(len(chars)) if i not in (chars.pad_id, chars.bos_id)]
    for name, total in zip(NAMES, log_p, strict=True):
        expected = 0.0
        for t, symbol in enumerate([*name, vocab.EOS]):
            log_q = next_log_probs(name[:t], params, chars)[allowed]
            log_q -= np.log(np.exp(log_q).sum())  # the softmax over the allowed symbols only
            expected += log_q[allowed.index(chars[symbol])]
        assert total == pytest.approx(expected, abs=1e-10)
    # padding and <s> get some probability, so leaving them out makes every name likelier
    assert np.all(log_p > generate.log_likelihoods(NAMES, params, chars)[0])


def test_nats_per_char_is_the_masked_cross_entropy():
    params, chars = model()
    inputs, targets, mask = generate.teacher_forcing(NAMES, chars)
    logits, _, _ = charlm.forward(inputs, params)
    loss, _ = losses.softmax_cross_entropy(logits, targets, mask)
    assert generate.nats_per_char(NAMES, params, chars) == pytest.approx(loss, abs=1e-12)


@pytest.mark.parametrize("prefix", ["", "a", "bab"])
def test_greedy_generation_with_carried_state_equals_rereading_everything(prefix):
    params, chars = model(seed=1)
    name = generate.sample(params, chars, np.random.default_rng(0), 3, temperature=0, prefix=prefix)
    assert len(set(name)) == 1  # greedy: every name is the same
    text = prefix
    while len(text) < 20:
        log_p = next_log_probs(text, params, chars)
        log_p[[chars.pad_id, chars.bos_id]] = -np.inf  # never produced
        best = chars.symbols[int(np.argmax(log_p))]
        if best == vocab.EOS:
            break
        text += best
    assert name[0] == text


def test_sampling_is_reproducible_starts_with_the_prefix_and_respects_top_k():
    params, chars = model(seed=2)
    first = generate.sample(params, chars, np.random.default_rng(5), 50, prefix="ab")
    again = generate.sample(params, chars, np.random.default_rng(5), 50, prefix="ab")
    assert first == again and all(n.startswith("ab") for n in first)
    assert len(set(first)) > 5
    top_1 = generate.sample(params, chars, np.random.default_rng(6), 10, top_k=1)
    greedy = generate.sample(params, chars, np.random.default_rng(7), 10, temperature=0)
    assert top_1 == greedy
    short = generate.sample(params, chars, np.random.default_rng(8), 20, max_length=3)
    assert all(len(n) <= 3 for n in short)


def test_samples_follow_the_model_distribution():
    # the frequency of each first symbol (a, b or the end) matches the model's probabilities
    params, chars = model(seed=3)
    names = generate.sample(params, chars, np.random.default_rng(9), 4000, max_length=1)
    p = np.exp(next_log_probs("", params, chars))
    p = p[[chars["a"], chars["b"], chars.eos_id]] / p[[chars["a"], chars["b"], chars.eos_id]].sum()
    seen = np.array([names.count("a"), names.count("b"), names.count("")]) / len(names)
    assert np.allclose(seen, p, atol=0.03)


@pytest.mark.parametrize(("prefix", "min_length"), [("", 0), ("b", 0), ("", 2), ("b", 3)])
def test_most_likely_equals_exhaustive_search(prefix, min_length):
    params, chars = model(seed=4)
    max_length = 5
    every = []
    for length in range(max(0, min_length - len(prefix)), max_length - len(prefix) + 1):
        for rest in itertools.product("ab", repeat=length):
            name = prefix + "".join(rest)
            log_p = sum(
                next_log_probs(name[:t], params, chars)[chars[s]]
                for t, s in enumerate([*name, vocab.EOS])
                if t >= len(prefix)
            )
            every.append((name, log_p))
    expected = sorted(every, key=lambda item: -item[1])[:4]
    found = generate.most_likely(
        params, chars, 2**max_length, prefix=prefix, min_length=min_length, max_length=max_length
    )[:4]
    assert [n for n, _ in found] == [n for n, _ in expected]
    assert np.allclose([s for _, s in found], [s for _, s in expected], atol=1e-10)


def test_hidden_states_are_those_of_the_whole_sequence_pass():
    params, chars = model(seed=5)
    h, c, mask = generate.hidden_states(NAMES, params, chars)
    inputs, _, _ = generate.teacher_forcing(NAMES, chars)
    x = params["embedding"]["embeddings"][inputs]  # (N, T, E)
    hs, (h_last, c_last), _ = bptt.forward(lstm, x, None, params["rnn"])
    assert h.shape == c.shape == (*inputs.shape, 6) and mask.shape == inputs.shape
    assert np.allclose(h, hs, rtol=0, atol=1e-12)
    assert np.allclose(h[:, -1], h_last, rtol=0, atol=1e-12)
    assert np.allclose(c[:, -1], c_last, rtol=0, atol=1e-12)


def test_bad_input_is_rejected():
    params, chars = model()
    with pytest.raises(ValueError, match="names must not be empty"):
        generate.log_likelihoods([], params, chars)
    with pytest.raises(ValueError, match="unknown symbol 'z'"):
        generate.sample(params, chars, np.random.default_rng(0), 2, prefix="z")
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        generate.sample(params, chars, 0, 2)
    with pytest.raises(ValueError, match="top_k must be at most"):
        generate.sample(params, chars, np.random.default_rng(0), 2, top_k=99)
