"""Count models: equal to plain dict-and-loop versions, normalised, and careful with input."""

import collections
import math

import numpy as np
import pytest

from rnnbook.models import ngram

WORDS = ["abba", "abc", "cab", "ba", "a", "bcca", "abab", "cc", "bac", "abca", "aab", "b"]
HELD = ["abcab", "ca", "bb", "ccc", "acab"]
START = "^"


def grams(words, n):
    """(context, symbol) for every prediction, context padded with START; END after each word."""
    for word in words:
        padded = [START] * (n - 1) + list(word) + [ngram.END]
        for i in range(n - 1, len(padded)):
            yield tuple(padded[i - n + 1 : i]), padded[i]


def add_alpha_reference(words, n, alpha, symbols):
    counts = collections.Counter(grams(words, n))
    totals = collections.Counter()
    for (h, _), c in counts.items():
        totals[h] += c
    return lambda h, x: (counts[(h, x)] + alpha) / (totals[h] + alpha * len(symbols))


def kneser_ney_reference(words, order, symbols):
    """Interpolated, modified Kneser-Ney (Chen and Goodman), one dict per order."""
    counts = {order: collections.Counter(grams(words, order))}
    for n in range(order - 1, 0, -1):
        # continuation counts: distinct symbols seen before h x in the (n+1)-grams
        longer = collections.Counter(grams(words, n + 1))
        counts[n] = collections.Counter((h[1:], x) for h, x in longer)
    discounts = {}
    for n, table in counts.items():
        k = collections.Counter(table.values())
        discounts[n] = (0.5, 1.0, 1.5)  # unless the estimates below exist and make sense
        if min(k[1], k[2], k[3], k[4]) > 0:
            y = k[1] / (k[1] + 2 * k[2])
            d = (1 - 2 * y * k[2] / k[1], 2 - 3 * y * k[3] / k[2], 3 - 4 * y * k[4] / k[3])
            if 0 < d[0] <= 1 and 0 < d[1] <= 2 and 0 < d[2] <= 3:
                discounts[n] = d

    def prob(h, x):
        p = 1 / len(symbols)
        for n in range(1, order + 1):
            context = h[len(h) - (n - 1) :] if n > 1 else ()
            seen = {y: c for (g, y), c in counts[n].items() if g == context}
            if not seen:
                continue
            d = discounts[n]
            take = {y: d[min(c, 3) - 1] for y, c in seen.items()}
            total = sum(seen.values())
            p = (max(seen.get(x, 0) - take.get(x, 0), 0) + sum(take.values()) * p) / total
        return p

    return prob


SYMBOLS = ("a", "b", "c", ngram.END)


