"""The LSTM cell, as Keras' LSTM: gates i, f, g, o, cell state c = f c_prev + i g, h = o tanh(c)."""

import sys

import numpy as np

from rnnbook import cells, validate
from rnnbook import init as initializers

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


def project(x, params):
    """The input part x W + b of all four gates, for one step (N, D) or all steps (N, T, D)."""
    return x @ params["kernel"] + params["bias"]


def recur(xw_t, states, params):
    """One step given its input part xw_t = x_t W + b; unchecked, for bptt."""
    h_prev, c_prev = states
    units = h_prev.shape[1]
    a = xw_t + h_prev @ params["recurrent_kernel"]  # (N, 4H) pre-activations of i, f, g, o
    gates = cells.sigmoid(a)
    gates[:, 2 * units : 3 * units] = np.tanh(a[:, 2 * units : 3 * units])
    i, f, g, o = np.split(gates, 4, axis=1)  # views, (N, H) each
    c = f * c_prev + i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, (h, c), (h_prev, c_prev, gates, tanh_c)


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dxw_t, dhu_t, dstates_prev), dxw_t = dhu_t = dL/da here."""
    dh, dc = dstates
    h_prev, c_prev, gates, tanh_c = cache
    i, f, g, o = np.split(gates, 4, axis=1)
    do = dh * tanh_c
    dc = dc + dh * o * (1 - tanh_c * tanh_c)  # c reaches the loss directly and through h
    da = np.empty_like(gates)  # (N, 4H)
    da_i, da_f, da_g, da_o = np.split(da, 4, axis=1)
    # chain rule through c = f c_prev + i g, then through each gate's activation:
    # sigmoid' = s (1 - s), tanh' = 1 - g^2
    np.multiply(dc * g, i * (1 - i), out=da_i)
    np.multiply(dc * c_prev, f * (1 - f), out=da_f)
    np.multiply(dc * i, 1 - g * g, out=da_g)
    np.multiply(do, o * (1 - o), out=da_o)
    dh_prev = da @ params["recurrent_kernel"].T
    return da, da, (dh_prev, dc * f)


weight_grads = cells.weight_grads  # dL/dparams from dL/da; the same rule as for a dense layer


def step(x_t, states, params):
    """One LSTM step for x_t (N, D) and states (h_prev, c_prev): (h, (h, c), cache)."""
    return cells.step(sys.modules[__name__], x_t, states, params)


def step_backward(dstates, cache, params):
    """Given dL/d(h, c) after the step, return (dx_t, (dh_prev, dc_prev), grads)."""
    return cells.step_backward(sys.modules[__name__], dstates, cache, params)
