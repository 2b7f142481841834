"""Chapter 6's adding-problem experiment in Keras: the data, the models and one training run.

`scripts/adding_experiment.py` runs `train` for every model, length, seed and learning rate and
stores the results; the chapter calls the same `train` for one of them and gets the same number.
"""

import dataclasses

import numpy as np

from rnnbook import backend, cells, validate
from rnnbook.datasets import adding

LAYERS = list(cells.KERAS_LAYERS)  # the names of Keras' layers, "SimpleRNN", "LSTM", "GRU"


@dataclasses.dataclass(frozen=True)
class Protocol:
    """Everything that decides a result, so the script and the chapter cannot drift apart."""

    n_train: int = 8000  # fresh training sequences per length and seed
    n_val: int = 1000  # for choosing the learning rate
    n_test: int = 2000  # held out, reported
    epochs: int = 20
    batch_size: int = 128
    clipnorm: float = 1.0  # Keras clipnorm: each weight tensor's gradient clipped to norm 1
    learning_rates: tuple = (1e-3, 3e-3, 1e-2)


def data(length, seed, protocol=Protocol()):
    """(x, y) float32 for "train", "val" and "test"; the same for every model at (length, seed)."""
    length = validate.positive_int(length, "length")
    rng = np.random.default_rng([seed, length])
    sizes = {"train": protocol.n_train, "val": protocol.n_val, "test": protocol.n_test}
    out = {}
    for part, n in sizes.items():
        x, y = adding.make(n, length, rng)
        out[part] = (x.astype(np.float32), y.astype(np.float32)[:, None])  # (n, T, 2), (n, 1)
    return out


def build(layer, units, length, keras):
    """keras.Sequential: one recurrent layer of `units` (its last h) and a Dense(1) read-out."""
    if layer not in LAYERS:
        raise ValueError(f"layer must be one of {list(LAYERS)}; got {layer!r}")
    units = validate.positive_int(units, "units")
    return keras.Sequential(
        [
            keras.Input((length, 2)),
            getattr(keras.layers, layer)(units),
            keras.layers.Dense(1),
        ]
    )


def train(layer, units, length, seed, learning_rate, protocol=Protocol()):
    """Train one model; return (model, validation MSE after every epoch, test MSE at the end)."""
    _, keras = backend.load_keras(seed)  # reseeds Keras, so the run depends on `seed` alone
    parts = data(length, seed, protocol)
    model = build(layer, units, length, keras)
    model.compile(keras.optimizers.Adam(learning_rate, clipnorm=protocol.clipnorm), "mse")
    curve = []
    for _ in range(protocol.epochs):
        model.fit(*parts["train"], batch_size=protocol.batch_size, epochs=1, verbose=0)
        curve.append(float(model.evaluate(*parts["val"], batch_size=1000, verbose=0)))
    test = float(model.evaluate(*parts["test"], batch_size=1000, verbose=0))
    return model, curve, test
