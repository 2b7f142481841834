"""Training throughput of a character-level LSTM language model: rnnbook's NumPy against Keras.

Both train the same model (Embedding, LSTM, Dense; Adam with gradients clipped to global norm 5)
on the same padded batches of surnames, in the same precision. Each contender runs in a process
of its own, so no idle thread pool of one slows another, and they take turns, pass after pass,
so all see the same load on the machine. Threads are chosen by measurement: each side runs with
1 and with 2, and the best of each is compared. Prints characters per second (target characters,
padding not counted) for every pass, the medians and their ratio.
    .venv/bin/python scripts/benchmark_lstm.py [--repeats 9] [--dtype float64]
With --sigmoid-ablation the NumPy model races itself instead: its cells' gate sigmoid (the
tanh form, rnnbook.cells.core.sigmoid) against the book's activations.sigmoid in its place.
"""

import importlib.metadata
import multiprocessing
import os
import statistics
import subprocess
import sys
import time

import cli
import numpy as np

# glibc hands freed blocks over 128 KiB back to the kernel, and both NumPy and TensorFlow pay a
# page fault per 4 KiB to get them back on the next batch; these keep them in the process
KEEP_MEMORY = {"MALLOC_MMAP_THRESHOLD_": "1073741824", "MALLOC_TRIM_THRESHOLD_": "1073741824"}
# one step's recurrent product, timed to choose OpenBLAS' kernels
PROBE = """
import time, numpy as np
from threadpoolctl import threadpool_info, threadpool_limits
threadpool_limits(1)
h, u = np.ones(({n}, {h}), "{dtype}"), np.ones(({h}, {g}), "{dtype}")
times = []
for _ in range(300):
    start = time.perf_counter()
    h @ u
    times.append(time.perf_counter() - start)
print(threadpool_info()[0]["architecture"], min(times))
"""


def settings():
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    count = cli.positive(int)
    parser.add_argument("--units", type=count, default=128, help="LSTM units H")
    parser.add_argument("--batch", type=count, default=128, help="names per batch N")
    parser.add_argument("--embed", type=count, default=32, help="embedding size E")
    parser.add_argument("--batches", type=count, default=20, help="batches in one timed pass")
    parser.add_argument("--repeats", type=count, default=9, help="timed passes of each contender")
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--sigmoid-ablation",
        action="store_true",
        help="NumPy against NumPy with activations.sigmoid as the cells' gate sigmoid (no Keras)",
    )
    parser.add_argument(
        "--glibc-defaults", action="store_true", help="leave glibc's memory thresholds as they are"
    )
    return parser.parse_args()


def make_batches(args):
    """(vocabulary size, batches of (inputs, targets, mask)): names between <s> and </s>."""
    from rnnbook.datasets import surnames, vocab

    rng = np.random.default_rng(args.seed)
    names = surnames.load()
    chars = vocab.Vocab.build(names)
    batches = []
    for _ in range(args.batches):
        picked = rng.choice(len(names), size=args.batch, replace=False)
        ids, mask = vocab.pad_batch([chars.encode(names[i], boundaries=True) for i in picked])
        batches.append((ids[:, :-1], ids[:, 1:], mask[:, 1:]))  # each padded to its longest
    return len(chars), batches


def numpy_trainer(vocab_size, args, threads, plain_sigmoid=False):
    """A function that trains rnnbook's charlm for one pass over a list of batches."""
    from threadpoolctl import threadpool_limits

    from rnnbook.cells import core
    from rnnbook.models import charlm
    from rnnbook.nn import activations, optim

    if plain_sigmoid:  # this process only: what the cells' faster sigmoid buys
        core.sigmoid = activations.sigmoid

    threadpool_limits(limits=threads, user_api="blas")
    params = charlm.init(vocab_size, args.embed, args.units, np.random.default_rng(args.seed))
    params = {layer: {k: w.astype(args.dtype) for k, w in p.items()} for layer, p in params.items()}
    optimizer = optim.Adam(learning_rate=1e-3)

    def train(batches):
        for inputs, targets, mask in batches:
            charlm.train_step(inputs, targets, params, optimizer, mask, max_norm=5.0)

    return train


def keras_trainer(vocab_size, args, threads):
    """The same model in Keras (pretrain's), from the same initial weights, trained batch by
    batch with train_on_batch."""
    from rnnbook import backend
    from rnnbook.experiments import pretrain
    from rnnbook.models import charlm

    _, keras = backend.load_keras(seed=args.seed, threads=threads)
    keras.backend.set_floatx(args.dtype)
    params = charlm.init(vocab_size, args.embed, args.units, np.random.default_rng(args.seed))
    config = pretrain.Config(
        units=args.units, embed_dim=args.embed, learning_rate=1e-3, max_norm=5.0, seed=args.seed
    )
    model = pretrain.keras_model(keras, vocab_size, config, params)

    def train(batches):
        for inputs, targets, mask in batches:
            model.train_on_batch(inputs, targets, sample_weight=mask.astype(args.dtype))

    return train


