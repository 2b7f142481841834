import warnings

import numpy as np
import pytest
from messages import naming

from rnnbook.nn import gradcheck, losses


def test_cross_entropy_matches_keras_with_and_without_mask(keras):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(3, 5, 7)) * 3
    targets = rng.integers(0, 7, size=(3, 5))
    mask = np.ones((3, 5))
    mask[0, 3:] = mask[2, 1:] = 0
    plain = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    masked = keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction="mean_with_sample_weight", dtype="float64"
    )
    assert losses.softmax_cross_entropy(logits, targets)[0] == pytest.approx(
        float(plain(targets, logits)), rel=1e-12
    )
    assert losses.softmax_cross_entropy(logits, targets, mask)[0] == pytest.approx(
        float(masked(targets, logits, sample_weight=mask)), rel=1e-12
    )


@pytest.mark.parametrize("shape", [(4, 6), (2, 3, 5), (1, 1, 2)])
def test_cross_entropy_gradient_matches_finite_differences(shape):
    rng = np.random.default_rng(1)
    logits = rng.normal(size=shape)
    targets = rng.integers(0, shape[-1], size=shape[:-1])
    mask = rng.random(shape[:-1]) < 0.7
    mask.flat[0] = True
    _, dlogits = losses.softmax_cross_entropy(logits, targets, mask)
    error = gradcheck.check(
        lambda: losses.softmax_cross_entropy(logits, targets, mask)[0], logits, dlogits
    )
    assert error < 1e-7
    assert np.all(dlogits[~mask] == 0)


def test_cross_entropy_is_finite_and_exact_for_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    targets = np.array([1, 2])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dlogits = losses.softmax_cross_entropy(logits, targets)
    # row 0: -log p_1 = 2e4; row 1: uniform, -log(1/3)
    assert loss == pytest.approx((2e4 + np.log(3)) / 2, rel=1e-12)
    assert np.all(np.isfinite(dlogits))


def test_mean_squared_error_matches_keras_and_finite_differences(keras):
    rng = np.random.default_rng(2)
    pred, target = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    loss, dpred = losses.mean_squared_error(pred, target)
    reference = keras.losses.MeanSquaredError(dtype="float64")(target, pred)
    assert loss == pytest.approx(float(reference), rel=1e-12)
    error = gradcheck.check(lambda: losses.mean_squared_error(pred, target)[0], pred, dpred)
    assert error < 1e-7


def test_binary_cross_entropy_matches_keras_and_finite_differences(keras):
    rng = np.random.default_rng(3)
    logits, targets = rng.normal(size=(5, 4)) * 4, (rng.random((5, 4)) < 0.5).astype(float)
    loss, dlogits = losses.binary_cross_entropy(logits, targets)
    reference = keras.losses.BinaryCrossentropy(from_logits=True, dtype="float64")(targets, logits)
    assert loss == pytest.approx(float(reference), rel=1e-12)
    error = gradcheck.check(
        lambda: losses.binary_cross_entropy(logits, targets)[0], logits, dlogits
    )
    assert error < 1e-7


def test_binary_cross_entropy_is_finite_for_huge_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dlogits = losses.binary_cross_entropy(np.array([1e4, -1e4]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(1e4) and np.all(np.isfinite(dlogits))


@pytest.mark.parametrize(
    ("logits", "targets", "mask", "message"),
    [
        (np.zeros((2, 3)), np.zeros((3,), int), None, "targets must be logits' shape"),
        (np.zeros((2, 3)), np.zeros((2,)), None, "integer ids"),
        (np.zeros((2, 3)), np.array([0, 3]), None, r"lie in \[0, 3\)"),
        (np.zeros((2, 3)), np.array([0, -1]), None, r"lie in \[0, 3\)"),
        (np.full((2, 3), np.nan), np.zeros(2, int), None, "finite"),
        (np.zeros((0, 3)), np.zeros(0, int), None, "empty"),
        (np.zeros((2, 3)), np.zeros(2, int), np.ones(3), "mask must have the shape"),
        (np.zeros((2, 3)), np.zeros(2, int), np.array([0.5, 1]), "only 0 and 1"),
        (np.zeros((2, 3)), np.zeros(2, int), np.zeros(2), "at least one position"),
        (np.array(["a", "b"]), np.zeros((), int), None, "numbers"),
    ],
)
def test_cross_entropy_rejects_bad_input(logits, targets, mask, message):
    with pytest.raises((ValueError, TypeError), match=message):
        losses.softmax_cross_entropy(logits, targets, mask)


@pytest.mark.parametrize("loss", [losses.mean_squared_error, losses.binary_cross_entropy])
def test_elementwise_losses_reject_bad_input(loss):
    with pytest.raises(ValueError, match=naming("same shape", "(2, 3)", "(3, 2)")):
        loss(np.zeros((2, 3)), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="finite"):
        loss(np.array([np.inf]), np.array([1.0]))
    with pytest.raises(ValueError, match="empty"):
        loss(np.array([]), np.array([]))


def test_binary_cross_entropy_rejects_targets_outside_unit_interval():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        losses.binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0]))
