"""Checkers for chapter 7 (sequence generation)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.decoding import sampling


def check_perplexity(fn):
    """perplexity(log_probs) against exp(-mean(log_probs)), the definition."""
    rng = np.random.default_rng(701)
    cases = [
        Case("a single prediction with probability 0.25", (np.log(np.array([0.25])),)),
        Case("27 predictions, each with probability 1/27", (np.full(27, -np.log(27.0)),)),
        Case("100 random log-probabilities", (np.log(rng.uniform(0.01, 1.0, size=100)),)),
        Case("log-probabilities as a plain list", ([-0.5, -2.0, -1.25],)),
        Case("predictions with probability 1 (log-probability 0)", (np.zeros(4),)),
        Case(
            "very unlikely predictions (log-probabilities near -300)", (np.array([-300.0, -290.0]),)
        ),
    ]
    compare(fn, lambda log_probs: float(np.exp(-np.mean(log_probs))), cases, exercise="perplexity")


def check_bigram_log_likelihood(fn):
    """bigram_log_likelihood(ids, log_table) against the sum of log_table[previous, next]."""
    rng = np.random.default_rng(702)

    def reference(ids, log_table):
        return float(sum(log_table[a, b] for a, b in zip(ids[:-1], ids[1:], strict=True)))

    def table(v):
        return np.log(rng.dirichlet(np.ones(v), size=v))  # row i: ln P(next | previous i)

    cases = [
        Case("an empty name, ids [<s>, </s>]", (np.array([1, 2]), table(4))),
        Case("a one-letter name", (np.array([1, 3, 2]), table(4))),
        Case("a 6-letter name over 29 symbols", (np.array([1, 5, 9, 3, 3, 17, 8, 2]), table(29))),
        Case("a name whose letters repeat", (np.array([1, 4, 4, 4, 2]), table(5))),
    ]
    compare(fn, reference, cases, exercise="bigram_log_likelihood")


def check_top_k_probabilities(fn):
    """top_k_probabilities(logits, k) against sampling.probabilities(logits, top_k=k)."""
    rng = np.random.default_rng(703)
    cases = [
        Case("k = 1", (rng.normal(size=6), 1)),
        Case("k = 3 of 10", (rng.normal(size=10), 3)),
        Case("k equal to the vocabulary size", (rng.normal(size=5), 5)),
        Case("a vocabulary of one symbol", (np.array([0.3]), 1)),
        Case("tied logits (ties keep the lower id)", (np.array([1.0, 2.0, 2.0, 2.0, 0.5]), 2)),
        Case("logits as large as 1000", (np.array([1000.0, 999.0, -1000.0, 998.0]), 2)),
    ]
    compare(
        fn,
        lambda logits, k: sampling.probabilities(logits, top_k=k),
        cases,
        exercise="top_k_probabilities",
    )


def check_top_p_probabilities(fn):
    """top_p_probabilities(logits, p) against sampling.probabilities(logits, top_p=p)."""
    rng = np.random.default_rng(704)
    # softmax of these logits, most likely first, is (0.6, 0.25, 0.1, 0.05): cumulative 0.6, 0.85,
    # 0.95, 1 (up to rounding)
    shaped = np.log(np.array([0.25, 0.05, 0.6, 0.1]))
    cases = [
        Case("p = 1 (everything kept)", (rng.normal(size=6), 1.0)),
        Case("p = 0.5, below the largest probability 0.6", (shaped, 0.5)),
        Case("p = 0.7, which the first two symbols reach", (shaped, 0.7)),
        Case("p = 0.9, which needs three symbols", (shaped, 0.9)),
        Case("20 random logits, p = 0.8", (2 * rng.normal(size=20), 0.8)),
        Case("logits as large as 1000", (np.array([1000.0, 999.0, -1000.0, 998.0]), 0.9)),
    ]
    compare(
        fn,
        lambda logits, p: sampling.probabilities(logits, top_p=p),
        cases,
        exercise="top_p_probabilities",
    )
