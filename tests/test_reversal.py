"""The reversal task: distinct, disjoint strings; teacher-forcing arrays; the two accuracies."""

import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import reversal


def test_make_draws_distinct_disjoint_strings_of_each_length():
    train, test = reversal.make([2, 5], 80, 20, np.random.default_rng(0))
    for length in (2, 5):
        assert train[length].shape == (80, length) and test[length].shape == (20, length)
        both = np.concatenate([train[length], test[length]])
        assert len(np.unique(both, axis=0)) == 100  # no repeats, so none shared either
        assert set(np.unique(both)) <= set(reversal.DIGITS)
    again, _ = reversal.make([2, 5], 80, 20, np.random.default_rng(0))
    assert np.array_equal(again[5], train[5])


def test_make_fills_a_length_with_every_string_when_asked():
    train, test = reversal.make([2], 90, 10, np.random.default_rng(1))
    assert len(np.unique(np.concatenate([train[2], test[2]]), axis=0)) == 100


def test_make_rejects_more_strings_than_exist():
    with pytest.raises(ValueError, match=naming("length 2", "100 distinct", "101")):
        reversal.make([2], 91, 10, np.random.default_rng(0))


def test_targets_and_teacher_forcing():
    source = np.array([[3, 4, 5], [12, 12, 3]])  # "012" and "990"
    assert reversal.text(reversal.targets(source)[0]) == "210"
    inputs, outputs = reversal.decoder_io(source)
    bos, eos = reversal.VOCAB.bos_id, reversal.VOCAB.eos_id
    assert inputs.tolist() == [[bos, 5, 4, 3], [bos, 3, 12, 12]]
    assert outputs.tolist() == [[5, 4, 3, eos], [3, 12, 12, eos]]


def test_batches_hold_one_length_each():
    train, _ = reversal.make([3, 4, 6], 50, 5, np.random.default_rng(2))
    batches = reversal.batches(train, 16, np.random.default_rng(3))
    seen = set()
    for _ in range(30):
        b = next(batches)
        assert b.shape[0] == 16
        seen.add(b.shape[1])
        assert any(np.array_equal(b[0], row) for row in train[b.shape[1]])
    assert seen == {3, 4, 6}


def test_exact_match_and_char_accuracy():
    expected = np.array([[3, 4, 5, 6], [7, 8, 9, 10]])
    predicted = [np.array([3, 4, 5, 6]), np.array([7, 8, 10])]  # right; one short and one wrong
    assert reversal.exact_match(predicted, expected) == 0.5
    assert reversal.char_accuracy(predicted, expected) == 6 / 8
    longer = [np.array([3, 4, 5, 6, 7]), np.array([7, 8, 9, 10])]
    assert reversal.exact_match(longer, expected) == 0.5  # an extra character is not a match
    assert reversal.char_accuracy(longer, expected) == 1.0
    with pytest.raises(ValueError, match=naming("predicted", "per expected row, 2", "got 1")):
        reversal.exact_match(predicted[:1], expected)
    with pytest.raises(ValueError, match=naming("expected", "integer ids (N, L)")):
        reversal.char_accuracy(predicted, expected[0])
