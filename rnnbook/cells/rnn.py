"""The simple recurrent cell, as Keras' SimpleRNN: h = tanh(x_t W_xh + h_prev W_hh + b)."""

import numpy as np

from rnnbook import validate
from rnnbook.cells import core
from rnnbook.nn import initializers

STATES = ("h",)


def shapes(input_dim, units):
    """Keras' layout: kernel W_xh (D, H), recurrent_kernel W_hh (H, H), bias b (H,)."""
    return {"kernel": (input_dim, units), "recurrent_kernel": (units, units), "bias": (units,)}


def init(input_dim, units, rng):
    """Keras' defaults: Glorot-uniform kernel, orthogonal recurrent kernel, zero bias."""
    input_dim = validate.positive_int(input_dim, "input_dim")
    units = validate.positive_int(units, "units")
    return {
        "kernel": initializers.glorot_uniform((input_dim, units), rng),
        "recurrent_kernel": initializers.orthogonal((units, units), rng),
        "bias": np.zeros(units),
    }


def step(x_t, states, params):
    """One step h = tanh(x_t W_xh + h_prev W_hh + b) for x_t (N, D): (h, (h,), cache)."""
    x_t, (h_prev,) = core.check_step(x_t, states, params, shapes, STATES)
    h, _, cache = recur(project(x_t, params), (h_prev,), params)
    return h, (h,), (x_t, cache)


def project(x, params):
    """The input part x W_xh + b, for one step (N, D) or for all steps at once (N, T, D)."""
    return core.project(x, params["kernel"], params["bias"])


def recur(xw_t, states, params):
    """The step's equation, given its input part xw_t = x_t W_xh + b (N, H); unchecked."""
    (h_prev,) = states
    h = np.tanh(xw_t + h_prev @ params["recurrent_kernel"])  # (N, H)
    return h, (h,), (h_prev, h)


def step_backward(dstates, cache, params):
    """Given dL/dh after the step, return (dx_t, (dh_prev,), grads) for that step."""
    dstates = core.check_step_backward(dstates, cache, params, shapes, STATES)
    x_t, (h_prev, h) = cache
    da, (dh_prev,) = recur_backward(dstates, (h_prev, h), params)
    return da @ params["kernel"].T, (dh_prev,), core.weight_grads(x_t, h_prev, da)


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dL/da, (dh_prev,)) with a = x_t W_xh + h_prev W_hh + b."""
    (dh,) = dstates
    _, h = cache
    da = dh * (1 - h * h)  # (N, H): tanh'(a) = 1 - tanh(a)^2
    return da, (da @ params["recurrent_kernel"].T,)
