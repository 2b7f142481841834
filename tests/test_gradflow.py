import numpy as np
import pytest

from rnnbook.cells import bptt, gradflow, gru, lstm, rnn
from rnnbook.nn import gradcheck

CELLS = [rnn, lstm, gru]


def name(cell):
    return cell.__name__.split(".")[-1]


def problem(cell, batch=3, steps=7, input_dim=2, units=4, seed=0):
    rng = np.random.default_rng(seed)
    params = cell.init(input_dim, units, rng)
    params["bias"] = rng.normal(scale=0.5, size=params["bias"].shape)
    x = rng.normal(size=(batch, steps, input_dim))
    states = tuple(rng.normal(scale=0.5, size=(batch, units)) for _ in cell.STATES)
    dh_last = rng.normal(size=(batch, units))
    return params, x, states, dh_last


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_the_gradient_at_the_start_is_what_bptt_gives(cell):
    params, x, states, dh_last = problem(cell)
    grads = gradflow.state_gradients(cell, x, dh_last, params, states)
    assert list(grads) == list(cell.STATES)
    assert all(g.shape == (3, 8, 4) for g in grads.values())
    _, _, caches = bptt.forward(cell, x, states, params)
    dhs = np.zeros((3, 7, 4))
    dhs[:, -1] = dh_last
    _, dstates0, _ = bptt.backward(cell, dhs, caches, params)
    for name_, d0 in zip(cell.STATES, dstates0, strict=True):
        np.testing.assert_allclose(grads[name_][:, 0], d0, rtol=1e-12, atol=1e-14)
    # at the last step only h receives the loss's gradient
    np.testing.assert_array_equal(grads["h"][:, -1], dh_last)
    if "c" in grads:
        np.testing.assert_array_equal(grads["c"][:, -1], 0.0)


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_every_intermediate_gradient_matches_finite_differences(cell):
    params, x, states, dh_last = problem(cell, steps=5)
    grads = gradflow.state_gradients(cell, x, dh_last, params, states)
    for t in [1, 3]:
        # run the last 5 - t steps from the states after t steps, and nudge those states
        mid = bptt.forward(cell, x[:, :t], states, params)[1]
        mid = {name_: s.copy() for name_, s in zip(cell.STATES, mid, strict=True)}

        def loss_fn(t=t, mid=mid):
            hs, _, _ = bptt.forward(cell, x[:, t:], tuple(mid.values()), params)
            return np.sum(hs[:, -1] * dh_last)

        analytic = {name_: grads[name_][:, t] for name_ in cell.STATES}
        assert gradcheck.check(loss_fn, mid, analytic) < 1e-7


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_norms_are_indexed_by_lag(cell):
    params, x, states, dh_last = problem(cell)
    grads = gradflow.state_gradients(cell, x, dh_last, params, states)
    norms = gradflow.norms_by_lag(cell, x, dh_last, params, states)
    for name_ in cell.STATES:
        assert norms[name_].shape == (3, 8)
        for k in range(8):
            np.testing.assert_allclose(
                norms[name_][:, k], np.linalg.norm(grads[name_][:, 7 - k], axis=1)
            )
    np.testing.assert_allclose(norms["h"][:, 0], np.linalg.norm(dh_last, axis=1))


@pytest.mark.parametrize("radius", [0.5, 1.0, 1.7])
def test_linear_regime_grows_by_the_spectral_radius_per_step(radius):
    # zero input and zero start keep h at 0, where tanh' = 1: the product is exactly (r Q^T)^k
    rng = np.random.default_rng(1)
    params = rnn.init(1, 6, rng)
    params["recurrent_kernel"] = radius * np.linalg.qr(rng.normal(size=(6, 6)))[0]
    norms = gradflow.norms_by_lag(rnn, np.zeros((2, 20, 1)), rng.normal(size=(2, 6)), params)
    np.testing.assert_allclose(norms["h"][:, 1:] / norms["h"][:, :-1], radius, rtol=1e-12)
    assert gradflow.growth_per_step(norms["h"]) == pytest.approx(radius, rel=1e-12)


def test_saturated_units_make_it_vanish_even_with_a_large_matrix():
    # a huge bias pins every unit at tanh = +-1, where tanh' is about 0
    rng = np.random.default_rng(2)
    params = rnn.init(1, 5, rng)
    params["recurrent_kernel"] = 3.0 * np.eye(5)
    params["bias"] = np.full(5, 20.0)
    norms = gradflow.norms_by_lag(rnn, rng.normal(size=(2, 10, 1)), np.ones((2, 5)), params)
    assert gradflow.growth_per_step(norms["h"]) < 1e-6


