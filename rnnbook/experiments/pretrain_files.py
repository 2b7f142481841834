"""What the pre-training command reads and writes: the model file, and the checkpoint of a run.

The model file (`save`, `read_model`) holds only arrays (no pickle): each framework's params, the
vocabulary, the config and what the run measured. The checkpoint (`checkpoint_path`,
`read_checkpoint`, and the `*_state` functions for NumPy's Adam and for a Keras model) holds the
whole state of an interrupted run, so that it resumes exactly where it stopped.
"""

from dataclasses import asdict
from pathlib import Path

import numpy as np

from rnnbook import job_files, jobs
from rnnbook.datasets import vocab as vocabulary
from rnnbook.nn import tree

MODEL_NAME = "charlm_surnames.npz"  # in the book's data/ folder (rnnbook.jobs.data_path)
KIND = "rnnbook.pretrain model"  # what save() marks its files as (rnnbook.jobs)
CHECKPOINT_KIND = "rnnbook.pretrain checkpoint"
REMAKE = "remake it with: python -m rnnbook.experiments.pretrain"


def keras_state(model):
    """Every variable of the model (weights, seed generators) and of its optimizer (Adam's moments,
    step count), in their fixed order."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return {
        **{f"keras/model/{i}": v.numpy() for i, v in enumerate(model.variables)},
        **{f"keras/optimizer/{i}": v.numpy() for i, v in enumerate(model.optimizer.variables)},
    }


def set_keras_state(model, state):
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    for part, variables in (("model", model.variables), ("optimizer", model.optimizer.variables)):
        stored = sum(name.startswith(f"keras/{part}/") for name in state)
        if stored != len(variables):
            raise job_files.JobFileError(
                f"the checkpoint holds {stored} Keras {part} variables; this model has "
                f"{len(variables)}: start afresh with --restart"
            )
        for i, variable in enumerate(variables):
            variable.assign(state[f"keras/{part}/{i}"])


def optimizer_state(optimizer):
    """rnnbook.nn.optim.Adam's step count and moments."""
    state = {"optimizer/iterations": np.array(optimizer.iterations)}
    for attribute in ("momentums", "velocities"):
        for path, value in getattr(optimizer, attribute).items():
            state[f"optimizer/{attribute}/{'/'.join(path)}"] = value
    return state


def set_optimizer_state(optimizer, state):
    optimizer.iterations = int(state["optimizer/iterations"])
    for attribute in ("momentums", "velocities"):
        prefix = f"optimizer/{attribute}/"
        moments = {
            tuple(name[len(prefix) :].split("/")): np.array(value)
            for name, value in state.items()
            if name.startswith(prefix)
        }
        setattr(optimizer, attribute, moments)
        if moments:
            optimizer._paths = list(moments)


def save(path, models, chars, config, info):
    """Write models {framework: params}, the vocabulary, the config and info as plain arrays."""
    arrays = {"symbols": np.array(chars.symbols[3:], dtype=str)}  # after <pad>, <s>, </s>
    for framework, params in models.items():
        arrays.update(tree.flat(params, f"{framework}/"))
    for key, value in asdict(config).items():
        arrays[f"config/{key}"] = np.array(value)
    for key, value in info.items():
        arrays[f"info/{key}"] = np.array(value)
    job_files.save_arrays(path, arrays, KIND)  # atomically: write, then rename


def read_model(path=None):
    """(models {framework: params}, vocab, config as a dict, info) from a file written by `save`.

    Without `path`, the book's own model, data/charlm_surnames.npz (rnnbook.jobs.data_path).
    """
    path = jobs.data_path(MODEL_NAME) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(
            f"no pre-trained model at {path}; run: python -m rnnbook.experiments.pretrain"
        )
    # never unpickles; a corrupt file, or one that is not a pre-trained model, is refused
    arrays = job_files.load_arrays(path, KIND, required=("symbols", "config/units"), remedy=REMAKE)
    chars = vocabulary.Vocab([str(s) for s in arrays.pop("symbols")])
    models, settings, info = {}, {}, {}
    for key, value in arrays.items():
        kind, *rest = key.split("/")
        if kind == "config":
            settings[rest[0]] = value.item()
        elif kind == "info":
            info[rest[0]] = value.item() if value.ndim == 0 else value
        else:
            layer = "rnn" if rest[0] == "lstm" else rest[0]  # files written before the rename
            models.setdefault(kind, {}).setdefault(layer, {})[rest[1]] = value
    for params in models.values():
        for name in ("embedding", "rnn", "dense"):
            if name in params:
                params[name] = params.pop(name)  # charlm's layer order
    return models, chars, settings, info


def checkpoint_path(out):
    """Where a run writing `out` keeps its checkpoint: beside it, out's name + .checkpoint.npz."""
    out = Path(out)
    return out.with_name(f"{out.stem}.checkpoint.npz")


def config_arrays(config):
    return {f"config/{key}": np.array(value) for key, value in asdict(config).items()}


def read_checkpoint(path, config, frameworks):
    """({framework: params, "info": {...}} finished, {framework: state} in progress) from the
    checkpoint at path, or empty if there is none. A checkpoint of other options is refused."""
    if not path.exists():
        return {}, {}
    arrays = job_files.load_arrays(
        path,
        CHECKPOINT_KIND,
        required=("frameworks",),
        remedy="delete it, or start afresh with --restart",
    )
    stored = {k: v.item() for k, v in arrays.items() if k.startswith("config/")}
    wanted = {k: v.item() for k, v in config_arrays(config).items()}
    differ = [k[7:] for k in wanted if stored.get(k) != wanted[k]]
    if differ or list(arrays["frameworks"]) != list(frameworks):
        what = ", ".join(
            f"{k} {stored.get('config/' + k)} (now {wanted['config/' + k]})" for k in differ
        )
        raise job_files.JobFileError(
            f"{path} is the checkpoint of a run with other options "
            f"({what or 'frameworks ' + ' '.join(arrays['frameworks'])}): run with the same "
            "options to resume it, or add --restart to discard it"
        )
    done = {}
    info = {
        k[10:]: v.item() if v.ndim == 0 else v
        for k, v in arrays.items()
        if k.startswith("done/info/")
    }
    for framework in frameworks:
        params = tree.unflat(arrays, f"done/{framework}/params/")
        if params:
            done[framework] = params
    done["info"] = info
    states = {}
    for framework in frameworks:
        prefix = f"state/{framework}/"
        state = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        if state:
            states[framework] = state
    return done, states
