"""Chapter 4's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook.cells import bptt, rnn
from rnnbook.checks import ch04
from rnnbook.checks.core import ExerciseError


def test_masked_reference_equals_running_each_sequence_alone():
    # the checker's own reference must be right: with padding at the end, the final state is
    # the state after each sequence's last real step, and real steps are unchanged
    rng = np.random.default_rng(0)
    params = ch04._params(3, 4, rng)
    lengths = np.array([5, 2, 1])
    x = rng.normal(size=(3, 5, 3))
    hs, h_last = ch04._masked_reference(x, np.arange(5) < lengths[:, None], params)
    for i, k in enumerate(lengths):
        alone, (h_alone,), _ = bptt.forward(rnn, x[i : i + 1, :k], None, params)
        np.testing.assert_allclose(h_last[i], h_alone[0], atol=1e-13)
        np.testing.assert_allclose(hs[i, :k], alone[0], atol=1e-13)
        np.testing.assert_array_equal(hs[i, k:], np.broadcast_to(h_last[i], (5 - k, 4)))


# rnn_step


def rnn_step_transposed(x_t, h_prev, params):
    return np.tanh(x_t @ params["kernel"] + h_prev @ params["recurrent_kernel"].T + params["bias"])


def rnn_step_no_bias(x_t, h_prev, params):
    return np.tanh(x_t @ params["kernel"] + h_prev @ params["recurrent_kernel"])


def rnn_step_sigmoid(x_t, h_prev, params):
    a = x_t @ params["kernel"] + h_prev @ params["recurrent_kernel"] + params["bias"]
    return 1 / (1 + np.exp(-a))


def rnn_step_weights_swapped(x_t, h_prev, params):
    return np.tanh(x_t @ params["recurrent_kernel"] + h_prev @ params["kernel"] + params["bias"])


# masked_rnn_forward


def masked_ignores_mask(x, mask, params):
    hs, (h,), _ = bptt.forward(rnn, x, None, params)
    return hs, h


def masked_loop(x, mask, params, combine):
    """Step through time; combine(t, h_new, h) decides the state after step t."""
    n, steps, _ = x.shape
    h = np.zeros((n, params["recurrent_kernel"].shape[0]))
    hs = np.empty((n, steps, h.shape[1]))
    for t in range(steps):
        a = x[:, t] @ params["kernel"] + h @ params["recurrent_kernel"] + params["bias"]
        h = combine(t, np.tanh(a), h)
        hs[:, t] = h
    return hs, h


def masked_zeroes_state(x, mask, params):
    # masked steps reset the state to zero instead of keeping it
    return masked_loop(x, mask, params, lambda t, h_new, h: h_new * mask[:, t, None])


def masked_mask_one_step_late(x, mask, params):
    # reads the mask of the previous step: off by one in time
    return masked_loop(
        x, mask, params, lambda t, h_new, h: np.where(mask[:, max(t - 1, 0), None], h_new, h)
    )


def masked_last_column(x, mask, params):
    hs, _ = ch04._masked_reference(x, mask, params)
    lengths = mask.sum(axis=1)
    return hs, hs[np.arange(len(hs)), lengths]  # off by one: index of the step after the last


# next_word_windows


def windows_target_is_last_input(ids, length):
    count = len(ids) - length
    inputs = np.array([ids[i : i + length] for i in range(count)])
    return inputs, np.array([ids[i + length - 1] for i in range(count)])


def windows_past_the_end(ids, length):
    count = len(ids) - length + 1  # one window too many: its target lies past the end
    inputs = np.array([ids[i : i + length] for i in range(count)])
    return inputs, np.array([ids[i + length] for i in range(count)])


def windows_sliced_targets(ids, length):
    # slices never fail: past the end they give empty lists, and the targets come out short
    inputs = np.array([ids[i : i + length] for i in range(len(ids) - length + 1)])
    targets = [ids[i + length : i + length + 1] for i in range(len(ids) - length + 1)]
    return inputs, np.concatenate(targets)


# scale_to_radius


def radius_by_spectral_norm(w, rho):
    return w * (rho / np.linalg.norm(w, 2))


def radius_by_signed_eigenvalue(w, rho):
    return w * (rho / np.max(np.linalg.eigvals(w).real))


def radius_by_largest_entry(w, rho):
    return w * (rho / np.max(np.abs(w)))


def radius_negated(w, rho):
    # the right spectral radius, but the exercise asks for the positive multiple
    return -w * (rho / np.max(np.abs(np.linalg.eigvals(w))))


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch04.check_rnn_step, rnn_step_transposed, r"for x_t \(4, 3\).*off by"),
        (ch04.check_rnn_step, rnn_step_no_bias, "off by"),
        (ch04.check_rnn_step, rnn_step_sigmoid, "off by"),
        (ch04.check_rnn_step, rnn_step_weights_swapped, "off by|raised ValueError"),
        (ch04.check_masked_rnn_forward, masked_ignores_mask, r"padding at the end.*output\[0\]"),
        (ch04.check_masked_rnn_forward, masked_zeroes_state, "padding at the end"),
        (ch04.check_masked_rnn_forward, masked_mask_one_step_late, "off by"),
        (ch04.check_masked_rnn_forward, masked_last_column, "raised IndexError|output\\[1\\]"),
        (ch04.check_next_word_windows, windows_target_is_last_input, r"output\[1\] is off by"),
        (ch04.check_next_word_windows, windows_past_the_end, "raised IndexError"),
        (ch04.check_next_word_windows, windows_sliced_targets, r"output\[0\] has shape"),
        (ch04.check_scale_to_radius, radius_by_spectral_norm, "non-normal"),
        (ch04.check_scale_to_radius, radius_by_signed_eigenvalue, r"1x1 matrix \[\[-2.0\]\]"),
        (ch04.check_scale_to_radius, radius_by_largest_entry, "off by"),
        (ch04.check_scale_to_radius, radius_negated, r"1x1 matrix.*off by"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_feedback_names_the_shape_without_giving_the_answer():
    with pytest.raises(ExerciseError, match=naming("output[0]", "(1, 1)", "(1, 1, 1)")) as error:
        ch04.check_masked_rnn_forward(
            lambda x, mask, params: (masked_ignores_mask(x, mask, params)[1],) * 2
        )
    assert "array(" not in str(error.value)  # no values of the expected output are shown
