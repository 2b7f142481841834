import numpy as np
import pytest

from rnnbook.models import charlm
from rnnbook.nn import tree

PARAMS = charlm.init(7, 2, 3, np.random.default_rng(0))  # embedding, rnn, dense


def test_leaves_follow_insertion_order_which_is_keras_order():
    paths = [path for path, _ in tree.leaves(PARAMS)]
    assert paths == [
        ("embedding", "embeddings"),
        ("rnn", "kernel"),
        ("rnn", "recurrent_kernel"),
        ("rnn", "bias"),
        ("dense", "kernel"),
        ("dense", "bias"),
    ]
    weights = tree.keras_weights(PARAMS)
    assert [w.shape for w in weights] == [(7, 2), (2, 12), (3, 12), (12,), (3, 7), (7,)]


def test_from_keras_weights_flat_and_copy_give_the_same_params_back_as_new_arrays():
    for back in [
        tree.from_keras_weights(tree.keras_weights(PARAMS), PARAMS),
        tree.unflat(tree.flat(PARAMS, "numpy/"), "numpy/"),
        tree.copy(PARAMS),
    ]:
        pairs = zip(tree.leaves(back), tree.leaves(PARAMS), strict=True)
        for (path, ours), (same_path, theirs) in pairs:
            assert path == same_path and np.array_equal(ours, theirs) and ours is not theirs
    assert list(tree.flat(PARAMS, "numpy/"))[1] == "numpy/rnn/kernel"


def test_bad_trees_and_weight_lists_are_named():
    with pytest.raises(
        ValueError, match=r"weights must be 6 arrays \(embedding/embeddings, .*got 5"
    ):
        tree.from_keras_weights(tree.keras_weights(PARAMS)[:5], PARAMS)
    with pytest.raises(TypeError, match=r"grads\['rnn'\] must be a non-empty dict .*an empty dict"):
        list(tree.leaves({"rnn": {}}, "grads"))
    with pytest.raises(TypeError, match="params must be a non-empty dict .*got list"):
        list(tree.leaves([1, 2]))
