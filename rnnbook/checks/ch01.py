"""Checkers for chapter 1 (neurons)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.models import neuron
from rnnbook.nn import dense


def check_sigmoid_neuron(fn):
    """sigmoid_neuron(x, w, b) against the package's neuron, including huge pre-activations."""
    rng = np.random.default_rng(101)
    cases = [
        Case("one example with one input", (np.array([[2.0]]), np.array([0.5]), -1.0)),
        Case(
            "a batch of 5 examples with 3 inputs",
            (rng.normal(size=(5, 3)), rng.normal(size=3), 0.3),
        ),
        Case(
            "pre-activations of +1000 and -1000",
            (np.array([[1.0], [-1.0]]), np.array([1000.0]), 0.0),
        ),
    ]
    compare(
        fn, lambda x, w, b: neuron.forward(x, w, b, "sigmoid"), cases, exercise="sigmoid_neuron"
    )


def check_perceptron_update(fn):
    """perceptron_update(w, b, x_n, y_n, learning_rate) vs the package's rule; w left unchanged."""
    w = np.array([0.5, -1.0])
    cases = [
        Case(
            "a correct prediction (nothing should change)", (w, 0.0, np.array([1.0, 0.0]), 1, 1.0)
        ),
        Case("a false positive", (w, 0.0, np.array([1.0, 0.0]), 0, 1.0)),
        Case("a false negative with learning_rate 0.1", (w, -1.0, np.array([0.0, 1.0]), 1, 0.1)),
        Case("a 3-input example on the threshold", (np.ones(3), -3.0, np.ones(3), 0, 0.5)),
    ]
    compare(fn, neuron.perceptron_update, cases, exercise="perceptron_update", read_only={0: "w"})


def check_dense_forward(fn):
    """dense_forward(x, kernel, bias) against rnnbook.nn.dense.forward."""
    rng = np.random.default_rng(102)

    def reference(x, kernel, bias):
        return dense.forward(x, {"kernel": kernel, "bias": bias})[0]

    cases = [
        Case(
            f"x {n, d}, kernel {d, h}",
            (rng.normal(size=(n, d)), rng.normal(size=(d, h)), rng.normal(size=h)),
        )
        for n, d, h in [(1, 1, 1), (4, 3, 2), (2, 5, 7)]
    ]
    compare(fn, reference, cases, exercise="dense_forward")
