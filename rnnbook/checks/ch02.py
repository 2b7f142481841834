"""Checkers for chapter 2 (weights: how a network learns)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.models import mlp
from rnnbook.nn import losses, optim


def check_binary_cross_entropy(fn):
    """binary_cross_entropy(logits, targets) -> (loss, dlogits), against rnnbook.nn.losses."""
    rng = np.random.default_rng(201)

    def bits(shape):
        return rng.integers(0, 2, size=shape).astype(float)

    cases = [
        Case("one logit 0.0 with target 1", (np.array([[0.0]]), np.array([[1.0]]))),
        Case("6 logits (6, 1) with 0/1 targets", (rng.normal(size=(6, 1)) * 2, bits((6, 1)))),
        Case(
            "logits of shape (4, 3) (average over every element)",
            (rng.normal(size=(4, 3)), bits((4, 3))),
        ),
        Case("soft targets between 0 and 1", (rng.normal(size=(5, 1)), rng.uniform(size=(5, 1)))),
        Case(
            "logits [[1000], [-1000], [-1000]] with targets [[0], [1], [0]]",
            (np.array([[1000.0], [-1000.0], [-1000.0]]), np.array([[0.0], [1.0], [0.0]])),
        ),
    ]
    compare(fn, losses.binary_cross_entropy, cases, exercise="binary_cross_entropy")


def _gradients(x, dlogits, params):
    """The reference: the package's forward pass for the cache, then its backward pass."""
    _, cache = mlp.forward(x, params)
    return mlp.backward(dlogits, cache, params)


def check_hidden_layer_gradients(fn):
    """hidden_layer_gradients(x, dlogits, params) -> gradients dict, against rnnbook.models.mlp."""
    rng = np.random.default_rng(202)
    cases = []
    # (N, D, H, K); the square ones make a missing transpose give numbers instead of an error
    for n, d, h, k in [(1, 2, 3, 1), (5, 2, 4, 1), (4, 3, 3, 3), (6, 4, 5, 2)]:
        params = mlp.init(d, h, k, rng)
        params["hidden_bias"] = rng.normal(size=h)
        params["output_bias"] = rng.normal(size=k)
        label = f"x of shape {(n, d)}, {h} hidden units and {k} output" + "s" * (k > 1)
        cases.append(Case(label, (rng.normal(size=(n, d)), rng.normal(size=(n, k)), params)))
    compare(fn, _gradients, cases, exercise="hidden_layer_gradients", rtol=1e-7, atol=1e-10)


def _momentum_step(param, grad, velocity, learning_rate, momentum):
    """The reference: one step of rnnbook.nn.optim.SGD started from the given velocity."""
    sgd = optim.SGD(learning_rate, momentum=momentum)
    params = {"param": np.array(param, dtype=float)}
    sgd.velocities[("param",)] = np.array(velocity, dtype=float)
    sgd.step(params, {"param": np.asarray(grad, dtype=float)})
    return params["param"], sgd.velocities[("param",)]


def check_momentum_step(fn):
    """momentum_step(param, grad, velocity, learning_rate, momentum) vs rnnbook.nn.optim.SGD."""
    rng = np.random.default_rng(203)
    cases = [
        Case(
            "the first step (velocity 0), learning_rate 0.1, momentum 0.9",
            (np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.zeros(2), 0.1, 0.9),
        ),
        Case(
            "a later step with velocity [0.3, -0.1], learning_rate 0.1, momentum 0.9",
            (np.array([1.0, -2.0]), np.array([0.5, 0.5]), np.array([0.3, -0.1]), 0.1, 0.9),
        ),
        Case(
            "a (3, 2) parameter, learning_rate 0.01, momentum 0.5",
            (rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), rng.normal(size=(3, 2)), 0.01, 0.5),
        ),
        Case(
            "momentum 0.99, learning_rate 0.5",
            (rng.normal(size=4), rng.normal(size=4), rng.normal(size=4), 0.5, 0.99),
        ),
    ]
    compare(
        fn, _momentum_step, cases, exercise="momentum_step", read_only={0: "param", 2: "velocity"}
    )
