"""Chapter 2's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook.checks import ch02
from rnnbook.checks.core import ExerciseError


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def bce_naive(logits, targets):
    p = 1 / (1 + np.exp(-logits))
    loss = -np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    return loss, (p - targets) / logits.size


def stable_loss(logits, targets):
    return np.mean(np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits))))


def bce_wrong_sign(logits, targets):
    return stable_loss(logits, targets), (targets - sigmoid(logits)) / logits.size


def bce_not_averaged(logits, targets):
    return stable_loss(logits, targets), sigmoid(logits) - targets


def bce_averaged_over_rows_only(logits, targets):
    return stable_loss(logits, targets), (sigmoid(logits) - targets) / len(logits)


def bce_summed(logits, targets):
    per = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return np.sum(per), (sigmoid(logits) - targets) / logits.size


def gradients_from(da_rule, dh_rule=None, bias_reduce=np.sum):
    """A hidden_layer_gradients built from the right pieces except the ones given."""

    def fn(x, dlogits, params):
        a = x @ params["hidden_kernel"] + params["hidden_bias"]
        h = np.tanh(a)
        dh = (dh_rule or (lambda: dlogits @ params["output_kernel"].T))()
        da = da_rule(dh, a, h)
        return {
            "hidden_kernel": x.T @ da,
            "hidden_bias": bias_reduce(da, axis=0),
            "output_kernel": h.T @ dlogits,
            "output_bias": bias_reduce(dlogits, axis=0),
        }

    return fn


def missing_transpose(x, dlogits, params):
    h = np.tanh(x @ params["hidden_kernel"] + params["hidden_bias"])
    da = (dlogits @ params["output_kernel"]) * (1 - h**2)  # W2 instead of W2^T
    return {
        "hidden_kernel": x.T @ da,
        "hidden_bias": da.sum(axis=0),
        "output_kernel": h.T @ dlogits,
        "output_bias": dlogits.sum(axis=0),
    }


def output_kernel_from_pre_activation(x, dlogits, params):
    a = x @ params["hidden_kernel"] + params["hidden_bias"]
    grads = gradients_from(lambda dh, a, h: dh * (1 - h**2))(x, dlogits, params)
    grads["output_kernel"] = a.T @ dlogits  # a instead of h = tanh(a)
    return grads


def forgets_hidden_bias(x, dlogits, params):
    h = np.tanh(x @ params["hidden_kernel"])  # the forward pass without b1
    da = (dlogits @ params["output_kernel"].T) * (1 - h**2)
    return {
        "hidden_kernel": x.T @ da,
        "hidden_bias": da.sum(axis=0),
        "output_kernel": h.T @ dlogits,
        "output_bias": dlogits.sum(axis=0),
    }


def momentum_wrong_sign(param, grad, velocity, learning_rate, momentum):
    velocity = momentum * velocity + learning_rate * grad
    return param - velocity, velocity


def momentum_uses_old_velocity(param, grad, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * grad
    return param + velocity, new_velocity


def momentum_ignored(param, grad, velocity, learning_rate, momentum):
    return param - learning_rate * grad, -learning_rate * grad


def momentum_in_place(param, grad, velocity, learning_rate, momentum):
    velocity *= momentum
    velocity -= learning_rate * grad
    param += velocity
    return param, velocity


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch02.check_binary_cross_entropy, bce_naive, "raised FloatingPointError.*1000"),
        (ch02.check_binary_cross_entropy, bce_wrong_sign, r"output\[1\] is off by"),
        (ch02.check_binary_cross_entropy, bce_not_averaged, r"6 logits.*output\[1\] is off by"),
        (ch02.check_binary_cross_entropy, bce_averaged_over_rows_only, r"\(4, 3\).*output\[1\]"),
        (ch02.check_binary_cross_entropy, bce_summed, r"6 logits.*output\[0\] is off by"),
        (ch02.check_hidden_layer_gradients, missing_transpose, r"raised ValueError|off by"),
        (
            ch02.check_hidden_layer_gradients,
            gradients_from(lambda dh, a, h: dh),
            r"output\['hidden_kernel'\] is off by",
        ),
        (
            ch02.check_hidden_layer_gradients,
            gradients_from(lambda dh, a, h: dh * (1 - np.tanh(h) ** 2)),
            r"output\['hidden_kernel'\] is off by",
        ),
        (
            ch02.check_hidden_layer_gradients,
            gradients_from(lambda dh, a, h: dh * (1 - h**2), bias_reduce=np.mean),
            r"output\['hidden_bias'\] is off by",
        ),
        (
            ch02.check_hidden_layer_gradients,
            output_kernel_from_pre_activation,
            r"output\['output_kernel'\] is off by",
        ),
        (
            ch02.check_hidden_layer_gradients,
            forgets_hidden_bias,
            r"output\['hidden_kernel'\] is off by",
        ),
        (ch02.check_momentum_step, momentum_wrong_sign, r"output\[1\] is off by"),
        (ch02.check_momentum_step, momentum_uses_old_velocity, r"first step.*output\[0\]"),
        (ch02.check_momentum_step, momentum_ignored, r"later step.*off by"),
        (ch02.check_momentum_step, momentum_in_place, "changed its argument `param` in place"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_missing_transpose_is_caught_even_when_the_shapes_fit():
    """On the case with as many outputs as hidden units, W2 and W2^T have the same shape."""

    def square_only(x, dlogits, params):
        if params["output_kernel"].shape[0] != params["output_kernel"].shape[1]:
            return ch02._gradients(x, dlogits, params)  # right on every other case
        return missing_transpose(x, dlogits, params)

    with pytest.raises(ExerciseError, match=naming("3 hidden units and 3 outputs", "off by")):
        ch02.check_hidden_layer_gradients(square_only)
