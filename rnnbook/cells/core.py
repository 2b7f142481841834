"""What the cell modules (rnn, lstm, gru) share: argument checks, zero states, the gates' sigmoid.

Every cell module has the same names: `STATES` (the names of its states), `shapes`, `init`, the
checked one-step pair `step` and `step_backward`, and the unchecked pieces `bptt` runs over a
sequence: `project` (the input part x W_xh + b of every pre-activation, all steps in one matmul),
`recur` (the cell's equations, given that input part), `recur_backward` and `weight_grads`.
"""

import numpy as np

from rnnbook import validate


def check_params(params, shapes, name="params"):
    """Return (D, H) read from `params` after checking it against `shapes(D, H)`, Keras' layout."""
    if isinstance(params, dict) and "kernel" in params and "recurrent_kernel" in params:
        input_dim, units = np.shape(params["kernel"])[0], np.shape(params["recurrent_kernel"])[0]
    else:
        input_dim, units = 0, 0  # validate.params below says what is missing
    validate.params(params, name, shapes(input_dim, units))
    for key, value in params.items():
        validate.array(value, f"{name}[{key!r}]", " ".join("AB"[: np.ndim(value)]))
    return input_dim, units


def check_states(states, names, batch, units, name="states"):
    """Return `states` as a tuple of (N, H) float arrays, one for each of `names`."""
    wanted = "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"
    if not isinstance(states, tuple | list) or len(states) != len(names):
        got = type(states).__name__
        if isinstance(states, tuple | list):
            got += f" of length {len(states)}"
        raise ValueError(f"{name} must be a tuple {wanted} of (N, H) arrays; got a {got}")
    return tuple(
        validate.array(s, f"{name}[{k}] ({names[k]})", "N H", N=batch, H=units)
        for k, s in enumerate(states)
    )


def check_step(x_t, states, params, shapes, state_names):
    """A cell's `step` arguments checked against its `shapes` and `state_names`: (x_t, states)."""
    input_dim, units = check_params(params, shapes)
    x_t = validate.array(x_t, "x_t", "N D", D=input_dim)
    return x_t, check_states(states, state_names, len(x_t), units)


def check_step_backward(dstates, cache, params, shapes, state_names):
    """A cell's `step_backward` arguments checked: dstates as float arrays."""
    input_dim, units = check_params(params, shapes)
    if not isinstance(cache, tuple) or len(cache) != 2 or not isinstance(cache[1], tuple):
        raise ValueError(f"cache must be the cache that step returned; got {type(cache).__name__}")
    x_t, h_prev = cache[0], cache[1][0]  # every cell's recur cache starts with h_prev
    if x_t.shape[1] != input_dim or h_prev.shape[1] != units:
        raise ValueError(
            f"cache is from a cell with D={x_t.shape[1]}, H={h_prev.shape[1]}; "
            f"params have D={input_dim}, H={units}"
        )
    return check_states(dstates, state_names, len(x_t), units, name="dstates")


def project(x, kernel, bias):
    """x W_xh + b for one step (N, D) or all steps at once (N, T, D): the input part of a cell."""
    xw = x @ kernel
    xw += bias  # in place: for all steps at once this array is large
    return xw


def zero_states(names, batch, units, dtype):
    """The usual initial states: all zeros, one (N, H) array per state."""
    return tuple(np.zeros((batch, units), dtype=dtype) for _ in names)


def weight_grads(x, h_prev, da):
    """dL/dparams of a cell whose pre-activations are a = x W_xh + h_prev W_hh + b (rnn, lstm).

    Summed over the leading axes, so one step (N, ...) or all steps at once (N, T, ...).
    """
    x, h_prev = x.reshape(-1, x.shape[-1]), h_prev.reshape(-1, h_prev.shape[-1])  # (M, D), (M, H)
    da = da.reshape(-1, da.shape[-1])  # (M, G H)
    return {"kernel": x.T @ da, "recurrent_kernel": h_prev.T @ da, "bias": da.sum(axis=0)}


def sigmoid(a):
    """The gates' sigmoid, (1 + tanh(a / 2)) / 2: keeps the dtype, never overflows.

    The same function as `activations.sigmoid` to within one float's epsilon (absolute), in
    four passes over `a` instead of about eight. Inside every gate of every step that matters:
    `make bench ARGS="--sigmoid-ablation --repeats 21"` trained the character LSTM 1.13x as
    fast with it as with activations.sigmoid (1.16x per CPU-second; 2 shared cores, float32).
    """
    s = np.multiply(a, 0.5)
    np.tanh(s, out=s)
    s *= 0.5
    s += 0.5
    return s
