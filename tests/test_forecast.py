import math

import numpy as np
import pytest
from messages import naming

from rnnbook.cells import gru, lstm, rnn
from rnnbook.datasets import series
from rnnbook.models import forecast as fc


def test_split_and_scale_by_hand():
    # 10 values, the last 2 held out: the first part is 0..7 (mean 3.5, variance 5.25), the
    # last part carries the 2 values before it (width 2) as context: 6, 7, 8, 9
    scaler, ((x_first, y_first), (x_last, y_last)) = fc.split_and_scale(
        np.arange(10.0), width=2, horizon=1, held_out=0.2
    )
    assert scaler.mean == 3.5 and scaler.std == pytest.approx(math.sqrt(5.25), rel=1e-15)
    assert x_first.shape == (6, 2, 1) and y_first.shape == (6, 1)
    np.testing.assert_allclose(scaler.inverse(x_first[:, :, 0]), [[k, k + 1] for k in range(6)])
    np.testing.assert_allclose(scaler.inverse(y_first[:, 0]), [2, 3, 4, 5, 6, 7])
    np.testing.assert_allclose(scaler.inverse(x_last[:, :, 0]), [[6, 7], [7, 8]])
    np.testing.assert_allclose(scaler.inverse(y_last[:, 0]), [8, 9])  # the held-out values
    np.testing.assert_allclose(y_last[:, 0], (np.array([8, 9]) - 3.5) / math.sqrt(5.25))


def test_split_and_scale_gives_every_horizon():
    _, ((x, y), (x_last, y_last)) = fc.split_and_scale(np.arange(20.0), 3, 2, held_out=0.25)
    np.testing.assert_allclose(y[:, 1] - y[:, 0], x[:, 1, 0] - x[:, 0, 0])  # one step apart
    assert x_last.shape == (4, 3, 1) and y_last.shape == (4, 2)  # 5 held out, 4 windows


def test_forecast_by_hand():
    # one unit: h1 = tanh(0.5), h2 = tanh(1 + 0.5 h1); y = (2 h2 + 1, -h2)
    params = {
        "rnn": {"kernel": [[1.0]], "recurrent_kernel": [[0.5]], "bias": [0.0]},
        "dense": {"kernel": np.array([[2.0, -1.0]]), "bias": np.array([1.0, 0.0])},
    }
    params["rnn"] = {k: np.array(v) for k, v in params["rnn"].items()}
    y, (hs, _, _) = fc.forecast(rnn, np.array([[[0.5], [1.0]]]), params)
    h2 = math.tanh(1.0 + 0.5 * math.tanh(0.5))
    assert h2 == pytest.approx(0.842886, abs=1e-6)
    np.testing.assert_allclose(hs[0, :, 0], [math.tanh(0.5), h2], rtol=1e-15)
    np.testing.assert_allclose(y, [[2 * h2 + 1, -h2]], rtol=1e-15)


def test_rmse_by_horizon_by_hand():
    scaler = series.Scaler(mean=10.0, std=2.0)
    pred, target = np.array([[0.0, 1.0], [1.0, 1.0]]), np.array([[0.0, 0.0], [1.0, -1.0]])
    # errors in the series' units: (0, 2) and (0, 4); the offset 10 cancels
    np.testing.assert_allclose(fc.rmse_by_horizon(pred, target, scaler), [0.0, math.sqrt(10)])


def _loss(cell, x, y, params):
    return np.mean((fc.forecast(cell, x, params)[0] - y) ** 2)


