"""One argument order book-wide (CONTRIBUTING.md): the data first, then the parameters.

In every public function of the NumPy layers, no required argument that holds data comes after
`params` (or `model`, an n-gram model's counts); optional ones (a starting state, a mask) may.
"""

import importlib
import inspect
import pkgutil

import pytest

import rnnbook

SUBPACKAGES = ["nn", "cells", "decoding", "models"]
# the names the package gives to data: inputs, targets, states and upstream gradients
DATA = {
    "x", "x_t", "xw_t", "inputs", "targets", "ids", "names", "source", "decoder_in",
    "decoder_out", "sequences", "prefix", "text", "states", "state", "dh_last", "dhs", "dy",
    "dx", "dlogits", "dstates", "dcontext", "cache", "caches", "query", "key", "value", "logits",
}  # fmt: skip
PARAMETERS = ("params", "model")


def _public_functions():
    for sub in SUBPACKAGES:
        package = importlib.import_module(f"rnnbook.{sub}")
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"rnnbook.{sub}.{info.name}")
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if fn.__module__ == module.__name__ and not name.startswith("_"):
                    yield f"{sub}.{info.name}.{name}", fn


def data_after_parameters(fn):
    """The required data arguments that come after the parameters in fn's signature."""
    names = list(inspect.signature(fn).parameters.values())
    where = next((i for i, p in enumerate(names) if p.name in PARAMETERS), None)
    if where is None:
        return []
    return [
        p.name
        for p in names[where + 1 :]
        if p.name in DATA and p.default is inspect.Parameter.empty
    ]


FUNCTIONS = dict(_public_functions())


def test_the_rule_sees_the_functions_it_governs():
    assert rnnbook  # imported for its subpackages
    for name in [
        "models.charlm.forward",
        "models.generate.step",
        "cells.lstm.step",
        "nn.dense.forward",
    ]:
        assert name in FUNCTIONS
    assert sum(1 for fn in FUNCTIONS.values() if "params" in inspect.signature(fn).parameters) > 40


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_data_comes_before_the_parameters(name):
    assert data_after_parameters(FUNCTIONS[name]) == [], name


def test_a_function_with_the_old_order_is_caught():
    def forward(params, inputs, states=None):  # charlm.forward's order before issue 15
        return params, inputs, states

    assert data_after_parameters(forward) == ["inputs"]
