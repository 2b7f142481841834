"""One neuron and the perceptron rule: logic gates, convergence, and failure on XOR."""

import numpy as np
import pytest
from messages import naming

from rnnbook.models import neuron

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@pytest.mark.parametrize(
    ("truth", "separable"),
    [([0, 0, 0, 1], True), ([0, 1, 1, 1], True), ([1, 1, 1, 0], True), ([0, 1, 1, 0], False)],
    ids=["AND", "OR", "NAND", "XOR"],
)
def test_perceptron_learns_exactly_the_separable_gates(truth, separable):
    w, b, errors = neuron.perceptron_fit(X, np.array(truth), epochs=30)
    learned = np.array_equal(neuron.forward(X, w, b), truth)
    assert learned == separable
    assert (errors[-1] == 0) == separable


def test_update_moves_only_on_mistakes():
    w, b = np.array([1.0, -1.0]), 0.0
    w_same, b_same = neuron.perceptron_update(w, b, np.array([1.0, 0.0]), 1)
    assert np.array_equal(w_same, w) and b_same == b
    w_new, b_new = neuron.perceptron_update(w, b, np.array([1.0, 0.0]), 0, learning_rate=0.5)
    assert np.array_equal(w_new, [0.5, -1.0]) and b_new == -0.5
    assert np.array_equal(w, [1.0, -1.0])  # the input is not changed in place


def test_forward_with_sigmoid_is_bounded_and_centred():
    y = neuron.forward(np.array([[-1e4], [0.0], [1e4]]), np.array([1.0]), 0.0, "sigmoid")
    assert np.array_equal(y, [0.0, 0.5, 1.0])


def test_forward_rejects_bad_input():
    with pytest.raises(ValueError, match=naming("x", "D=2", "(4, 3)")):
        neuron.forward(np.zeros((4, 3)), np.zeros(2), 0.0)
    with pytest.raises(ValueError, match="b must be a single number"):
        neuron.forward(X, np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="activation must be one of"):
        neuron.forward(X, np.zeros(2), 0.0, "swish")
    with pytest.raises(ValueError, match="x must be finite"):
        neuron.forward(np.full((1, 2), np.nan), np.zeros(2), 0.0)


def test_fit_rejects_labels_that_are_not_bits():
    with pytest.raises(ValueError, match="y must hold 0/1 labels"):
        neuron.perceptron_fit(X, np.array([0, 1, 2, 1]))
