"""Chapter 9's experiment: training lowers the loss, scores are consistent, weights round-trip."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest
from messages import naming

from rnnbook import jobs
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
        out, _ = seq2seq.greedy(data[1][length], params, 1, 2, max_length=length + 5)
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


def test_the_book_s_stored_run_is_found_from_the_root_and_from_chapters(monkeypatch):
    monkeypatch.delenv(jobs.DATA_ENV, raising=False)
    root = Path(__file__).resolve().parents[1]
    config = dataclasses.asdict(reversal_experiment.Config())
    config = {k: list(v) if isinstance(v, tuple) else v for k, v in config.items()}
    config["attentions"] = ["none", "dot", "additive"]
    for where in (root, root / "chapters"):
        monkeypatch.chdir(where)
        assert reversal_experiment.load_results()["config"] == config  # made by Config()
        params = reversal_experiment.load_params("additive")
        assert seq2seq.attention_of(params) == "additive"


def test_rnnbook_data_points_both_loaders_elsewhere(tmp_path, monkeypatch, data):
    params, _ = reversal_experiment.train(None, data[0], SMALL, seed=0)
    np.savez(
        tmp_path / reversal_experiment.WEIGHTS_NAME, **reversal_experiment.flatten(params, "none")
    )
    (tmp_path / reversal_experiment.RESULTS_NAME).write_text(json.dumps({"runs": []}))
    monkeypatch.setenv(jobs.DATA_ENV, str(tmp_path))
    assert reversal_experiment.load_results() == {"runs": []}
    loaded = reversal_experiment.load_params(None)
    assert np.array_equal(loaded["output"]["kernel"], params["output"]["kernel"].astype(np.float32))
