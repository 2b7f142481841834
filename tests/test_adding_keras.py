"""The adding-problem experiment's protocol: data, models, and a reproducible training run."""

import dataclasses

import numpy as np
import pytest

from rnnbook.experiments import adding_keras

SMALL = adding_keras.Protocol(n_train=64, n_val=32, n_test=32, epochs=2, batch_size=32)


def test_data_shapes_types_and_targets():
    parts = adding_keras.data(12, seed=3, protocol=SMALL)
    assert list(parts) == ["train", "val", "test"]
    for name, n in [("train", 64), ("val", 32), ("test", 32)]:
        x, y = parts[name]
        assert x.shape == (n, 12, 2) and y.shape == (n, 1)
        assert x.dtype == np.float32 and y.dtype == np.float32
        assert np.all(x[:, :, 1].sum(axis=1) == 2)  # two markers per sequence
        marked = (x[:, :, 0] * x[:, :, 1]).sum(axis=1)
        assert np.allclose(marked, y[:, 0], atol=1e-6)  # the sum of the marked numbers


def test_data_depends_on_length_and_seed_only():
    a = adding_keras.data(10, seed=0, protocol=SMALL)
    b = adding_keras.data(10, seed=0, protocol=SMALL)
    c = adding_keras.data(10, seed=1, protocol=SMALL)
    assert np.array_equal(a["test"][0], b["test"][0])
    assert not np.array_equal(a["test"][0], c["test"][0])
    assert not np.array_equal(a["train"][0][:32], a["val"][0])  # the parts are different draws


@pytest.mark.parametrize(
    ("layer", "units", "count"),
    [("SimpleRNN", 32, 1153), ("SimpleRNN", 64, 4353), ("LSTM", 32, 4513), ("GRU", 32, 3489)],
)
def test_build_has_the_counted_parameters(keras, layer, units, count):
    assert adding_keras.build(layer, units, 25, keras).count_params() == count


def test_build_rejects_unknown_layers_and_sizes(keras):
    with pytest.raises(ValueError, match="layer must be one of"):
        adding_keras.build("Transformer", 8, 10, keras)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        adding_keras.build("LSTM", 0, 10, keras)


def test_train_is_reproducible_and_reports_every_epoch():
    def run(seed):
        return adding_keras.train("GRU", 4, 10, seed=seed, learning_rate=0.01, protocol=SMALL)

    _, curve_a, test_a = run(0)
    _, curve_b, test_b = run(0)
    _, curve_c, _ = run(1)
    assert len(curve_a) == SMALL.epochs
    assert curve_a == curve_b and test_a == test_b  # seeded and deterministic
    assert curve_a != curve_c


def test_protocol_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        adding_keras.Protocol().epochs = 1
