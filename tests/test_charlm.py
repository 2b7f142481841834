import numpy as np
import pytest
from messages import naming

from rnnbook.models import charlm
from rnnbook.nn import gradcheck, optim

V, E, H = 6, 3, 4  # a tiny model: vocabulary, embedding size, LSTM units


def random_model(embed_dim, rng):
    """Params with random biases, and a batch (inputs, targets, mask) with padding."""
    params = charlm.init(V, embed_dim, H, rng)
    if embed_dim is not None:
        # Keras' +-0.05 would make dL/dkernel tiny, below the rounding noise of the check
        params["embedding"]["embeddings"] = rng.normal(size=(V, embed_dim))
    for layer in params.values():
        if "bias" in layer:
            layer["bias"] = rng.normal(scale=0.5, size=layer["bias"].shape)
    inputs = rng.integers(0, V, size=(3, 5))
    targets = rng.integers(0, V, size=(3, 5))
    mask = np.ones((3, 5), dtype=bool)
    mask[0, 3:] = mask[2, 1:] = False  # padded ends, as vocab.pad_batch makes them
    return params, inputs, targets, mask


@pytest.mark.parametrize("embed_dim", [None, E], ids=["one-hot", "embedding"])
def test_init_has_the_layers_of_the_keras_model(embed_dim):
    params = charlm.init(V, embed_dim, H, np.random.default_rng(0))
    layers = ["rnn", "dense"] if embed_dim is None else ["embedding", "rnn", "dense"]
    assert list(params) == layers
    assert params["rnn"]["kernel"].shape == (embed_dim or V, 4 * H)
    assert params["dense"]["kernel"].shape == (H, V)
    shapes = [w.shape for w in charlm.keras_weights(params)]
    assert shapes[-5:] == [(embed_dim or V, 4 * H), (H, 4 * H), (4 * H,), (H, V), (V,)]


@pytest.mark.parametrize("embed_dim", [None, E], ids=["one-hot", "embedding"])
def test_loss_and_gradients_equal_keras_layers_and_gradient_tape(tf_keras, embed_dim):
    tf, keras = tf_keras
    params, inputs, targets, mask = random_model(embed_dim, np.random.default_rng(1))
    layers = [
        keras.layers.LSTM(H, return_sequences=True, dtype="float64"),
        keras.layers.Dense(V, dtype="float64"),
    ]
    if embed_dim is not None:
        layers.insert(0, keras.layers.Embedding(V, E, dtype="float64"))
    model = keras.Sequential([keras.Input((None,) if embed_dim else (None, V)), *layers])
    model.set_weights(charlm.keras_weights(params))
    model_inputs = inputs if embed_dim else tf.one_hot(inputs, V, dtype="float64")
    with tf.GradientTape() as tape:
        logits = model(model_inputs)
        per_position = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, logits)
        weights = tf.constant(mask, dtype="float64")
        expected_loss = tf.reduce_sum(per_position * weights) / tf.reduce_sum(weights)
    expected = tape.gradient(expected_loss, model.trainable_weights)

    loss, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    assert abs(loss - float(expected_loss)) < 1e-12
    for ours, theirs in zip(charlm.keras_weights(grads), expected, strict=True):
        theirs = tf.convert_to_tensor(theirs).numpy()  # the embedding's arrives as slices
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("embed_dim", [None, E], ids=["one-hot", "embedding"])
def test_loss_and_grads_pass_the_finite_difference_check(embed_dim):
    params, inputs, targets, mask = random_model(embed_dim, np.random.default_rng(2))
    _, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    error = gradcheck.check(
        lambda: charlm.loss_and_grads(inputs, targets, params, mask)[0], params, grads
    )
    print(f"charlm ({embed_dim=}): gradient check relative error {error:.1e}")
    assert error < 1e-7


def test_forward_carries_states_between_chunks():
    params, inputs, _, _ = random_model(E, np.random.default_rng(3))
    logits, states, _ = charlm.forward(inputs, params)
    first, states_after_two, _ = charlm.forward(inputs[:, :2], params)
    rest, final, _ = charlm.forward(inputs[:, 2:], params, states_after_two)
    np.testing.assert_allclose(np.concatenate([first, rest], axis=1), logits, atol=1e-14)
    for a, b in zip(final, states, strict=True):
        np.testing.assert_allclose(a, b, atol=1e-14)


