"""What the cell modules (rnn, lstm, gru) share: checks, the step wrappers, weight gradients.

A cell is a module with the same names in each: `STATES` (the names of its states), `shapes`,
`init`, `step` and `step_backward` (the contract), and the pieces `bptt` runs fast: `project`
(the input part of every pre-activation, for all steps at once), `recur` and `recur_backward`
(one step given that input part), and `weight_grads`. `bptt` takes the module itself as
`cell`; so do `step` and `step_backward` here, which each cell's own pair calls.
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


def step(cell, x_t, states, params):
    """`cell.step`: check the arguments, then recur on the input part x_t W + b."""
    input_dim, units = check_params(params, cell.shapes)
    x_t = validate.array(x_t, "x_t", "N D", D=input_dim)
    states = check_states(states, cell.STATES, len(x_t), units)
    h, states, cache = cell.recur(cell.project(x_t, params), states, params)
    return h, states, (x_t, cache)


def step_backward(cell, dstates, cache, params):
    """`cell.step_backward`: check the arguments, then back through recur and x_t W + b."""
    input_dim, units = check_params(params, cell.shapes)
    if not isinstance(cache, tuple) or len(cache) != 2 or not isinstance(cache[1], tuple):
        raise ValueError(f"cache must be the cache that step returned; got {type(cache).__name__}")
    x_t = cache[0]
    if x_t.shape[1] != input_dim or cache[1][0].shape[1] != units:
        raise ValueError(
            f"cache is from a cell with D={x_t.shape[1]}, H={cache[1][0].shape[1]}; "
            f"params have D={input_dim}, H={units}"
        )
    dstates = check_states(dstates, cell.STATES, len(x_t), units, name="dstates")
    dxw, dhu, dstates_prev = cell.recur_backward(dstates, cache[1], params)
    grads = cell.weight_grads(x_t, cache[1][0], dxw, dhu)  # cache[1][0] is h_prev
    return dxw @ params["kernel"].T, dstates_prev, grads


def zero_states(names, batch, units, dtype):
    """The usual initial states: all zeros, one (N, H) array per state."""
    return tuple(np.zeros((batch, units), dtype=dtype) for _ in names)


def weight_grads(x, h_prev, dxw, dhu):
    """Gradients of kernel, recurrent_kernel and a bias added to x W, summed over leading axes.

    `dxw` is dL/d(x W + b) and `dhu` is dL/d(h_prev U): for SimpleRNN and LSTM the same array.
    """
    x, h_prev = x.reshape(-1, x.shape[-1]), h_prev.reshape(-1, h_prev.shape[-1])  # (M, D), (M, H)
    dxw, dhu = dxw.reshape(-1, dxw.shape[-1]), dhu.reshape(-1, dhu.shape[-1])  # (M, G H)
    return {"kernel": x.T @ dxw, "recurrent_kernel": h_prev.T @ dhu, "bias": dxw.sum(axis=0)}


def sigmoid(a, out=None):
    """1 / (1 + e^-a) as 0.5 tanh(a / 2) + 0.5: never overflows, keeps float32, one pass of tanh."""
    # activations.sigmoid computes in float64 with two branches; inside the loop of every
    # step this form is the same function about ten times faster
    s = np.multiply(a, 0.5, out=out)
    np.tanh(s, out=s)
    s *= 0.5
    s += 0.5
    return s
