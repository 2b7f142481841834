"""How the gradient reaching a recurrent state changes with the lag: ||dL/dh_t|| for t = T, T-1, ...

Works for any cell module of the contract (`rnn`, `lstm`, `gru`) with whatever weights it is
given. The loss reads the last state only, L = sum(h_T * dh_last), so the gradient at step
T - k has travelled back exactly k steps; `norms_by_lag` gives its size at every lag k:

    norms = gradflow.norms_by_lag(rnn, x, dh_last, params)
    norms["h"][:, k]  # ||dL/dh_{T-k}|| for each of the N examples
    gradflow.growth_per_step(norms["h"])  # one factor: < 1 vanishing, > 1 exploding

An LSTM's cell state has its own entry, `norms["c"]`. `step_jacobians` gives the Jacobian of
every single step, state by state, to see which paths carry the gradient. Chapter 5 measures the
simple RNN, the LSTM and the GRU with these functions (at initialisation, with chosen weights),
chapter 6 the trained LSTM and GRU.
"""

import numpy as np

from rnnbook import validate
from rnnbook.cells import core


def state_gradients(cell, x, dh_last, params, states=None):
    """dL/d(every state at every step) for L = sum(h_T * dh_last); x is (N, T, D).

    Returns {state name: (N, T + 1, H) array}; index t on axis 1 is the state after t steps,
    so index 0 is the initial state (zeros when `states` is None) and index T the last one.
    """
    input_dim, units = core.check_params(params, cell.shapes)
    x = validate.array(x, "x", "N T D", D=input_dim)
    batch, steps = x.shape[:2]
    dh_last = validate.array(dh_last, "dh_last", "N H", N=batch, H=units)
    if states is None:
        states = core.zero_states(cell.STATES, batch, units, np.float64)
    caches = []
    for t in range(steps):
        _, states, cache = cell.step(x[:, t], states, params)
        caches.append(cache)
    # the loss reads h_T only: nothing arrives directly at the other final states (an LSTM's c)
    dstates = (dh_last, *(np.zeros_like(s) for s in states[1:]))
    grads = {name: np.empty((batch, steps + 1, units)) for name in cell.STATES}
    for t in reversed(range(steps + 1)):
        for name, d in zip(cell.STATES, dstates, strict=True):
            grads[name][:, t] = d
        if t > 0:
            _, dstates, _ = cell.step_backward(dstates, caches[t - 1], params)
    return grads


def norms_by_lag(cell, x, dh_last, params, states=None):
    """{state name: (N, T + 1) array} whose column k is ||dL/d state_{T-k}|| for each example."""
    grads = state_gradients(cell, x, dh_last, params, states)
    # reverse time, so that column k is k steps back from the loss
    return {name: np.linalg.norm(g[:, ::-1], axis=2) for name, g in grads.items()}


def growth_per_step(norms, skip=0):
    """The factor by which the norm changes per step back, fitted over the lags k >= skip.

    `norms` is (N, K), from `norms_by_lag`. The fit is a least-squares line through the mean
    over examples of log ||dL/dh_{T-k}|| (a geometric mean, so one example cannot dominate),
    and the factor is e to its slope: below 1 the gradient vanishes, above 1 it explodes.
    """
    norms = validate.array(norms, "norms", "N K")
    if np.any(norms < 0):
        raise ValueError("norms must not be negative")
    skip = validate.integer(skip, "skip")
    if norms.shape[1] - skip < 2:
        raise ValueError(f"need at least two lags from skip={skip}; norms has {norms.shape[1]}")
    # a gradient that underflowed to exactly 0 counts as the smallest positive float
    tiny = np.finfo(np.float64).tiny
    log_norms = np.log(np.maximum(norms[:, skip:], tiny)).mean(axis=0)
    slope = np.polyfit(np.arange(skip, norms.shape[1]), log_norms, 1)[0]
    return float(np.exp(slope))


def step_jacobians(cell, x, params, states=None):
    """The Jacobian of every step, state by state: {(out, in): (N, T, H, H) array}.

    For step t (index t - 1 on axis 1), entry [n, t - 1, i, j] of block (out, in) is
    d out_t[i] / d in_{t-1}[j] for example n, with out and in among `cell.STATES`
    (("h",) for the RNN and GRU, ("h", "c") for the LSTM): row i is the output unit, so a
    gradient row vector g at step t sends g @ J back to step t - 1. Computed exactly, by
    running `cell.step_backward` on the H unit vectors of every output state.
    """
    input_dim, units = core.check_params(params, cell.shapes)
    x = validate.array(x, "x", "N T D", D=input_dim)
    batch, steps = x.shape[:2]
    if states is None:
        states = core.zero_states(cell.STATES, batch, units, np.float64)
    blocks = {
        (out, inp): np.empty((batch, steps, units, units))
        for out in cell.STATES
        for inp in cell.STATES
    }
    # row n * H + i of the repeated batch carries the unit vector e_i of example n
    unit_rows = np.tile(np.eye(units), (batch, 1))
    for t in range(steps):
        repeated = tuple(np.repeat(s, units, axis=0) for s in states)
        _, _, cache = cell.step(np.repeat(x[:, t], units, axis=0), repeated, params)
        for k, out in enumerate(cell.STATES):
            seeds = tuple(
                unit_rows if m == k else np.zeros_like(unit_rows) for m in range(len(cell.STATES))
            )
            _, dprev, _ = cell.step_backward(seeds, cache, params)
            for inp, d in zip(cell.STATES, dprev, strict=True):
                blocks[out, inp][:, t] = d.reshape(batch, units, units)
        _, states, _ = cell.step(x[:, t], states, params)
    return blocks
