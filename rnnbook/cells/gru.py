"""The GRU cell, as Keras' GRU (reset_after=True): h = z h_prev + (1 - z) g, candidate g."""

import sys

import numpy as np

from rnnbook import validate
from rnnbook.cells import core
from rnnbook.nn import initializers

STATES = ("h",)


def shapes(input_dim, units):
    """Keras' layout, blocks z, r, h on the last axis; bias rows: input bias, recurrent bias."""
    return {
        "kernel": (input_dim, 3 * units),
        "recurrent_kernel": (units, 3 * units),
        "bias": (2, 3 * units),
    }


def init(input_dim, units, rng):
    """Keras' defaults: Glorot-uniform kernel, orthogonal recurrent kernel, zero biases."""
    input_dim = validate.positive_int(input_dim, "input_dim")
    units = validate.positive_int(units, "units")
    return {
        "kernel": initializers.glorot_uniform((input_dim, 3 * units), rng),
        "recurrent_kernel": initializers.orthogonal((units, 3 * units), rng),
        "bias": np.zeros((2, 3 * units)),
    }


def project(x, params):
    """The input part x W + b_x of z, r and g, for one step (N, D) or all steps (N, T, D)."""
    xw = x @ params["kernel"]
    xw += params["bias"][0]  # in place: for all steps at once this array is large
    return xw


def recur(xw_t, states, params):
    """One step given its input part xw_t = x_t W + b_x; unchecked, for bptt."""
    (h_prev,) = states
    units = h_prev.shape[1]
    hu = h_prev @ params["recurrent_kernel"] + params["bias"][1]  # (N, 3H) h_prev U + b_h
    zr = core.sigmoid(xw_t[:, : 2 * units] + hu[:, : 2 * units])  # (N, 2H)
    z, r = np.split(zr, 2, axis=1)
    hu_g = hu[:, 2 * units :]
    g = np.tanh(xw_t[:, 2 * units :] + r * hu_g)  # reset after the matmul, as Keras' default
    h = z * h_prev + (1 - z) * g
    return h, (h,), (h_prev, zr, g, hu_g)


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dxw_t, dhu_t, dstates_prev), the gradients of xw_t and hu."""
    (dh,) = dstates
    h_prev, zr, g, hu_g = cache
    z, r = np.split(zr, 2, axis=1)
    dxw = np.empty((len(h_prev), 3 * h_prev.shape[1]), dtype=g.dtype)  # (N, 3H)
    da_z, da_r, da_g = np.split(dxw, 3, axis=1)
    # h = z h_prev + (1 - z) g, then sigmoid' = s (1 - s), tanh' = 1 - g^2
    np.multiply(dh * (h_prev - g), z * (1 - z), out=da_z)
    np.multiply(dh * (1 - z), 1 - g * g, out=da_g)
    np.multiply(da_g * hu_g, r * (1 - r), out=da_r)
    dhu = dxw.copy()
    dhu[:, 2 * h_prev.shape[1] :] *= r  # the candidate sees h_prev U_g + b_g through r
    dh_prev = dh * z + dhu @ params["recurrent_kernel"].T
    return dxw, dhu, (dh_prev,)


def weight_grads(x, h_prev, dxw, dhu):
    """dL/dparams from the gradients of xw and hu, summed over the leading axes."""
    grads = core.weight_grads(x, h_prev, dxw, dhu)
    dhu_sum = dhu.reshape(-1, dhu.shape[-1]).sum(axis=0)
    grads["bias"] = np.stack([grads["bias"], dhu_sum])  # (2, 3H): input row, recurrent row
    return grads


def step(x_t, states, params):
    """One GRU step for x_t (N, D) and states (h_prev,): (h, (h,), cache)."""
    return core.step(sys.modules[__name__], x_t, states, params)


def step_backward(dstates, cache, params):
    """Given dL/dh after the step, return (dx_t, (dh_prev,), grads) for that step."""
    return core.step_backward(sys.modules[__name__], dstates, cache, params)
