import copy

import numpy as np
import pytest

from rnnbook.nn import optim


def make_params(rng):
    return {
        "rnn": {"kernel": rng.normal(size=(3, 4)), "bias": rng.normal(size=4)},
        "dense": {"kernel": rng.normal(size=(4, 2))},
    }


def flat(tree):
    """The arrays of a nested dict, depth first, in key order."""
    return [a for v in tree.values() for a in (flat(v) if isinstance(v, dict) else [v])]


def run_against_keras(tf, ours, theirs, steps=6):
    """Apply the same random gradients to our params and to Keras variables; return both."""
    rng = np.random.default_rng(0)
    params = make_params(rng)
    variables = [tf.Variable(p.copy(), dtype=tf.float64) for p in flat(params)]
    for _ in range(steps):
        grads = make_params(rng)
        ours.step(params, grads)
        theirs.apply([tf.constant(g) for g in flat(grads)], variables)
    return flat(params), [v.numpy() for v in variables]


# keras rounds the learning rate, momentum and the betas of beta**t through float32 even for
# float64 variables, so these settings are exact in float32 and the match can be to 1e-12
@pytest.mark.parametrize(
    ("make", "settings"),
    [
        ("SGD", {"learning_rate": 2**-4}),
        ("SGD", {"learning_rate": 2**-3, "momentum": 0.875}),
        ("SGD", {"learning_rate": 2**-5, "momentum": 0.5, "nesterov": True}),
        ("Adam", {"learning_rate": 2**-10, "beta_1": 0.875, "beta_2": 1 - 2**-10}),
        ("Adam", {"learning_rate": 2**-3, "beta_1": 0.5, "beta_2": 0.75, "epsilon": 1e-3}),
    ],
)
def test_optimizers_match_keras_to_1e12(tf_keras, make, settings):
    tf, keras = tf_keras
    ours = getattr(optim, make)(**settings)
    theirs = getattr(keras.optimizers, make)(**settings)
    for a, b in zip(*run_against_keras(tf, ours, theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make", ["SGD", "Adam"])
def test_default_settings_match_keras_up_to_its_float32_rounding(tf_keras, make):
    tf, keras = tf_keras
    settings = {"momentum": 0.9} if make == "SGD" else {}
    ours = getattr(optim, make)(**settings)
    theirs = getattr(keras.optimizers, make)(**settings)
    for a, b in zip(*run_against_keras(tf, ours, theirs), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_step_updates_in_place_and_counts():
    params = {"w": np.array([1.0, 2.0])}
    same = params["w"]
    opt = optim.SGD(learning_rate=0.5)
    opt.step(params, {"w": np.array([1.0, -1.0])})
    assert params["w"] is same and np.array_equal(same, [0.5, 2.5]) and opt.iterations == 1


@pytest.mark.parametrize("max_norm", [0.5, 3.0, 100.0])
def test_clip_by_global_norm_matches_tensorflow(tf_keras, max_norm):
    tf, _ = tf_keras
    grads = make_params(np.random.default_rng(1))
    clipped, norm = optim.clip_by_global_norm(grads, max_norm)
    theirs, their_norm = tf.clip_by_global_norm([tf.constant(g) for g in flat(grads)], max_norm)
    assert norm == pytest.approx(float(their_norm), rel=1e-12)
    assert norm == pytest.approx(optim.global_norm(grads), rel=1e-15)
    for a, b in zip(flat(clipped), theirs, strict=True):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-12)
    assert optim.global_norm(clipped) == pytest.approx(min(norm, max_norm), rel=1e-12)
    assert list(clipped) == list(grads) and list(clipped["rnn"]) == list(grads["rnn"])


def test_clip_by_value_matches_numpy_and_leaves_input_alone():
    grads = {"a": np.array([-3.0, 0.5, 2.0]), "b": {"c": np.array([[4.0]])}}
    clipped = optim.clip_by_value(grads, 1.0)
    assert np.array_equal(clipped["a"], [-1.0, 0.5, 1.0]) and clipped["b"]["c"][0, 0] == 1.0
    assert grads["a"][0] == -3.0


@pytest.mark.parametrize(
    ("params", "grads", "message"),
    [
        (
            {"w": np.zeros(2)},
            {"w": np.zeros(3)},
            r"grads\['w'\] must have the shape .*\(2,\); got \(3,\)",
        ),
        ({"w": np.zeros(2)}, {"v": np.zeros(2)}, r"grads has no grads\['w'\]"),
        ({"w": np.zeros(2)}, {"w": np.zeros(2), "v": np.zeros(1)}, "no parameter"),
        ({"w": np.zeros(2)}, {"w": np.array([np.nan, 0])}, "finite.*diverged"),
        ({"w": np.zeros(2, int)}, {"w": np.zeros(2)}, "float numpy array"),
        ({"w": [0.0, 0.0]}, {"w": np.zeros(2)}, "float numpy array"),
        ({"w": np.zeros(2)}, {"w": np.zeros(2, int)}, "float array"),
        ({}, {}, "non-empty dict"),
        ([np.zeros(2)], {"w": np.zeros(2)}, "got list"),
        ({"m": {}}, {"m": {}}, r"grads\['m'\] must be a non-empty dict"),
    ],
)
@pytest.mark.parametrize("make", [optim.SGD, optim.Adam])
def test_step_rejects_bad_input_and_changes_nothing(make, params, grads, message):
    before = copy.deepcopy(params)
    with pytest.raises((ValueError, TypeError), match=message):
        make().step(params, grads)
    np.testing.assert_equal(params, before)


def test_step_rejects_a_change_of_structure():
    opt = optim.Adam()
    opt.step({"w": np.zeros(2)}, {"w": np.ones(2)})
    with pytest.raises(ValueError, match="same keys between steps"):
        opt.step({"w": np.zeros(2), "b": np.zeros(1)}, {"w": np.ones(2), "b": np.ones(1)})


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: optim.SGD(learning_rate=0), "learning_rate"),
        (lambda: optim.SGD(learning_rate=np.nan), "learning_rate"),
        (lambda: optim.SGD(momentum=1.0), "momentum"),
        (lambda: optim.Adam(learning_rate="0.1"), "learning_rate"),
        (lambda: optim.Adam(beta_1=-0.1), "beta_1"),
        (lambda: optim.Adam(beta_2=1.5), "beta_2"),
        (lambda: optim.Adam(epsilon=0.0), "epsilon"),
        (lambda: optim.clip_by_global_norm({"w": np.ones(1)}, -1.0), "max_norm"),
        (lambda: optim.clip_by_value({"w": np.ones(1)}, True), "limit"),
        (lambda: optim.clip_by_global_norm({"w": np.array([np.inf])}, 1.0), "finite"),
        (lambda: optim.clip_by_value({"w": np.array([np.nan])}, 1.0), "finite"),
        (lambda: optim.global_norm([np.ones(1)]), "dict"),
    ],
)
def test_settings_and_clipping_reject_bad_values(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()
