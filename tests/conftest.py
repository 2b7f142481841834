"""Fixtures shared by the unit tests."""

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
