import numpy as np
import pytest

from rnnbook.nn import activations

SMOOTH = ["sigmoid", "tanh", "relu", "leaky_relu"]
EXTREMES = np.array([-1e4, -1e3, -710.0, -100.0, -1.0, 0.0, 1.0, 100.0, 710.0, 1e3, 1e4])


# Keras keeps leaky ReLU's slope 0.2 as a float32 (0.20000000298...): agreement to float32 precision
RTOL = {"leaky_relu": 1e-7}


def keras_function(keras, name):
    if name == "leaky_relu":
        return lambda a: keras.activations.leaky_relu(a, negative_slope=0.2)
    return getattr(keras.activations, name)


def inputs():
    rng = np.random.default_rng(0)
    return rng.normal(size=(7, 5)) * 4


@pytest.mark.parametrize("name", SMOOTH)
def test_matches_keras_on_ordinary_inputs(keras, name):
    a = inputs()
    fn, _ = activations.get(name)
    expected = np.asarray(keras_function(keras, name)(a))  # float64 in, float64 out
    np.testing.assert_allclose(fn(a), expected, rtol=RTOL.get(name, 1e-12), atol=1e-15)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family_matches_keras(keras, name):
    a = inputs()
    expected = np.asarray(getattr(keras.activations, name)(a, axis=-1))
    np.testing.assert_allclose(getattr(activations, name)(a), expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", SMOOTH + ["softmax", "log_softmax"])
def test_matches_keras_at_extreme_inputs(keras, name):
    a = EXTREMES.reshape(1, -1)
    fn = getattr(activations, name)
    expected = np.asarray(keras_function(keras, name)(a))
    np.testing.assert_allclose(fn(a), expected, rtol=RTOL.get(name, 1e-12), atol=1e-300)


@pytest.mark.parametrize("name", SMOOTH)
def test_derivative_matches_central_differences(name):
    fn, grad = activations.get(name)
    a = inputs()
    a = a[np.abs(a) > 1e-3]  # ReLU's kink at 0 has no derivative to compare with
    eps = 1e-6
    numerical = (fn(a + eps) - fn(a - eps)) / (2 * eps)
    np.testing.assert_allclose(grad(a), numerical, rtol=1e-7, atol=1e-9)


def test_derivatives_at_the_kink_follow_keras_convention():
    assert activations.relu_grad(np.array([0.0]))[0] == 0.0
    assert activations.leaky_relu_grad(np.array([0.0]))[0] == pytest.approx(0.2)
    assert activations.sigmoid_grad(np.array([0.0]))[0] == pytest.approx(0.25, abs=1e-15)
    assert activations.tanh_grad(np.array([0.0]))[0] == 1.0


@pytest.mark.parametrize("name", SMOOTH)
def test_no_warning_nan_or_inf_up_to_1e4(name):
    fn, grad = activations.get(name)
    a = np.linspace(-1e4, 1e4, 2001)
    with np.errstate(all="raise", under="ignore"):  # underflow to 0 is the right answer here
        values, slopes = fn(a), grad(a)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))


def test_sigmoid_and_tanh_saturate_to_exact_limits():
    big = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(activations.sigmoid(big), [0.0, 1.0])
    np.testing.assert_array_equal(activations.tanh(big), [-1.0, 1.0])
    np.testing.assert_array_equal(activations.sigmoid_grad(big), [0.0, 0.0])
    # far from saturation in the negative tail, the stable branch keeps full relative precision
    assert activations.sigmoid(np.array([-700.0]))[0] == pytest.approx(np.exp(-700.0), rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_grad_keeps_its_relative_precision_in_both_tails(dtype):
    a = np.array([-60, -40, -5, 0, 5, 40, 60], dtype=dtype)  # e^-60 is a normal float32
    exact = np.exp(-np.abs(a.astype(np.float64))) / (1 + np.exp(-np.abs(a.astype(np.float64)))) ** 2
    slopes = activations.sigmoid_grad(a)
    assert slopes.dtype == dtype
    np.testing.assert_allclose(slopes, exact, rtol=8 * np.finfo(dtype).eps, atol=0)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_keeps_the_dtype_and_its_precision(dtype):
    a = np.linspace(-80, 80, 1601).astype(dtype)  # e^-80 is still a normal float32
    s = activations.sigmoid(a)
    assert s.dtype == dtype and activations.sigmoid_grad(a).dtype == dtype
    exact = 1 / (1 + np.exp(-a.astype(np.float64)))
    np.testing.assert_allclose(s, exact, rtol=4 * np.finfo(dtype).eps, atol=0)


def test_sigmoid_of_integers_is_float64():
    assert activations.sigmoid([0, 1]).dtype == np.float64
    assert activations.sigmoid(np.array([0], dtype=np.int8))[0] == 0.5


def test_softmax_family_stays_finite_and_correct_up_to_1e4():
    a = np.array([[1e4, 0.0, -1e4], [-1e4, -1e4, -1e4], [5e3, 5e3, -1e4]])
    with np.errstate(all="raise", under="ignore"):
        p, logp = activations.softmax(a), activations.log_softmax(a)
    np.testing.assert_allclose(p, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0]], atol=1e-15)
    np.testing.assert_allclose(logp[0], [0.0, -1e4, -2e4], rtol=1e-15)
    np.testing.assert_allclose(logp[2, :2], np.log(0.5), rtol=1e-14)
    assert np.all(np.isfinite(logp))


def test_softmax_rows_sum_to_one_and_ignore_a_shift():
    a = inputs()
    p = activations.softmax(a)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-14)
    np.testing.assert_allclose(activations.softmax(a + 123.0), p, rtol=1e-12)
    np.testing.assert_allclose(activations.softmax(a, axis=0).sum(axis=0), 1.0, rtol=1e-14)
    np.testing.assert_allclose(np.exp(activations.log_softmax(a)), p, rtol=1e-12)


def test_identities_between_activations():
    a = inputs()
    np.testing.assert_allclose(activations.tanh(a), 2 * activations.sigmoid(2 * a) - 1, atol=1e-14)
    two_class = np.stack([a, np.zeros_like(a)], axis=-1)
    np.testing.assert_allclose(activations.softmax(two_class)[..., 0], activations.sigmoid(a))


def test_step_and_get():
    np.testing.assert_array_equal(activations.step(np.array([-2.0, 0.0, 3.0])), [0.0, 1.0, 1.0])
    assert activations.get("step")[1] is None
    with pytest.raises(ValueError, match="activation must be one of"):
        activations.get("swish")
