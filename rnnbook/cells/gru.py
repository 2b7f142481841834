"""The GRU cell, as Keras' GRU (reset_after=True): h = z h_prev + (1 - z) g, candidate g."""

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


def step(x_t, states, params):
    """One GRU step for x_t (N, D) and states (h_prev,): (h, (h,), cache)."""
    x_t, (h_prev,) = core.check_step(x_t, states, params, shapes, STATES)
    h, _, cache = recur(project(x_t, params), (h_prev,), params)
    return h, (h,), (x_t, cache)


def project(x, params):
    """The input part x W_xh + b_x of z, r and g, for one step (N, D) or all steps (N, T, D)."""
    return core.project(x, params["kernel"], params["bias"][0])  # bias row 0: the input bias


def recur(xw_t, states, params):
    """The step's equations, given its input part xw_t = x_t W_xh + b_x (N, 3H); unchecked."""
    (h_prev,) = states
    xw_z, xw_r, xw_g = np.split(xw_t, 3, axis=1)  # each (N, H)
    hw = h_prev @ params["recurrent_kernel"] + params["bias"][1]  # (N, 3H): h_prev W_hh + b_h
    hw_z, hw_r, hw_g = np.split(hw, 3, axis=1)  # each (N, H)
    z = core.sigmoid(xw_z + hw_z)  # update gate
    r = core.sigmoid(xw_r + hw_r)  # reset gate
    g = np.tanh(xw_g + r * hw_g)  # (N, H): the candidate, reset after the matmul (Keras)
    h = z * h_prev + (1 - z) * g  # (N, H)
    return h, (h,), (h_prev, z, r, g, hw_g)


def step_backward(dstates, cache, params):
    """Given dL/dh after the step, return (dx_t, (dh_prev,), grads) for that step."""
    dstates = core.check_step_backward(dstates, cache, params, shapes, STATES)
    x_t, step_cache = cache
    dxw, dhw, dstates_prev = recur_backward(dstates, step_cache, params)
    grads = weight_grads(x_t, step_cache[0], dxw, dhw)
    return dxw @ params["kernel"].T, dstates_prev, grads


def recur_backward(dstates, cache, params):
    """Backward through `recur`: (dxw, dhw, (dh_prev,)), the gradients of its two parts.

    dxw is dL/d(x_t W_xh + b_x) and dhw is dL/d(h_prev W_hh + b_h), both (N, 3H). Unlike in
    the simple RNN and the LSTM they differ: the candidate sees hw_g only through r.
    """
    (dh,) = dstates
    h_prev, z, r, g, hw_g = cache
    dxw = np.empty((len(h_prev), 3 * h_prev.shape[1]), dtype=g.dtype)  # (N, 3H)
    da_z, da_r, da_g = np.split(dxw, 3, axis=1)  # views: writing them fills dxw
    # h = z h_prev + (1 - z) g, then sigmoid' = s (1 - s), tanh' = 1 - g^2
    np.multiply(dh * (h_prev - g), z * (1 - z), out=da_z)
    np.multiply(dh * (1 - z), 1 - g * g, out=da_g)
    np.multiply(da_g * hw_g, r * (1 - r), out=da_r)
    dhw = dxw.copy()
    dhw[:, 2 * h_prev.shape[1] :] *= r  # the candidate's recurrent part passes through r
    dh_prev = dh * z + dhw @ params["recurrent_kernel"].T
    return dxw, dhw, (dh_prev,)


def weight_grads(x, h_prev, dxw, dhw):
    """dL/dparams from dxw and dhw (see `recur_backward`), summed over the leading axes."""
    x, h_prev = x.reshape(-1, x.shape[-1]), h_prev.reshape(-1, h_prev.shape[-1])  # (M, D), (M, H)
    dxw, dhw = dxw.reshape(-1, dxw.shape[-1]), dhw.reshape(-1, dhw.shape[-1])  # (M, 3H)
    bias = np.stack([dxw.sum(axis=0), dhw.sum(axis=0)])  # (2, 3H): input row, recurrent row
    return {"kernel": x.T @ dxw, "recurrent_kernel": h_prev.T @ dhw, "bias": bias}
