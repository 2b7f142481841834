"""Train the book's best surname model, in NumPy and in Keras, and save both weights.

    python -m rnnbook.experiments.pretrain  # a few minutes of CPU; writes data/charlm_surnames.npz
    python -m rnnbook.experiments.pretrain --restart  # ignore an interrupted run's checkpoint

Both frameworks train the same model (rnnbook.models.charlm: embedding, LSTM, dense) from the same
initial weights on the same batches with the same schedule (Adam, gradients clipped to global
norm 5). A slice of the training names is set aside for validation: after every epoch the
weights are kept if they are the best so far there, and the held-out names are scored once, at
the end. The file holds only arrays (no pickle): `load()` reads it back.

A progress bar shows each framework's epochs with an estimate of the time left. After every
epoch the whole state of the run (weights, optimizer, batch order, best epoch so far) is saved to
a checkpoint next to the output (charlm_surnames.checkpoint.npz); a run that is interrupted and
started again with the same options resumes after the last finished epoch and ends with the
same weights as an uninterrupted run. Every file is written under a temporary name and renamed
when complete (rnnbook.jobs), so an interruption never leaves a broken file; the checkpoint is
deleted once the result is written.
"""

import time
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnnbook import job_files, jobs
from rnnbook.datasets import surnames
from rnnbook.datasets import vocab as vocabulary
from rnnbook.experiments import pretrain_files as files
from rnnbook.experiments.pretrain_files import CHECKPOINT_KIND, MODEL_NAME, checkpoint_path
from rnnbook.models import charlm, generate
from rnnbook.nn import optim, tree

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
    dropout: float = 0.0  # rate of dropout on the LSTM's input and output, one mask per step
    weight_decay: float = 0.0  # decoupled weight decay (AdamW), as Keras' weight_decay=
    recurrent_dropout: float = 0.0  # Keras' recurrent_dropout= (Gal and Ghahramani); Keras only


def split_names():
    """The book's split of the 88,799 surnames: (training names, held-out names), 90/10."""
    return surnames.split(surnames.load(), HELD_OUT, rng=np.random.default_rng(SPLIT_SEED))


def learning_rate(config, epoch):
    """The step size in epoch `epoch` (0-based): constant, then decaying geometrically."""
    return config.learning_rate * config.decay ** max(0, epoch + 1 - config.constant_epochs)


def keras_model(keras, vocab_size, config, params):
    """charlm's model in Keras, holding `params`, compiled as `train` trains it (Adam, global-norm
    clipping, the loss averaged over the unpadded characters). With dropout, the masks are
    inputs, so that Keras applies the very masks NumPy draws: inputs [ids (N, T), input mask
    (N, T, E), output mask (N, T, H)]. The one home of this model (the benchmark uses it too)."""
    lstm_layer = keras.layers.LSTM(
        config.units,
        return_sequences=True,
        recurrent_dropout=config.recurrent_dropout,
        seed=config.seed,
    )
    ids = keras.Input((None,), dtype="int32")
    x = keras.layers.Embedding(vocab_size, config.embed_dim)(ids)
    inputs = [ids]
    if config.dropout:
        in_mask = keras.Input((None, config.embed_dim))
        out_mask = keras.Input((None, config.units))
        inputs += [in_mask, out_mask]
        x = keras.layers.Multiply()([x, in_mask])
    hs = lstm_layer(x)
    if config.dropout:
        hs = keras.layers.Multiply()([hs, out_mask])
    model = keras.Model(inputs, keras.layers.Dense(vocab_size)(hs))
    model.set_weights(charlm.keras_weights(params))
    model.compile(
        optimizer=keras.optimizers.Adam(
            config.learning_rate,
            global_clipnorm=config.max_norm,
            weight_decay=config.weight_decay or None,
        ),
        loss=keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction="mean_with_sample_weight"
        ),
    )
    return model


