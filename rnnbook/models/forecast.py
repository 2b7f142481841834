"""Many-to-one forecasting of one series: chapter 4's split, training and error by horizon.

Chapter 4 builds these for the yearly sunspot numbers with a simple RNN; chapter 6 runs the
same code with an LSTM or a GRU. A forecaster is one recurrent layer (any `rnnbook.cells`
module: rnn, lstm, gru) whose last state h_T feeds a dense layer with one output per horizon,

    y = h_T W + b,   y[:, k - 1] the forecast k steps after the window, k = 1 .. K.

Shapes: a batch of windows x is (N, W, D) (W the width of a window, D = 1 for one series),
the targets y are (N, K) for K horizons, h_T is (N, H) for H units. The model sees values
standardised with the statistics of the training part only.
"""

from types import ModuleType

import numpy as np

from rnnbook import validate
from rnnbook.cells import bptt, core
from rnnbook.datasets import series
from rnnbook.nn import dense, losses, optim

_CELL_NAMES = ("STATES", "shapes", "init", "step", "step_backward")  # the cells' contract


def _cell(cell):
    """Return `cell` if it is a cell module such as rnnbook.cells.lstm, or raise."""
    if not isinstance(cell, ModuleType) or not all(hasattr(cell, n) for n in _CELL_NAMES):
        raise TypeError(
            "cell must be a cell module (rnnbook.cells.rnn, lstm or gru); "
            f"got {type(cell).__name__} {getattr(cell, '__name__', cell)!r}"
        )
    return cell


def _check_params(cell, params):
    """(D, H, K) of a forecaster's params {"rnn": cell params, "dense": dense params}, or raise."""
    if not isinstance(params, dict) or list(params) != ["rnn", "dense"]:
        got = list(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params must be a dict with keys ['rnn', 'dense']; got {got}")
    input_dim, units = core.check_params(params["rnn"], cell.shapes, name="params['rnn']")
    kernel = params["dense"].get("kernel") if isinstance(params["dense"], dict) else None
    horizon = np.shape(kernel)[1] if np.ndim(kernel) == 2 else 0
    shapes = {"kernel": (units, horizon), "bias": (horizon,)}
    validate.params(params["dense"], "params['dense']", shapes)
    return input_dim, units, horizon


def split_and_scale(values, width, horizon, held_out=0.2):
    """Split `values` (T,) in time order, standardise, and cut both parts into windows.

    The first part is the first 1 - held_out of the series; the last part is the last
    `held_out` fraction with the `width` values before it in front, as context for its first
    windows (never as targets). Both parts are scaled with the first part's mean and standard
    deviation, so nothing of the held-out values leaks into training.

    Returns (scaler, ((x_first, y_first), (x_last, y_last))), x (N, width, 1) and
    y (N, horizon) in scaled units (`scaler.inverse` maps them back); y[:, k - 1] is the
    value k steps after the window.
    """
    width = validate.positive_int(width, "width")
    horizon = validate.positive_int(horizon, "horizon")
    first, last = series.split(values, held_out=held_out, context=width)
    scaler = series.Scaler.fit(first)  # statistics of the first part only
    parts = [series.windows(scaler.transform(part), width, horizon) for part in (first, last)]
    return scaler, parts


def init(cell, input_dim, units, horizon, rng):
    """A forecaster's params: {"rnn": cell.init(D, H), "dense": dense.init(H, K)}.

    Both draw from `rng`, the cell first, so one seed gives the same network everywhere.
    """
    cell = _cell(cell)
    rng = validate.generator(rng)
    units = validate.positive_int(units, "units")
    horizon = validate.positive_int(horizon, "horizon")
    return {"rnn": cell.init(input_dim, units, rng), "dense": dense.init(units, horizon, rng)}


def forecast(cell, x, params):
    """Forecasts y (N, K) from the last state of `cell` run over the windows x (N, W, D).

    Returns (y, (hs, caches, dense_cache)): hs (N, W, H) are the states of every step,
    caches the cell's BPTT caches; `fit_forecaster` goes back through them.
    """
    cell = _cell(cell)
    _check_params(cell, params)
    hs, _, caches = bptt.forward(cell, x, None, params["rnn"])
    y, dense_cache = dense.forward(hs[:, -1], params["dense"])
    return y, (hs, caches, dense_cache)


def fit_forecaster(cell, x, y, units, seed, *, steps=200, learning_rate=0.01):
    """Train a forecaster on windows x (N, W, D) and targets y (N, K); return (params, loss).

    Full-batch Adam on the mean squared error over every window and horizon, `steps` steps
    (chapter 4's 200 at a rate of 0.01 by default), from `init(cell, D, units, K,
    np.random.default_rng(seed))`. Only h_T feeds the forecasts, so the gradient enters the
    recurrence at the last step alone. `loss` is the loss before the last update.
    """
    cell = _cell(cell)
    x = validate.array(x, "x", "N W D")
    y = validate.array(y, "y", "N K", N=x.shape[0])
    seed = validate.integer(seed, "seed")
    steps = validate.positive_int(steps, "steps")
    rng = np.random.default_rng(seed)
    params = init(cell, x.shape[2], units, y.shape[1], rng)
    optimizer = optim.Adam(learning_rate)
    for _ in range(steps):  # every training window at every step
        y_hat, (hs, caches, dense_cache) = forecast(cell, x, params)
        loss, dy = losses.mean_squared_error(y_hat, y)
        dh_last, dense_grads = dense.backward(dy, dense_cache, params["dense"])
        dhs = np.zeros_like(hs)
        dhs[:, -1] = dh_last  # only the last state feeds the forecasts
        _, _, cell_grads = bptt.backward(cell, dhs, caches, params["rnn"])
        optimizer.step(params, {"rnn": cell_grads, "dense": dense_grads})
    return params, loss


def rmse_by_horizon(pred, target, scaler):
    """Root mean squared error in the series' own units at each horizon: (K,).

    pred and target are (N, K) in scaled units; both go back through `scaler.inverse`, and
    the mean runs over the N windows, so entry k - 1 is the error k steps ahead.
    """
    pred = validate.array(pred, "pred", "N K")
    target = validate.array(target, "target", "N K", N=pred.shape[0], K=pred.shape[1])
    if not isinstance(scaler, series.Scaler):
        raise TypeError(f"scaler must be a series.Scaler; got {type(scaler).__name__}")
    error = scaler.inverse(pred) - scaler.inverse(target)
    return np.sqrt(np.mean(error**2, axis=0))
