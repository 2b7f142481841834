"""Checkers for chapter 3 (activations)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.nn import activations


def _logit_cases(seed):
    """Ordinary logits of several shapes, then the large ones a naive formula cannot survive."""
    rng = np.random.default_rng(seed)
    return [
        Case("a vector of 4 logits", (rng.normal(size=4),)),
        Case("a batch of shape (3, 5), one row per example", (rng.normal(size=(3, 5)) * 3,)),
        Case(
            "a batch of shape (2, 4, 6) (work along the last axis)", (rng.normal(size=(2, 4, 6)),)
        ),
        Case("logits [1000, 0, -1000]", (np.array([1000.0, 0.0, -1000.0]),)),
        Case("two rows of logits all equal to -1e4", (np.full((2, 3), -1e4),)),
        Case("logits [[1e4, -1e4, 5e3]]", (np.array([[1e4, -1e4, 5e3]]),)),
        Case(
            "two rows far apart, [[1000, 999], [0, -1]]", (np.array([[1e3, 999.0], [0.0, -1.0]]),)
        ),
    ]


def check_softmax(fn):
    """softmax(a) along the last axis, against rnnbook.nn.activations.softmax, for |a| up to 1e4."""
    compare(fn, activations.softmax, _logit_cases(301), exercise="softmax")


def check_log_softmax(fn):
    """log_softmax(a) along the last axis, against rnnbook.nn.activations.log_softmax."""
    # relative tolerance: log-probabilities as low as -2e4 must still be right to many digits
    compare(
        fn, activations.log_softmax, _logit_cases(302), exercise="log_softmax", rtol=1e-9, atol=1e-9
    )


def check_sigmoid_grad(fn):
    """sigmoid_grad(a), the sigmoid's derivative, against rnnbook.nn.activations.sigmoid_grad."""
    rng = np.random.default_rng(303)
    cases = [
        Case("a = 0", (np.array([0.0]),)),
        Case("a vector of 6 values between -3 and 3", (rng.uniform(-3, 3, size=6),)),
        Case("a batch of shape (3, 4)", (rng.normal(size=(3, 4)) * 2,)),
        Case("a = [-30, 30] (saturated)", (np.array([-30.0, 30.0]),)),
        Case("a = [-1e4, 1e4]", (np.array([-1e4, 1e4]),)),
    ]
    compare(fn, activations.sigmoid_grad, cases, exercise="sigmoid_grad", rtol=1e-9, atol=1e-15)