@pytest.mark.parametrize("cell", [rnn, lstm, gru])
def test_one_training_step_moves_every_weight_against_its_numerical_gradient(cell):
    rng = np.random.default_rng(3)
    x, y = rng.normal(size=(5, 4, 1)), rng.normal(size=(5, 2))
    start = fc.init(cell, 1, 3, 2, np.random.default_rng(7))  # what fit_forecaster starts from
    rate = 0.01
    trained, loss = fc.fit_forecaster(cell, x, y, 3, 7, steps=1, learning_rate=rate)
    assert loss == pytest.approx(_loss(cell, x, y, start), rel=1e-12)  # before the update
    for part in ("rnn", "dense"):
        for key, value in start[part].items():
            grad = np.zeros_like(value)
            for i in np.ndindex(value.shape):
                bumped = {p: {k: v.copy() for k, v in start[p].items()} for p in start}
                bumped[part][key][i] += 1e-6
                up = _loss(cell, x, y, bumped)
                bumped[part][key][i] -= 2e-6
                grad[i] = (up - _loss(cell, x, y, bumped)) / 2e-6
            # Adam's first step (Keras' form): -rate sqrt(1 - b2) g / (sqrt(1 - b2) |g| + eps)
            a = math.sqrt(1 - 0.999)
            step = -rate * a * grad / (a * np.abs(grad) + 1e-7)
            # a tenth of a percent of the rate: finite differences blur only the tiny gradients
            np.testing.assert_allclose(trained[part][key] - value, step, atol=1e-3 * rate)


def test_chapter_4_sunspot_forecaster_is_reproduced():
    _, spots = series.sunspots()
    scaler, ((x, y), (x_test, y_test)) = fc.split_and_scale(spots, 20, 11)
    assert (x.shape, x_test.shape) == ((217, 20, 1), (52, 20, 1))
    params, loss = fc.fit_forecaster(rnn, x, y, 8, 0)
    rmse = fc.rmse_by_horizon(fc.forecast(rnn, x_test, params)[0], y_test, scaler)
    # chapter 4's stored result: 27.7 one year ahead, 55.1 four years ahead, loss 0.39
    assert abs(rmse[0] - 27.7) < 0.05 and abs(rmse[3] - 55.1) < 0.05
    assert round(loss, 2) == 0.39


def test_bad_input_is_named():
    x, y = np.zeros((4, 3, 1)), np.zeros((4, 2))
    with pytest.raises(TypeError, match=naming("cell", "rnnbook.cells", "str")):
        fc.fit_forecaster("lstm", x, y, 2, 0)
    with pytest.raises(ValueError, match=naming("x", "(N, W, D)", "(4, 3)")):
        fc.fit_forecaster(lstm, x[:, :, 0], y, 2, 0)
    with pytest.raises(ValueError, match=naming("y", "N=4", "(3, 2)")):
        fc.fit_forecaster(lstm, x, y[:3], 2, 0)
    with pytest.raises(ValueError, match=naming("seed", "-1")):
        fc.fit_forecaster(lstm, x, y, 2, -1)
    with pytest.raises(ValueError, match=naming("units", "0")):
        fc.fit_forecaster(lstm, x, y, 0, 0)
    with pytest.raises(ValueError, match=naming("steps", "0")):
        fc.fit_forecaster(lstm, x, y, 2, 0, steps=0)
    params = fc.init(lstm, 1, 2, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("params", "['rnn', 'dense']", "['rnn']")):
        fc.forecast(lstm, x, {"rnn": params["rnn"]})
    with pytest.raises(ValueError, match=naming("params['rnn']['kernel']", "(1, 6)", "(1, 8)")):
        fc.forecast(gru, x, params)  # an LSTM's weights given to a GRU
    wrong = {"rnn": params["rnn"], "dense": {"kernel": np.zeros((3, 2)), "bias": np.zeros(2)}}
    with pytest.raises(ValueError, match=naming("params['dense']", "(2, 2)", "(3, 2)")):
        fc.forecast(lstm, x, wrong)
    with pytest.raises(ValueError, match=naming("x", "D=1", "(4, 3, 2)")):
        fc.forecast(lstm, np.zeros((4, 3, 2)), params)
    with pytest.raises(ValueError, match=naming("width", "0")):
        fc.split_and_scale(np.arange(10.0), 0, 1)
    with pytest.raises(ValueError, match=naming("held_out", "1.5")):
        fc.split_and_scale(np.arange(10.0), 2, 1, held_out=1.5)
    with pytest.raises(ValueError, match=naming("target", "K=2", "(2, 3)")):
        fc.rmse_by_horizon(np.zeros((2, 2)), np.zeros((2, 3)), series.Scaler(0.0, 1.0))
    with pytest.raises(TypeError, match=naming("scaler", "Scaler", "tuple")):
        fc.rmse_by_horizon(np.zeros((2, 2)), np.zeros((2, 2)), (0.0, 1.0))
