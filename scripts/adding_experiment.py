"""The adding problem at several lengths: SimpleRNN, LSTM and GRU trained the same way.

Usage: .venv/bin/python scripts/adding_experiment.py [--restart] [--help for a smaller grid]
Writes data/adding_results.json (every run's validation curve and test MSE) and
data/adding_weights_seed0.npz (the trained weights of seed 0 at the chosen learning rate).

For every length, seed and model, Adam is run with each learning rate of the protocol
(rnnbook.experiments.adding_keras.Protocol); the rate with the lowest validation MSE after the
last epoch is chosen and its test MSE reported. Deterministic: Keras is seeded and runs with op
determinism, so a rerun on the same machine writes the same numbers. 144 runs; it took
58 minutes on the book's 2-core machine while other jobs shared it (the time of the last run is
stored in the JSON as runtime_minutes).

A progress bar counts the runs and estimates the time left. After every run the results so far
are saved to a checkpoint beside the output (adding_results.checkpoint.npz, plain arrays, written
atomically); started again with the same options, the script goes on after the last finished run
(each run depends on its own seed only, so the results are the same as an uninterrupted run's).
The result files are written under a temporary name and renamed when complete, so an interruption
never leaves a broken file in data/.
"""

import argparse
import dataclasses
import itertools
import json
import sys
import time
from pathlib import Path

import cli
import numpy as np

from rnnbook import job_files, jobs
from rnnbook.experiments import adding_keras

ROOT = Path(__file__).resolve().parents[1]

LENGTHS = (10, 25, 50, 100)
SEEDS = (0, 1, 2)
MODELS = (("SimpleRNN", 32), ("SimpleRNN", 64), ("LSTM", 32), ("GRU", 32))
OUT = ROOT / "data" / "adding_results.json"
WEIGHTS = ROOT / "data" / "adding_weights_seed0.npz"
CHECKPOINT_KIND = "adding experiment checkpoint"


def weight_key(layer, units, length, index):
    """The npz name of weight array `index` of one model: e.g. LSTM-32_T50_1."""
    return f"{layer}-{units}_T{length}_{index}"


def checkpoint_path(out):
    out = Path(out)
    return out.with_name(f"{out.stem}.checkpoint.npz")


def _model(text):
    """LAYER-UNITS (e.g. LSTM-32) as (layer, units)."""
    layer, _, units = text.partition("-")
    if layer not in adding_keras.LAYERS or not units.isdigit() or int(units) < 1:
        raise argparse.ArgumentTypeError(
            f"expected LAYER-UNITS with LAYER one of {', '.join(adding_keras.LAYERS)} "
            f"(e.g. LSTM-32); got {text!r}"
        )
    return layer, int(units)


def parse(argv):
    defaults = adding_keras.Protocol()
    parser = cli.ArgumentParser(
        prog="scripts/adding_experiment.py",
        description=__doc__.splitlines()[0],
        epilog="The defaults are the book's grid; smaller ones are for trying the script.",
    )
    parser.add_argument("--lengths", nargs="+", type=cli.positive(int), default=list(LENGTHS))
    parser.add_argument("--seeds", nargs="+", type=int, default=list(SEEDS))
    parser.add_argument(
        "--models",
        nargs="+",
        type=_model,
        default=list(MODELS),
        metavar="LAYER-UNITS",
        help="e.g. LSTM-32 GRU-32 (default: the book's four)",
    )
    for field in ("epochs", "n_train", "n_val", "n_test"):
        parser.add_argument(
            f"--{field.replace('_', '-')}", type=cli.positive(int), default=getattr(defaults, field)
        )
    parser.add_argument(
        "--learning-rates",
        nargs="+",
        type=cli.positive(float),
        default=list(defaults.learning_rates),
    )
    parser.add_argument("--out", type=Path, default=OUT, help="the results (.json)")
    parser.add_argument("--weights", type=Path, default=WEIGHTS, help="seed 0's weights (.npz)")
    parser.add_argument(
        "--restart", action="store_true", help="discard the checkpoint of an interrupted run"
    )
    args = parser.parse_args(argv)
    if args.out.suffix != ".json":
        parser.error(f"--out must name a .json file; got {args.out}")
    if args.weights.suffix != ".npz":
        parser.error(f"--weights must name an .npz file; got {args.weights}")
    if any(seed < 0 for seed in args.seeds):
        parser.error(f"--seeds must be 0 or more; got {args.seeds}")
    protocol = dataclasses.replace(
        defaults,
        epochs=args.epochs,
        n_train=args.n_train,
        n_val=args.n_val,
        n_test=args.n_test,
        learning_rates=tuple(args.learning_rates),
    )
    return args, protocol


