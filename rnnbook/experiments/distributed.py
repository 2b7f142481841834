"""Data-parallel training of the surname model (rnnbook.models.charlm) with tf.distribute.

TensorFlow comes in as arguments (`tf, keras = backend.load_keras(...)`), so that importing this
module imports nothing heavy, and a worker process can set TF_CONFIG before TensorFlow starts.
"""

import itertools
import time
from dataclasses import dataclass

import numpy as np

from rnnbook import validate
from rnnbook.datasets import vocab
from rnnbook.experiments import pretrain
from rnnbook.models import charlm, parallel
from rnnbook.nn import optim, tree


@dataclass(frozen=True)
class Setup:
    """One training run: the same numbers give the same batches and initial weights anywhere."""

    units: int = 64  # LSTM units H
    embed_dim: int = 16  # embedding size E
    batch_size: int = 64  # the global batch: names per update, over all replicas together
    steps: int = 10  # SGD updates
    learning_rate: float = 0.5  # plain SGD, so that every replica's update is easy to follow
    seed: int = 0  # initial weights and batch order
    names: int = 4096  # the first training names used


def data(setup):
    """(vocabulary, initial charlm params in float32, batches): x, y, mask (N, T) per step."""
    train_names, _ = pretrain.split_names()
    chars = vocab.Vocab.build(train_names)
    rng = np.random.default_rng(setup.seed)
    params = charlm.init(len(chars), setup.embed_dim, setup.units, rng)
    params = {layer: {k: w.astype(np.float32) for k, w in p.items()} for layer, p in params.items()}
    encoded = [chars.encode(name, boundaries=True) for name in train_names[: setup.names]]
    width = max(len(e) for e in encoded)  # every batch padded to one width: one traced graph
    batches = []
    for ids, mask in itertools.islice(
        vocab.batches(encoded, setup.batch_size, rng, drop_last=True), setup.steps
    ):
        extra = ((0, 0), (0, width - ids.shape[1]))
        ids, mask = np.pad(ids, extra, constant_values=chars.pad_id), np.pad(mask, extra)
        batches.append((ids[:, :-1], ids[:, 1:], mask[:, 1:]))
    if len(batches) < setup.steps:
        raise ValueError(
            f"{setup.names} names give only {len(batches)} batches; need {setup.steps}"
        )
    return chars, params, batches


def numpy_sgd(setup):
    """The same run in NumPy, in float64 (the reference): (losses per step, final params)."""
    _, params32, batches = data(setup)
    params = {
        layer: {k: w.astype(np.float64) for k, w in p.items()} for layer, p in params32.items()
    }
    sgd, losses = optim.SGD(setup.learning_rate), []
    for inputs, targets, mask in batches:
        loss, grads = charlm.loss_and_grads(inputs, targets, params, mask)
        sgd.step(params, grads)
        losses.append(loss)
    return np.array(losses), params


def split_cpu(tf, count):
    """Make `count` logical CPU devices; only possible before TensorFlow has run anything."""
    count = validate.positive_int(count, "count")
    cpu = tf.config.list_physical_devices("CPU")[0]
    try:
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(count)]
        )
    except RuntimeError as err:
        found = len(tf.config.list_logical_devices("CPU"))
        if found == count:
            return  # already split this way (a cell run twice)
        raise RuntimeError(
            f"cannot split the CPU into {count} devices: TensorFlow has already started with "
            f"{found}; split it before creating any tensor, model or strategy"
        ) from err


def devices(tf, count):
    """Names of `count` devices for MirroredStrategy: GPUs if there are enough, else CPUs."""
    count = validate.positive_int(count, "count")
    gpus = tf.config.list_logical_devices("GPU")
    found = gpus if len(gpus) >= count else tf.config.list_logical_devices("CPU")
    if len(found) < count:
        raise ValueError(f"{count} devices wanted; found {len(found)} (call split_cpu first)")
    return [d.name for d in found[:count]]


def mirrored(tf, count):
    """MirroredStrategy over `count` devices, or the default strategy for one device.

    The gradients are summed on one device and copied back (ReductionToOneDevice): strategies
    built one after another in one process must not use collective all-reduces, which share
    their group keys across strategies (TensorFlow issue 61314).
    """
    if count == 1:
        return tf.distribute.get_strategy()
    return tf.distribute.MirroredStrategy(
        devices(tf, count), cross_device_ops=tf.distribute.ReductionToOneDevice()
    )


