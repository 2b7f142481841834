"""Chapter 9's stored experiment: encoder-decoders with and without attention on the reversal task.

    .venv/bin/python -m rnnbook.experiments.reversal_experiment  # data/reversal_*.{json,npz}
    .venv/bin/python -m rnnbook.experiments.reversal_experiment --pilot  # short, other data, /tmp

Every model (no attention, dot-product, additive) is trained from each seed on the same strings,
with the same batches, in NumPy, for a fixed number of Adam updates (no early stopping: nothing
is chosen on the held-out strings). Then each is measured on the held-out strings of every length:
greedy and beam decoding, and teacher-forced prediction. Seed 0's weights are stored, as float32,
and every measurement is made with those float32 weights, so that the chapter can recompute them.
"""

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from rnnbook import jobs
from rnnbook.datasets import reversal
from rnnbook.models import seq2seq
from rnnbook.nn import optim

# in the book's data/ folder, found by rnnbook.jobs.data_path (not from this file's location,
# which a non-editable install puts in site-packages)
RESULTS_NAME = "reversal_results.json"
WEIGHTS_NAME = "reversal_weights_seed0.npz"
NAMES = {None: "none", "dot": "dot", "additive": "additive"}


@dataclasses.dataclass(frozen=True)
class Config:
    """Everything that defines the experiment."""

    lengths: tuple = tuple(range(4, 25))  # input lengths, in training and in the held-out set
    train_per_length: int = 2000  # distinct training strings of each length
    test_per_length: int = 200  # held-out strings of each length, none of them in training
    data_seed: int = 0  # draws the strings
    units: int = 64  # H of the encoder and of the decoder
    steps: int = 4000  # Adam updates
    batch_size: int = 64  # strings per update, all of one length
    learning_rate: float = 0.003
    max_norm: float = 5.0  # gradients clipped to this global norm
    seeds: tuple = (0, 1, 2)  # initial weights and batch order; the same for every model
    attentions: tuple = (None, "dot", "additive")
    beam_width: int = 4
    beam_rows: int = 50  # beam search on the first this many held-out strings of each length
    log_every: int = 100  # the training loss is averaged over this many updates


def train(attention, train_data, config, seed):
    """Train one model from `seed`; return (params, mean training loss per log_every updates)."""
    rng = np.random.default_rng(seed)
    params = seq2seq.init(len(reversal.VOCAB), config.units, attention, rng)
    adam = optim.Adam(config.learning_rate)
    batches = reversal.batches(train_data, config.batch_size, np.random.default_rng(seed + 1000))
    curve, recent = [], []
    for _ in range(config.steps):
        source = next(batches)
        decoder_in, decoder_out = reversal.decoder_io(source)
        loss, grads = seq2seq.loss_and_grads(source, decoder_in, decoder_out, params)
        grads, _ = optim.clip_by_global_norm(grads, config.max_norm)
        adam.step(params, grads)
        recent.append(loss)
        if len(recent) == config.log_every:
            curve.append(float(np.mean(recent)))
            recent = []
    return params, curve


def as_float32(params):
    """The params rounded to float32 (as stored) and held as float64 again."""
    return {
        k: {n: a.astype(np.float32).astype(np.float64) for n, a in v.items()}
        for k, v in params.items()
    }


