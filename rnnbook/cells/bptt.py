"""Backpropagation through time: run any cell (rnn, lstm, gru) over a sequence, and back.

`cell` is the cell module itself: `bptt.forward(lstm, x, None, params)`. For truncated BPTT,
either pass `truncate=k` to `backward` (gradient flow cut every k steps of one sequence), or feed
a long sequence in chunks, carrying the final states of one chunk into `forward` of the next and
calling `backward` on each chunk alone.
"""

from dataclasses import dataclass
from types import ModuleType

import numpy as np

from rnnbook import validate
from rnnbook.cells import core, gru


@dataclass(frozen=True)
class Caches:
    """What backward needs from forward: the cell, the inputs and each step's cache."""

    cell: ModuleType
    x: np.ndarray  # (N, T, D)
    steps: list  # cell.recur's cache, one per step, each starting with that step's h_prev


def forward(cell, x, states, params):
    """Run `cell` over x (N, T, D) from `states` (zeros when None): (hs, states, caches).

    hs (N, T, H) holds h_t of every step; states are the final states, ready for the next chunk.
    """
    input_dim, units = core.check_params(params, cell.shapes)
    x = validate.array(x, "x", "N T D", D=input_dim)
    batch, steps = x.shape[:2]
    # the input part of every step in one 2-D matmul: (N T, D) @ (D, G H), then (N, T, G H)
    xw = cell.project(x.reshape(batch * steps, input_dim), params).reshape(batch, steps, -1)
    if states is None:
        states = core.zero_states(cell.STATES, batch, units, xw.dtype)
    states = core.check_states(states, cell.STATES, batch, units)
    h_all = np.empty((batch, steps + 1, units), dtype=xw.dtype)  # h_0, h_1, ..., h_T
    h_all[:, 0] = states[0]
    caches = []
    for t in range(steps):
        h, states, cache = cell.recur(xw[:, t], states, params)
        h_all[:, t + 1] = h
        caches.append(cache)
    # copies: a step's cache may hold its h, and a caller may reset the final states in place
    return h_all[:, 1:], tuple(s.copy() for s in states), Caches(cell, x, caches)


def backward(cell, dhs, caches, params, dstates=None, truncate=None):
    """Given dL/dh_t for every t (N, T, H), return (dx, dstates0, grads).

    `dstates` is dL/d(final states) (zeros when None). With `truncate=k` the gradient stops at
    the start of each chunk of k steps (t = k, 2k, ...), as if each chunk were run alone.
    """
    _check_caches(cell, caches, params)
    # from the steps' own caches, not from hs: a caller may change hs in place
    h_prevs = np.stack([step[0] for step in caches.steps], axis=1)  # (N, T, H)
    batch, steps, units = h_prevs.shape
    dhs = validate.array(dhs, "dhs", "N T H", N=batch, T=steps, H=units)
    if dstates is None:
        dstates = core.zero_states(cell.STATES, batch, units, h_prevs.dtype)
    dstates = core.check_states(dstates, cell.STATES, batch, units, name="dstates")
    if truncate is not None:
        truncate = validate.positive_int(truncate, "truncate")
    dxw = np.empty((batch, steps, params["kernel"].shape[1]), dtype=h_prevs.dtype)
    # dL/d(x_t W_xh + b) at every step; for the simple RNN and the LSTM it is also the gradient
    # of h_prev W_hh, but the GRU's candidate sees h_prev W_hh through its reset gate only, so
    # the GRU returns that gradient separately, in an array of its own
    dhw = np.empty_like(dxw) if cell is gru else None
    for t in reversed(range(steps)):
        if truncate is not None and (t + 1) % truncate == 0 and t + 1 < steps:
            # a chunk starts at t + 1: nothing flows back across its start
            dstates = core.zero_states(cell.STATES, batch, units, dxw.dtype)
        dstates = (dstates[0] + dhs[:, t], *dstates[1:])  # h_t feeds the loss and step t+1
        if cell is gru:
            dxw[:, t], dhw[:, t], dstates = gru.recur_backward(dstates, caches.steps[t], params)
        else:
            dxw[:, t], dstates = cell.recur_backward(dstates, caches.steps[t], params)
    # one matmul over all steps
    if cell is gru:
        grads = gru.weight_grads(caches.x, h_prevs, dxw, dhw)
    else:
        grads = core.weight_grads(caches.x, h_prevs, dxw)
    dx = dxw.reshape(batch * steps, -1) @ params["kernel"].T  # (N T, D), one 2-D matmul
    return dx.reshape(caches.x.shape), dstates, grads


def _check_caches(cell, caches, params):
    """Raise unless `caches` came from `forward` with this cell and params of the same shapes."""
    input_dim, units = core.check_params(params, cell.shapes)
    if not isinstance(caches, Caches):
        raise TypeError(f"caches must be what bptt.forward returned; got {type(caches).__name__}")
    if caches.cell is not cell:
        raise ValueError(f"caches come from cell {caches.cell.__name__}; got cell {cell.__name__}")
    cached_units = caches.steps[0][0].shape[1]
    if caches.x.shape[2] != input_dim or cached_units != units:
        raise ValueError(
            f"caches are from a cell with D={caches.x.shape[2]}, H={cached_units}; "
            f"params have D={input_dim}, H={units}"
        )
