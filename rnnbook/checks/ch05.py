"""Checkers for chapter 5 (backpropagation through time)."""

import numpy as np

from rnnbook.cells import rnn
from rnnbook.checks.core import Case, compare
from rnnbook.nn import optim


def _params(input_dim, units, rng):
    """Random SimpleRNN params with a non-zero bias and a non-symmetric W_hh."""
    params = rnn.init(input_dim, units, rng)
    params["recurrent_kernel"] = rng.normal(scale=0.6, size=(units, units))
    params["bias"] = rng.normal(scale=0.5, size=units)
    return params


def _step_case(label, n, d, h, rng, scale=1.0):
    """One step run forwards, so that h really is tanh of the step's pre-activation."""
    params = _params(d, h, rng)
    x_t = scale * rng.normal(size=(n, d))
    h_prev = np.tanh(rng.normal(size=(n, h)))
    h_new = rnn.step(x_t, (h_prev,), params)[0]
    return Case(label, (rng.normal(size=(n, h)), x_t, h_prev, h_new, params))


def check_rnn_step_backward(fn):
    """rnn_step_backward(dh, x_t, h_prev, h, params) against rnnbook.cells.rnn.step_backward."""
    rng = np.random.default_rng(501)

    def reference(dh, x_t, h_prev, h, params):
        _, _, cache = rnn.step(x_t, (h_prev,), params)
        dx_t, (dh_prev,), grads = rnn.step_backward((dh,), cache, params)
        return dx_t, dh_prev, grads

    cases = [
        _step_case("one example, one input, one unit (N=1, D=1, H=1)", 1, 1, 1, rng),
        _step_case("a batch of 4, D=3 inputs, H=5 units", 4, 3, 5, rng),
        _step_case("a batch of 2, D=5 inputs, H=3 units", 2, 5, 3, rng),
        _step_case("one example, D=2, H=4", 1, 2, 4, rng),
        _step_case("inputs of size 10 (some units saturate)", 3, 2, 4, rng, scale=10.0),
    ]
    compare(fn, reference, cases, exercise="rnn_step_backward")


def _hidden_reference(dys, hs, W_hy, W_hh):
    """dL/dh_t for every t, one step back at a time with the package's rnn.recur_backward."""
    params = {"recurrent_kernel": W_hh}
    dhs = np.zeros_like(hs)
    carried = np.zeros_like(hs[:, 0])  # what step t + 1 sends back to h_t
    for t in reversed(range(hs.shape[1])):
        dhs[:, t] = dys[:, t] @ W_hy.T + carried
        # h_prev is not used by the backward pass of tanh; pass h_t in its place
        _, (carried,) = rnn.recur_backward((dhs[:, t],), (hs[:, t], hs[:, t]), params)
    return dhs


def _states_case(label, n, steps, h, v, rng):
    """States from a real forward run, so that hs holds genuine tanh outputs."""
    params = _params(2, h, rng)
    hs = np.empty((n, steps, h))
    state = np.zeros((n, h))
    for t in range(steps):
        state = rnn.step(rng.normal(size=(n, 2)), (state,), params)[0]
        hs[:, t] = state
    dys = rng.normal(size=(n, steps, v))
    return Case(label, (dys, hs, rng.normal(size=(h, v)), params["recurrent_kernel"]))


def check_hidden_gradients(fn):
    """hidden_gradients(dys, hs, W_hy, W_hh) against the recursion run with rnnbook.cells.rnn."""
    rng = np.random.default_rng(502)
    cases = [
        _states_case("one step (T=1), N=2, H=3, V=2", 2, 1, 3, 2, rng),
        _states_case("N=1, T=4, H=1, V=1", 1, 4, 1, 1, rng),
        _states_case("N=3, T=6, H=4, V=5", 3, 6, 4, 5, rng),
        _states_case("N=2, T=9, H=5, V=3", 2, 9, 5, 3, rng),
    ]
    compare(fn, _hidden_reference, cases, exercise="hidden_gradients")


def check_clip_by_global_norm(fn):
    """clip_by_global_norm(grads, max_norm) against rnnbook.nn.optim.clip_by_global_norm."""
    rng = np.random.default_rng(503)

    def grads(*shapes, scale=1.0):
        keys = ["kernel", "recurrent_kernel", "bias"]
        return {k: scale * rng.normal(size=s) for k, s in zip(keys, shapes, strict=False)}

    big = grads((3, 4), (4, 4), (4,), scale=10.0)
    small = grads((3, 4), (4, 4), (4,), scale=0.01)
    cases = [
        Case("three arrays whose global norm is far above max_norm=1", (big, 1.0)),
        Case("three arrays whose global norm is below max_norm=5", (small, 5.0)),
        Case(
            "three arrays each below max_norm=2 alone, above it together",
            ({"a": np.full((2, 2), 0.9), "b": np.full(3, 0.9), "c": np.full(1, 0.9)}, 2.0),
        ),
        Case("a single array of one element, norm 3, max_norm 2", ({"w": np.array([-3.0])}, 2.0)),
        Case("all gradients zero", ({"w": np.zeros((2, 3)), "b": np.zeros(3)}, 1.0)),
    ]
    compare(fn, optim.clip_by_global_norm, cases, exercise="clip_by_global_norm")
