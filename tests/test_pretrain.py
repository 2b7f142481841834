"""The pre-training command, run on a tiny configuration (also killed part-way and resumed), and
the shipped pre-trained model."""

import sys

import interrupt
import numpy as np
import pytest

from rnnbook import job_files, jobs
from rnnbook.datasets import vocab
from rnnbook.experiments import pretrain
from rnnbook.models import charlm, generate

# three epochs, so that a run killed after its first checkpoint is killed in the middle
TINY = ["--units", "8", "--embed-dim", "4", "--epochs", "3", "--batch-size", "32", "--limit", "400"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """An uninterrupted run of both frameworks, in this process."""
    path = tmp_path_factory.mktemp("pretrain") / "tiny.npz"
    models, chars, info = pretrain.main(
        [*TINY, "--frameworks", "numpy", "keras", "--out", str(path)]
    )
    return path, models, chars, info


def test_the_split_is_the_books_and_disjoint():
    train, held_out = pretrain.split_names()
    assert len(train) + len(held_out) == 88_799 and len(held_out) == 8_880
    assert not set(train) & set(held_out)
    assert (train, held_out) == pretrain.split_names()  # the same every time


def test_learning_rate_schedule():
    config = pretrain.Config(learning_rate=0.01, constant_epochs=2, decay=0.5)
    assert [pretrain.learning_rate(config, e) for e in range(4)] == [0.01, 0.01, 0.005, 0.0025]


def test_the_file_holds_only_arrays_and_loads_back_exactly(tiny):
    path, models, chars, info = tiny
    with np.load(path, allow_pickle=False) as data:  # raises if anything needed pickle
        assert "symbols" in data.files and "numpy/rnn/kernel" in data.files
    loaded, loaded_chars, config, loaded_info = pretrain.load(path)
    assert loaded_chars.symbols == chars.symbols
    assert config.units == 8 and config.epochs == 3 and config.limit == 400
    for framework in ("numpy", "keras"):
        assert list(loaded[framework]) == ["embedding", "rnn", "dense"]
        for layer, params in models[framework].items():
            assert list(loaded[framework][layer]) == list(params)
            for key, value in params.items():
                assert np.array_equal(loaded[framework][layer][key], value)
                assert value.dtype == np.float32
        assert len(loaded_info[f"{framework}_epoch_validation"]) == 3
    assert loaded_info["numpy_held_out"] == info["numpy_held_out"]


def test_the_book_s_file_written_with_the_old_layer_name_loads_under_rnn():
    with np.load(jobs.data_path(pretrain.MODEL_NAME), allow_pickle=False) as data:
        assert "numpy/lstm/kernel" in data.files  # written before "lstm" became "rnn"
    models, _, _, _ = pretrain.load()
    assert all(list(params) == ["embedding", "rnn", "dense"] for params in models.values())


def test_the_stored_scores_are_those_of_the_stored_weights(tiny):
    path, _, _, _ = tiny
    loaded, chars, _, info = pretrain.load(path)
    _, held_out = pretrain.split_names()
    for framework, params in loaded.items():
        assert generate.nats_per_char(held_out, params, chars) == pytest.approx(
            info[f"{framework}_held_out"], abs=1e-6
        )
        best = np.min(info[f"{framework}_epoch_validation"])
        assert info[f"{framework}_best_validation"] == best


def test_both_frameworks_learn_and_follow_the_same_trajectory(tiny):
    _, _, _, info = tiny
    for framework in ("numpy", "keras"):
        losses = info[f"{framework}_epoch_training_loss"]
        assert losses[-1] < losses[0]
        assert info[f"{framework}_held_out"] < np.log(27)  # better than guessing
    # the same start, batches and schedule: in float32 they agree closely over three tiny epochs
    assert np.allclose(info["numpy_epoch_validation"], info["keras_epoch_validation"], atol=1e-3)


@pytest.mark.parametrize("framework", ["numpy", "keras"])
def test_a_killed_run_resumes_and_ends_as_the_uninterrupted_run(tmp_path, tiny, framework):
    """SIGKILL after the first epoch's checkpoint, then run again: the old result in data/ is never
    touched, and the resumed run writes exactly what the uninterrupted one (`tiny`) wrote."""
    reference, *_ = tiny
    out = tmp_path / "data" / "model.npz"
    out.parent.mkdir()
    out.write_bytes(b"a result from before")
    mtime = out.stat().st_mtime_ns
    checkpoint = pretrain.checkpoint_path(out)
    command = [sys.executable, "-m", "rnnbook.experiments.pretrain", *TINY]
    command += ["--frameworks", framework, "--out", str(out)]
    pid = interrupt.kill_when(command, checkpoint.exists)

    # data/ holds the old result, untouched, and a complete checkpoint; nothing half-written
    assert out.read_bytes() == b"a result from before" and out.stat().st_mtime_ns == mtime
    leftovers = {p.name for p in out.parent.iterdir()} - {f".model.tmp-{pid}.npz"}
    assert leftovers == {"model.npz", "model.checkpoint.npz"}, leftovers
    state = job_files.load_arrays(checkpoint, pretrain.CHECKPOINT_KIND)
    assert 1 <= int(state[f"state/{framework}/epoch"]) < 3, "killed in the middle of training"

    resumed = interrupt.run(command)
    assert f"{framework}: resuming after epoch" in resumed.stdout
    assert sorted(p.name for p in out.parent.iterdir()) == ["model.npz"]  # checkpoint removed
    models, _, _, info = pretrain.load(out)
    expected, _, _, expected_info = pretrain.load(reference)
    for layer, params in expected[framework].items():
        for key, value in params.items():
            assert np.array_equal(models[framework][layer][key], value), (layer, key)
    for key in ("epoch_validation", "epoch_training_loss", "held_out", "best_epoch"):
        name = f"{framework}_{key}"
        assert np.array_equal(info[name], expected_info[name]), name


def test_with_dropout_both_frameworks_get_the_same_masks_and_agree(tmp_path):
    args = [*TINY, "--dropout", "0.3", "--weight-decay", "0.01", "--frameworks", "numpy", "keras"]
    _, _, info = pretrain.main([*args, "--out", str(tmp_path / "dropout.npz")])
    # the same masks on both sides: the trajectories agree as closely as without dropout
    assert np.allclose(info["numpy_epoch_validation"], info["keras_epoch_validation"], atol=1e-3)
    _, _, plain = pretrain.main([*TINY, "--frameworks", "numpy", "--out", str(tmp_path / "p.npz")])
    assert abs(plain["numpy_epoch_validation"][-1] - info["numpy_epoch_validation"][-1]) > 1e-3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "--epochs must be at least 1; got 0"),
        (["--learning-rate", "-1"], "--learning-rate must be a positive number"),
        (["--decay", "2"], "--decay must be in (0, 1]"),
        (["--limit", "-5"], "--limit must be 0 or more"),
        (["--units", "many"], "invalid int value: 'many'"),
        (["--frameworks", "torch"], "invalid choice: 'torch'"),
        (["--out", "model.txt"], "--out must name an .npz file"),
        (["--dropout", "1"], "--dropout must be in [0, 1); got 1.0"),
        (["--weight-decay", "-0.1"], "--weight-decay must be 0 or more"),
        (["--recurrent-dropout", "0.2"], "--recurrent-dropout is Keras' only"),
    ],
)
def test_bad_arguments_are_refused_with_status_2_naming_the_argument(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        pretrain.main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_says_how_to_make_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="python -m rnnbook.experiments.pretrain"):
        pretrain.load(tmp_path / "absent.npz")


def test_bad_framework_is_rejected():
    chars = vocab.Vocab(["a"])
    with pytest.raises(ValueError, match="framework must be one of"):
        pretrain.train(pretrain.Config(), "torch", chars, ["a"], ["a"])


def test_the_shipped_model_meets_the_goal():
    models, chars, config, info = pretrain.load()
    _, held_out = pretrain.split_names()
    for framework in ("numpy", "keras"):
        params = models[framework]
        assert params["rnn"]["recurrent_kernel"].shape == (config.units, 4 * config.units)
        nats = generate.nats_per_char(held_out[:2000], params, chars)
        assert nats < 2.2 and info[f"{framework}_held_out"] <= 2.10
    logits, _, _ = charlm.forward(chars.encode("smith", boundaries=True)[None, :], models["numpy"])
    assert np.all(np.isfinite(logits))
