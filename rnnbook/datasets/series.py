"""Time series for forecasting: yearly sunspots, Mackey-Glass, windows, a split and a scaler."""

import dataclasses

import numpy as np

from rnnbook import validate


def sunspots():
    """Yearly sunspot numbers 1700-2008 shipped by statsmodels: (years (309,), values (309,)).

    The series is NOAA's yearly mean of the original (pre-2015) Wolf sunspot number, public domain.
    """
    try:
        from statsmodels.datasets import sunspots as data
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            "the sunspot series comes from statsmodels, which is not installed: "
            "pip install statsmodels (or pip install -e '.[chapters]')"
        ) from error
    frame = data.load_pandas().data
    return frame["YEAR"].to_numpy(dtype=np.int64), frame["SUNACTIVITY"].to_numpy(dtype=np.float64)


def _grid(value, dt, name):
    """value / dt as an int, or raise if value is not a whole number of steps."""
    steps = round(value / dt)
    if steps < 1 or abs(steps * dt - value) > 1e-9 * value:
        raise ValueError(f"{name} must be a positive whole multiple of dt={dt}; got {value}")
    return steps


def mackey_glass(n, tau=17, dt=0.1, sample_every=1, discard=500, history=1.2):
    """n samples of dx/dt = 0.2 x(t-tau) / (1 + x(t-tau)^10) - 0.1 x(t), chaotic for tau=17.

    Classical Runge-Kutta (RK4) with step dt, tau a whole number (>= 3) of steps so that
    x(t - tau) and x(t - tau + dt) are stored values; the delayed value half a step between
    them comes from a cubic through four stored values. x = history for t <= 0; the first
    `discard` samples (the transient) are dropped; one sample every `sample_every` time units.
    With dt=0.1 the first 300 time units differ from a run with dt=0.0125 by under 1e-7; the
    series is chaotic, so any two step sizes drift apart over long enough runs.
    """
    n = validate.positive_int(n, "n")
    for value, name in [(tau, "tau"), (dt, "dt"), (sample_every, "sample_every")]:
        validate.number(value, name, 0, low_open=True)
    validate.integer(discard, "discard")
    validate.number(history, "history", 0, low_open=True)
    lag, every = _grid(tau, dt, "tau"), _grid(sample_every, dt, "sample_every")
    if lag < 3:
        raise ValueError(f"tau must be at least 3 steps of dt={dt}; got tau={tau}")

    def slope(x_now, x_lag):
        return 0.2 * x_lag / (1.0 + x_lag**10) - 0.1 * x_now

    start = lag + 1
    x = [float(history)] * (start + 1)  # x[i] is x at time (i - start) dt
    for i in range(start, start + (n + discard) * every):
        x_i, lag_start, lag_end = x[i], x[i - lag], x[i - lag + 1]
        # the cubic through four stored values, evaluated half way; never across t = 0, where
        # x' jumps from 0 to the equation's slope and no polynomial fits both sides (this
        # keeps the error third order or better instead of second)
        if i - lag < start:
            lag_mid = lag_start
        elif i - lag == start:
            lag_mid = (
                5.0 * lag_start + 15.0 * lag_end - 5.0 * x[i - lag + 2] + x[i - lag + 3]
            ) / 16
        else:
            lag_mid = (9.0 * (lag_start + lag_end) - x[i - lag - 1] - x[i - lag + 2]) / 16.0
        k1 = slope(x_i, lag_start)
        k2 = slope(x_i + 0.5 * dt * k1, lag_mid)
        k3 = slope(x_i + 0.5 * dt * k2, lag_mid)
        k4 = slope(x_i + dt * k3, lag_end)
        x.append(x_i + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4))
    return np.array(x[start + (discard + 1) * every :: every])


def _series(series):
    return validate.array(series, "series", "T").astype(np.float64, copy=False)


def windows(series, width, horizon=1):
    """x (N, width, 1): every run of width values; y (N, horizon): the horizon values after it.

    y[:, h - 1] is the forecast target h steps ahead; N = len(series) - width - horizon + 1.
    """
    series = _series(series)
    width = validate.positive_int(width, "width")
    horizon = validate.positive_int(horizon, "horizon")
    if len(series) < width + horizon:
        raise ValueError(
            f"series must hold at least width + horizon = {width + horizon} values; "
            f"got {len(series)}"
        )
    runs = np.lib.stride_tricks.sliding_window_view(series, width + horizon)  # (N, width + horizon)
    return runs[:, :width, None].copy(), runs[:, width:].copy()


def split(series, held_out=0.2, context=0):
    """(train, test) in time order, test the last held_out fraction plus `context` values before.

    With context equal to the window width, the windows of test forecast every held-out value.
    """
    series = _series(series)
    validate.number(held_out, "held_out", 0, 1, low_open=True, high_open=True)
    validate.integer(context, "context")
    n_test = round(held_out * len(series))
    n_train = len(series) - n_test
    if n_test < 1 or n_train < 1 or context > n_train:
        raise ValueError(
            f"cannot split {len(series)} values with held_out={held_out} and context={context}: "
            "each part needs at least one value and context must fit in the training part"
        )
    return series[:n_train].copy(), series[n_train - context :].copy()


@dataclasses.dataclass(frozen=True)
class Scaler:
    """Standardisation z = (x - mean) / std with statistics from the training part only."""

    mean: float
    std: float

    @classmethod
    def fit(cls, train):
        """The mean and standard deviation of the training series."""
        train = _series(train)
        std = float(np.std(train))
        if not std > 0:
            raise ValueError(f"train must vary to be scaled; all {len(train)} values are equal")
        return cls(float(np.mean(train)), std)

    def transform(self, x):
        """(x - mean) / std."""
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std

    def inverse(self, z):
        """z * std + mean: back to the original units."""
        return np.asarray(z, dtype=np.float64) * self.std + self.mean
