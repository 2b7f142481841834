"""A network with one hidden layer, the smallest to learn XOR: logits = phi(x W1 + b1) W2 + b2."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import activations, dense

# Keras' order for a Sequential of two Dense layers, so list(params.values()) == model.get_weights()
KEYS = ("hidden_kernel", "hidden_bias", "output_kernel", "output_bias")


def init(input_dim, units, output_dim, rng):
    """Both layers as Keras' Dense starts them: Glorot-uniform kernels, zero biases."""
    hidden = dense.init(input_dim, units, rng)
    output = dense.init(units, output_dim, rng)
    return _pack(hidden, output)


def _pack(hidden, output):
    """One flat dict from the two layers' {"kernel", "bias"} dicts, in KEYS order."""
    values = [hidden["kernel"], hidden["bias"], output["kernel"], output["bias"]]
    return dict(zip(KEYS, values, strict=True))


def _layers(params):
    """Check the parameter dict and split it into the two dense layers' dicts."""
    if not isinstance(params, dict) or list(params) != list(KEYS):
        got = list(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict with keys {list(KEYS)}; got {got}")
    input_dim, units = np.shape(params["hidden_kernel"])
    output_dim = np.shape(params["output_kernel"])[-1]
    shapes = [(input_dim, units), (units,), (units, output_dim), (output_dim,)]
    validate.params(params, "params", dict(zip(KEYS, shapes, strict=True)))
    hidden = {"kernel": params["hidden_kernel"], "bias": params["hidden_bias"]}
    output = {"kernel": params["output_kernel"], "bias": params["output_bias"]}
    return hidden, output


def _activation(name):
    fn, grad = activations.get(name)
    if grad is None:
        raise ValueError(f"activation {name!r} has no useful derivative; use tanh, sigmoid or relu")
    return fn, grad


def forward(x, params, activation="tanh"):
    """Return (logits, cache) for x of shape (N, D); logits has shape (N, K)."""
    hidden, output = _layers(params)
    x = validate.array(x, "x", "N D", D=hidden["kernel"].shape[0])
    fn, _ = _activation(activation)
    a, _ = dense.forward(x, hidden)  # (N, H) pre-activations
    h = fn(a)  # (N, H)
    logits, _ = dense.forward(h, output)  # (N, K)
    return logits, (x, a, h)


def backward(dlogits, cache, params, activation="tanh"):
    """Return the gradients (same keys as params) given dL/dlogits of shape (N, K)."""
    hidden, output = _layers(params)
    x, a, h = cache
    _, grad = _activation(activation)
    dh, d_output = dense.backward(np.asarray(dlogits, dtype=float), h, output)  # dh: (N, H)
    da = dh * grad(a)  # chain rule through the activation, element by element
    _, d_hidden = dense.backward(da, x, hidden)
    return _pack(d_hidden, d_output)


def fit(x, targets, params, loss, optimizer, epochs, activation="tanh"):
    """Full-batch training, params updated in place; returns the loss before each update.

    `loss(logits, targets)` returns (loss, dlogits), as in rnnbook.nn.losses;
    `optimizer.step(params, grads)` updates params in place, as in rnnbook.nn.optim. Recording
    the loss before the update is what Keras' History shows for one batch per epoch.
    """
    epochs = validate.positive_int(epochs, "epochs")
    history = []
    for _ in range(epochs):
        logits, cache = forward(x, params, activation)
        value, dlogits = loss(logits, targets)
        optimizer.step(params, backward(dlogits, cache, params, activation))
        history.append(value)
    return np.array(history)
