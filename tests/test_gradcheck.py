import numpy as np
import pytest
from messages import naming

from rnnbook.nn import gradcheck


def cubic_problem(rng):
    """L = sum(a^3) + sum(a[:2] * b): dL/da = 3 a^2 plus b on the first two rows, dL/db = a[:2]."""
    arrays = {"a": rng.normal(size=(3, 2)), "nested": {"b": rng.normal(size=(2, 2))}}

    def loss_fn():
        a, b = arrays["a"], arrays["nested"]["b"]
        return np.sum(a**3) + np.sum(a[:2] * b)

    a, b = arrays["a"], arrays["nested"]["b"]
    da = 3 * a**2
    da[:2] += b
    return loss_fn, arrays, {"a": da, "nested": {"b": a[:2].copy()}}


def test_numerical_gradient_of_a_known_function_keeps_the_structure_and_the_arrays():
    loss_fn, arrays, analytic = cubic_problem(np.random.default_rng(0))
    before = {"a": arrays["a"].copy(), "b": arrays["nested"]["b"].copy()}
    numerical = gradcheck.numerical_gradient(loss_fn, arrays)
    assert list(numerical) == ["a", "nested"] and list(numerical["nested"]) == ["b"]
    np.testing.assert_allclose(numerical["a"], analytic["a"], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(numerical["nested"]["b"], analytic["nested"]["b"], atol=1e-9)
    np.testing.assert_array_equal(arrays["a"], before["a"])  # nudged, then restored exactly
    np.testing.assert_array_equal(arrays["nested"]["b"], before["b"])


def test_numerical_gradient_nudges_views_in_place():
    base = np.random.default_rng(1).normal(size=(4, 3))
    view = base[:, ::2]  # not contiguous: a flattened copy would never reach loss_fn

    def loss_fn():
        return np.sum(np.sin(base))

    numerical = gradcheck.numerical_gradient(loss_fn, view)
    np.testing.assert_allclose(numerical, np.cos(view), rtol=1e-8, atol=1e-10)


def test_check_is_tiny_for_the_right_gradient_and_large_for_a_wrong_one():
    loss_fn, arrays, analytic = cubic_problem(np.random.default_rng(2))
    assert gradcheck.check(loss_fn, arrays, analytic) < 1e-8
    analytic["nested"]["b"][0, 1] += 0.1  # one wrong entry is enough
    assert gradcheck.check(loss_fn, arrays, analytic) > 1e-3


def test_relative_error_values():
    assert gradcheck.relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert gradcheck.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert gradcheck.relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2) / 2)
    assert gradcheck.relative_error([1.0], [-1.0]) == 1.0  # the largest it can be
    assert gradcheck.relative_error([2.0, 1e-20], [2.0, 0.0]) < 1e-20  # near-zero entries are fine


def test_relative_error_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=naming("a and b", "same shape", "(2,)", "(3,)")):
        gradcheck.relative_error(np.ones(2), np.ones(3))


@pytest.mark.parametrize(
    ("arrays", "eps", "message"),
    [
        (np.ones(2), 0.0, "eps must be a number > 0; got 0.0"),
        (np.ones(2), "1e-6", "eps must be a number > 0; got '1e-6'"),
        (
            np.ones(2, dtype=np.float32),
            1e-6,
            "float64 numpy arrays, nudged in place; got a float32",
        ),
        ([1.0, 2.0], 1e-6, "float64 numpy arrays, nudged in place; got a list"),
        ({"w": np.ones((0, 2))}, 1e-6, r"arrays must not hold empty arrays; got shape \(0, 2\)"),
    ],
)
def test_numerical_gradient_rejects_bad_arrays_and_eps(arrays, eps, message):
    with pytest.raises((TypeError, ValueError), match=message):
        gradcheck.numerical_gradient(lambda: 0.0, arrays, eps)


@pytest.mark.parametrize(
    ("loss", "shown"), [(np.ones(2), r"array\(\[1., 1.\]\)"), (np.nan, "nan"), ("0", "'0'")]
)
def test_numerical_gradient_rejects_a_loss_that_is_not_a_finite_scalar(loss, shown):
    with pytest.raises(ValueError, match=f"loss_fn must return a finite real scalar; got {shown}"):
        gradcheck.numerical_gradient(lambda: loss, np.ones(2))


def test_check_rejects_analytic_gradients_of_another_structure():
    loss_fn, arrays, analytic = cubic_problem(np.random.default_rng(3))
    with pytest.raises(ValueError, match=naming("analytic", "['a', 'nested']")):
        gradcheck.check(loss_fn, arrays, {"a": analytic["a"]})
    analytic["nested"]["b"] = analytic["nested"]["b"][:1]
    message = r"analytic\['nested'\]\['b'\] must have shape \(2, 2\); got \(1, 2\)"
    with pytest.raises(ValueError, match=message):
        gradcheck.check(loss_fn, arrays, analytic)


@pytest.mark.parametrize(
    ("x", "shown"),
    [
        (0.0, "exactly 0"),
        (0, "exactly 0"),
        (3.1e-10, "below 1e-09"),
        (np.float32(2e-7), "below 1e-06"),
        (1e-9, "below 1e-08"),
        (0.5, "below 1e+00"),
        (12.0, "below 1e+02"),
    ],
)
def test_below_names_the_power_of_ten_just_above(x, shown):
    assert gradcheck.below(x) == shown


@pytest.mark.parametrize(
    ("x", "shown"), [(-1e-9, "-1e-09"), (np.nan, "nan"), (np.inf, "inf"), ("1e-9", "'1e-9'")]
)
def test_below_rejects_what_is_not_a_finite_number_at_least_0(x, shown):
    with pytest.raises((TypeError, ValueError), match=naming("x", "number >= 0", shown)):
        gradcheck.below(x)