def test_float32_params_give_float32_logits_and_grads():
    params, inputs, targets, mask = random_model(E, np.random.default_rng(4))
    params = {name: {k: w.astype(np.float32) for k, w in p.items()} for name, p in params.items()}
    logits, _, _ = charlm.forward(inputs, params)
    _, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    assert logits.dtype == np.float32
    assert all(g.dtype == np.float32 for g in charlm.keras_weights(grads))


def test_train_step_clips_updates_in_place_and_learns():
    params, inputs, targets, mask = random_model(E, np.random.default_rng(5))
    kernel = params["rnn"]["kernel"]
    _, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    optimizer = optim.Adam(learning_rate=0.05)
    first_loss, norm = charlm.train_step(inputs, targets, params, optimizer, mask, max_norm=0.1)
    assert norm == pytest.approx(optim.global_norm(grads))  # reported before clipping
    assert params["rnn"]["kernel"] is kernel and optimizer.iterations == 1
    for _ in range(40):
        loss, _ = charlm.train_step(inputs, targets, params, optimizer, mask, max_norm=None)
    assert loss < 0.5 * first_loss  # one batch, learnt by heart


@pytest.mark.parametrize(
    ("inputs", "targets", "message"),
    [
        (np.zeros((2, 3)), None, "inputs must be integer ids; got dtype float64"),
        (np.zeros(3, int), None, r"inputs must be \(N, T\); got shape \(3,\)"),
        (np.zeros((2, 0), int), None, "inputs must not be empty; got shape"),
        (np.full((2, 3), V), None, rf"inputs must lie in \[0, {V}\); got {V} to"),
        (np.zeros((2, 3), int), np.zeros((2, 4), int), r"targets must have the shape of inputs"),
        (np.zeros((2, 3), int), np.full((2, 3), -1), r"targets must lie in \[0, 6\)"),
    ],
)
def test_loss_and_grads_reject_bad_ids(inputs, targets, message):
    params = charlm.init(V, E, H, np.random.default_rng(0))
    targets = np.zeros(np.shape(inputs), int) if targets is None else targets
    with pytest.raises((TypeError, ValueError), match=message):
        charlm.loss_and_grads(inputs, targets, params)


def test_bad_params_mask_and_settings_are_rejected():
    rng = np.random.default_rng(0)
    params, inputs, targets, mask = random_model(E, rng)
    with pytest.raises(ValueError, match=naming("params", "charlm.init", "['rnn']")):
        charlm.forward(inputs, {"rnn": params["rnn"]})
    with pytest.raises(ValueError, match="mask must have the shape of targets"):
        charlm.loss_and_grads(inputs, targets, params, mask[:, :2])
    with pytest.raises(ValueError, match=naming("vocab_size", "positive integer", "got 0")):
        charlm.init(0, None, H, rng)
    with pytest.raises(ValueError, match=naming("dim", "positive integer", "-2")):
        charlm.init(V, -2, H, rng)
    with pytest.raises(ValueError, match="max_norm must be a number"):
        charlm.train_step(inputs, targets, params, optim.Adam(), mask, max_norm=-1.0)


def dropout_model(rng, rate=0.4):
    params, inputs, targets, mask = random_model(E, rng)
    masks = charlm.dropout_masks(inputs.shape, E, H, rate, rng)
    return params, inputs, targets, mask, masks


def test_dropout_masks_are_inverted_dropout_and_check_their_rate():
    masks = charlm.dropout_masks((50, 40), 3, 5, 0.25, np.random.default_rng(0))
    assert [m.shape for m in masks] == [(50, 40, 3), (50, 40, 5)]
    for m in masks:
        assert set(np.unique(m)) == {0.0, 1 / 0.75}  # dropped, or kept and scaled up
        assert abs(np.mean(m == 0) - 0.25) < 0.02 and abs(m.mean() - 1) < 0.03
    with pytest.raises(ValueError, match=r"rate must be a number in \[0, 1\); got 1.0"):
        charlm.dropout_masks((2, 3), 3, 5, 1.0, np.random.default_rng(0))


