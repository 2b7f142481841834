"""Chapter 3's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest

from rnnbook.checks import ch03
from rnnbook.checks.core import ExerciseError


def softmax_without_shift(a):
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_shifted_by_min(a):
    e = np.exp(a - a.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_over_first_axis(a):
    e = np.exp(a - a.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_over_axis_1(a):
    e = np.exp(a - a.max(axis=1, keepdims=True))  # right for 2-D batches, fails on one row
    return e / e.sum(axis=1, keepdims=True)


def softmax_shifted_by_global_max(a):
    e = np.exp(a - a.max())  # one shift for the whole batch: a row far below the max underflows
    return e / e.sum(axis=-1, keepdims=True)


def log_of_stable_softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return np.log(e / e.sum(axis=-1, keepdims=True))


def log_of_clipped_softmax(a):
    e = np.exp(a - a.max(axis=-1, keepdims=True))
    return np.log(np.maximum(e / e.sum(axis=-1, keepdims=True), 1e-12))  # silent, but floored


def log_softmax_without_shift(a):
    return a - np.log(np.exp(a).sum(axis=-1, keepdims=True))


def log_softmax_forgets_the_max(a):
    shifted = a - a.max(axis=-1, keepdims=True)
    return a - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def stable_sigmoid(a):
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad_wrong_sign(a):
    s = stable_sigmoid(a)
    return -s * (1 - s)


def sigmoid_grad_plus(a):
    s = stable_sigmoid(a)
    return s * (1 + s)


def sigmoid_grad_from_naive_sigmoid(a):
    s = 1 / (1 + np.exp(-a))
    return s * (1 - s)


def sigmoid_grad_naive(a):
    return np.exp(-a) / (1 + np.exp(-a)) ** 2


def sigmoid_grad_is_the_sigmoid(a):
    return stable_sigmoid(a)


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch03.check_softmax, softmax_without_shift, "raised FloatingPointError for logits"),
        (ch03.check_softmax, softmax_shifted_by_min, "overflow"),
        (ch03.check_softmax, softmax_over_first_axis, r"batch of shape \(3, 5\).*off by"),
        (ch03.check_softmax, softmax_over_axis_1, "raised AxisError for a vector of 4 logits"),
        (ch03.check_softmax, softmax_shifted_by_global_max, "invalid value|NaN"),
        (ch03.check_log_softmax, log_of_stable_softmax, "divide by zero"),
        (ch03.check_log_softmax, log_of_clipped_softmax, r"logits \[1000, 0, -1000\].*off by"),
        (ch03.check_log_softmax, log_softmax_without_shift, "overflow"),
        (ch03.check_log_softmax, log_softmax_forgets_the_max, r"vector of 4 logits.*off by"),
        (ch03.check_sigmoid_grad, sigmoid_grad_wrong_sign, "for a = 0, the output is off by"),
        (ch03.check_sigmoid_grad, sigmoid_grad_plus, "off by"),
        (
            ch03.check_sigmoid_grad,
            sigmoid_grad_naive,
            r"overflow.*\[-1e4, 1e4\]|\[-1e4, 1e4\].*overflow",
        ),
        (ch03.check_sigmoid_grad, sigmoid_grad_from_naive_sigmoid, r"\[-1e4, 1e4\]: overflow"),
        (ch03.check_sigmoid_grad, sigmoid_grad_is_the_sigmoid, "off by"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_checker_reports_a_lost_axis():
    def softmax_without_keepdims(a):
        e = np.exp(a - np.max(a))
        return e / np.sum(e)  # normalises over everything, and the shape survives

    with pytest.raises(ExerciseError, match=r"shape \(3, 5\).*off by"):
        ch03.check_softmax(softmax_without_keepdims)
