"""Activation functions and their derivatives, written to stay finite for any finite input."""

import numpy as np


def _floats(a):
    """`a` as an array of float32 or float64 as given; anything else (ints, lists) as float64."""
    a = np.asarray(a)
    return a if a.dtype in (np.float32, np.float64) else a.astype(np.float64)


def step(a):
    """Heaviside step: 1 where a >= 0, else 0 (the perceptron's all-or-nothing output)."""
    return (np.asarray(a) >= 0).astype(float)


def sigmoid(a):
    """1 / (1 + e^-a), evaluated so that no exponential ever overflows; float32 stays float32."""
    a = _floats(a)
    # e^-|a| is at most 1, so it cannot overflow; the two branches are the same function
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(a):
    """d sigmoid / da = s (1 - s), written e / (1 + e)^2 with e = e^-|a| (the derivative is even).

    s (1 - s) loses the small factor for large a: 1 - s rounds to 0 once s rounds to 1 (a > 37 in
    float64), where the true slope is still e^-a; this form keeps full relative precision.
    """
    a = _floats(a)
    e = np.exp(-np.abs(a))
    return e / (1.0 + e) ** 2


def tanh(a):
    """Hyperbolic tangent; NumPy's version is already stable."""
    return np.tanh(a)


def tanh_grad(a):
    """d tanh / da = 1 - tanh^2."""
    return 1.0 - np.tanh(a) ** 2


def relu(a):
    """max(0, a)."""
    return np.maximum(a, 0.0)


def relu_grad(a):
    """1 where a > 0, else 0 (the subgradient at 0 is taken as 0, as Keras does)."""
    return (np.asarray(a) > 0).astype(float)


def leaky_relu(a, negative_slope=0.2):
    """a where a > 0, negative_slope * a elsewhere (0.2 is Keras' default slope)."""
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, negative_slope * a)


def leaky_relu_grad(a, negative_slope=0.2):
    """1 where a > 0, negative_slope elsewhere."""
    return np.where(np.asarray(a) > 0, 1.0, negative_slope)


def log_softmax(a, axis=-1):
    """log softmax(a) = a - logsumexp(a), shifted by the max so exp never overflows."""
    a = np.asarray(a, dtype=float)
    shifted = a - np.max(a, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(a, axis=-1):
    """exp(a) / sum exp(a) along `axis`, shifted by the max so exp never overflows."""
    a = np.asarray(a, dtype=float)
    e = np.exp(a - np.max(a, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


BY_NAME = {
    "step": (step, None),
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}


def get(name):
    """Return (function, derivative) for an activation name such as "tanh"."""
    if name not in BY_NAME:
        raise ValueError(f"activation must be one of {sorted(BY_NAME)}; got {name!r}")
    return BY_NAME[name]
