"""Training throughput of a character-level LSTM language model: rnnbook's NumPy against Keras.

Both train the same model (Embedding, LSTM, Dense; Adam with gradients clipped to global norm 5)
on the same padded batches of surnames, in the same precision. Each contender runs in a process
of its own (so no idle thread pool of one slows another), and they take turns, pass after pass,
so all see the same load on the machine. Prints characters per second (the target characters
of each batch, padding not counted) for every pass, the medians, and their ratio.
    .venv/bin/python scripts/benchmark_lstm.py [--repeats 7] [--dtype float64]
"""

import argparse
import multiprocessing
import os
import platform
import statistics
import time

import numpy as np


def settings():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=128, help="LSTM units H")
    parser.add_argument("--batch", type=int, default=128, help="names per batch N")
    parser.add_argument("--embed", type=int, default=32, help="embedding size E")
    parser.add_argument("--batches", type=int, default=20, help="batches in one timed pass")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes of each contender")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


def make_batches(args):
    """(vocabulary size, batches of (inputs, targets, mask)): names between <s> and </s>."""
    from rnnbook import surnames, vocab

    rng = np.random.default_rng(args.seed)
    names = surnames.load()
    chars = vocab.Vocab.build(names)
    batches = []
    for _ in range(args.batches):
        picked = rng.choice(len(names), size=args.batch, replace=False)
        ids, mask = vocab.pad_batch([chars.encode(names[i], boundaries=True) for i in picked])
        batches.append((ids[:, :-1], ids[:, 1:], mask[:, 1:]))  # each padded to its longest
    return len(chars), batches


def numpy_trainer(vocab_size, args, threads):
    """A function that trains rnnbook's charlm for one pass over a list of batches."""
    from threadpoolctl import threadpool_limits

    from rnnbook import charlm, optim

    threadpool_limits(limits=threads, user_api="blas")
    params = charlm.init(vocab_size, args.units, np.random.default_rng(args.seed), args.embed)
    params = {layer: {k: w.astype(args.dtype) for k, w in p.items()} for layer, p in params.items()}
    optimizer = optim.Adam(learning_rate=1e-3)

    def train(batches):
        for inputs, targets, mask in batches:
            charlm.train_step(params, optimizer, inputs, targets, mask, max_norm=5.0)

    return train


def keras_trainer(vocab_size, args):
    """The same model in Keras, trained batch by batch with train_on_batch."""
    from rnnbook import backend

    _, keras = backend.load_keras(seed=args.seed, threads=os.cpu_count())
    keras.backend.set_floatx(args.dtype)
    model = keras.Sequential(
        [
            keras.Input((None,), dtype="int32"),
            keras.layers.Embedding(vocab_size, args.embed),
            keras.layers.LSTM(args.units, return_sequences=True),
            keras.layers.Dense(vocab_size),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3, global_clipnorm=5.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )

    def train(batches):
        for inputs, targets, mask in batches:
            model.train_on_batch(inputs, targets, sample_weight=mask.astype(args.dtype))

    return train


def contender(connection, kind, threads, args):
    """A worker process: build its model, warm up, then time one pass per request."""
    vocab_size, batches = make_batches(args)
    if kind == "keras":
        train = keras_trainer(vocab_size, args)
    else:
        train = numpy_trainer(vocab_size, args, threads)
    train(batches)  # warm up: Keras traces its graphs, NumPy fills its allocator
    while connection.recv() == "pass":
        start = time.perf_counter()
        train(batches)
        connection.send(time.perf_counter() - start)


def versions():
    """One line on the machine and the libraries, for the record."""
    import tensorflow as tf
    from threadpoolctl import threadpool_info

    blas = next(info for info in threadpool_info() if info["user_api"] == "blas")
    return (
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}; numpy {np.__version__} "
        f"({blas['internal_api']} {blas['version']}), tensorflow {tf.__version__}"
    )


def main():
    args = settings()
    vocab_size, batches = make_batches(args)
    chars = sum(int(mask.sum()) for _, _, mask in batches)
    lengths = [inputs.shape[1] for inputs, _, _ in batches]
    print(
        f"char-level LSTM LM: V={vocab_size}, E={args.embed}, H={args.units}, N={args.batch}, "
        f"{args.dtype}, Adam, global-norm clipping 5"
    )
    print(
        f"one pass: {len(batches)} batches of surnames, {chars} target characters, "
        f"padded lengths {min(lengths)}-{max(lengths)} (mean {np.mean(lengths):.1f})"
    )
    print(versions())
    names = {"numpy, 1 BLAS thread": ("numpy", 1), "numpy, 2 BLAS threads": ("numpy", 2)}
    names["keras"] = ("keras", None)
    spawn = multiprocessing.get_context("spawn")
    workers = {}
    for name, (kind, threads) in names.items():
        ours, theirs = spawn.Pipe()
        process = spawn.Process(target=contender, args=(theirs, kind, threads, args))
        process.start()
        workers[name] = (process, ours)
    speeds = {name: [] for name in workers}
    for repeat in range(args.repeats):
        for name, (_, connection) in workers.items():  # in turns: load hits all alike
            connection.send("pass")
            speeds[name].append(chars / connection.recv())
        print(f"pass {repeat + 1}: " + ", ".join(f"{n} {s[-1]:,.0f}" for n, s in speeds.items()))
    for process, connection in workers.values():
        connection.send("stop")
        process.join()
    medians = {name: statistics.median(s) for name, s in speeds.items()}
    print("median characters per second:")
    for name, median in medians.items():
        print(f"  {name:<22} {median:>10,.0f}")
    best = max((n for n in medians if n.startswith("numpy")), key=medians.get)
    print(f"ratio NumPy ({best}) / Keras: {medians[best] / medians['keras']:.2f}")


if __name__ == "__main__":
    main()