def test_dropout_with_the_same_masks_equals_keras_multiply_layers(tf_keras):
    tf, keras = tf_keras
    params, inputs, targets, mask, masks = dropout_model(np.random.default_rng(4))
    f64 = {"dtype": "float64"}
    ids = keras.Input((None,), dtype="int32")
    m_in, m_out = keras.Input((None, E), **f64), keras.Input((None, H), **f64)
    x = keras.layers.Multiply(**f64)([keras.layers.Embedding(V, E, **f64)(ids), m_in])
    hs = keras.layers.LSTM(H, return_sequences=True, **f64)(x)
    model = keras.Model(
        [ids, m_in, m_out], keras.layers.Dense(V, **f64)(keras.layers.Multiply(**f64)([hs, m_out]))
    )
    model.set_weights(charlm.keras_weights(params))
    with tf.GradientTape() as tape:
        logits = model([inputs, *masks])
        per_position = tf.nn.sparse_softmax_cross_entropy_with_logits(targets, logits)
        weights = tf.constant(mask, dtype="float64")
        expected_loss = tf.reduce_sum(per_position * weights) / tf.reduce_sum(weights)
    expected = tape.gradient(expected_loss, model.trainable_weights)
    loss, grads = charlm.loss_and_grads(inputs, targets, params, mask, dropout=masks)
    assert abs(loss - float(expected_loss)) < 1e-12
    assert abs(loss - charlm.loss_and_grads(inputs, targets, params, mask)[0]) > 1e-3
    for ours, theirs in zip(charlm.keras_weights(grads), expected, strict=True):
        theirs = tf.convert_to_tensor(theirs).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_dropout_gradients_pass_the_finite_difference_check():
    params, inputs, targets, mask, masks = dropout_model(np.random.default_rng(5))
    _, grads = charlm.loss_and_grads(inputs, targets, params, mask, dropout=masks)
    error = gradcheck.check(
        lambda: charlm.loss_and_grads(inputs, targets, params, mask, dropout=masks)[0],
        params,
        grads,
    )
    assert error < 1e-7


def test_weight_decay_is_keras_decoupled_weight_decay(tf_keras):
    tf, keras = tf_keras
    params, inputs, targets, mask = random_model(E, np.random.default_rng(6))
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(V, E, dtype="float64"),
            keras.layers.LSTM(H, return_sequences=True, dtype="float64"),
            keras.layers.Dense(V, dtype="float64"),
        ]
    )
    model.set_weights(charlm.keras_weights(params))
    model.compile(
        optimizer=keras.optimizers.Adam(0.01, global_clipnorm=5.0, weight_decay=0.5),
        loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="mean_with_sample_weight", dtype="float64"
        ),
    )
    optimizer = optim.Adam(0.01)
    for _ in range(3):
        charlm.train_step(inputs, targets, params, optimizer, mask, 5.0, weight_decay=0.5)
        model.train_on_batch(inputs, targets, sample_weight=mask.astype("float64"))
    for ours, theirs in zip(charlm.keras_weights(params), model.get_weights(), strict=True):
        # Keras keeps its learning rate in float32: agreement to 1e-6, while applying the decay
        # after the step instead of before would differ by about lr * lr * decay = 5e-5
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)


def test_bad_dropout_masks_and_weight_decay_are_rejected():
    params, inputs, targets, mask, masks = dropout_model(np.random.default_rng(7))
    with pytest.raises(ValueError, match=naming("output dropout mask", "(3, 5, 4)")):
        charlm.loss_and_grads(inputs, targets, params, mask, dropout=(masks[0], masks[1][:, :2]))
    with pytest.raises(ValueError, match=naming("dropout", "input mask, output mask")):
        charlm.forward(inputs, params, dropout=masks[0])
    with pytest.raises(ValueError, match=naming("weight_decay", "0 or more", "-1")):
        charlm.train_step(inputs, targets, params, optim.Adam(), mask, weight_decay=-1)
