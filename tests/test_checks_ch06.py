"""Chapter 6's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook import backend
from rnnbook.checks import ch06
from rnnbook.checks.core import ExerciseError


def sigmoid(a):
    return 0.5 * np.tanh(0.5 * a) + 0.5


def test_original_gru_reference_is_keras_reset_before():
    """The checker's reference is what Keras computes with reset_after=False."""
    keras = backend.load_keras(0)[1]
    rng = np.random.default_rng(0)
    n, steps, d, h = 3, 4, 2, 5
    x = rng.normal(size=(n, steps, d))
    layer = keras.layers.GRU(h, return_sequences=True, reset_after=False, dtype="float64")
    layer.build((None, steps, d))
    params = {
        "kernel": rng.normal(size=(d, 3 * h)),
        "recurrent_kernel": rng.normal(size=(h, 3 * h)),
        "bias": rng.normal(size=3 * h),
    }
    layer.set_weights(list(params.values()))
    state, ours = np.zeros((n, h)), []
    for t in range(steps):
        state = ch06._gru_step_original(x[:, t], state, params)
        ours.append(state)
    assert np.allclose(np.stack(ours, axis=1), layer(x).numpy(), rtol=0, atol=1e-12)


# plausible wrong answers


def param_count_one_gru_bias(layer, input_dim, units):
    per_block = input_dim * units + units * units + units
    return {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[layer] * per_block


def param_count_no_bias(layer, input_dim, units):
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[layer]
    return blocks * (input_dim * units + units * units)


def param_count_shared_recurrent(layer, input_dim, units):
    # forgets that every gate has its own recurrent weights
    blocks = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[layer]
    extra_bias = units if layer == "GRU" else 0
    return blocks * (input_dim * units + units) + units * units + blocks * extra_bias


def _gru_parts(x_t, h_prev, params):
    h = h_prev.shape[1]
    w, u = params["kernel"], params["recurrent_kernel"]
    xw = x_t @ w + params["bias"]
    return h, w, u, xw


def gru_reset_after(x_t, h_prev, params):
    h, w, u, xw = _gru_parts(x_t, h_prev, params)
    z = sigmoid(xw[:, :h] + h_prev @ u[:, :h])
    r = sigmoid(xw[:, h : 2 * h] + h_prev @ u[:, h : 2 * h])
    g = np.tanh(xw[:, 2 * h :] + r * (h_prev @ u[:, 2 * h :]))  # Keras' default, not the original
    return z * h_prev + (1 - z) * g


def gru_z_swapped(x_t, h_prev, params):
    h, w, u, xw = _gru_parts(x_t, h_prev, params)
    z = sigmoid(xw[:, :h] + h_prev @ u[:, :h])
    r = sigmoid(xw[:, h : 2 * h] + h_prev @ u[:, h : 2 * h])
    g = np.tanh(xw[:, 2 * h :] + (r * h_prev) @ u[:, 2 * h :])
    return (1 - z) * h_prev + z * g  # Chung et al.'s convention with Keras' weights


def gru_gates_swapped(x_t, h_prev, params):
    h, w, u, xw = _gru_parts(x_t, h_prev, params)
    r = sigmoid(xw[:, :h] + h_prev @ u[:, :h])  # z and r read from each other's columns
    z = sigmoid(xw[:, h : 2 * h] + h_prev @ u[:, h : 2 * h])
    g = np.tanh(xw[:, 2 * h :] + (r * h_prev) @ u[:, 2 * h :])
    return z * h_prev + (1 - z) * g


def _lstm_forward(x_t, h_prev, c_prev, params):
    a = x_t @ params["kernel"] + h_prev @ params["recurrent_kernel"] + params["bias"]
    a_i, a_f, a_g, a_o = np.split(a, 4, axis=1)
    i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)
    g = np.tanh(a_g)
    return i, f, g, o, np.tanh(f * c_prev + i * g)


def _lstm_backward(
    dh, dc, x_t, h_prev, c_prev, params, *, through_h=True, candidate="tanh", new_state=False
):
    i, f, g, o, tanh_c = _lstm_forward(x_t, h_prev, c_prev, params)
    if through_h:
        dc = dc + dh * o * (1 - tanh_c**2)
    dg = g * (1 - g) if candidate == "sigmoid" else 1 - g**2
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * dg, dh * tanh_c * o * (1 - o)],
        axis=1,
    )
    state = o * tanh_c if new_state else h_prev  # new_state: h_t where h_{t-1} belongs
    grads = {"kernel": x_t.T @ da, "recurrent_kernel": state.T @ da, "bias": da.sum(axis=0)}
    return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, dc * f, grads


def lstm_backward_skips_h_path(dh, dc, x_t, h_prev, c_prev, params):
    return _lstm_backward(dh, dc, x_t, h_prev, c_prev, params, through_h=False)


def lstm_backward_sigmoid_candidate(dh, dc, x_t, h_prev, c_prev, params):
    return _lstm_backward(dh, dc, x_t, h_prev, c_prev, params, candidate="sigmoid")


def lstm_backward_dc_prev_unscaled(dh, dc, x_t, h_prev, c_prev, params):
    dx, dh_prev, dc_prev, grads = _lstm_backward(dh, dc, x_t, h_prev, c_prev, params)
    _, f, _, _, _ = _lstm_forward(x_t, h_prev, c_prev, params)
    return dx, dh_prev, dc_prev / f, grads  # forgets the forget gate on the way back


def lstm_backward_new_state(dh, dc, x_t, h_prev, c_prev, params):
    return _lstm_backward(dh, dc, x_t, h_prev, c_prev, params, new_state=True)


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch06.check_param_count, param_count_one_gru_bias, "layer='GRU'.*off by"),
        (ch06.check_param_count, param_count_no_bias, "layer='SimpleRNN', input_dim=1.*off by"),
        (ch06.check_param_count, param_count_shared_recurrent, "layer='LSTM'.*off by"),
        (ch06.check_gru_step_original, gru_reset_after, r"x_t \(4, 3\).*off by"),
        (ch06.check_gru_step_original, gru_z_swapped, "off by"),
        (ch06.check_gru_step_original, gru_gates_swapped, "off by"),
        (ch06.check_lstm_step_backward, lstm_backward_skips_h_path, r"output\[0\].*off by"),
        (ch06.check_lstm_step_backward, lstm_backward_sigmoid_candidate, "off by"),
        (ch06.check_lstm_step_backward, lstm_backward_dc_prev_unscaled, r"output\[2\].*off by"),
        (ch06.check_lstm_step_backward, lstm_backward_new_state, "recurrent_kernel"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_checker_reports_a_wrong_shape():
    def transposed(x_t, h_prev, params):
        return ch06._gru_step_original(x_t, h_prev, params).T

    with pytest.raises(ExerciseError, match=naming("(2, 4)", "(4, 2)")):
        ch06.check_gru_step_original(transposed)
