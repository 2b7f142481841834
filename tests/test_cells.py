import numpy as np
import pytest
from messages import naming

from rnnbook import cells
from rnnbook.cells import core, gru, lstm, rnn
from rnnbook.nn import activations, gradcheck

CELLS = [rnn, lstm, gru]
KERAS_CELL = {cell: layer + "Cell" for layer, cell in cells.KERAS_LAYERS.items()}
# (N, D, H): the edge cases N=1, D=1, H=1, then a few drawn at random (fixed by the seed)
SHAPES = [(1, 1, 1), (1, 3, 1), (4, 1, 3), (2, 3, 5)] + [
    tuple(int(n) for n in size) for size in np.random.default_rng(3).integers(1, 9, size=(3, 3))
]
# float32 on both sides: one step, values of order 1, so errors stay near float32's epsilon
TOLERANCE = {np.float64: 1e-9, np.float32: 2e-6}


def name(cell):
    return cell.__name__.split(".")[-1]


def random_params(cell, input_dim, units, rng):
    """Keras-initialised params with random biases, so no gate sits at a special value."""
    params = cell.init(input_dim, units, rng)
    params["bias"] = rng.normal(scale=0.5, size=params["bias"].shape)
    return params


def random_step(cell, batch, input_dim, units, rng):
    x_t = rng.normal(size=(batch, input_dim))
    states = tuple(rng.normal(size=(batch, units)) for _ in cell.STATES)
    return x_t, states, random_params(cell, input_dim, units, rng)


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_init_has_keras_shapes_order_and_initial_values(tf_keras, cell):
    _, keras = tf_keras
    layer = getattr(keras.layers, KERAS_CELL[cell])(5)
    layer.build((None, 3))
    params = cell.init(3, 5, np.random.default_rng(0))
    assert list(params) == ["kernel", "recurrent_kernel", "bias"]
    assert [p.shape for p in params.values()] == [w.shape for w in layer.get_weights()]
    limit = np.sqrt(6 / sum(params["kernel"].shape))
    assert np.all(np.abs(params["kernel"]) <= limit)  # glorot uniform
    recurrent = params["recurrent_kernel"]  # (H, G H) with orthonormal rows
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(5), atol=1e-12)
    expected_bias = np.zeros_like(params["bias"])
    if cell is lstm:
        expected_bias[5:10] = 1.0  # keras' unit_forget_bias
    np.testing.assert_array_equal(params["bias"], expected_bias)
    np.testing.assert_array_equal(params["bias"], layer.get_weights()[2])


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_init_is_reproducible_from_the_generator(cell):
    a = cell.init(4, 3, np.random.default_rng(7))
    b = cell.init(4, 3, np.random.default_rng(7))
    c = cell.init(4, 3, np.random.default_rng(8))
    for key in a:
        np.testing.assert_array_equal(a[key], b[key])
    assert not np.array_equal(a["kernel"], c["kernel"])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_shapes_dtype_and_states(cell, dtype):
    rng = np.random.default_rng(1)
    x_t, states, params = random_step(cell, 4, 3, 5, rng)
    x_t, states = x_t.astype(dtype), tuple(s.astype(dtype) for s in states)
    params = {key: value.astype(dtype) for key, value in params.items()}
    h, new_states, cache = cell.step(x_t, states, params)
    assert h.shape == (4, 5) and h.dtype == dtype
    assert len(new_states) == len(cell.STATES) and new_states[0] is h
    assert all(s.shape == (4, 5) and s.dtype == dtype for s in new_states)
    # h is a tanh, a sigmoid times a tanh, or (GRU) a mix of h_prev and a tanh
    assert np.all(np.abs(h) <= np.maximum(1, np.abs(states[0])))
    dx_t, dstates, grads = cell.step_backward(new_states, cache, params)
    assert dx_t.shape == x_t.shape and dx_t.dtype == dtype
    assert [d.shape for d in dstates] == [s.shape for s in states]
    assert all(grads[key].shape == params[key].shape for key in params)
    assert all(g.dtype == dtype for g in grads.values())


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_and_its_gradients_equal_the_keras_cell(
    tf_keras, cell, shape, dtype, agrees_with_keras
):
    tf, keras = tf_keras
    batch, input_dim, units = shape
    rng = np.random.default_rng(sum(shape))
    x_t, states, params = random_step(cell, batch, input_dim, units, rng)
    x_t, states = x_t.astype(dtype), tuple(s.astype(dtype) for s in states)
    params = {key: value.astype(dtype) for key, value in params.items()}
    dstates = tuple(rng.normal(size=(batch, units)).astype(dtype) for _ in cell.STATES)

    layer = getattr(keras.layers, KERAS_CELL[cell])(units, dtype=np.dtype(dtype).name)
    layer.build((None, input_dim))
    layer.set_weights(list(params.values()))
    x_tf, states_tf = tf.constant(x_t), [tf.constant(s) for s in states]
    with tf.GradientTape() as tape:
        tape.watch([x_tf, *states_tf])
        _, new_states_tf = layer(x_tf, states_tf)
        loss = sum(tf.reduce_sum(s * d) for s, d in zip(new_states_tf, dstates, strict=True))
    expected = tape.gradient(loss, [x_tf, *states_tf, *layer.trainable_weights])

    h, new_states, cache = cell.step(x_t, states, params)
    dx_t, dstates_prev, grads = cell.step_backward(dstates, cache, params)
    ours = [*new_states, dx_t, *dstates_prev, *grads.values()]
    theirs = [s.numpy() for s in new_states_tf] + [g.numpy() for g in expected]
    agrees_with_keras(ours, theirs, TOLERANCE[dtype])


