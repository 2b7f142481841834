"""One artificial neuron: a weighted sum of inputs, plus a bias, through an activation."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import activations


def forward(x, w, b, activation="step"):
    """Return activation(x w + b) for x of shape (N, D) and weights w of shape (D,)."""
    w = validate.array(w, "w", "D")
    x = validate.array(x, "x", "N D", D=w.shape[0])
    validate.number(b, "b")
    fn, _ = activations.get(activation)
    return fn(x @ w + b)  # (N,)


def perceptron_fit(x, y, epochs=20, learning_rate=1.0, rng=None):
    """Rosenblatt's rule, w += lr (y - y_hat) x per example; returns (w, b, errors per epoch)."""
    x = validate.array(x, "x", "N D")
    y = validate.array(y, "y", "N", N=x.shape[0])
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold 0/1 labels; got values {np.unique(y)}")
    epochs = validate.positive_int(epochs, "epochs")
    w, b = np.zeros(x.shape[1]), 0.0
    order = np.arange(len(x))
    errors = []
    for _ in range(epochs):
        if rng is not None:
            order = validate.generator(rng).permutation(len(x))
        mistakes = 0
        for n in order:
            mistakes += int(float(x[n] @ w + b >= 0) != y[n])
            w, b = perceptron_update(w, b, x[n], y[n], learning_rate)
        errors.append(mistakes)
    return w, b, errors


def perceptron_update(w, b, x_n, y_n, learning_rate=1.0):
    """One step of the perceptron rule on one example; returns the new (w, b)."""
    y_hat = float(x_n @ w + b >= 0)
    # (y - y_hat) is 0 when the prediction is right, so only mistakes move the weights
    return w + learning_rate * (y_n - y_hat) * x_n, b + learning_rate * (y_n - y_hat)