def test_growth_per_step_of_a_geometric_sequence_and_of_underflow():
    norms = 5.0 * 0.8 ** np.arange(12)[None, :] * np.array([[1.0], [3.0]])
    assert gradflow.growth_per_step(norms) == pytest.approx(0.8, rel=1e-12)
    assert gradflow.growth_per_step(norms, skip=10) == pytest.approx(0.8, rel=1e-12)
    # exact zeros count as the smallest float instead of giving log(0) = -inf
    assert 0 < gradflow.growth_per_step(np.array([[1.0, 0.0, 0.0]])) < 1e-100


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"x": np.zeros((3, 4))}, r"x must be \(N, T, D\)"),
        ({"x": np.zeros((2, 4, 5))}, r"x must be \(N, T, D\) with D=2"),
        ({"dh_last": np.zeros((2, 4))}, r"dh_last must be \(N, H\) with N=3, H=4"),
        ({"states": (np.zeros((3, 4)),) * 2}, r"states must be a tuple \(h,\)"),
        ({"params": {"kernel": np.zeros((2, 4))}}, "params must be a dict with keys"),
    ],
)
def test_bad_input_is_rejected_with_a_message(kwargs, message):
    params, x, _, dh_last = problem(rnn)
    args = {"x": x, "params": params, "dh_last": dh_last, "states": None} | kwargs
    with pytest.raises(ValueError, match=message):
        gradflow.state_gradients(rnn, **args)


@pytest.mark.parametrize(
    ("norms", "skip", "message"),
    [
        (np.ones((2, 1)), 0, "at least two lags"),
        (np.ones((2, 5)), 4, "at least two lags"),
        (-np.ones((2, 5)), 0, "must not be negative"),
        (np.ones(5), 0, r"norms must be \(N, K\)"),
    ],
)
def test_growth_per_step_rejects_bad_input(norms, skip, message):
    with pytest.raises(ValueError, match=message):
        gradflow.growth_per_step(norms, skip)


def test_the_simple_rnn_step_jacobian_is_diag_tanh_slope_times_w_hh_transposed():
    params, x, states, _ = problem(rnn)
    jac = gradflow.step_jacobians(rnn, x, params, states)
    assert list(jac) == [("h", "h")]
    hs, _, _ = bptt.forward(rnn, x, states, params)
    # d h_t[i] / d h_{t-1}[j] = (1 - h_t[i]^2) W_hh[j, i]: the matrix diag(1 - h_t^2) W_hh^T
    expected = (1 - hs**2)[..., None] * params["recurrent_kernel"].T
    np.testing.assert_allclose(jac["h", "h"], expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_jacobians_match_finite_differences(cell):
    params, x, states, _ = problem(cell, batch=2, steps=3)
    jac = gradflow.step_jacobians(cell, x, params, states)
    assert set(jac) == {(o, i) for o in cell.STATES for i in cell.STATES}
    # the states entering each step, from a forward pass
    entering = [states]
    for t in range(x.shape[1] - 1):
        _, nxt, _ = cell.step(x[:, t], entering[-1], params)
        entering.append(nxt)
    eps = 1e-6
    for t, before in enumerate(entering):
        for k_in, inp in enumerate(cell.STATES):
            for j in range(before[k_in].shape[1]):
                plus = [s.copy() for s in before]
                minus = [s.copy() for s in before]
                plus[k_in][:, j] += eps
                minus[k_in][:, j] -= eps
                _, up, _ = cell.step(x[:, t], tuple(plus), params)
                _, down, _ = cell.step(x[:, t], tuple(minus), params)
                for k_out, out in enumerate(cell.STATES):
                    numeric = (up[k_out] - down[k_out]) / (2 * eps)  # (N, H): column j
                    np.testing.assert_allclose(
                        jac[out, inp][:, t, :, j], numeric, rtol=1e-6, atol=1e-8
                    )


def test_step_jacobians_refuses_input_of_the_wrong_width():
    params, x, _, _ = problem(rnn)
    with pytest.raises(ValueError, match="x"):
        gradflow.step_jacobians(rnn, x[..., :1], params)
