"""A dense (fully connected) layer: y = x W + b, over any leading axes."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import initializers


def init(input_dim, units, rng):
    """Keras' Dense defaults: Glorot-uniform kernel (D, H), zero bias (H,)."""
    input_dim = validate.positive_int(input_dim, "input_dim")
    units = validate.positive_int(units, "units")
    return {
        "kernel": initializers.glorot_uniform((input_dim, units), rng),
        "bias": np.zeros(units),
    }


def forward(x, params):
    """Return (y, cache) for x of shape (..., D); y has shape (..., H)."""
    kernel, bias = params["kernel"], params["bias"]
    x = np.asarray(x)
    if x.ndim < 1 or x.shape[-1] != kernel.shape[0]:
        raise ValueError(f"x must be (..., D) with D={kernel.shape[0]}; got shape {x.shape}")
    return x @ kernel + bias, x


def backward(dy, cache, params):
    """Return (dx, grads) given dL/dy; grads has the same keys as params."""
    x = cache
    if dy.shape[:-1] != x.shape[:-1] or dy.shape[-1] != params["kernel"].shape[1]:
        raise ValueError(
            f"dy must be (..., H) like y = x W + b, i.e. {x.shape[:-1] + params['bias'].shape}; "
            f"got shape {dy.shape}"
        )
    x2, dy2 = x.reshape(-1, x.shape[-1]), dy.reshape(-1, dy.shape[-1])  # (M, D), (M, H)
    grads = {"kernel": x2.T @ dy2, "bias": dy2.sum(axis=0)}
    return dy @ params["kernel"].T, grads