def train(config, framework, chars, train_names, valid_names, log=None, state=None, on_epoch=None):
    """Train one model on train_names; returns (params of its best epoch, info dict).

    state: a checkpoint on_epoch was given earlier ({name: array}): training goes on after its
    epoch exactly as if it had never stopped. on_epoch(state) is called after every epoch.
    log(line) reports each epoch (default: above the progress bar).
    """
    if framework not in FRAMEWORKS:
        raise ValueError(f"framework must be one of {FRAMEWORKS}; got {framework!r}")
    encoded = [chars.encode(name, boundaries=True) for name in train_names]
    params = charlm.init(
        len(chars), config.embed_dim, config.units, np.random.default_rng(config.seed)
    )
    params = {layer: {k: w.astype(np.float32) for k, w in p.items()} for layer, p in params.items()}
    if framework == "keras":
        from rnnbook import backend

        _, keras = backend.load_keras(config.seed)
        model = keras_model(keras, len(chars), config, params)
    else:
        optimizer = optim.Adam(config.learning_rate)
    batch_rng = np.random.default_rng(config.seed + 1)
    dropout_rng = np.random.default_rng(config.seed + 2)  # the masks, the same for both frameworks
    best, best_score, best_epoch = None, np.inf, -1
    history = {"epoch_training_loss": [], "epoch_validation": []}
    first_epoch, spent_wall, spent_cpu = 0, 0.0, 0.0
    if state is not None:
        first_epoch = int(state["epoch"])
        spent_wall, spent_cpu = float(state["seconds"]), float(state["cpu_seconds"])
        params = tree.unflat(state, "params/")
        jobs.set_rng_state(batch_rng, state["rng/batch"])
        if "rng/dropout" in state:
            jobs.set_rng_state(dropout_rng, state["rng/dropout"])
        best = tree.unflat(state, "best/")
        best_score, best_epoch = float(state["best_score"]), int(state["best_epoch"])
        history = {key: list(state[f"history/{key}"]) for key in history}
        if framework == "keras":
            files.set_keras_state(model, state)
        else:
            files.set_optimizer_state(optimizer, state)
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    per_epoch = -(-len(encoded) // config.batch_size)  # batches in one epoch
    bar = jobs.progress(
        total=per_epoch * config.epochs,
        initial=per_epoch * first_epoch,
        desc=f"{framework} epoch {first_epoch + 1}/{config.epochs}",
        unit="batch",
    )
    log = log or bar.write
    for epoch in range(first_epoch, config.epochs):
        bar.set_description(f"{framework} epoch {epoch + 1}/{config.epochs}")
        rate = learning_rate(config, epoch)
        if framework == "keras":
            model.optimizer.learning_rate.assign(rate)
        else:
            optimizer.learning_rate = rate
        losses = []
        for ids, mask in vocabulary.batches(encoded, config.batch_size, batch_rng):
            inputs, targets, weights = ids[:, :-1], ids[:, 1:], mask[:, 1:]
            masks = None
            if config.dropout:
                masks = tuple(
                    m.astype(np.float32)
                    for m in charlm.dropout_masks(
                        inputs.shape, config.embed_dim, config.units, config.dropout, dropout_rng
                    )
                )
            if framework == "keras":
                loss = model.train_on_batch(
                    [inputs, *masks] if masks else inputs,
                    targets,
                    sample_weight=weights.astype(np.float32),
                )
            else:
                loss, _ = charlm.train_step(
                    inputs,
                    targets,
                    params,
                    optimizer,
                    weights,
                    config.max_norm,
                    dropout=masks,
                    weight_decay=config.weight_decay,
                )
            losses.append(float(loss))
            bar.update()
        if framework == "keras":
            params = tree.from_keras_weights(model.get_weights(), params)
        score = generate.nats_per_char(valid_names, params, chars)
        history["epoch_training_loss"].append(float(np.mean(losses)))
        history["epoch_validation"].append(score)
        if score < best_score:
            best, best_score, best_epoch = tree.copy(params), score, epoch
        seconds = spent_wall + time.perf_counter() - start_wall
        cpu_seconds = spent_cpu + time.process_time() - start_cpu
        log(
            f"{framework} epoch {epoch + 1}/{config.epochs}: learning rate {rate:.2g}, "
            f"training loss {np.mean(losses):.4f}, validation {score:.4f} nats/char "
            f"({seconds:.0f} s)"
        )
        if on_epoch is not None:
            on_epoch(
                {
                    "epoch": np.array(epoch + 1),
                    "seconds": np.array(seconds),
                    "cpu_seconds": np.array(cpu_seconds),
                    "rng/batch": jobs.rng_state(batch_rng),
                    "rng/dropout": jobs.rng_state(dropout_rng),
                    "best_score": np.array(best_score),
                    "best_epoch": np.array(best_epoch),
                    **{f"history/{k}": np.array(v, dtype=float) for k, v in history.items()},
                    **tree.flat(params, "params/"),
                    **tree.flat(best, "best/"),
                    **(files.keras_state(model) if framework == "keras" else {}),
                    **(files.optimizer_state(optimizer) if framework == "numpy" else {}),
                }
            )
    bar.close()
    info = {
        "best_validation": best_score,
        "best_epoch": best_epoch + 1,
        "seconds": spent_wall + time.perf_counter() - start_wall,
        "cpu_seconds": spent_cpu + time.process_time() - start_cpu,
        **{key: np.array(values) for key, values in history.items()},  # one value per epoch
    }
    return best, info


def main(argv=None):
    """Parse the command line, train, score on the held-out names and save."""
    defaults = Config()
    parser = jobs.ArgumentParser(
        prog="python -m rnnbook.experiments.pretrain", description=__doc__.splitlines()[0]
    )
    for field in fields(Config):
        parser.add_argument(
            f"--{field.name.replace('_', '-')}",
            type=field.type,
            default=getattr(defaults, field.name),
        )
    parser.add_argument("--frameworks", nargs="+", choices=FRAMEWORKS, default=list(FRAMEWORKS))
    parser.add_argument(
        "--out",
        type=Path,
        default=jobs.data_path(MODEL_NAME),
        help=f"where to write the weights (default: data/{MODEL_NAME})",
    )
    parser.add_argument(
        "--restart",
        action="store_true",
        help="discard the checkpoint an interrupted run left and start afresh",
    )
    args = parser.parse_args(argv)
    if args.out.suffix != ".npz":
        parser.error(f"--out must name an .npz file; got {args.out}")
    if args.out.is_dir():
        parser.error(f"--out must name a file; {args.out} is a folder")
    config = Config(**{f.name: getattr(args, f.name) for f in fields(Config)})
    problem = _config_problem(config)
    if problem:
        parser.error(problem)
    train_names, held_out = split_names()
    chars = vocabulary.Vocab.build(train_names)
    if config.recurrent_dropout and "numpy" in args.frameworks:
        parser.error("--recurrent-dropout is Keras' only: add --frameworks keras")
    if config.limit:
        train_names = train_names[: config.limit]
    fit_names, valid_names = surnames.split(
        train_names, VALIDATION, rng=np.random.default_rng(config.seed)
    )
    sizes = (len(fit_names), len(valid_names), len(held_out))
    print("{} names to train on, {} to validate, {} held out".format(*sizes))
    checkpoint = checkpoint_path(args.out)
    if args.restart:
        checkpoint.unlink(missing_ok=True)
    try:
        done, states = files.read_checkpoint(checkpoint, config, args.frameworks)
    except job_files.JobFileError as error:
        raise SystemExit(f"python -m rnnbook.experiments.pretrain: error: {error}") from None
    models, info = {}, {}

    def save_checkpoint(framework=None, state=None):
        arrays = {**files.config_arrays(config), "frameworks": np.array(args.frameworks, dtype=str)}
        for name, params in models.items():
            arrays.update(tree.flat(params, f"done/{name}/params/"))
        for key, value in info.items():
            arrays[f"done/info/{key}"] = np.array(value)
        if state is not None:
            arrays.update({f"state/{framework}/{k}": v for k, v in state.items()})
        job_files.save_arrays(checkpoint, arrays, CHECKPOINT_KIND)

    # small matrices: one BLAS thread is faster than two on a 2-core machine (TOOLING.md)
    with threadpool_limits(limits=1, user_api="blas"):
        for framework in args.frameworks:
            if framework in done:
                models[framework] = done[framework]
                info.update({k: v for k, v in done["info"].items() if k.startswith(framework)})
                print(f"{framework}: finished before the interruption (from {checkpoint})")
                continue
            if framework in states:
                print(f"{framework}: resuming after epoch {int(states[framework]['epoch'])}")
            params, framework_info = train(
                config,
                framework,
                chars,
                fit_names,
                valid_names,
                state=states.get(framework),
                on_epoch=lambda state, framework=framework: save_checkpoint(framework, state),
            )
            framework_info["held_out"] = generate.nats_per_char(held_out, params, chars)
            models[framework] = params
            info.update({f"{framework}_{k}": v for k, v in framework_info.items()})
            save_checkpoint()
            print(
                f"{framework}: held-out {framework_info['held_out']:.4f} nats/char "
                f"(best epoch {framework_info['best_epoch']}), trained in "
                f"{framework_info['seconds']:.0f} s ({framework_info['cpu_seconds']:.0f} s of CPU)"
            )
    files.save(args.out, models, chars, config, info)
    checkpoint.unlink(missing_ok=True)
    print(f"wrote {args.out}")
    return models, chars, info


def _config_problem(config):
    """A one-line complaint about a configuration that cannot train, or None."""
    c = config
    rules = [
        *[
            (name, getattr(c, name) >= 1, "at least 1")
            for name in ("units", "embed_dim", "batch_size", "epochs")
        ],
        *[
            (name, getattr(c, name) >= 0, "0 or more")
            for name in ("constant_epochs", "seed", "limit")
        ],
        *[
            (name, np.isfinite(getattr(c, name)) and getattr(c, name) > 0, "a positive number")
            for name in ("learning_rate", "max_norm")
        ],
        ("decay", np.isfinite(c.decay) and 0 < c.decay <= 1, "in (0, 1]"),
        *[
            (name, 0 <= getattr(c, name) < 1, "in [0, 1)")
            for name in ("dropout", "recurrent_dropout")
        ],
        ("weight_decay", np.isfinite(c.weight_decay) and c.weight_decay >= 0, "0 or more"),
    ]
    for name, ok, expected in rules:
        if not ok:
            return f"--{name.replace('_', '-')} must be {expected}; got {getattr(c, name)}"
    return None


def load(path=None):
    """(models {framework: params}, vocab, config, info) from a file written by `save`.

    Without `path`, the book's own model, data/charlm_surnames.npz (rnnbook.jobs.data_path).
    """
    models, chars, settings, info = files.read_model(path)
    return models, chars, Config(**settings), info


if __name__ == "__main__":
    main()