def zipf_words(count, seed):
    """Random words over eight letters of unequal frequency: enough for Kneser-Ney's estimates."""
    rng = np.random.default_rng(seed)
    p = np.array([8, 6, 5, 4, 3, 2, 1, 1]) / 30
    return [
        "".join(rng.choice(list("abcdefgh"), size=rng.integers(2, 7), p=p)) for _ in range(count)
    ]


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("alpha", [1.0, 0.1])
def test_add_alpha_equals_the_counting_definition(order, alpha):
    model = ngram.fit(WORDS, order, alpha=alpha)
    reference = add_alpha_reference(WORDS, order, alpha, SYMBOLS)
    expected = [math.log(reference(h, x)) for h, x in grams(HELD, order)]
    assert np.allclose(np.concatenate(ngram.log_probs(HELD, model)), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("order", [1, 2, 3, 4, 5])
def test_kneser_ney_equals_the_counting_definition(order):
    words, held = zipf_words(200, seed=0), zipf_words(20, seed=1)
    model = ngram.fit(words, order, smoothing="kneser-ney")
    reference = kneser_ney_reference(words, order, model.symbols)
    expected = [math.log(reference(h, x)) for h, x in grams(held, order)]
    assert np.allclose(np.concatenate(ngram.log_probs(held, model)), expected, rtol=0, atol=1e-12)


def test_kneser_ney_discounts_are_estimated_from_counts_of_counts():
    model = ngram.fit(zipf_words(200, seed=0), 3, smoothing="kneser-ney")
    d1, d2, d3 = model.discounts[3]
    assert (d1, d2, d3) != (0.5, 1.0, 1.5) and 0 < d1 <= 1 and 0 < d2 <= 2 and 0 < d3 <= 3


@pytest.mark.parametrize("smoothing", ["add", "kneser-ney"])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_context_counts_count_the_training_contexts(order, smoothing):
    model = ngram.fit(WORDS, order, smoothing=smoothing)
    contexts = collections.Counter(h for h, _ in grams(WORDS, order))
    expected = [contexts[h] for h, _ in grams(HELD, order)]
    assert np.concatenate(ngram.context_counts(HELD, model)).tolist() == expected
    with pytest.raises(ValueError, match="order 0"):
        ngram.context_counts(HELD, ngram.fit(WORDS, 0))


def test_uniform_model():
    model = ngram.fit(WORDS, 0)
    assert ngram.nats_per_symbol(HELD, model) == pytest.approx(math.log(4))


@pytest.mark.parametrize(
    ("order", "smoothing"),
    [(0, "add"), (1, "add"), (3, "add"), (1, "kneser-ney"), (4, "kneser-ney")],
)
@pytest.mark.parametrize("prefix", ["", "a", "ab", "cccc", "bab"])
def test_next_probabilities_sum_to_one_and_match_log_probs(order, smoothing, prefix):
    words = WORDS * 3 + ["abcabc", "ccab", "bbbb", "cacb"]
    model = ngram.fit(words, order, smoothing=smoothing, alpha=0.5)
    probs = ngram.next_probabilities(prefix, model)
    assert probs.shape == (4,) and np.all(probs > 0)
    assert probs.sum() == pytest.approx(1.0, abs=1e-12)
    # P(END | prefix) is the last prediction of the sequence `prefix`
    if prefix:
        assert probs[-1] == pytest.approx(np.exp(ngram.log_probs([prefix], model)[0][-1]))


def test_log_probs_make_one_prediction_per_symbol_and_one_for_the_end():
    model = ngram.fit(WORDS, 2)
    logp = ngram.log_probs(HELD, model)
    assert [len(p) for p in logp] == [len(w) + 1 for w in HELD]
    total = -sum(p.sum() for p in logp) / sum(len(w) + 1 for w in HELD)
    assert ngram.nats_per_symbol(HELD, model) == pytest.approx(total)


def test_sequences_of_symbols_work_like_strings():
    as_lists = [list(w) for w in WORDS]
    by_string = ngram.fit(WORDS, 3, smoothing="kneser-ney")
    by_list = ngram.fit(as_lists, 3, smoothing="kneser-ney")
    assert ngram.nats_per_symbol(HELD, by_string) == ngram.nats_per_symbol(
        [list(w) for w in HELD], by_list
    )


def test_units():
    assert ngram.bits(math.log(2)) == pytest.approx(1.0)
    assert ngram.perplexity(math.log(27)) == pytest.approx(27.0)


def test_higher_orders_fit_the_training_data_better():
    scores = [ngram.nats_per_symbol(WORDS, ngram.fit(WORDS, n, alpha=0.01)) for n in range(5)]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (([], 2), {}, ValueError, "sequences must not be empty"),
        ((["ab", ""], 2), {}, ValueError, "empty sequence"),
        ((WORDS, -1), {}, ValueError, "order must be an integer >= 0"),
        ((WORDS, 2.0), {}, ValueError, "order must be an integer"),
        ((WORDS, 2), {"alpha": 0}, ValueError, "alpha must be a number > 0"),
        ((WORDS, 2), {"smoothing": "witten-bell"}, ValueError, "smoothing must be"),
        ((WORDS, 0), {"smoothing": "kneser-ney"}, ValueError, "kneser-ney needs order >= 1"),
        ((WORDS, 30), {}, ValueError, "too high"),
    ],
)
def test_fit_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        ngram.fit(*args, **kwargs)


def test_unknown_symbols_are_named():
    model = ngram.fit(WORDS, 2)
    with pytest.raises(ValueError, match="unknown symbol 'z'"):
        ngram.nats_per_symbol(["abz"], model)
    with pytest.raises(ValueError, match="unknown symbol 'z'"):
        ngram.next_probabilities("z", model)
    with pytest.raises(ValueError, match="sequences must not be empty"):
        ngram.log_probs([], model)
