"""The LSTM cell, as Keras' LSTM: gates i, f, g, o, cell state c = f c_prev + i g, h = o tanh(c)."""

import numpy as np

from rnnbook import validate
from rnnbook.cells import core
from rnnbook.nn import initializers

STATES = ("h", "c")


def shapes(input_dim, units):
    """Keras' layout, gates side by side in the order i, f, g (Keras' "c"), o on the last axis."""
    return {
        "kernel": (input_dim, 4 * units),
        "recurrent_kernel": (units, 4 * units),
        "bias": (4 * units,),
    }


def init(input_dim, units, rng):
    """Keras' defaults: Glorot-uniform kernel, orthogonal recurrent kernel, forget bias 1.0."""
    input_dim = validate.positive_int(input_dim, "input_dim")
    units = validate.positive_int(units, "units")
    bias = np.zeros(4 * units)
    bias[units : 2 * units] = 1.0  # an open forget gate at the start lets gradients flow back
    return {
        "kernel": initializers.glorot_uniform((input_dim, 4 * units), rng),
        "recurrent_kernel": initializers.orthogonal((units, 4 * units), rng),
        "bias": bias,
    }


def step(x_t, states, params):
    """One LSTM step for x_t (N, D) and states (h_prev, c_prev): (h, (h, c), cache)."""
    x_t, (h_prev, c_prev) = core.check_step(x_t, states, params, shapes, STATES)
    h, (h, c), cache = recur(project(x_t, params), (h_prev, c_prev), params)
    return h, (h, c), (x_t, cache)


def project(x, params):
    """The input part x W_xh + b of all four gates, for one step (N, D) or all steps (N, T, D)."""
    return core.project(x, params["kernel"], params["bias"])


def recur(xw_t, states, params):
    """The step's equations, given its input part xw_t = x_t W_xh + b (N, 4H); unchecked."""
    h_prev, c_prev = states
    a = h_prev @ params["recurrent_kernel"]
    a += xw_t  # (N, 4H): the pre-activations of i, f, g, o side by side
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)  # each (N, H)
    i, f, o = core.sigmoid(a_i), core.sigmoid(a_f), core.sigmoid(a_o)  # input, forget, output
    g = np.tanh(a_g)  # (N, H): the candidate
    c = f * c_prev + i * g  # (N, H): keep part of the old cell state, write part of the new
    tanh_c = np.tanh(c)
    h = o * tanh_c  # (N, H)
    return h, (h, c), (h_prev, c_prev, i, f, g, o, tanh_c)


def step_backward(dstates, cache, params):
    """Given dL/d(h, c) after the step, return (dx_t, (dh_prev, dc_prev), grads)."""
    dstates = core.check_step_backward(dstates, cache, params, shapes, STATES)
    x_t, step_cache = cache
    da, dstates_prev = recur_backward(dstates, step_cache, params)
    return da @ params["kernel"].T, dstates_prev, core.weight_grads(x_t, step_cache[0], da)


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dL/da, (dh_prev, dc_prev)), da for the four gates (N, 4H)."""
    dh, dc = dstates
    _, c_prev, i, f, g, o, tanh_c = cache
    dc = dc + dh * o * (1 - tanh_c * tanh_c)  # c reaches the loss directly and through h
    da = np.empty((len(g), 4 * g.shape[1]), dtype=g.dtype)  # (N, 4H)
    da_i, da_f, da_g, da_o = np.split(da, 4, axis=1)  # views: writing them fills da
    # through c = f c_prev + i g and h = o tanh(c) to each gate, then through its activation:
    # sigmoid' = s (1 - s) for i, f, o; tanh' = 1 - g^2 = (1 - g)(1 + g) for g
    np.multiply(dc * g, (1 - i) * i, out=da_i)
    np.multiply(dc * c_prev, (1 - f) * f, out=da_f)
    np.multiply(dc * i, (1 - g) * (g + 1), out=da_g)
    np.multiply(dh * tanh_c, (1 - o) * o, out=da_o)
    return da, (da @ params["recurrent_kernel"].T, dc * f)
