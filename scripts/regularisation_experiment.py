"""Regularising the surname model, measured on a smaller budget before the full retraining.

Usage: .venv/bin/python scripts/regularisation_experiment.py [--restart]
Writes data/regularisation_results.json: for each variant, its settings and its training loss
and validation nats per character after every epoch. The file is rewritten after every variant,
and a run that is started again skips the variants it already holds (--restart: none).

Every variant is chapter 7's pre-trained model (rnnbook.experiments.pretrain: 256 units, embeddings
of 32) trained in Keras on the first LIMIT training names only, so that overfitting shows sooner and
the whole comparison costs minutes; the choice between variants is made on the validation names, and
the held-out names are not looked at. The variants change one thing each: dropout on the LSTM's
input and output (a fresh mask at every step, Zaremba et al.), Keras' recurrent dropout (one mask
per sequence, Gal and Ghahramani), or decoupled weight decay. Early stopping is in every variant:
the epoch with the best validation score is the one kept.
"""

import dataclasses
import json
import time
from pathlib import Path

import cli
import numpy as np
from threadpoolctl import threadpool_limits

from rnnbook.datasets import surnames
from rnnbook.datasets import vocab as vocabulary
from rnnbook.experiments import pretrain

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "data" / "regularisation_results.json"
LIMIT = 10_000  # training names used (of 79,919)
BASE = pretrain.Config(epochs=10, constant_epochs=7, decay=0.5, limit=LIMIT)
VARIANTS = {
    "none": {},
    "dropout 0.3": {"dropout": 0.3},
    "recurrent dropout 0.3": {"recurrent_dropout": 0.3},
    "weight decay 0.1": {"weight_decay": 0.1},
}


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--restart", action="store_true", help="ignore the variants already run")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    train_names, _ = pretrain.split_names()
    chars = vocabulary.Vocab.build(train_names)
    fit_names, valid_names = surnames.split(
        train_names[:LIMIT], pretrain.VALIDATION, rng=np.random.default_rng(BASE.seed)
    )
    runs = {}
    if OUT.exists() and not args.restart:
        runs = json.loads(OUT.read_text())["runs"]
    with threadpool_limits(limits=1, user_api="blas"):
        for name, change in VARIANTS.items():
            config = dataclasses.replace(BASE, **change)
            if name in runs and runs[name]["config"] == dataclasses.asdict(config):
                continue
            _, info = pretrain.train(config, "keras", chars, fit_names, valid_names)
            runs[name] = {
                "config": dataclasses.asdict(config),
                "training_loss": [float(v) for v in info["epoch_training_loss"]],
                "validation": [float(v) for v in info["epoch_validation"]],
            }
            print(f"{name}: best validation {min(runs[name]['validation']):.4f}", flush=True)
            result = {
                "limit": LIMIT,
                "fit_names": len(fit_names),
                "valid_names": len(valid_names),
                "runs": runs,
                "runtime_minutes_last_run": (time.perf_counter() - started) / 60,
            }
            OUT.write_text(json.dumps(result, indent=1) + "\n")
            print(f"wrote {OUT}", flush=True)


if __name__ == "__main__":
    main()
