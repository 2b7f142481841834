"""Parameters as nested dicts of arrays, walked in one order: the order Keras keeps its weights in.

Every model's params is a dict of layers, each a dict of arrays (`{"rnn": {"kernel": ...}}`), or
one layer's dict alone. Insertion order is Keras' order, so the leaves in order are exactly what
`model.get_weights()` gives and `model.set_weights` takes.
"""

import numpy as np


def where(name, path):
    """How a message names a leaf: where("grads", ("rnn", "kernel")) is grads['rnn']['kernel']."""
    return name + "".join(f"[{key!r}]" for key in path)


def leaves(tree, name="params", path=()):
    """Yield (path, value) for every leaf of a dict whose values are arrays or such dicts."""
    if not isinstance(tree, dict) or not tree:
        got = "an empty dict" if isinstance(tree, dict) else type(tree).__name__
        raise TypeError(
            f"{where(name, path)} must be a non-empty dict of arrays (or of such dicts); got {got}"
        )
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, name, (*path, key))
        else:
            yield (*path, key), value


def rebuild(tree, new, path=()):
    """The dict `tree` with each leaf replaced by new[path]."""
    return {
        key: rebuild(value, new, (*path, key)) if isinstance(value, dict) else new[(*path, key)]
        for key, value in tree.items()
    }


def keras_weights(params):
    """The leaves in order: the list a Keras model of the same layers takes in set_weights."""
    return [value for _, value in leaves(params)]


def from_keras_weights(weights, like, dtype=None):
    """Params with the structure of `like` (its leaves only give the order), filled from a Keras
    model's get_weights() list; each array copied, as `dtype` if given."""
    paths = [path for path, _ in leaves(like, "like")]
    weights = list(weights)
    if len(weights) != len(paths):
        names = ", ".join("/".join(path) for path in paths)
        raise ValueError(f"weights must be {len(paths)} arrays ({names}); got {len(weights)}")
    new = {path: np.array(w, dtype=dtype) for path, w in zip(paths, weights, strict=True)}
    return rebuild(like, new)


def flat(params, prefix=""):
    """{prefix + "layer/key": array}: params as the named arrays of an .npz file."""
    return {prefix + "/".join(path): value for path, value in leaves(params)}


def unflat(arrays, prefix=""):
    """Params back from `flat`'s names (those starting with `prefix`), in the order stored."""
    params = {}
    for name, value in arrays.items():
        if name.startswith(prefix):
            *layers, key = name[len(prefix) :].split("/")
            level = params
            for layer in layers:
                level = level.setdefault(layer, {})
            level[key] = np.array(value)
    return params


def copy(params):
    """A copy of every array, in the same structure."""
    return rebuild(params, {path: np.copy(value) for path, value in leaves(params)})
