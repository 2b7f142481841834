"""Fixtures shared by the unit tests."""

import numpy as np
import pytest

from rnnbook import backend


@pytest.fixture(scope="module")
def tf_keras():
    """(tf, keras), quiet and deterministic, seeded afresh for each test module."""
    return backend.load_keras(seed=0)


@pytest.fixture(scope="module")
def keras(tf_keras):
    """The keras module alone, for tests that never touch TensorFlow directly."""
    return tf_keras[1]


@pytest.fixture
def agrees_with_keras(record_property):
    """check(ours, theirs, tol): each of our arrays within tol of Keras' (relative and absolute);
    the largest difference is recorded for scripts/book_stats.py (chapters/testing.md)."""

    def check(ours, theirs, tol):
        for a, b in zip(ours, theirs, strict=True):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol)
        largest = max(np.max(np.abs(a - b)) for a, b in zip(ours, theirs, strict=True))
        record_property("largest_difference_to_keras", float(largest))

    return check
