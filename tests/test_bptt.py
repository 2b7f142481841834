import numpy as np
import pytest
from messages import naming

from rnnbook import cells
from rnnbook.cells import bptt, gru, lstm, rnn
from rnnbook.nn import gradcheck

CELLS = [rnn, lstm, gru]
KERAS_LAYER = {cell: layer for layer, cell in cells.KERAS_LAYERS.items()}
# (N, T, D, H): the edge cases T=1, N=1, H=1, then a few drawn at random (fixed by the seed)
SHAPES = [(1, 1, 1, 1), (3, 1, 2, 4), (1, 6, 3, 1), (2, 5, 3, 4)] + [
    tuple(int(n) for n in size) for size in np.random.default_rng(5).integers(1, 9, size=(3, 4))
]
# float32 on both sides; errors grow a little with every step of the sequence
TOLERANCE = {np.float64: 1e-9, np.float32: 1e-5}


def name(cell):
    return cell.__name__.split(".")[-1]


def random_problem(cell, shape, rng):
    """Params with random biases, inputs, initial states and upstream gradients of a shape."""
    batch, steps, input_dim, units = shape
    params = cell.init(input_dim, units, rng)
    params["bias"] = rng.normal(scale=0.5, size=params["bias"].shape)
    x = rng.normal(size=(batch, steps, input_dim))
    states = tuple(rng.normal(size=(batch, units)) for _ in cell.STATES)
    dhs = rng.normal(size=(batch, steps, units))
    dstates = tuple(rng.normal(size=(batch, units)) for _ in cell.STATES)
    return params, x, states, dhs, dstates


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_forward_is_the_step_loop_and_none_means_zero_states(cell):
    params, x, states, _, _ = random_problem(cell, (3, 4, 2, 5), np.random.default_rng(0))
    hs, final, _ = bptt.forward(cell, x, states, params)
    assert hs.shape == (3, 4, 5) and len(final) == len(cell.STATES)
    loop_states = states
    for t in range(4):
        h, loop_states, _ = cell.step(x[:, t], loop_states, params)
        np.testing.assert_array_equal(hs[:, t], h)
    for a, b in zip(final, loop_states, strict=True):
        np.testing.assert_array_equal(a, b)
    zeros = tuple(np.zeros((3, 5)) for _ in cell.STATES)
    np.testing.assert_array_equal(
        bptt.forward(cell, x, None, params)[0], bptt.forward(cell, x, zeros, params)[0]
    )


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_backward_does_not_depend_on_what_the_caller_does_to_the_outputs(cell):
    params, x, states, dhs, _ = random_problem(cell, (2, 4, 3, 5), np.random.default_rng(6))
    hs, final, caches = bptt.forward(cell, x, states, params)
    expected = bptt.backward(cell, dhs, caches, params)
    hs[:, 1:] = 0.0  # e.g. zeroing padded steps in place
    for state in final:
        state[:] = 0.0  # e.g. resetting the states for the next sequence
    grads = bptt.backward(cell, dhs, caches, params)[2]
    for a, b in zip(grads.values(), expected[2].values(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_float32_stays_float32(cell):
    params, x, states, dhs, _ = random_problem(cell, (2, 3, 2, 4), np.random.default_rng(0))
    params = {key: value.astype(np.float32) for key, value in params.items()}
    hs, final, caches = bptt.forward(cell, x.astype(np.float32), None, params)
    dx, dstates0, grads = bptt.backward(cell, dhs.astype(np.float32), caches, params)
    arrays = [hs, *final, dx, *dstates0, *grads.values()]
    assert all(a.dtype == np.float32 for a in arrays)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_forward_and_backward_equal_the_keras_layer(
    tf_keras, cell, shape, dtype, agrees_with_keras
):
    tf, keras = tf_keras
    params, x, states, dhs, dstates = random_problem(cell, shape, np.random.default_rng(sum(shape)))
    params = {key: value.astype(dtype) for key, value in params.items()}
    x, dhs = x.astype(dtype), dhs.astype(dtype)
    states, dstates = (tuple(s.astype(dtype) for s in group) for group in (states, dstates))

    layer = getattr(keras.layers, KERAS_LAYER[cell])(
        shape[3], return_sequences=True, return_state=True, dtype=np.dtype(dtype).name
    )
    layer.build(x.shape)
    layer.set_weights(list(params.values()))
    x_tf, states_tf = tf.constant(x), [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_tf, *states_tf])
        hs_tf, *final_tf = layer(x_tf, initial_state=states_tf)
        loss = tf.reduce_sum(hs_tf * dhs)
        loss += sum(tf.reduce_sum(s * d) for s, d in zip(final_tf, dstates, strict=True))
    expected = tape.gradient(loss, [x_tf, *states_tf, *layer.trainable_weights])

    hs, final, caches = bptt.forward(cell, x, states, params)
    dx, dstates0, grads = bptt.backward(cell, dhs, caches, params, dstates)
    ours = [hs, *final, dx, *dstates0, *grads.values()]
    theirs = [hs_tf.numpy()] + [s.numpy() for s in final_tf] + [g.numpy() for g in expected]
    agrees_with_keras(ours, theirs, TOLERANCE[dtype])


@pytest.mark.parametrize("shape", SHAPES[:4], ids=str)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_backward_passes_the_finite_difference_check(cell, shape):
    params, x, states, dhs, dstates = random_problem(cell, shape, np.random.default_rng(1))

    def loss_fn():
        hs, final, _ = bptt.forward(cell, x, states, params)
        return np.sum(hs * dhs) + sum(np.sum(s * d) for s, d in zip(final, dstates, strict=True))

    _, _, caches = bptt.forward(cell, x, states, params)
    dx, dstates0, grads = bptt.backward(cell, dhs, caches, params, dstates)
    error = gradcheck.check(
        loss_fn,
        {"x": x, "states": dict(zip(cell.STATES, states, strict=True)), "params": params},
        {"x": dx, "states": dict(zip(cell.STATES, dstates0, strict=True)), "params": grads},
    )
    print(f"bptt {name(cell)} {shape}: gradient check relative error {error:.1e}")
    assert error < 1e-7


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_truncation_at_or_beyond_the_length_is_full_bptt(cell):
    params, x, states, dhs, dstates = random_problem(cell, (2, 5, 3, 4), np.random.default_rng(2))
    _, _, caches = bptt.forward(cell, x, states, params)
    full = bptt.backward(cell, dhs, caches, params, dstates)
    for k in (5, 6, 100):
        truncated = bptt.backward(cell, dhs, caches, params, dstates, truncate=k)
        np.testing.assert_array_equal(truncated[0], full[0])
        for key in params:
            np.testing.assert_array_equal(truncated[2][key], full[2][key])


@pytest.mark.parametrize("k", [1, 2, 3])
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_truncation_equals_chunks_that_carry_the_state(cell, k):
    params, x, states, dhs, dstates = random_problem(cell, (2, 7, 3, 4), np.random.default_rng(3))
    hs, final, caches = bptt.forward(cell, x, states, params)
    dx, dstates0, grads = bptt.backward(cell, dhs, caches, params, dstates, truncate=k)

    chunk_states, chunk_dx, chunk_grads, chunk_dstates0 = states, [], [], None
    for start in range(0, 7, k):
        part = slice(start, start + k)
        chunk_hs, chunk_states, chunk_caches = bptt.forward(cell, x[:, part], chunk_states, params)
        np.testing.assert_allclose(chunk_hs, hs[:, part], rtol=0, atol=1e-15)
        last = start + k >= 7  # only the last chunk sees the gradient at the final states
        d = bptt.backward(cell, dhs[:, part], chunk_caches, params, dstates if last else None)
        chunk_dx.append(d[0])
        chunk_grads.append(d[2])
        chunk_dstates0 = chunk_dstates0 or d[1]
    for a, b in zip(final, chunk_states, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)
    np.testing.assert_allclose(dx, np.concatenate(chunk_dx, axis=1), rtol=1e-12, atol=1e-14)
    for a, b in zip(dstates0, chunk_dstates0, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    for key in params:
        total = sum(g[key] for g in chunk_grads)
        np.testing.assert_allclose(grads[key], total, rtol=1e-12, atol=1e-14)
    if k < 7:  # and the cut does change the gradient
        full = bptt.backward(cell, dhs, caches, params, dstates)
        assert not np.allclose(full[2]["recurrent_kernel"], grads["recurrent_kernel"])


def test_truncation_one_on_the_simple_rnn_is_one_step_of_backprop():
    params, x, states, dhs, _ = random_problem(rnn, (2, 4, 3, 5), np.random.default_rng(4))
    hs, _, caches = bptt.forward(rnn, x, states, params)
    _, _, grads = bptt.backward(rnn, dhs, caches, params, truncate=1)
    h_prevs = np.concatenate([states[0][:, None], hs[:, :-1]], axis=1)  # (N, T, H)
    da = dhs * (1 - hs**2)  # nothing flows in from later steps
    expected = np.einsum("nth,ntk->hk", h_prevs, da)
    np.testing.assert_allclose(grads["recurrent_kernel"], expected, rtol=1e-12, atol=1e-14)


BAD_FORWARD = {
    "x of rank 2": (
        lambda x, s, p: (x[:, 0], s, p),
        r"x must be \(N, T, D\) with D=3; got shape \(2, 3\)",
    ),
    "x of the wrong width": (
        lambda x, s, p: (x[..., :2], s, p),
        r"x must be \(N, T, D\) with D=3; got shape \(2, 4, 2\)",
    ),
    "an empty sequence": (
        lambda x, s, p: (x[:, :0], s, p),
        r"x must not be empty; got shape \(2, 0, 3\)",
    ),
    "NaN in x": (
        lambda x, s, p: (np.where(x > 1, np.nan, x), s, p),
        r"x must be finite; it holds \d+ NaN or inf",
    ),
    "states of another batch size": (
        lambda x, s, p: (x, tuple(a[:1] for a in s), p),
        r"states\[0\] \(h\) must be \(N, H\) with N=2, H=5; got shape \(1, 5\)",
    ),
    "states as one array": (
        lambda x, s, p: (x, s[0], p),
        r"states must be a tuple \(h(, c)?,?\) of \(N, H\) arrays; got a ndarray",
    ),
    "inf in the recurrent kernel": (
        lambda x, s, p: (x, s, {**p, "recurrent_kernel": p["recurrent_kernel"] * np.inf}),
        r"params\['recurrent_kernel'\] must be finite; it holds \d+ NaN or inf",
    ),
    "a recurrent kernel cut short": (
        lambda x, s, p: (x, s, {**p, "recurrent_kernel": p["recurrent_kernel"][:, :4]}),
        r"params\['recurrent_kernel'\] must have shape \(5, \d+\); got \(5, 4\)",
    ),
}


@pytest.mark.parametrize("case", BAD_FORWARD)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_forward_rejects_bad_input_with_a_clear_message(cell, case):
    params, x, states, _, _ = random_problem(cell, (2, 4, 3, 5), np.random.default_rng(0))
    breaks, message = BAD_FORWARD[case]
    with pytest.raises((TypeError, ValueError), match=message):
        bptt.forward(cell, *breaks(x, states, params))


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_backward_rejects_bad_input_with_a_clear_message(cell):
    params, x, states, dhs, dstates = random_problem(cell, (2, 4, 3, 5), np.random.default_rng(0))
    _, _, caches = bptt.forward(cell, x, states, params)
    with pytest.raises(ValueError, match=naming("dhs", "N=2, T=4, H=5")):
        bptt.backward(cell, dhs[:, :3], caches, params)
    dhs[1, 2, 3] = np.inf
    with pytest.raises(ValueError, match=naming("dhs", "finite", "1 NaN or inf")):
        bptt.backward(cell, dhs, caches, params)
    dhs[1, 2, 3] = 0.0
    with pytest.raises(ValueError, match=naming("dstates[0]", "N=2, H=5")):
        bptt.backward(cell, dhs, caches, params, tuple(d.T for d in dstates))
    with pytest.raises(TypeError, match=naming("caches", "bptt.forward", "list")):
        bptt.backward(cell, dhs, caches.steps, params)
    other = gru if cell is lstm else lstm
    with pytest.raises(ValueError, match=f"caches come from cell {cell.__name__}; got cell"):
        bptt.backward(other, dhs, caches, other.init(3, 5, np.random.default_rng(0)))
    wider = cell.init(3, 6, np.random.default_rng(0))
    with pytest.raises(ValueError, match=naming("caches", "D=3, H=5")):
        bptt.backward(cell, dhs, caches, wider)
    with pytest.raises(ValueError, match=naming("truncate", "positive integer", "got 0")):
        bptt.backward(cell, dhs, caches, params, truncate=0)
