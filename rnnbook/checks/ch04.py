"""Checkers for chapter 4 (the RNN recurrence)."""

import numpy as np

from rnnbook.cells import rnn
from rnnbook.checks.core import Case, compare
from rnnbook.models import wordmodel


def _params(input_dim, units, rng):
    """Random SimpleRNN params with a non-zero bias, so that a forgotten bias shows."""
    params = rnn.init(input_dim, units, rng)
    params["bias"] = rng.normal(scale=0.5, size=units)
    return params


def check_rnn_step(fn):
    """rnn_step(x_t, h_prev, params) against rnnbook.cells.rnn.step."""
    rng = np.random.default_rng(401)

    def reference(x_t, h_prev, params):
        return rnn.step(x_t, (h_prev,), params)[0]

    cases = [
        Case(
            f"x_t {n, d}, h_prev {n, h}",
            (rng.normal(size=(n, d)), rng.normal(size=(n, h)), _params(d, h, rng)),
        )
        for n, d, h in [(1, 1, 1), (4, 3, 5), (2, 5, 3), (3, 2, 2)]
    ]
    big = _params(2, 3, rng)
    cases.append(
        Case(
            "inputs of +-20 (tanh saturates)",
            (np.array([[20.0, 20.0], [-20.0, -20.0]]), np.zeros((2, 3)), big),
        )
    )
    compare(fn, reference, cases, exercise="rnn_step")


def _masked_reference(x, mask, params):
    """Step through time; where mask is False, keep the previous state (Keras' rule)."""
    n, steps, _ = x.shape
    h = np.zeros((n, params["recurrent_kernel"].shape[0]))
    hs = np.empty((n, steps, h.shape[1]))
    for t in range(steps):
        h_new, _, _ = rnn.step(x[:, t], (h,), params)
        h = np.where(mask[:, t, None], h_new, h)
        hs[:, t] = h
    return hs, h


def check_masked_rnn_forward(fn):
    """masked_rnn_forward(x, mask, params) against a step-by-step reference with Keras' rule."""
    rng = np.random.default_rng(402)

    def case(label, mask, d, h):
        mask = np.asarray(mask, dtype=bool)
        x = rng.normal(size=mask.shape + (d,))
        return Case(label, (x, mask, _params(d, h, rng)))

    cases = [
        case("one sequence of one step (N=1, T=1, H=1)", [[True]], 1, 1),
        case("no padding at all, x (3, 5, 2)", np.ones((3, 5)), 2, 4),
        case("padding at the end, lengths 5, 2, 1", np.arange(5) < np.array([[5], [2], [1]]), 3, 4),
        case("padding at the front, lengths 4 and 1", np.arange(4) >= np.array([[0], [3]]), 2, 3),
        case("masked steps in the middle", [[True, False, True, False, True, True]], 2, 2),
        case(
            "a sequence whose first step is masked",
            [[False, True, True], [True, True, False]],
            1,
            5,
        ),
    ]
    compare(fn, _masked_reference, cases, exercise="masked_rnn_forward")


def check_next_word_windows(fn):
    """next_word_windows(ids, length) against rnnbook.models.wordmodel.windows."""
    rng = np.random.default_rng(403)
    cases = [
        Case("ids [7, 8, 9] with length 1", (np.array([7, 8, 9]), 1)),
        Case("ids of length 6 with length 5 (exactly one window)", (np.arange(10, 16), 5)),
        Case("20 random ids with length 4", (rng.integers(0, 50, size=20), 4)),
        Case("100 random ids with length 8", (rng.integers(0, 1000, size=100), 8)),
    ]
    compare(fn, wordmodel.windows, cases, exercise="next_word_windows")


def _scale_to_radius(w, rho):
    """The reference: rho over the largest absolute eigenvalue, times w."""
    return w * (rho / np.max(np.abs(np.linalg.eigvals(w))))


def check_scale_to_radius(fn):
    """scale_to_radius(w, rho): the positive multiple of w with largest absolute eigenvalue rho."""
    rng = np.random.default_rng(404)
    cases = [
        Case("a 1x1 matrix [[-2.0]] with rho 0.5", (np.array([[-2.0]]), 0.5)),
        Case("a symmetric 3x3 matrix with rho 1.1", (_symmetric(rng, 3), 1.1)),
        Case(
            "a rotation by 0.3 radians times 2 (complex eigenvalues), rho 0.9",
            (2 * _rotation(0.3), 0.9),
        ),
        Case(
            "a non-normal matrix [[0.5, 4], [0, 0.5]] with rho 1.0",
            (np.array([[0.5, 4.0], [0.0, 0.5]]), 1.0),
        ),
        Case("a random 6x6 matrix with rho 0.95", (rng.normal(size=(6, 6)), 0.95)),
    ]
    compare(fn, _scale_to_radius, cases, exercise="scale_to_radius")


def _symmetric(rng, size):
    a = rng.normal(size=(size, size))
    return (a + a.T) / 2


def _rotation(angle):
    return np.array([[np.cos(angle), np.sin(angle)], [-np.sin(angle), np.cos(angle)]])
