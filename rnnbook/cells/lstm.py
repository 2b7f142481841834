"""The LSTM cell, as Keras' LSTM: gates i, f, g, o, cell state c = f c_prev + i g, h = o tanh(c)."""

import functools
import sys

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


def project(x, params):
    """The input part x W + b of all four gates, for one step (N, D) or all steps (N, T, D)."""
    xw = x @ params["kernel"]
    xw += params["bias"]  # in place: for all steps at once this array is large
    return xw


def recur(xw_t, states, params):
    """One step given its input part xw_t = x_t W + b; unchecked, for bptt."""
    h_prev, c_prev = states
    a = h_prev @ params["recurrent_kernel"]
    a += xw_t  # (N, 4H) pre-activations of i, f, g, o
    gates = _activate(a)  # (N, 4H): sigmoid(a_i), sigmoid(a_f), tanh(a_g), sigmoid(a_o)
    i, f, g, o = _split(gates)
    c = f * c_prev
    c += i * g
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, (h, c), (h_prev, c_prev, gates, tanh_c)


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dxw_t, dhu_t, dstates_prev), dxw_t = dhu_t = dL/da here."""
    dh, dc = dstates
    h_prev, c_prev, gates, tanh_c = cache
    i, f, g, o = _split(gates)
    dc = dc + dh * o * (1 - tanh_c * tanh_c)  # c reaches the loss directly and through h
    da = np.empty_like(gates)  # (N, 4H)
    di, df, dg, do = _split(da)
    # through h = o tanh(c) and c = f c_prev + i g to each gate ...
    np.multiply(dc, g, out=di)
    np.multiply(dc, c_prev, out=df)
    np.multiply(dc, i, out=dg)
    np.multiply(dh, tanh_c, out=do)
    # ... then through its activation: sigmoid' = s (1 - s) for i, f, o; tanh' = 1 - g^2
    da *= _activation_grad(gates)
    dh_prev = da @ params["recurrent_kernel"].T
    return da, da, (dh_prev, dc * f)


def _activate(a):
    """sigmoid on the i, f, o blocks of a and tanh on g, in place, with one tanh for all four."""
    # sigmoid(a) = (1 + tanh(a / 2)) / 2; scaling by 1 (and adding 0) leaves tanh(a_g) alone
    scale, shift = _constants(a.shape[1] // 4, a.dtype)
    a *= scale
    np.tanh(a, out=a)
    a *= scale
    a += shift
    return a


def _activation_grad(gates):
    """s (1 - s) on the sigmoid blocks, 1 - g^2 = (1 - g)(1 + g) on the tanh block."""
    _, shift = _constants(gates.shape[1] // 4, gates.dtype)
    return (1 - gates) * (gates + (1 - 2 * shift))  # 1 - 2 shift: 0 for i, f, o and 1 for g


@functools.cache
def _constants(units, dtype):
    """(scale, shift) over the four blocks: 0.5 for i, f, o; 1 and 0 for g. Read-only."""
    scale = np.full(4 * units, 0.5, dtype=dtype)
    scale[2 * units : 3 * units] = 1.0
    shift = np.where(scale == 1.0, 0.0, 0.5).astype(dtype)
    scale.flags.writeable = shift.flags.writeable = False
    return scale, shift


def _split(a):
    """Views of the four gate blocks i, f, g, o of a (N, 4H) array (np.split is slower)."""
    units = a.shape[1] // 4
    return a[:, :units], a[:, units : 2 * units], a[:, 2 * units : 3 * units], a[:, 3 * units :]


weight_grads = core.weight_grads  # dL/dparams from dL/da; the same rule as for a dense layer


def step(x_t, states, params):
    """One LSTM step for x_t (N, D) and states (h_prev, c_prev): (h, (h, c), cache)."""
    return core.step(sys.modules[__name__], x_t, states, params)


def step_backward(dstates, cache, params):
    """Given dL/d(h, c) after the step, return (dx_t, (dh_prev, dc_prev), grads)."""
    return core.step_backward(sys.modules[__name__], dstates, cache, params)
