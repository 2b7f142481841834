"""Beam search finds what exhaustive search finds, carries each state along, and checks input."""

import itertools

import numpy as np
import pytest

from rnnbook.decoding import beam

VOCAB, END, START = 4, 0, 3  # ids 1..3 are symbols; 3 doubles as the start symbol fed first


def history_model(seed=0, memory=5):
    """A model whose next-symbol distribution depends on the whole history, kept in its state.

    The state of each hypothesis is a (1,) integer array: a hash of everything read so far, so a
    search that gives a hypothesis another one's state gets the wrong log-probabilities.
    """
    table = np.log(np.random.default_rng(seed).dirichlet(np.ones(VOCAB), size=memory))  # (M, V)

    def step(ids, state):
        state = (state[:, 0] * 3 + ids + 1) % memory  # (B,)
        return table[state], state[:, None]

    return step


def score(step, ids):
    """log P(ids, then END) under `step`, one symbol at a time."""
    state, last, total = np.zeros((1, 1), dtype=np.int64), np.array([START]), 0.0
    for symbol in (*ids, END):
        log_probs, state = step(last, state)
        total += log_probs[0, symbol]
        last = np.array([symbol])
    return total


def exhaustive(step, max_length, k, min_length=0):
    """The k most likely sequences of min_length to max_length symbols, by listing every one."""
    every = [
        (ids, score(step, ids))
        for length in range(min_length, max_length + 1)
        for ids in itertools.product(range(1, VOCAB), repeat=length)
    ]
    return sorted(every, key=lambda item: -item[1])[:k]


@pytest.mark.parametrize(("seed", "max_length", "k"), [(0, 4, 1), (1, 5, 3), (2, 3, 10), (3, 0, 1)])
def test_a_wide_beam_is_exhaustive_search(seed, max_length, k):
    step = history_model(seed)
    start = np.zeros((1, 1), dtype=np.int64)
    width = 3**max_length  # keeps every prefix: exhaustive
    found = beam.search(step, start, START, END, width, max_length)[:k]
    expected = exhaustive(step, max_length, k)
    assert [ids for ids, _ in found] == [ids for ids, _ in expected]
    assert np.allclose([s for _, s in found], [s for _, s in expected], rtol=0, atol=1e-12)


@pytest.mark.parametrize("min_length", [1, 2, 4])
def test_a_minimum_length_is_respected_and_still_exhaustive(min_length):
    step = history_model(seed=6)
    start = np.zeros((1, 1), dtype=np.int64)
    found = beam.search(step, start, START, END, 3**4, 4, min_length=min_length)[:5]
    expected = exhaustive(step, 4, 5, min_length=min_length)
    assert all(len(ids) >= min_length for ids, _ in found)
    # this model has exact ties (its state is a small hash), so compare scores, and check each
    assert np.allclose([s for _, s in found], [s for _, s in expected], rtol=0, atol=1e-12)
    assert all(s == pytest.approx(score(step, ids), abs=1e-12) for ids, s in found)


@pytest.mark.parametrize("width", [1, 2, 5])
def test_every_result_is_scored_by_the_model_and_sorted(width):
    step = history_model(seed=4)
    found = beam.search(step, np.zeros((1, 1), dtype=np.int64), START, END, width, max_length=6)
    assert 1 <= len(found) <= width
    for ids, log_prob in found:
        assert END not in ids and len(ids) <= 6
        assert log_prob == pytest.approx(score(step, ids), abs=1e-12)
    assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_narrow_beams_can_miss_the_best_sequence():
    # the likeliest first symbol leads nowhere good: greedy width 1 misses what width 2 finds
    log_p = np.log

    def step(ids, state):
        rows = {3: [0.0, 0.6, 0.4, 0.0], 1: [0.3, 0.35, 0.35, 0.0], 2: [0.9, 0.05, 0.05, 0.0]}
        with np.errstate(divide="ignore"):
            return log_p(np.array([rows[int(i)] for i in ids])), state

    one = beam.search(step, None, START, END, beam_width=1, max_length=2)
    two = beam.search(step, None, START, END, beam_width=2, max_length=2)
    assert two[0] == ((2,), pytest.approx(np.log(0.4 * 0.9)))
    assert one[0][1] < np.log(0.2) < two[0][1]


def test_nothing_is_returned_when_no_hypothesis_can_end_in_time():
    def step(ids, state):
        with np.errstate(divide="ignore"):
            return np.log(np.tile([0.0, 1.0, 0.0, 0.0], (len(ids), 1))), state

    assert beam.search(step, None, START, END, beam_width=3, max_length=4) == []


def test_state_may_be_a_tuple_or_dict_and_is_reordered_with_the_beam():
    step = history_model(seed=5)

    def tuple_step(ids, state):
        log_probs, inner = step(ids, state[0])
        return log_probs, (inner, {"copy": inner.copy()})

    start = (np.zeros((1, 1), dtype=np.int64), {"copy": np.zeros((1, 1), dtype=np.int64)})
    plain = beam.search(step, start[0], START, END, 4, 5)
    wrapped = beam.search(tuple_step, start, START, END, 4, 5)
    assert plain == wrapped


def test_symbols_with_probability_zero_are_never_chosen():
    def step(ids, state):
        with np.errstate(divide="ignore"):
            return np.log(np.tile([0.5, 0.5, 0.0, 0.0], (len(ids), 1))), state

    found = beam.search(step, None, START, END, beam_width=10, max_length=3)
    assert all(set(ids) <= {1} for ids, _ in found)
    assert [ids for ids, _ in found] == [(), (1,), (1, 1), (1, 1, 1)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"beam_width": 0}, "beam_width must be a positive integer"),
        ({"max_length": -1}, "max_length must be an integer >= 0"),
        ({"end_id": 9}, "end_id must be below the vocabulary size 4"),
        ({"start_id": 1.5}, "start_id must be an integer"),
        ({"min_length": 4}, "min_length must be at most max_length=3"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    settings = {"start_id": START, "end_id": END, "beam_width": 2, "max_length": 3, **kwargs}
    with pytest.raises(ValueError, match=message):
        beam.search(history_model(), np.zeros((1, 1), dtype=np.int64), **settings)


def test_a_step_that_does_not_return_log_probabilities_is_rejected():
    with pytest.raises(ValueError, match="log-probabilities"):
        beam.search(lambda ids, s: (np.full((len(ids), 4), 0.25), s), None, START, END, 2, 3)
    with pytest.raises(ValueError, match=r"log_probs must be \(B, V\) with B=1"):
        beam.search(lambda ids, s: (np.zeros((2, 4)), s), None, START, END, 2, 3)
    with pytest.raises(TypeError, match="step must be a function"):
        beam.search("model", None, START, END, 2, 3)