def contender(connection, kind, threads, args):
    """A worker process: build its model, warm up, then time one pass per request."""
    vocab_size, batches = make_batches(args)
    if kind == "keras":
        train = keras_trainer(vocab_size, args, threads)
    else:
        train = numpy_trainer(vocab_size, args, threads, plain_sigmoid=kind == "numpy-plain")
    train(batches)  # warm up: Keras traces its graphs, the allocator fills up
    connection.send("ready")
    while connection.recv() == "pass":
        wall, cpu = time.perf_counter(), time.process_time()
        train(batches)
        connection.send((time.perf_counter() - wall, time.process_time() - cpu))


def openblas_kernels(args):
    """Time one step's product with OpenBLAS' own choice of kernels and, on a CPU with
    AVX-512, with its AVX-512 ones (some CPUs get AVX2 kernels); return the faster setting."""
    with open("/proc/cpuinfo") as info:
        candidates = [None] + ["SKYLAKEX"] * ("avx512f" in info.read().split())
    code = PROBE.format(n=args.batch, h=args.units, g=4 * args.units, dtype=args.dtype)
    timings = {}
    for coretype in candidates:
        env = dict(os.environ, **({"OPENBLAS_CORETYPE": coretype} if coretype else {}))
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        architecture, seconds = out.stdout.split()
        timings[coretype] = float(seconds)
        print(f"  OpenBLAS {architecture} kernels: {float(seconds) * 1e6:.0f} us", end="")
    best = min(timings, key=timings.get)
    print(f" -> using {'the default' if best is None else best}")
    return {} if best is None else {"OPENBLAS_CORETYPE": best}


def start(kind, threads, args, env):
    """Start a contender in a fresh process with `env` added to its environment."""
    saved = dict(os.environ)
    os.environ.update(env)  # a spawned process takes the environment as it is at start
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=contender, args=(theirs, kind, threads, args)
    )
    process.start()
    os.environ.clear()
    os.environ.update(saved)
    return process, ours


def main():
    args = settings()
    vocab_size, batches = make_batches(args)
    chars = sum(int(mask.sum()) for _, _, mask in batches)
    lengths = [inputs.shape[1] for inputs, _, _ in batches]
    version = importlib.metadata.version
    print(
        f"char-level LSTM LM: V={vocab_size}, E={args.embed}, H={args.units}, N={args.batch}, "
        f"{args.dtype}, Adam, global-norm clipping 5\n"
        f"one pass: {len(batches)} batches of surnames, {chars} target characters, "
        f"padded lengths {min(lengths)}-{max(lengths)} (mean {np.mean(lengths):.1f})\n"
        f"{os.cpu_count()} CPUs; numpy {np.__version__}, tensorflow {version('tensorflow-cpu')}, "
        f"keras {version('keras')}; glibc memory thresholds "
        f"{'as they are' if args.glibc_defaults else 'raised (see KEEP_MEMORY)'}"
    )
    print("load average over 1, 5, 15 minutes: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    env = {} if args.glibc_defaults else dict(KEEP_MEMORY)
    numpy_env = dict(env, **openblas_kernels(args))
    # in this order, what an idle thread pool of one contender takes from the next falls on NumPy
    if args.sigmoid_ablation:
        workers = {
            "NumPy, 1 thread": start("numpy", 1, args, numpy_env),
            "NumPy, 1 thread, activations.sigmoid": start("numpy-plain", 1, args, numpy_env),
        }
    else:
        workers = {
            "NumPy, 2 threads": start("numpy", 2, args, numpy_env),
            "NumPy, 1 thread": start("numpy", 1, args, numpy_env),
            "Keras, 1 thread": start("keras", 1, args, env),
            "Keras, 2 threads": start("keras", 2, args, env),
        }
    for _, connection in workers.values():
        connection.recv()  # every warm-up is over, so none slows the first timed pass
    speeds = {name: [] for name in workers}
    efficiency = {name: [] for name in workers}
    for repeat in range(args.repeats):
        for name, (_, connection) in workers.items():  # in turns: load hits all alike
            time.sleep(0.25)  # and the thread pools of the last one go to sleep
            connection.send("pass")
            wall, cpu = connection.recv()
            speeds[name].append(chars / wall)
            efficiency[name].append(chars / cpu)
        print(f"pass {repeat + 1}: " + ", ".join(f"{n} {s[-1]:,.0f}" for n, s in speeds.items()))
    for process, connection in workers.values():
        connection.send("stop")
        process.join()
    medians = {name: statistics.median(s) for name, s in speeds.items()}
    print("median characters per second (and per CPU-second, all threads counted):")
    for name, median in medians.items():
        print(f"  {name:<36} {median:>9,.0f}  ({statistics.median(efficiency[name]):,.0f})")
    print("load average over 1, 5, 15 minutes: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    if args.sigmoid_ablation:
        ours, theirs = workers
    else:
        ours = max((n for n in medians if n.startswith("NumPy")), key=medians.get)
        theirs = max((n for n in medians if n.startswith("Keras")), key=medians.get)
    print(f"ratio {ours} / {theirs}: {medians[ours] / medians[theirs]:.2f}")


if __name__ == "__main__":
    main()