@pytest.mark.parametrize("shape", SHAPES[:5], ids=str)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_backward_passes_the_finite_difference_check(cell, shape):
    batch, input_dim, units = shape
    rng = np.random.default_rng(10 + sum(shape))
    x_t, states, params = random_step(cell, batch, input_dim, units, rng)
    weights = tuple(rng.normal(size=(batch, units)) for _ in cell.STATES)
    state_arrays = dict(zip(cell.STATES, states, strict=True))  # the same arrays, by name

    def loss_fn():
        _, new_states, _ = cell.step(x_t, states, params)
        return sum(np.sum(s * w) for s, w in zip(new_states, weights, strict=True))

    _, _, cache = cell.step(x_t, states, params)
    dx_t, dstates, grads = cell.step_backward(weights, cache, params)
    error = gradcheck.check(
        loss_fn,
        {"x_t": x_t, "states": state_arrays, "params": params},
        {"x_t": dx_t, "states": dict(zip(cell.STATES, dstates, strict=True)), "params": grads},
    )
    print(f"step {name(cell)} {shape}: gradient check relative error {error:.1e}")
    assert error < 1e-7


@pytest.mark.parametrize(
    ("input_dim", "units", "rng", "message"),
    [
        (0, 3, np.random.default_rng(0), "input_dim must be a positive integer; got 0"),
        (3, 2.0, np.random.default_rng(0), "units must be a positive integer; got 2.0"),
        (3, 2, 42, "rng must be a numpy.random.Generator"),
    ],
)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_init_rejects_bad_arguments(cell, input_dim, units, rng, message):
    with pytest.raises((TypeError, ValueError), match=message.replace("(", r"\(")):
        cell.init(input_dim, units, rng)


def replaced(params, key, value):
    return {**params, key: value}


def with_nan(a):
    a = a.copy()
    a.flat[0] = np.nan
    return a


