"""Chapter 7's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook.checks import ch07
from rnnbook.checks.core import ExerciseError


def perplexity_wrong_sign(log_probs):
    return float(np.exp(np.mean(log_probs)))


def perplexity_of_the_sum(log_probs):
    return float(np.exp(-np.sum(log_probs)))


def perplexity_mean_probability(log_probs):
    return float(1 / np.mean(np.exp(log_probs)))


def bigram_transposed(ids, log_table):
    return float(np.sum(log_table[ids[1:], ids[:-1]]))


def bigram_without_the_end(ids, log_table):
    return float(np.sum(log_table[ids[:-2], ids[1:-1]]))


def bigram_mean(ids, log_table):
    return float(np.mean(log_table[ids[:-1], ids[1:]]))


def top_k_not_renormalised(logits, k):
    e = np.exp(logits - logits.max())
    keep = np.argsort(-logits, kind="stable")[:k]
    probs = np.zeros(len(logits))
    probs[keep] = (e / e.sum())[keep]
    return probs


def top_k_one_too_many(logits, k):
    keep = np.argsort(-logits, kind="stable")[: k + 1]
    e = np.exp(logits[keep] - logits[keep].max())
    probs = np.zeros(len(logits))
    probs[keep] = e / e.sum()
    return probs


def top_k_naive_softmax(logits, k):
    keep = np.argsort(-logits, kind="stable")[:k]
    probs = np.zeros(len(logits))
    probs[keep] = np.exp(logits[keep]) / np.exp(logits[keep]).sum()
    return probs


def top_k_ties_to_the_higher_index(logits, k):
    keep = np.argsort(-logits[::-1], kind="stable")[:k]
    keep = len(logits) - 1 - keep
    e = np.exp(logits[keep] - logits[keep].max())
    probs = np.zeros(len(logits))
    probs[keep] = e / e.sum()
    return probs


def top_p_strictly_inside(logits, p):
    order = np.argsort(-logits, kind="stable")
    e = np.exp(logits[order] - logits[order[0]])
    ranked = e / e.sum()
    kept = np.where(np.cumsum(ranked) < p, ranked, 0.0)  # drops the symbol that reaches p
    if kept.sum() == 0:
        kept[0] = ranked[0]
    probs = np.zeros(len(logits))
    probs[order] = kept / kept.sum()
    return probs


def top_p_not_renormalised(logits, p):
    order = np.argsort(-logits, kind="stable")
    e = np.exp(logits[order] - logits[order[0]])
    ranked = e / e.sum()
    kept = np.where(np.cumsum(ranked) - ranked < p, ranked, 0.0)
    probs = np.zeros(len(logits))
    probs[order] = kept
    return probs


def top_p_least_likely_first(logits, p):
    order = np.argsort(logits, kind="stable")
    e = np.exp(logits[order] - logits.max())
    ranked = e / e.sum()
    kept = np.where(np.cumsum(ranked) - ranked < p, ranked, 0.0)
    probs = np.zeros(len(logits))
    probs[order] = kept / kept.sum()
    return probs


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch07.check_perplexity, perplexity_wrong_sign, "probability 0.25"),
        (ch07.check_perplexity, perplexity_of_the_sum, "27 predictions"),
        (ch07.check_perplexity, perplexity_mean_probability, "100 random"),
        (ch07.check_bigram_log_likelihood, bigram_transposed, "off by"),
        (ch07.check_bigram_log_likelihood, bigram_without_the_end, "an empty name"),
        (ch07.check_bigram_log_likelihood, bigram_mean, "a one-letter name"),
        (ch07.check_top_k_probabilities, top_k_not_renormalised, "k = 1"),
        (ch07.check_top_k_probabilities, top_k_one_too_many, "k = 1"),
        (ch07.check_top_k_probabilities, top_k_naive_softmax, "overflow"),
        (ch07.check_top_k_probabilities, top_k_ties_to_the_higher_index, "tied logits"),
        (ch07.check_top_p_probabilities, top_p_strictly_inside, "p = 0.7"),
        (ch07.check_top_p_probabilities, top_p_not_renormalised, "p = 0.5"),
        (ch07.check_top_p_probabilities, top_p_least_likely_first, "off by"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_checker_reports_a_wrong_shape():
    with pytest.raises(ExerciseError, match=naming("(1, 6)", "(6,)")):
        ch07.check_top_k_probabilities(lambda logits, k: np.ones((1, len(logits))) / len(logits))
