"""Checkers for chapter 6 (LSTM and GRU)."""

import numpy as np

from rnnbook import cells
from rnnbook.cells import core, lstm
from rnnbook.checks.core import Case, compare

CELLS = cells.KERAS_LAYERS  # "SimpleRNN", "LSTM", "GRU" -> the cell module


def _param_count(layer, input_dim, units):
    """Weights of one Keras recurrent layer (GRU: reset_after=True), from the package."""
    return sum(int(np.prod(shape)) for shape in CELLS[layer].shapes(input_dim, units).values())


def check_param_count(fn):
    """param_count(layer, input_dim, units) for SimpleRNN, LSTM and GRU, against Keras' layout."""
    cases = [
        Case(f"layer={layer!r}, input_dim={d}, units={h}", (layer, d, h))
        for layer in CELLS
        for d, h in [(1, 1), (2, 32), (7, 3), (100, 50)]
    ]
    compare(fn, _param_count, cases, exercise="param_count", rtol=0, atol=0)


def _gru_step_original(x_t, h_prev, params):
    """Cho et al.'s GRU step: the reset gate scales h_prev before the matrix product."""
    units = h_prev.shape[1]
    w_hh = params["recurrent_kernel"]
    w_hh_zr, w_hh_g = w_hh[:, : 2 * units], w_hh[:, 2 * units :]  # (H, 2H), (H, H)
    xw = x_t @ params["kernel"] + params["bias"]  # (N, 3H)
    zr = core.sigmoid(xw[:, : 2 * units] + h_prev @ w_hh_zr)
    z, r = np.split(zr, 2, axis=1)
    g = np.tanh(xw[:, 2 * units :] + (r * h_prev) @ w_hh_g)
    return z * h_prev + (1 - z) * g


def _gru_original_cases():
    rng = np.random.default_rng(601)
    cases = []
    for n, d, h in [(1, 1, 1), (4, 3, 2), (2, 5, 7), (3, 2, 16)]:
        params = {
            "kernel": rng.normal(size=(d, 3 * h)),
            "recurrent_kernel": rng.normal(size=(h, 3 * h)) * 0.5,
            "bias": rng.normal(size=3 * h),
        }
        args = (rng.normal(size=(n, d)), rng.normal(size=(n, h)), params)
        cases.append(Case(f"x_t {n, d}, h_prev {n, h}", args))
    return cases


def check_gru_step_original(fn):
    """gru_step_original(x_t, h_prev, params), params["bias"] of shape (3H,)."""
    compare(fn, _gru_step_original, _gru_original_cases(), exercise="gru_step_original")


def _lstm_backward_reference(dh, dc, x_t, h_prev, c_prev, params):
    _, _, cache = lstm.step(x_t, (h_prev, c_prev), params)
    dx, (dh_prev, dc_prev), grads = lstm.step_backward((dh, dc), cache, params)
    return dx, dh_prev, dc_prev, grads


def check_lstm_step_backward(fn):
    """lstm_step_backward(dh, dc, x_t, h_prev, c_prev, params): (dx_t, dh_prev, dc_prev, grads)."""
    rng = np.random.default_rng(602)
    cases = []
    for n, d, h, label in [
        (1, 1, 1, "one example, one input, one unit"),
        (4, 3, 2, "4 examples, 3 inputs, 2 units"),
        (3, 2, 5, "3 examples, 2 inputs, 5 units"),
    ]:
        args = (
            rng.normal(size=(n, h)),
            rng.normal(size=(n, h)),
            rng.normal(size=(n, d)),
            rng.normal(size=(n, h)),
            rng.normal(size=(n, h)),
            {
                "kernel": rng.normal(size=(d, 4 * h)),
                "recurrent_kernel": rng.normal(size=(h, 4 * h)),
                "bias": rng.normal(size=4 * h),
            },
        )
        cases.append(Case(label, args))
    zero_dc = list(cases[1].args)
    zero_dc[1] = np.zeros_like(zero_dc[1])  # the loss reaches c only through h
    cases.append(Case("dc = 0 (the loss reads h only)", tuple(zero_dc)))
    compare(fn, _lstm_backward_reference, cases, exercise="lstm_step_backward")