# each case breaks one argument of a step with N=2, D=3, H=4
BAD_STEPS = {
    "x_t of rank 1": (
        lambda x, s, p: (x[0], s, p),
        r"x_t must be \(N, D\) with D=3; got shape \(3,\)",
    ),
    "x_t of the wrong width": (
        lambda x, s, p: (np.ones((2, 5)), s, p),
        r"x_t must be \(N, D\) with D=3; got shape \(2, 5\)",
    ),
    "an empty batch": (
        lambda x, s, p: (x[:0], s, p),
        r"x_t must not be empty; got shape \(0, 3\)",
    ),
    "NaN in x_t": (
        lambda x, s, p: (with_nan(x), s, p),
        "x_t must be finite; it holds 1 NaN or inf",
    ),
    "text in x_t": (
        lambda x, s, p: (np.array([["a"] * 3] * 2), s, p),
        "x_t must hold numbers; got dtype <U1",
    ),
    "states not a tuple": (
        lambda x, s, p: (x, s[0], p),
        r"states must be a tuple \(h(, c)?,?\) of \(N, H\) arrays; got a ndarray",
    ),
    "states of the wrong length": (
        lambda x, s, p: (x, (*s, s[0]), p),
        r"states must be a tuple \(h(, c)?,?\) of \(N, H\) arrays; got a tuple of length [23]",
    ),
    "states of another batch size": (
        lambda x, s, p: (x, (np.ones((3, 4)), *s[1:]), p),
        r"states\[0\] \(h\) must be \(N, H\) with N=2, H=4; got shape \(3, 4\)",
    ),
    "inf in the state": (
        lambda x, s, p: (x, (np.full((2, 4), np.inf), *s[1:]), p),
        r"states\[0\] \(h\) must be finite; it holds 8 NaN or inf",
    ),
    "params without keys": (
        lambda x, s, p: (x, s, {}),
        r"params must be a dict with keys \['kernel', 'recurrent_kernel', 'bias'\]; got \[\]",
    ),
    "a bias of the wrong shape": (
        lambda x, s, p: (x, s, replaced(p, "bias", p["bias"][..., :-1])),
        r"params\['bias'\] must have shape \((2, )?[0-9]+,?\); got \((2, )?[0-9]+,?\)",
    ),
    "NaN in the kernel": (
        lambda x, s, p: (x, s, replaced(p, "kernel", with_nan(p["kernel"]))),
        r"params\['kernel'\] must be finite; it holds 1 NaN or inf",
    ),
}


@pytest.mark.parametrize("case", BAD_STEPS)
@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_rejects_bad_input_with_a_clear_message(cell, case):
    x_t, states, params = random_step(cell, 2, 3, 4, np.random.default_rng(0))
    breaks, message = BAD_STEPS[case]
    with pytest.raises((TypeError, ValueError), match=message):
        cell.step(*breaks(x_t, states, params))


@pytest.mark.parametrize("cell", CELLS, ids=name)
def test_step_backward_rejects_bad_input_with_a_clear_message(cell):
    x_t, states, params = random_step(cell, 2, 3, 4, np.random.default_rng(0))
    h, new_states, cache = cell.step(x_t, states, params)
    with pytest.raises(ValueError, match=naming("dstates[0]", "N=2, H=4")):
        cell.step_backward((np.ones((2, 5)), *new_states[1:]), cache, params)
    with pytest.raises(ValueError, match=r"dstates\[0\] \(h\) must be finite"):
        cell.step_backward((np.full((2, 4), np.nan), *new_states[1:]), cache, params)
    with pytest.raises(ValueError, match=naming("cache", "step", "list")):
        cell.step_backward(new_states, list(cache), params)
    other = random_params(cell, 3, 5, np.random.default_rng(1))
    with pytest.raises(ValueError, match=naming("cache", "D=3, H=4", "D=3, H=5")):
        cell.step_backward(new_states, cache, other)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_gates_sigmoid_is_the_sigmoid_and_keeps_the_dtype(dtype):
    a = np.linspace(-40, 40, 801).astype(dtype)
    s = core.sigmoid(a)
    assert s.dtype == dtype
    # the tanh form loses relative precision in the far negative tail, not absolute precision
    np.testing.assert_allclose(s, activations.sigmoid(a), rtol=0, atol=np.finfo(dtype).eps)
