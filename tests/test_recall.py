import numpy as np
import pytest

from rnnbook.datasets import recall


def test_the_target_is_the_bit_read_delay_steps_earlier():
    x, y, mask = recall.make(50, 30, 4, np.random.default_rng(0))
    assert x.shape == (50, 30, 2) and y.shape == mask.shape == (50, 30)
    bits = x.argmax(axis=-1)
    np.testing.assert_array_equal(x.sum(axis=-1), 1.0)  # one-hot
    np.testing.assert_array_equal(y[:, 4:], bits[:, :-4])
    np.testing.assert_array_equal(mask[:, :4], 0.0)
    np.testing.assert_array_equal(mask[:, 4:], 1.0)
    assert 0.45 < bits.mean() < 0.55  # fair bits: 1500 draws, standard error 0.013


def test_accuracy_of_a_perfect_a_wrong_and_a_partial_answer():
    x, y, mask = recall.make(8, 20, 3, np.random.default_rng(1))
    perfect = np.eye(2)[y]  # logits that put the target bit first
    assert recall.accuracy(perfect, y, mask) == 1.0
    assert recall.accuracy(1.0 - perfect, y, mask) == 0.0
    half = perfect.copy()
    half[:, 3:11] = 1.0 - half[:, 3:11]  # wrong on 8 of the 17 masked-in steps of each row
    assert recall.accuracy(half, y, mask) == pytest.approx(9 / 17)


def test_masked_out_steps_do_not_count():
    x, y, mask = recall.make(4, 10, 2, np.random.default_rng(2))
    logits = np.eye(2)[y]
    logits[:, :2] = np.eye(2)[1 - y[:, :2]]  # wrong where the mask is 0
    assert recall.accuracy(logits, y, mask) == 1.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0, 10, 2), "n must be a positive integer"),
        ((3, 5, 5), "length must exceed delay=5"),
        ((3, 10, 0), "delay must be a positive integer"),
    ],
)
def test_bad_arguments_are_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        recall.make(*args, np.random.default_rng(0))


def test_accuracy_rejects_mismatched_shapes_and_an_empty_mask():
    x, y, mask = recall.make(2, 6, 1, np.random.default_rng(3))
    with pytest.raises(ValueError, match="y and mask must be"):
        recall.accuracy(np.zeros((2, 6, 2)), y[:, :5], mask)
    with pytest.raises(ValueError, match="at least one step"):
        recall.accuracy(np.zeros((2, 6, 2)), y, np.zeros_like(mask))
