"""Chapter 5's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest

from rnnbook.cells import bptt, rnn
from rnnbook.checks import ch05
from rnnbook.checks.core import ExerciseError
from rnnbook.nn import dense

NOTEBOOK = "05_bptt.ipynb"


def test_hidden_gradients_reference_is_what_bptt_adds_up():
    # the checker's own reference must be right: bptt.backward's dL/dh_0 is dh_1 pushed through
    # one more step, so feed the reference's dh_1 back and compare
    rng = np.random.default_rng(0)
    params = ch05._params(2, 4, rng)
    out_params = dense.init(4, 3, rng)
    x = rng.normal(size=(2, 6, 2))
    hs, _, caches = bptt.forward(rnn, x, None, params)
    dys = rng.normal(size=(2, 6, 3))
    dhs = ch05._hidden_reference(dys, hs, out_params["kernel"], params["recurrent_kernel"])
    _, (dh0,), _ = bptt.backward(rnn, dys @ out_params["kernel"].T, caches, params)
    da_1 = dhs[:, 0] * (1 - hs[:, 0] ** 2)
    np.testing.assert_allclose(dh0, da_1 @ params["recurrent_kernel"].T, rtol=1e-12, atol=1e-15)


# rnn_step_backward


def step_backward_derivative_at_h_prev(dh, x_t, h_prev, h, params):
    da = dh * (1 - h_prev * h_prev)
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, grads


def step_backward_identity_shortcut(dh, x_t, h_prev, h, params):
    da = dh  # as if h = a
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, grads


def step_backward_missing_transpose(dh, x_t, h_prev, h, params):
    da = dh * (1 - h * h)
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"], grads


def step_backward_h_instead_of_h_prev(dh, x_t, h_prev, h, params):
    da = dh * (1 - h * h)
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h.T @ da, "bias": da.sum(axis=0)}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, grads


def step_backward_bias_not_summed(dh, x_t, h_prev, h, params):
    da = dh * (1 - h * h)
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, grads


# hidden_gradients


def hidden_identity_shortcut(dys, hs, W_hy, W_hh):
    dhs = np.zeros_like(hs)
    dh_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(hs.shape[1])):
        dhs[:, t] = dys[:, t] @ W_hy.T + dh_next @ W_hh.T
        dh_next = dhs[:, t]
    return dhs


def hidden_derivative_of_own_step(dys, hs, W_hy, W_hh):
    # off by one in time: applies tanh' of step t to the gradient that step t + 1 sends back
    dhs = np.zeros_like(hs)
    dh_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(hs.shape[1])):
        dhs[:, t] = dys[:, t] @ W_hy.T + (dh_next @ W_hh.T) * (1 - hs[:, t] ** 2)
        dh_next = dhs[:, t]
    return dhs


def hidden_only_own_loss(dys, hs, W_hy, W_hh):
    return dys @ W_hy.T


def hidden_missing_transpose(dys, hs, W_hy, W_hh):
    dhs = np.zeros_like(hs)
    da_next = np.zeros_like(hs[:, 0])
    for t in reversed(range(hs.shape[1])):
        dhs[:, t] = dys[:, t] @ W_hy.T + da_next @ W_hh
        da_next = dhs[:, t] * (1 - hs[:, t] ** 2)
    return dhs


# clip_by_global_norm


def clip_each_array_alone(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    clipped = {}
    for key, g in grads.items():
        g_norm = np.linalg.norm(g)
        clipped[key] = g * max_norm / g_norm if g_norm > max_norm else g
    return clipped, norm


def clip_always_rescales(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    return {key: g * max_norm / norm for key, g in grads.items()}, norm


def clip_by_value_instead(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    return {key: np.clip(g, -max_norm, max_norm) for key, g in grads.items()}, norm


def clip_divides_by_zero(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g * g) for g in grads.values()))
    scale = min(1.0, max_norm / norm)
    return {key: g * scale for key, g in grads.items()}, norm


def clip_returns_squared_norm(grads, max_norm):
    squared = sum(np.sum(g * g) for g in grads.values())
    scale = max_norm / max(np.sqrt(squared), max_norm)
    return {key: g * scale for key, g in grads.items()}, squared


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (
            ch05.check_rnn_step_backward,
            step_backward_derivative_at_h_prev,
            r"output\[0\] is off by",
        ),
        (ch05.check_rnn_step_backward, step_backward_identity_shortcut, r"output\[0\] is off by"),
        (ch05.check_rnn_step_backward, step_backward_missing_transpose, r"output\[1\] is off by"),
        (
            ch05.check_rnn_step_backward,
            step_backward_h_instead_of_h_prev,
            r"output\[2\]\['recurrent_kernel'\] is off by",
        ),
        (ch05.check_rnn_step_backward, step_backward_bias_not_summed, r"\['bias'\] has shape"),
        (ch05.check_hidden_gradients, hidden_identity_shortcut, "N=1, T=4, H=1, V=1, the output"),
        (ch05.check_hidden_gradients, hidden_derivative_of_own_step, "off by"),
        (ch05.check_hidden_gradients, hidden_only_own_loss, "off by"),
        (ch05.check_hidden_gradients, hidden_missing_transpose, "N=3, T=6, H=4, V=5"),
        (ch05.check_clip_by_global_norm, clip_each_array_alone, r"output\[0\]\[.kernel.\] is off"),
        (ch05.check_clip_by_global_norm, clip_always_rescales, "below max_norm=5"),
        (ch05.check_clip_by_global_norm, clip_by_value_instead, "far above max_norm=1"),
        (ch05.check_clip_by_global_norm, clip_divides_by_zero, "raised FloatingPointError for all"),
        (ch05.check_clip_by_global_norm, clip_returns_squared_norm, r"output\[1\] is off by"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


# the numbers chapter 5's exercise solutions and its cost paragraph state, recomputed here
# (asserting them in the notebook would show students the answers)


def chapter_text():
    import json
    from pathlib import Path

    cells = json.loads((Path(__file__).parent.parent / "chapters" / NOTEBOOK).read_text())["cells"]
    return "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def test_exercise_solutions_state_the_numbers_they_compute():
    text = chapter_text()
    # ch05-ex-forget: sigma(1)^50, the forget gate keeping 1 % after 100 steps, and its bias
    sigma_1 = 1 / (1 + np.exp(-1.0))
    assert f"{sigma_1:.3f}" == "0.731" and "$\\sigma(1) \\approx 0.731$" in text
    assert f"{sigma_1**50:.1e}" == "1.6e-07" and "1.6 \\times 10^{-7}" in text
    f = 0.01 ** (1 / 100)
    assert f"{f:.3f}" == "0.955" and "\\approx 0.955" in text
    assert f"{np.log(f / (1 - f)):.2f}" == "3.05" and "\\approx 3.05" in text
    # ch05-ex-nonnormal: the off-diagonal entry 20 k 0.5^k of W^k
    off = {k: 20 * k * 0.5**k for k in range(1, 10)}
    assert off[1] == off[2] == 10 and off[3] == 7.5
    assert min(k for k in off if off[k] < 1) == 8
    assert "10 for $k = 1$ and $k = 2$, 7.5 for $k = 3$, and only falls below 1 at $k = 8$" in text
    w = np.array([[0.5, 10], [0, 0.5]])
    assert round(np.linalg.norm(w, 2)) == 10  # "its largest singular value is about 10"
    # ch05-ex-memory: 64 streams of 10^6 / 64 steps; six N x H arrays per step, float64
    steps = 10**6 // 64
    assert steps == 15_625 and "15{,}625" in text
    full = 6 * 64 * 512 * steps
    assert f"{full:.0e}" == "3e+09" and round(full * 8 / 1e9) == 25 and "about 25 GB" in text
    truncated = 6 * 64 * 512 * 100
    assert f"{truncated:.0e}" == "2e+07" and round(truncated * 8 / 1e6, -1) == 160
    assert "about 160 MB" in text


def test_rtrl_cost_ratio_in_the_text():
    # RTRL's O(H^4) against BPTT's O(H^2) per step: H^2 times the work, for H = 64
    assert 64**2 == 4096 and "4,096 times for $H = 64$" in chapter_text()
