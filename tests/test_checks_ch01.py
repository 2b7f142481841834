"""Chapter 1's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook.checks import ch01
from rnnbook.checks.core import ExerciseError


def naive_sigmoid_neuron(x, w, b):
    return 1 / (1 + np.exp(-(x @ w + b)))


def sigmoid_neuron_without_bias(x, w, b):
    return 1 / (1 + np.exp(-np.clip(x @ w, -500, 500)))


def perceptron_update_wrong_sign(w, b, x_n, y_n, learning_rate):
    error = float(x_n @ w + b >= 0) - y_n
    return w + learning_rate * error * x_n, b + learning_rate * error


def perceptron_update_ignores_rate(w, b, x_n, y_n, learning_rate):
    error = y_n - float(x_n @ w + b >= 0)
    return w + error * x_n, b + error


def perceptron_update_in_place(w, b, x_n, y_n, learning_rate):
    error = y_n - float(x_n @ w + b >= 0)
    w += learning_rate * error * x_n
    return w, b + learning_rate * error


def dense_forward_transposed(x, kernel, bias):
    return (kernel.T @ x.T).T + bias[::-1]


def dense_forward_no_bias(x, kernel, bias):
    return x @ kernel


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch01.check_sigmoid_neuron, naive_sigmoid_neuron, "overflow"),
        (ch01.check_sigmoid_neuron, sigmoid_neuron_without_bias, "off by"),
        (ch01.check_perceptron_update, perceptron_update_wrong_sign, "false positive"),
        (ch01.check_perceptron_update, perceptron_update_ignores_rate, "learning_rate 0.1"),
        (ch01.check_perceptron_update, perceptron_update_in_place, "argument `w` in place"),
        (ch01.check_dense_forward, dense_forward_transposed, "off by"),
        (ch01.check_dense_forward, dense_forward_no_bias, "off by"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_checker_reports_a_wrong_shape():
    with pytest.raises(ExerciseError, match=naming("(1, 1)", "(1,)")):
        ch01.check_sigmoid_neuron(lambda x, w, b: 1 / (1 + np.exp(-(x @ w[:, None] + b))))
