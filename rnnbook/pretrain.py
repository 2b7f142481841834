"""Train the book's best surname model, in NumPy and in Keras, and save both weights.

    python -m rnnbook.pretrain            # a few minutes of CPU; writes data/charlm_surnames.npz

Both frameworks train the same model (rnnbook.charlm: embedding, LSTM, dense) from the same
initial weights on the same batches with the same schedule (Adam, gradients clipped to global
norm 5). A slice of the training names is set aside for validation: after every epoch the
weights are kept if they are the best so far there, and the held-out names are scored once, at
the end. The file holds only arrays (no pickle): `load()` reads it back.
"""

import argparse
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnnbook import charlm, generate, optim, surnames, validate
from rnnbook import vocab as vocabulary

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "charlm_surnames.npz"
SPLIT_SEED = 0  # the book's one split of the surnames into training and held-out names
HELD_OUT = 0.1  # fraction of all names held out
VALIDATION = 0.05  # fraction of the training names set aside to choose the epoch
FRAMEWORKS = ("numpy", "keras")


@dataclass(frozen=True)
class Config:
    """How the model is built and trained."""

    units: int = 256  # LSTM units H
    embed_dim: int = 32  # embedding size E
    batch_size: int = 64  # names per update
    epochs: int = 5  # passes over the training names
    learning_rate: float = 3e-3  # Adam's step size for the first epochs
    constant_epochs: int = 3  # epochs at the full learning rate; after them it is
    decay: float = 0.3  # multiplied by `decay` every epoch
    max_norm: float = 5.0  # gradients are clipped to this global norm
    seed: int = 0  # initial weights and batch order
    limit: int = 0  # train on only the first `limit` training names (0: all); for quick tests


def split_names():
    """The book's split of the 88,799 surnames: (training names, held-out names), 90/10."""
    return surnames.split(surnames.load(), HELD_OUT, rng=np.random.default_rng(SPLIT_SEED))


def learning_rate(config, epoch):
    """The step size in epoch `epoch` (0-based): constant, then decaying geometrically."""
    return config.learning_rate * config.decay ** max(0, epoch + 1 - config.constant_epochs)


def _keras_model(tf, keras, vocab_size, config, params):
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, config.embed_dim),
            keras.layers.LSTM(config.units, return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    model.set_weights(charlm.keras_weights(params))
    model.compile(
        optimizer=keras.optimizers.Adam(config.learning_rate, global_clipnorm=config.max_norm),
        loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="mean_with_sample_weight"
        ),
    )
    return model


def _from_keras(weights, like):
    """charlm params with the structure of `like`, filled from Keras' get_weights() list."""
    weights = iter(weights)
    return {layer: {k: np.array(next(weights)) for k in p} for layer, p in like.items()}


