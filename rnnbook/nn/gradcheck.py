"""Finite-difference gradient checks: is a hand-written backward pass right?

    def loss_fn():
        hs, _, _ = bptt.forward(lstm, x, None, params)
        return np.sum(hs * w)

    error = gradcheck.check(loss_fn, {"x": x, "params": params}, {"x": dx, "params": grads})

`loss_fn` takes no arguments and reads the arrays, which are nudged in place and restored.
"""

import numpy as np

from rnnbook import validate


def numerical_gradient(loss_fn, arrays, eps=1e-6):
    """Central differences (L(a + eps) - L(a - eps)) / (2 eps) for every element of `arrays`.

    `arrays` is a float64 array or a (nested) dict of them; the result has the same structure.
    """
    validate.number(eps, "eps", 0, low_open=True)
    if isinstance(arrays, dict):
        return {key: numerical_gradient(loss_fn, value, eps) for key, value in arrays.items()}
    a = _float64_array(arrays)
    grad = np.zeros_like(a)
    for index in np.ndindex(a.shape):
        saved = a[index]
        a[index] = saved + eps
        loss_plus = _scalar(loss_fn())
        a[index] = saved - eps
        loss_minus = _scalar(loss_fn())
        a[index] = saved
        # the error of the central difference is O(eps^2), against O(eps) one-sided
        grad[index] = (loss_plus - loss_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """|a - b| / (|a| + |b|) in the Euclidean norm over all elements; 0 when both are zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    # a norm-wise ratio: single entries that are zero in exact arithmetic do not blow it up
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def check(loss_fn, arrays, analytic, eps=1e-6):
    """The largest relative error between `analytic` and the numerical gradient of `arrays`."""
    _same_structure(arrays, analytic, "analytic")
    numerical = numerical_gradient(loss_fn, arrays, eps)
    pairs = zip(_leaves(numerical), _leaves(analytic), strict=True)
    return max(relative_error(n, a) for n, a in pairs)


def _same_structure(arrays, analytic, name):
    """Raise unless `analytic` has the keys and shapes of `arrays`."""
    if isinstance(arrays, dict):
        if not isinstance(analytic, dict) or list(analytic) != list(arrays):
            got = list(analytic) if isinstance(analytic, dict) else type(analytic).__name__
            raise ValueError(f"{name} must be a dict with keys {list(arrays)}; got {got}")
        for key in arrays:
            _same_structure(arrays[key], analytic[key], f"{name}[{key!r}]")
    elif np.shape(analytic) != np.shape(arrays):
        raise ValueError(f"{name} must have shape {np.shape(arrays)}; got {np.shape(analytic)}")


def _leaves(tree):
    if isinstance(tree, dict):
        for value in tree.values():
            yield from _leaves(value)
    else:
        yield tree


def _float64_array(value):
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        got = f"{value.dtype} array" if isinstance(value, np.ndarray) else type(value).__name__
        raise TypeError(f"arrays must hold float64 numpy arrays, nudged in place; got a {got}")
    if value.size == 0:
        raise ValueError(f"arrays must not hold empty arrays; got shape {value.shape}")
    return value


def _scalar(loss):
    value = np.asarray(loss)
    if value.shape != () or value.dtype.kind not in "fiu" or not np.isfinite(value):
        raise ValueError(f"loss_fn must return a finite real scalar; got {loss!r}")
    return float(value)


def below(x):
    """Describe x >= 0 by the power of ten just above it: "below 1e-09" for 3.1e-10, or "exactly 0".

    Rounding-level differences change in their last digits from one computer to another, so the
    book prints them this way: the stored outputs stay the same on almost every machine (a value
    right at a power of ten can still print in the neighbouring bucket).
    """
    x = validate.number(x, "x", 0)
    return "exactly 0" if x == 0 else f"below 1e{int(np.floor(np.log10(x))) + 1:+03d}"
