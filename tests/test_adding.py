import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import adding


def test_shapes_ranges_and_exactly_one_marker_in_each_half():
    x, y = adding.make(500, 11, np.random.default_rng(0))
    assert x.shape == (500, 11, 2) and y.shape == (500,) and x.dtype == y.dtype == np.float64
    assert x[..., 0].min() >= 0 and x[..., 0].max() <= 1
    markers = x[..., 1]
    assert set(np.unique(markers)) == {0.0, 1.0}
    assert np.all(markers[:, :5].sum(axis=1) == 1) and np.all(markers[:, 5:].sum(axis=1) == 1)


def test_the_target_is_the_sum_of_the_two_marked_numbers():
    x, y = adding.make(300, 50, np.random.default_rng(1))
    np.testing.assert_allclose(y, np.sum(x[..., 0] * x[..., 1], axis=1), rtol=0, atol=1e-15)


def test_markers_cover_every_position_of_their_half():
    x, _ = adding.make(4000, 8, np.random.default_rng(2))
    counts = x[..., 1].sum(axis=0)
    assert np.all(counts > 800)  # about 1000 each: 4000 draws over 4 positions per half


def test_always_predicting_one_scores_one_sixth():
    _, y = adding.make(200_000, 2, np.random.default_rng(3))
    # the standard error of the estimate is about 0.0005
    assert adding.baseline_mse(y) == pytest.approx(1 / 6, abs=0.002)
    assert y.mean() == pytest.approx(1.0, abs=0.005)


def test_the_same_generator_state_gives_the_same_data():
    a = adding.make(5, 7, np.random.default_rng(4))
    b = adding.make(5, 7, np.random.default_rng(4))
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        ((0, 10, np.random.default_rng(0)), ValueError, "n must be a positive integer; got 0"),
        ((5, 1, np.random.default_rng(0)), ValueError, "length must be at least 2"),
        ((5, 2.5, np.random.default_rng(0)), ValueError, "length must be a positive integer"),
        ((5, 10, 0), TypeError, "numpy.random.Generator"),
    ],
)
def test_bad_input_raises(args, error, message):
    with pytest.raises(error, match=message):
        adding.make(*args)


def test_baseline_rejects_bad_targets():
    with pytest.raises(ValueError, match=naming("y", "(N,)", "(2, 2)")):
        adding.baseline_mse(np.ones((2, 2)))
    with pytest.raises(ValueError, match="finite"):
        adding.baseline_mse([1.0, np.nan])
