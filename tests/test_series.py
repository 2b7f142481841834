import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import series


def test_sunspots_are_the_yearly_series_1700_to_2008():
    years, values = series.sunspots()
    assert years.dtype == np.int64 and values.dtype == np.float64
    assert np.array_equal(years, np.arange(1700, 2009)) and values.shape == (309,)
    assert (values[0], values[-1]) == (5.0, 2.9)
    assert values.min() == 0.0 and (years[np.argmax(values)], values.max()) == (1957, 190.2)


def test_mackey_glass_is_deterministic_bounded_and_chaotic_looking():
    x = series.mackey_glass(1000)
    assert x.shape == (1000,) and np.array_equal(x, series.mackey_glass(1000))
    assert 0.4 < x.min() < 0.5 and 1.3 < x.max() < 1.35
    # not periodic with a short period: no lag up to 100 repeats the series closely
    assert min(np.abs(x[lag:] - x[:-lag]).max() for lag in range(1, 101)) > 0.05


def test_mackey_glass_integration_converges():
    fine = series.mackey_glass(300, dt=0.0125, discard=0)
    assert np.abs(series.mackey_glass(300, dt=0.1, discard=0) - fine).max() < 1e-7
    coarse = np.abs(series.mackey_glass(300, dt=0.2, discard=0) - fine).max()
    medium = np.abs(series.mackey_glass(300, dt=0.1, discard=0) - fine).max()
    assert coarse / medium > 7  # third order or better: halving dt divides the error by 8+


def test_mackey_glass_settles_on_its_fixed_point_when_the_delay_is_short():
    # 0.2 x / (1 + x^10) = 0.1 x has the positive solution x = 1, stable for a short delay
    np.testing.assert_allclose(series.mackey_glass(3, tau=0.3, discard=300), 1.0, atol=1e-9)


def test_mackey_glass_samples_every_few_time_units_from_the_same_trajectory():
    every_unit = series.mackey_glass(60, discard=0)
    np.testing.assert_array_equal(
        series.mackey_glass(10, sample_every=6, discard=0), every_unit[5::6]
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 0}, "n must be a positive integer"),
        ({"n": 5, "tau": 17.05}, "tau must be a positive whole multiple of dt=0.1; got 17.05"),
        ({"n": 5, "tau": 0.2}, "tau must be at least 3 steps"),
        ({"n": 5, "dt": -0.1}, "dt must be a number > 0; got -0.1"),
        ({"n": 5, "sample_every": 0.25}, "sample_every must be a positive whole multiple"),
        ({"n": 5, "discard": -1}, "discard must be an integer >= 0"),
        ({"n": 5, "history": np.inf}, "history must be a number > 0; got inf"),
    ],
)
def test_mackey_glass_rejects_bad_settings(kwargs, message):
    with pytest.raises(ValueError, match=message):
        series.mackey_glass(**kwargs)


def test_windows_pair_each_run_with_the_values_after_it():
    s = np.arange(10.0)
    x, y = series.windows(s, width=3, horizon=2)
    assert x.shape == (6, 3, 1) and y.shape == (6, 2)
    assert x[0, :, 0].tolist() == [0, 1, 2] and y[0].tolist() == [3, 4]
    assert x[-1, :, 0].tolist() == [5, 6, 7] and y[-1].tolist() == [8, 9]
    x[0, 0, 0] = 99.0
    assert s[0] == 0.0  # the windows are copies, not views of the series
    x, y = series.windows([1, 2, 3], width=2)
    assert x.tolist() == [[[1.0], [2.0]]] and y.tolist() == [[3.0]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.zeros((5, 1)), 2), r"series must be \(T,\); got shape \(5, 1\)"),
        ((np.zeros(0), 2), "must not be empty"),
        ((np.array([1.0, np.nan, 3.0]), 1), "finite"),
        ((np.zeros(5), 0), "width must be a positive integer"),
        ((np.zeros(5), 2, 0), "horizon must be a positive integer"),
        ((np.zeros(5), 4, 2), "at least width \\+ horizon = 6 values; got 5"),
    ],
)
def test_windows_reject_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        series.windows(*args)


def test_split_keeps_time_order_and_context_lets_windows_forecast_every_held_out_value():
    s = np.arange(100.0)
    train, test = series.split(s, held_out=0.2)
    assert train.tolist() == list(range(80)) and test.tolist() == list(range(80, 100))
    train, test = series.split(s, held_out=0.2, context=5)
    assert test[0] == 75.0 and len(test) == 25
    _, y = series.windows(test, width=5)
    assert y[:, 0].tolist() == list(range(80, 100))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((np.arange(10.0), 0.0), r"held_out must be a number in \(0, 1\); got 0.0"),
        ((np.arange(10.0), 1), "held_out"),
        ((np.arange(10.0), 0.2, -1), "context must be an integer >= 0"),
        ((np.arange(10.0), 0.2, 9), "context must fit"),
        ((np.arange(2.0), 0.1), "each part needs at least one value"),
        ((np.zeros((2, 2)), 0.5), r"series must be \(T,\)"),
    ],
)
def test_split_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        series.split(*args)


def test_scaler_uses_training_statistics_only_and_inverts():
    _, values = series.sunspots()
    train, test = series.split(values, held_out=0.25)
    scaler = series.Scaler.fit(train)
    z = scaler.transform(train)
    assert abs(z.mean()) < 1e-12 and abs(z.std() - 1) < 1e-12
    assert (scaler.mean, scaler.std) == (np.mean(train), np.std(train))
    assert scaler != series.Scaler.fit(values)  # the held-out part would change the statistics
    np.testing.assert_allclose(scaler.inverse(scaler.transform(test)), test, rtol=1e-12)
    with pytest.raises(ValueError, match=naming("vary", "3 values")):
        series.Scaler.fit([2.0, 2.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        series.Scaler.fit([1.0, np.inf])
