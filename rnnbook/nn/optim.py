"""Optimisers and gradient clipping over dicts of arrays (nested dicts too), with Keras' rules."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import tree


def _checked_grads(grads):
    """Return {path: grad} after checking each grad is a finite float array."""
    checked = {}
    for path, grad in tree.leaves(grads, "grads"):
        grad = np.asarray(grad)
        if grad.dtype.kind != "f":
            raise TypeError(f"{tree.where('grads', path)} must be a float array; got {grad.dtype}")
        if not np.all(np.isfinite(grad)):
            raise ValueError(
                f"{tree.where('grads', path)} must be finite; it holds NaN or inf "
                "(training has diverged: lower the learning rate or clip the gradients)"
            )
        checked[path] = grad
    return checked


def _pairs(params, grads):
    """Return [(path, param, grad)], checked before anything is updated."""
    grad_of = _checked_grads(grads)
    pairs = []
    for path, param in tree.leaves(params, "params"):
        if not isinstance(param, np.ndarray) or param.dtype.kind != "f":
            got = f"{type(param).__name__} {getattr(param, 'dtype', '')}".rstrip()
            raise TypeError(
                f"{tree.where('params', path)} must be a float numpy array "
                f"(it is updated in place); got {got}"
            )
        if path not in grad_of:
            raise ValueError(
                f"grads has no {tree.where('grads', path)} for {tree.where('params', path)}"
            )
        if grad_of[path].shape != param.shape:
            raise ValueError(
                f"{tree.where('grads', path)} must have the shape of the parameter, {param.shape}; "
                f"got {grad_of[path].shape}"
            )
        pairs.append((path, param, grad_of.pop(path)))
    if grad_of:
        raise ValueError(f"grads has entries with no parameter: {[*grad_of]}")
    return pairs


def _rate(value, name, low=0.0, high=np.inf, low_open=True):
    """Return float(value) if low < value < high (low <= value when low_open is False)."""
    return validate.number(value, name, low, high, low_open=low_open, high_open=True)


class _Optimizer:
    """Shared bookkeeping: the step count, and parameters that must keep one structure."""

    def __init__(self):
        self.iterations = 0
        self._paths = None

    def _start(self, params, grads):
        pairs = _pairs(params, grads)
        paths = [path for path, _, _ in pairs]
        if self._paths is None:
            self._paths = paths
        elif paths != self._paths:
            raise ValueError(
                f"params must keep the same keys between steps; the first step had {self._paths}, "
                f"this one has {paths}"
            )
        return pairs


class SGD(_Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum, as keras.optimizers.SGD."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__()
        self.learning_rate = _rate(learning_rate, "learning_rate")
        self.momentum = _rate(momentum, "momentum", high=1.0, low_open=False)
        self.nesterov = bool(nesterov)
        self.velocities = {}

    def step(self, params, grads):
        """Update every array in params in place from the matching array in grads."""
        lr, momentum = self.learning_rate, self.momentum
        for path, param, grad in self._start(params, grads):
            if momentum == 0:
                param -= grad * lr
                continue
            m = self.velocities.setdefault(path, np.zeros_like(param))
            m *= momentum
            m -= grad * lr
            param += m * momentum - grad * lr if self.nesterov else m
        self.iterations += 1


class Adam(_Optimizer):
    """Adam with Keras' bias correction folded into the step size (keras.optimizers.Adam)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__()
        self.learning_rate = _rate(learning_rate, "learning_rate")
        self.beta_1 = _rate(beta_1, "beta_1", high=1.0, low_open=False)
        self.beta_2 = _rate(beta_2, "beta_2", high=1.0, low_open=False)
        self.epsilon = _rate(epsilon, "epsilon")
        self.momentums, self.velocities = {}, {}

    def step(self, params, grads):
        """Update every array in params in place from the matching array in grads."""
        pairs = self._start(params, grads)
        t = self.iterations + 1
        alpha = self.learning_rate * np.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        for path, param, grad in pairs:
            m = self.momentums.setdefault(path, np.zeros_like(param))
            v = self.velocities.setdefault(path, np.zeros_like(param))
            m += (grad - m) * (1 - self.beta_1)  # running mean of the gradient
            v += (grad * grad - v) * (1 - self.beta_2)  # running mean of its square
            param -= (m * alpha) / (np.sqrt(v) + self.epsilon)
        self.iterations = t


def _norm(checked):
    return float(np.sqrt(sum(np.sum(g * g) for g in checked.values())))


def global_norm(grads):
    """sqrt of the sum of squares of every element of every array in grads."""
    return _norm(_checked_grads(grads))


def clip_by_global_norm(grads, max_norm):
    """Return (grads scaled by max_norm / max(norm, max_norm), norm), as tf.clip_by_global_norm."""
    max_norm = _rate(max_norm, "max_norm")
    checked = _checked_grads(grads)
    norm = _norm(checked)
    scale = max_norm / max(norm, max_norm)  # 1 when the norm is already within bounds
    return tree.rebuild(grads, {path: g * scale for path, g in checked.items()}), norm


def clip_by_value(grads, limit):
    """Return grads with every element clipped to [-limit, limit]."""
    limit = _rate(limit, "limit")
    return tree.rebuild(
        grads, {p: np.clip(g, -limit, limit) for p, g in _checked_grads(grads).items()}
    )