def _settings(args, protocol):
    """Everything that decides the results, as JSON (a checkpoint is only resumed if equal)."""
    return json.dumps(
        {
            "protocol": dataclasses.asdict(protocol),
            "lengths": args.lengths,
            "seeds": args.seeds,
            "models": [f"{layer}-{units}" for layer, units in args.models],
        },
        sort_keys=True,
    )


def _resume(path, settings):
    """(runs, weights, best, minutes spent) from the checkpoint at path, or a fresh start."""
    if not path.exists():
        return [], {}, {}, 0.0
    arrays = job_files.load_arrays(
        path, CHECKPOINT_KIND, required=("settings", "runs"), remedy="add --restart to discard it"
    )
    if str(arrays.pop("settings")) != settings:
        raise job_files.JobFileError(
            f"{path} is the checkpoint of a run with other options: run with the same options "
            "to resume it, or add --restart to discard it"
        )
    runs = json.loads(str(arrays.pop("runs")))
    best = {
        (layer, units, length, seed): value
        for layer, units, length, seed, value in json.loads(str(arrays.pop("best")))
    }
    minutes = float(arrays.pop("minutes"))
    return runs, arrays, best, minutes


def main(argv=None):
    args, protocol = parse(argv)
    checkpoint = checkpoint_path(args.out)
    if args.restart:
        checkpoint.unlink(missing_ok=True)
    settings = _settings(args, protocol)
    try:
        runs, weights, best, spent = _resume(checkpoint, settings)
    except job_files.JobFileError as error:
        sys.exit(f"scripts/adding_experiment.py: error: {error}")
    grid = list(itertools.product(args.lengths, args.seeds, args.models, protocol.learning_rates))
    if runs:
        print(f"resuming after run {len(runs)} of {len(grid)} (from {checkpoint})", flush=True)
    start = time.perf_counter()
    bar = jobs.progress(total=len(grid), initial=len(runs), desc="adding problem", unit="run")
    for length, seed, (layer, units), rate in grid[len(runs) :]:
        model, curve, test = adding_keras.train(layer, units, length, seed, rate, protocol)
        curve = [round(v, 6) for v in curve]  # as stored, so the chapter's choice is the same
        runs.append(
            {
                "layer": layer,
                "units": units,
                "params": model.count_params(),
                "length": length,
                "seed": seed,
                "learning_rate": rate,
                "val_curve": curve,
                "test_mse": round(test, 6),
            }
        )
        group = (layer, units, length, seed)
        if seed == args.seeds[0] and curve[-1] < best.get(group, float("inf")):
            # the rate chosen by validation MSE, exactly as the chapter chooses it
            best[group] = curve[-1]
            for index, array in enumerate(model.get_weights()):
                weights[weight_key(layer, units, length, index)] = array
        bar.write(
            f"T={length} seed={seed} {layer}-{units} lr={rate:g}: "
            f"val {curve[-1]:.4f} test {test:.4f}"
        )
        bar.update()
        minutes = spent + (time.perf_counter() - start) / 60
        job_files.save_arrays(
            checkpoint,
            {
                "settings": np.array(settings),
                "runs": np.array(json.dumps(runs)),
                "best": np.array(json.dumps([[*key, value] for key, value in best.items()])),
                "minutes": np.array(minutes),
                **weights,
            },
            CHECKPOINT_KIND,
        )
    bar.close()
    result = {
        "protocol": dataclasses.asdict(protocol),
        "lengths": tuple(args.lengths),
        "seeds": tuple(args.seeds),
        "models": [f"{layer}-{units}" for layer, units in args.models],
        "runtime_minutes": round(spent + (time.perf_counter() - start) / 60, 1),
        "runs": runs,
    }
    # each file written under a temporary name and renamed when complete
    job_files.write_text(args.out, json.dumps(result, indent=1) + "\n")
    with job_files.atomic_path(args.weights) as tmp:
        np.savez_compressed(tmp, **weights)  # the format chapter 6 reads: weight arrays only
    checkpoint.unlink(missing_ok=True)
    print(f"wrote {args.out} in {result['runtime_minutes']} minutes")


if __name__ == "__main__":
    main()