def train(config, framework, chars, train_names, valid_names, log=print):
    """Train one model on train_names; returns (params of its best epoch, info dict)."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {FRAMEWORKS}; got {framework!r}")
    encoded = [chars.encode(name, boundaries=True) for name in train_names]
    params = charlm.init(
        len(chars), config.units, np.random.default_rng(config.seed), config.embed_dim
    )
    params = {layer: {k: w.astype(np.float32) for k, w in p.items()} for layer, p in params.items()}
    if framework == "keras":
        from rnnbook import backend

        tf, keras = backend.load_keras(config.seed)
        model = _keras_model(tf, keras, len(chars), config, params)
    else:
        optimizer = optim.Adam(config.learning_rate)
    batch_rng = np.random.default_rng(config.seed + 1)
    best, best_score, best_epoch = None, np.inf, -1
    history = {"epoch_training_loss": [], "epoch_validation": []}
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    for epoch in range(config.epochs):
        rate = learning_rate(config, epoch)
        if framework == "keras":
            model.optimizer.learning_rate.assign(rate)
        else:
            optimizer.learning_rate = rate
        losses = []
        for ids, mask in vocabulary.batches(encoded, config.batch_size, batch_rng):
            inputs, targets, weights = ids[:, :-1], ids[:, 1:], mask[:, 1:]
            if framework == "keras":
                loss = model.train_on_batch(
                    inputs, targets, sample_weight=weights.astype(np.float32)
                )
            else:
                loss, _ = charlm.train_step(
                    params, optimizer, inputs, targets, weights, config.max_norm
                )
            losses.append(float(loss))
        if framework == "keras":
            params = _from_keras(model.get_weights(), params)
        score = generate.nats_per_char(params, chars, valid_names)
        history["epoch_training_loss"].append(float(np.mean(losses)))
        history["epoch_validation"].append(score)
        if score < best_score:
            best, best_score, best_epoch = _copy(params), score, epoch
        log(
            f"{framework} epoch {epoch + 1}/{config.epochs}: learning rate {rate:.2g}, "
            f"training loss {np.mean(losses):.4f}, validation {score:.4f} nats/char "
            f"({time.perf_counter() - start_wall:.0f} s)"
        )
    info = {
        "best_validation": best_score,
        "best_epoch": best_epoch + 1,
        "seconds": time.perf_counter() - start_wall,
        "cpu_seconds": time.process_time() - start_cpu,
        **{key: np.array(values) for key, values in history.items()},  # one value per epoch
    }
    return best, info


def _copy(params):
    return {layer: {k: w.copy() for k, w in p.items()} for layer, p in params.items()}


def save(path, models, chars, config, info):
    """Write models {framework: params}, the vocabulary, the config and info as plain arrays."""
    arrays = {"symbols": np.array(chars.symbols[3:], dtype=str)}  # after <pad>, <s>, </s>
    for framework, params in models.items():
        for layer, p in params.items():
            for key, w in p.items():
                arrays[f"{framework}/{layer}/{key}"] = w
    for key, value in asdict(config).items():
        arrays[f"config/{key}"] = np.array(value)
    for key, value in info.items():
        arrays[f"info/{key}"] = np.array(value)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


def load(path=MODEL_PATH):
    """(models {framework: params}, vocab, config, info) from a file written by `save`."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no pre-trained model at {path}; run: python -m rnnbook.pretrain")
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    chars = vocabulary.Vocab([str(s) for s in arrays.pop("symbols")])
    models, settings, info = {}, {}, {}
    for key, value in arrays.items():
        kind, *rest = key.split("/")
        if kind == "config":
            settings[rest[0]] = value.item()
        elif kind == "info":
            info[rest[0]] = value.item() if value.ndim == 0 else value
        else:
            models.setdefault(kind, {}).setdefault(rest[0], {})[rest[1]] = value
    for params in models.values():
        for name in ("embedding", "lstm", "dense"):
            if name in params:
                params[name] = params.pop(name)  # charlm's layer order
    return models, chars, Config(**settings), info


def main(argv=None):
    """Parse the command line, train, score on the held-out names and save."""
    defaults = Config()
    parser = argparse.ArgumentParser(
        prog="python -m rnnbook.pretrain", description=__doc__.splitlines()[0]
    )
    for field in fields(Config):
        parser.add_argument(
            f"--{field.name.replace('_', '-')}",
            type=field.type,
            default=getattr(defaults, field.name),
        )
    parser.add_argument("--frameworks", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS))
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the weights")
    args = parser.parse_args(argv)
    config = Config(**{f.name: getattr(args, f.name) for f in fields(Config)})
    if config.limit:
        validate.positive_int(config.limit, "limit")
    train_names, held_out = split_names()
    chars = vocabulary.Vocab.build(train_names)
    if config.limit:
        train_names = train_names[: config.limit]
    fit_names, valid_names = surnames.split(
        train_names, VALIDATION, rng=np.random.default_rng(config.seed)
    )
    sizes = (len(fit_names), len(valid_names), len(held_out))
    print("{} names to train on, {} to validate, {} held out".format(*sizes))
    models, info = {}, {}
    # small matrices: one BLAS thread is faster than two on a 2-core machine (TOOLING.md)
    with threadpool_limits(limits=1, user_api="blas"):
        for framework in args.frameworks:
            params, framework_info = train(config, framework, chars, fit_names, valid_names)
            framework_info["held_out"] = generate.nats_per_char(params, chars, held_out)
            models[framework] = params
            info.update({f"{framework}_{k}": v for k, v in framework_info.items()})
            print(
                f"{framework}: held-out {framework_info['held_out']:.4f} nats/char "
                f"(best epoch {framework_info['best_epoch']}), trained in "
                f"{framework_info['seconds']:.0f} s ({framework_info['cpu_seconds']:.0f} s of CPU)"
            )
    save(args.out, models, chars, config, info)
    print(f"wrote {args.out}")
    return models, chars, info


if __name__ == "__main__":
    main()
