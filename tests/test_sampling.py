import numpy as np
import pytest

from rnnbook.decoding import sampling
from rnnbook.nn import activations

LOGITS = np.log(np.array([0.05, 0.4, 0.1, 0.3, 0.15]))  # probabilities, ranked: 1, 3, 4, 2, 0


def test_greedy_picks_the_largest_logit_per_row():
    assert sampling.greedy(LOGITS) == 1
    rows = np.array([[0.0, 2.0, 1.0], [5.0, -1.0, 5.0]])
    assert np.array_equal(sampling.greedy(rows), [1, 0])


def test_frequencies_match_softmax_probabilities():
    rng = np.random.default_rng(0)
    n = 200_000
    ids = sampling.sample(np.tile(LOGITS, (n, 1)), rng)
    freq = np.bincount(ids, minlength=5) / n
    # five standard errors of a frequency near 0.5 is about 0.0056
    np.testing.assert_allclose(freq, np.exp(LOGITS), atol=0.006)


def test_temperature_sharpens_and_flattens():
    sharp = sampling.probabilities(LOGITS, temperature=0.5)
    flat = sampling.probabilities(LOGITS, temperature=2.0)
    np.testing.assert_allclose(sharp, activations.softmax(2 * LOGITS), rtol=1e-12)
    np.testing.assert_allclose(flat, activations.softmax(LOGITS / 2), rtol=1e-12)
    assert sharp.max() > np.exp(LOGITS).max() > flat.max()


def test_temperature_zero_is_greedy():
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(50, 7))
    assert np.array_equal(sampling.sample(rows, rng, temperature=0), sampling.greedy(rows))
    assert sampling.sample(LOGITS, rng, temperature=0.0, top_k=3) == 1


def test_top_k_never_leaves_the_k_best_and_keeps_their_ratios():
    rng = np.random.default_rng(2)
    ids = sampling.sample(np.tile(LOGITS, (20_000, 1)), rng, top_k=2)
    assert set(np.unique(ids)) == {1, 3}
    probs = sampling.probabilities(LOGITS, top_k=2)
    np.testing.assert_allclose(probs, [0, 0.4 / 0.7, 0, 0.3 / 0.7, 0], rtol=1e-12)


def test_top_k_one_is_greedy_and_ties_go_to_the_lower_id():
    rng = np.random.default_rng(3)
    rows = rng.normal(size=(100, 6))
    assert np.array_equal(sampling.sample(rows, rng, top_k=1), sampling.greedy(rows))
    assert np.array_equal(sampling.probabilities([1.0, 3.0, 3.0], top_k=1), [0, 1, 0])


@pytest.mark.parametrize(
    ("top_p", "kept"),
    # a step of 0.01 from each boundary, where rounding in the cumulative sum cannot decide
    [(0.3, [1]), (0.39, [1]), (0.41, [1, 3]), (0.69, [1, 3]), (0.71, [1, 3, 4]), (1.0, range(5))],
)
def test_top_p_keeps_the_smallest_set_that_reaches_p(top_p, kept):
    probs = sampling.probabilities(LOGITS, top_p=top_p)
    expected = np.zeros(5)
    expected[list(kept)] = np.exp(LOGITS)[list(kept)]
    np.testing.assert_allclose(probs, expected / expected.sum(), rtol=1e-9)


def test_top_k_then_top_p_apply_in_that_order():
    # after top_k=3 the kept probabilities are 0.4/0.85, 0.3/0.85, 0.15/0.85 = 0.47, 0.35, 0.18
    probs = sampling.probabilities(LOGITS, top_k=3, top_p=0.8)
    np.testing.assert_allclose(probs, [0, 0.4 / 0.7, 0, 0.3 / 0.7, 0], rtol=1e-12)


def test_sampling_is_reproducible_and_stable_for_huge_logits():
    rows = np.array([[1e4, -1e4, 0.0], [0.0, 1e4, 1e4 - 1]])
    first = sampling.sample(rows, np.random.default_rng(4), temperature=0.5, top_p=0.9)
    second = sampling.sample(rows, np.random.default_rng(4), temperature=0.5, top_p=0.9)
    assert np.array_equal(first, second) and first[0] == 0
    assert np.all(np.isfinite(sampling.probabilities(rows, temperature=1e-3)))


def test_never_samples_a_zero_probability_id():
    logits = np.array([-np.inf, 0.0, -np.inf, 0.0])
    with pytest.raises(ValueError, match="finite"):
        sampling.sample(logits, np.random.default_rng(0))
    ids = sampling.sample(np.tile([-1e4, 0.0, -1e4, 0.0], (10_000, 1)), np.random.default_rng(5))
    assert set(np.unique(ids)) == {1, 3}


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"temperature": -1.0}, ValueError, "temperature must be a number >= 0; got -1.0"),
        ({"temperature": np.nan}, ValueError, "temperature"),
        ({"temperature": "hot"}, TypeError, "temperature"),
        ({"top_k": 0}, ValueError, "top_k must be a positive integer"),
        ({"top_k": 6}, ValueError, "at most the vocabulary size 5; got 6"),
        ({"top_k": 2.0}, ValueError, "top_k"),
        ({"top_p": 0.0}, ValueError, r"top_p must be a number in \(0, 1\]; got 0.0"),
        ({"top_p": 1.5}, ValueError, "top_p"),
        ({"top_p": True}, TypeError, "top_p"),
    ],
)
def test_bad_settings_raise(kwargs, error, message):
    with pytest.raises(error, match=message):
        sampling.sample(LOGITS, np.random.default_rng(0), **kwargs)


@pytest.mark.parametrize(
    ("logits", "message"),
    [
        (np.zeros((2, 3, 4)), r"\(V,\) or \(N, V\); got shape \(2, 3, 4\)"),
        (np.float64(1.0), r"got shape \(\)"),
        (np.zeros(0), "empty"),
        (np.zeros((3, 0)), "empty"),
        (np.array([0.0, np.nan]), "finite"),
    ],
)
@pytest.mark.parametrize("use", ["greedy", "sample", "probabilities"])
def test_bad_logits_raise(logits, message, use):
    call = {
        "greedy": sampling.greedy,
        "sample": lambda z: sampling.sample(z, np.random.default_rng(0)),
        "probabilities": sampling.probabilities,
    }[use]
    with pytest.raises(ValueError, match=message):
        call(logits)


def test_sample_needs_a_generator_and_probabilities_refuse_temperature_zero():
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        sampling.sample(LOGITS, 0)
    with pytest.raises(ValueError, match="use greedy"):
        sampling.probabilities(LOGITS, temperature=0)
