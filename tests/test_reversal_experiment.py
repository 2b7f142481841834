"""Chapter 9's experiment: training lowers the loss, scores are consistent, weights round-trip."""

import dataclasses

import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import reversal
from rnnbook.experiments import reversal_experiment
from rnnbook.models import seq2seq

SMALL = dataclasses.replace(
    reversal_experiment.Config(),
    lengths=(3, 4),
    train_per_length=200,
    test_per_length=20,
    units=8,
    steps=60,
    batch_size=16,
    learning_rate=0.01,
    beam_rows=5,
    log_every=20,
)


@pytest.fixture(scope="module")
def data():
    return reversal.make(
        SMALL.lengths, SMALL.train_per_length, SMALL.test_per_length, np.random.default_rng(0)
    )


@pytest.mark.parametrize("attention", [None, "dot"])
def test_training_lowers_the_loss_and_is_reproducible(data, attention):
    params, curve = reversal_experiment.train(attention, data[0], SMALL, seed=0)
    assert len(curve) == 3 and curve[-1] < curve[0]
    again, curve_again = reversal_experiment.train(attention, data[0], SMALL, seed=0)
    assert curve_again == curve
    assert np.array_equal(again["output"]["kernel"], params["output"]["kernel"])


def test_evaluate_scores_are_consistent(data):
    params, _ = reversal_experiment.train("additive", data[0], SMALL, seed=1)
    rows = reversal_experiment.evaluate(params, data[1], beam_width=2, beam_rows=5)
    assert sorted(rows) == [3, 4]
    for length, row in rows.items():
        assert row["forced_exact"] == row["greedy_exact"]  # no mistake: the same history
        assert 0 <= row["greedy_exact"] <= row["greedy_char"] <= 1
        out, _ = seq2seq.greedy(params, data[1][length], 1, 2, max_length=length + 5)
        assert row["greedy_exact"] == reversal.exact_match(out, reversal.targets(data[1][length]))


def test_weights_round_trip_through_the_npz(tmp_path, data):
    params, _ = reversal_experiment.train("dot", data[0], SMALL, seed=2)
    params = reversal_experiment.as_float32(params)
    path = tmp_path / "weights.npz"
    np.savez(path, **reversal_experiment.flatten(params, "dot"))
    loaded = reversal_experiment.load_params("dot", path)
    assert list(loaded) == list(params)
    for layer in params:
        for key in params[layer]:
            assert np.array_equal(loaded[layer][key], params[layer][key])
    with pytest.raises(ValueError, match=naming("attention='additive'")):
        reversal_experiment.load_params("additive", path)
