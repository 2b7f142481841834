"""rnnbook.checks.core: what every checker relies on; and every exercise of the manifest
(rnnbook/checks/exercises.toml, which test_grade.py keeps equal to the chapters) accepts the
chapter's hidden solution. Each chapter's test_checks_chNN.py tests its wrong answers."""

import importlib

import grade
import numpy as np
import pytest
import solutions
from messages import naming

from rnnbook.cells import rnn
from rnnbook.checks import ch05
from rnnbook.checks.calls import package_calls
from rnnbook.checks.core import Case, ExerciseError, ReferenceUsed, compare
from rnnbook.nn import activations


@pytest.mark.parametrize("exercise", grade.load_manifest(), ids=lambda e: e["id"])
def test_the_hidden_solution_passes_its_checker(exercise, capsys):
    module, name = exercise["checker"].split(".")
    checker = getattr(importlib.import_module(f"rnnbook.checks.{module}"), name)
    checker(solutions.load(exercise["notebook"], exercise["function"]))
    assert capsys.readouterr().out.startswith("correct:")


def test_a_dict_with_its_keys_in_another_order_is_right():
    def reordered(dh, x_t, h_prev, h, params):
        da = dh * (1 - h * h)
        grads = {
            "bias": da.sum(axis=0),
            "recurrent_kernel": h_prev.T @ da,
            "kernel": x_t.T @ da,
        }
        return da @ params["kernel"].T, da @ params["recurrent_kernel"].T, grads

    ch05.check_rnn_step_backward(reordered)


def test_a_dict_with_a_key_missing_is_wrong_and_named():
    cases = [Case("one case", (np.ones(2),))]
    with pytest.raises(ExerciseError, match=r"keys \['a', 'b'\]; got \['a'\]"):
        compare(lambda x: {"a": x}, lambda x: {"b": x, "a": x}, cases, exercise="f")


def test_the_package_function_itself_is_refused():
    with pytest.raises(
        ReferenceUsed, match=naming("rnnbook.nn.activations.softmax", "rnnbook package")
    ):
        compare(activations.softmax, activations.softmax, [Case("a", (np.ones(3),))], exercise="s")


def test_package_calls_names_the_package_functions_that_ran():
    params = rnn.init(2, 3, np.random.default_rng(0))
    _, calls = package_calls(rnn.step, np.ones((1, 2)), (np.zeros((1, 3)),), params)
    assert "rnnbook.cells.rnn.step" in calls
    _, calls = package_calls(np.tanh, np.ones(2))
    assert calls == set()


def test_a_traced_call_that_ran_the_reference_is_refused():
    class Remote:
        def traced_call(self, a):
            return activations.softmax(a), {"rnnbook.nn.activations.softmax"}

        def __call__(self, a):
            return self.traced_call(a)[0]

    with pytest.raises(ReferenceUsed, match=naming("rnnbook.nn.activations.softmax")):
        compare(Remote(), activations.softmax, [Case("a", (np.ones(3),))], exercise="s")