def evaluate(params, test_data, beam_width, beam_rows):
    """Per length: greedy/beam exact match and character accuracy, teacher-forced accuracy."""
    bos, eos = reversal.VOCAB.bos_id, reversal.VOCAB.eos_id
    rows = {}
    for length, source in sorted(test_data.items()):
        expected = reversal.targets(source)
        greedy, _ = seq2seq.greedy(source, params, bos, eos, max_length=length + 5)
        decoder_in, decoder_out = reversal.decoder_io(source)
        logits, _, _ = seq2seq.forward(source, decoder_in, params)
        forced = np.argmax(logits, axis=-1)  # (N, L + 1): each step given the true history
        some = source[:beam_rows]
        beamed = seq2seq.beam_decode(some, params, bos, eos, beam_width, max_length=length + 5)
        rows[length] = {
            "greedy_exact": reversal.exact_match(greedy, expected),
            "greedy_char": reversal.char_accuracy(greedy, expected),
            "forced_char": float(np.mean(forced[:, :-1] == decoder_out[:, :-1])),
            "forced_exact": float(np.mean(np.all(forced == decoder_out, axis=1))),
            "greedy_exact_beam_rows": reversal.exact_match(
                greedy[:beam_rows], expected[:beam_rows]
            ),
            "beam_exact": reversal.exact_match(beamed, expected[:beam_rows]),
            "beam_char": reversal.char_accuracy(beamed, expected[:beam_rows]),
            "greedy_length_beam_rows": float(np.mean([len(g) for g in greedy[:beam_rows]])),
            "beam_length": float(np.mean([len(b) for b in beamed])),
        }
    return rows


def flatten(params, prefix):
    """npz names like 'dot/encoder/kernel' for every array."""
    return {
        f"{prefix}/{k}/{n}": a.astype(np.float32) for k, v in params.items() for n, a in v.items()
    }


def load_params(attention, path=None):
    """Seed 0's trained params of one model, as float64, from the npz (default: the book's)."""
    path = jobs.data_path(WEIGHTS_NAME) if path is None else Path(path)
    prefix = NAMES[attention] + "/"
    params = {}
    with np.load(path, allow_pickle=False) as data:
        for name in data.files:
            if name.startswith(prefix):
                _, layer, key = name.split("/")
                params.setdefault(layer, {})[key] = data[name].astype(np.float64)
    if not params:
        raise ValueError(f"{path} holds no model with attention={attention!r}")
    return params


def load_results(path=None):
    """The stored JSON: config, runs (curves and per-length measurements), run time."""
    path = jobs.data_path(RESULTS_NAME) if path is None else Path(path)
    with open(path) as f:
        return json.load(f)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilot", action="store_true", help="1000 updates, one seed, other data")
    args = parser.parse_args(argv)
    config = Config()
    results, weights = jobs.data_path(RESULTS_NAME), jobs.data_path(WEIGHTS_NAME)
    if args.pilot:
        config = dataclasses.replace(config, steps=1000, seeds=(0,), data_seed=100)
        results, weights = Path("/tmp/reversal_pilot.json"), Path("/tmp/reversal_pilot.npz")
    start = time.perf_counter()
    train_data, test_data = reversal.make(
        config.lengths,
        config.train_per_length,
        config.test_per_length,
        np.random.default_rng(config.data_seed),
    )
    runs, stored = [], {}
    for seed in config.seeds:
        for attention in config.attentions:
            began = time.perf_counter()
            params, curve = train(attention, train_data, config, seed)
            params = as_float32(params)
            measured = evaluate(params, test_data, config.beam_width, config.beam_rows)
            runs.append(
                {
                    "attention": NAMES[attention],
                    "seed": seed,
                    "curve": curve,
                    "seconds": round(time.perf_counter() - began, 1),
                    "by_length": {str(k): v for k, v in measured.items()},
                }
            )
            if seed == config.seeds[0]:
                stored.update(flatten(params, NAMES[attention]))
            longest = measured[max(config.lengths)]
            print(
                f"seed {seed} {NAMES[attention]:8}: loss {curve[-1]:.4f}, longest greedy exact "
                f"{longest['greedy_exact']:.3f} ({runs[-1]['seconds']:.0f} s)",
                flush=True,
            )
    payload = {
        "config": {k: v for k, v in dataclasses.asdict(config).items()},
        "runtime_minutes": round((time.perf_counter() - start) / 60, 1),
        "runs": runs,
    }
    payload["config"]["attentions"] = [NAMES[a] for a in config.attentions]
    results.write_text(json.dumps(payload, indent=1) + "\n")
    np.savez_compressed(weights, **stored)


if __name__ == "__main__":
    with threadpool_limits(limits=1, user_api="blas"):  # small matrices: one thread is faster
        main()