def keras_model(keras, params, mask_zero=False):
    """keras.Sequential with charlm's layers, holding a copy of params; build it in scope().

    mask_zero=True makes Keras mask the pad id 0 itself (the usual recipe `fit_step` follows).
    """
    vocab_size, embed_dim = params["embedding"]["embeddings"].shape
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, embed_dim, mask_zero=mask_zero),
            keras.layers.LSTM(params["rnn"]["recurrent_kernel"].shape[0], return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    model.set_weights(charlm.keras_weights(params))
    return model


def weights(model, like):
    """The model's weights as charlm params shaped like `like` (NumPy arrays)."""
    return tree.from_keras_weights(model.get_weights(), like)


class Trainer:
    """SGD on a Keras charlm under a tf.distribute strategy, one global batch per `step`.

    Replica r of K gets the rows parallel.shard_rows(N, K)[r] of each batch (the shards of the
    NumPy version). Each replica's loss is its sum of token losses divided by the number of
    targets in the whole global batch, and the optimizer sums the replicas' gradients (the
    all-reduce), so the update is the full batch's mean gradient whatever the shards hold.
    """

    def __init__(self, tf, keras, strategy, params, learning_rate):
        self.tf, self.strategy = tf, strategy
        self.replicas = strategy.num_replicas_in_sync
        with strategy.scope():
            self.model = keras_model(keras, params)
            self.optimizer = keras.optimizers.SGD(learning_rate)
            self.optimizer.build(self.model.trainable_variables)
        loss_fn = keras.losses.sparse_categorical_crossentropy

        def replica_step(x, y, m, tokens):
            with tf.GradientTape() as tape:
                logits = self.model(x, training=True)  # (n, T, V): this replica's rows only
                token_losses = loss_fn(y, logits, from_logits=True)  # (n, T)
                loss = tf.reduce_sum(token_losses * m) / tokens
            grads = tape.gradient(loss, self.model.trainable_variables)
            # under a strategy, apply_gradients first sums grads over all replicas
            self.optimizer.apply_gradients(zip(grads, self.model.trainable_variables, strict=True))
            return loss

        spec = tf.TensorSpec([None, None], tf.int32)

        @tf.function(
            input_signature=[spec, spec, tf.TensorSpec([None, None], tf.float32), tf.TensorSpec([])]
        )
        def one_replica(x, y, m, tokens):  # traced once for any N and T
            return replica_step(x, y, m, tokens)

        @tf.function
        def distributed(x, y, m, tokens):
            losses = strategy.run(replica_step, args=(x, y, m, tokens))
            return strategy.reduce("SUM", losses, axis=None)

        self._step = one_replica if self.replicas == 1 else distributed

    def _shards(self, array, dtype):
        rows = parallel.shard_rows(len(array), self.replicas)
        return self.strategy.experimental_distribute_values_from_function(
            lambda ctx: self.tf.constant(array[rows[ctx.replica_id_in_sync_group]], dtype)
        )

    def step(self, x, y, m):
        """One update from the global batch x, y, m (N, T); returns the batch's mean loss."""
        tokens = self.tf.constant(float(np.sum(m)))
        if self.replicas == 1:
            args = (x.astype(np.int32), y.astype(np.int32), m.astype(np.float32), tokens)
        else:
            tf = self.tf
            args = (
                self._shards(x, tf.int32),
                self._shards(y, tf.int32),
                self._shards(m, tf.float32),
                tokens,
            )
        return float(self._step(*args))


def train(tf, keras, strategy, setup):
    """Train `setup` under `strategy`: (losses per step, final weights as charlm params)."""
    _, params, batches = data(setup)
    trainer = Trainer(tf, keras, strategy, params, setup.learning_rate)
    losses = [trainer.step(*batch) for batch in batches]
    return np.array(losses), weights(trainer.model, params)


def fit_step(tf, keras, strategy, params, x, y, m, learning_rate, global_weights=False):
    """One SGD update by keras `model.fit` under `strategy`, the loss masked by Keras itself.

    The usual recipe: `Embedding(mask_zero=True)` (the inputs carry the pad id 0 wherever m is
    0, so that Keras's mask is m) and the built-in loss, which under a strategy divides each
    replica's sum by that replica's own number of targets and scales by 1/K.
    global_weights=True is the cure: the loss is a plain sum (reduction="sum", which Keras
    neither divides by a count nor scales by 1/K) of the token losses weighted by m / M, M the
    global batch's number of targets, so that the summed replicas' gradients are the full
    batch's. Returns the weights after the update as charlm params (NumPy arrays).
    """
    m = np.asarray(m)
    if m.shape != np.shape(x) or m.shape != np.shape(y):
        raise ValueError(
            f"x, y and m must have one shape; got {np.shape(x)}, {np.shape(y)}, {m.shape}"
        )
    reduction = "sum" if global_weights else "sum_over_batch_size"
    with strategy.scope():
        model = keras_model(keras, params, mask_zero=True)
        model.compile(
            keras.optimizers.SGD(learning_rate),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=reduction),
        )
    inputs = np.where(m > 0, x, 0).astype(np.int32)  # pad id 0 wherever there is no target
    weights_m = (m / m.sum()).astype(np.float32) if global_weights else None
    model.fit(
        inputs, y.astype(np.int32), sample_weight=weights_m,
        batch_size=len(x), epochs=1, shuffle=False, verbose=0,
    )  # fmt: skip
    return weights(model, params)


def seconds_per_step(trainers, batch, repeats, rounds=3):
    """Seconds per step of each trainer: the fastest of `rounds` turns of `repeats` steps.

    The trainers take turns, so that other programs' load hits all of them alike; the fastest
    turn is the one least disturbed by them.
    """
    repeats = validate.positive_int(repeats, "repeats")
    times = {name: [] for name in trainers}
    for trainer in trainers.values():
        trainer.step(*batch)  # trace and warm up outside the clock
    for _ in range(validate.positive_int(rounds, "rounds")):
        for name, trainer in trainers.items():
            start = time.perf_counter()
            for _ in range(repeats):
                trainer.step(*batch)
            times[name].append((time.perf_counter() - start) / repeats)
    return {name: float(np.min(t)) for name, t in times.items()}


def all_reduce_seconds(tf, strategy, size, repeats=20):
    """Seconds for one sum over all replicas of a float32 vector of `size` values (fastest try)."""
    size = validate.positive_int(size, "size")
    values = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.fill([size], float(ctx.replica_id_in_sync_group + 1))
    )

    @tf.function
    def reduce(values):
        def replica(v):
            return tf.distribute.get_replica_context().all_reduce("SUM", v)

        return strategy.run(replica, args=(values,))

    reduce(values)  # trace outside the clock
    times = []
    for _ in range(validate.positive_int(repeats, "repeats")):
        start = time.perf_counter()
        out = reduce(values)
        float(strategy.experimental_local_results(out)[0][0])  # wait for the result
        times.append(time.perf_counter() - start)
    return float(np.min(times))
