import importlib.util

import numpy as np
import pytest

from rnnbook.datasets import surnames


@pytest.fixture(scope="module")
def names():
    return surnames.load()


def test_the_census_list_is_complete_lower_case_and_distinct(names):
    assert len(names) == 88_799 == len(set(names))
    assert names[:3] == ["smith", "johnson", "williams"]
    assert set("".join(names)) == set("abcdefghijklmnopqrstuvwxyz")
    assert min(map(len, names)) == 2 and max(map(len, names)) == 13


def test_split_is_a_deterministic_partition(names):
    train, held = surnames.split(names, rng=np.random.default_rng(0))
    assert (len(train), len(held)) == (79_919, 8_880)
    assert set(train).isdisjoint(held) and set(train) | set(held) == set(names)
    again = surnames.split(names, rng=np.random.default_rng(0))
    other = surnames.split(names, 0.2, rng=np.random.default_rng(1))
    assert again == (train, held)
    assert len(other[1]) == 17_760 and other[1][:50] != held[:50]


def test_split_keeps_the_input_order_within_each_part():
    train, held = surnames.split(range(10), 0.3, rng=np.random.default_rng(2))
    assert train == sorted(train) and held == sorted(held) and len(held) == 3


def test_split_never_leaves_a_part_empty():
    assert [len(part) for part in surnames.split("ab", 0.01, rng=np.random.default_rng(0))] == [
        1,
        1,
    ]
    assert [len(part) for part in surnames.split("ab", 0.99, rng=np.random.default_rng(0))] == [
        1,
        1,
    ]


@pytest.mark.parametrize(
    ("items", "held_out", "rng", "error", "message"),
    [
        (["a"], 0.1, np.random.default_rng(0), ValueError, "at least 2 entries to split; got 1"),
        (["a", "b"], 0.0, np.random.default_rng(0), ValueError, r"number in \(0, 1\); got 0.0"),
        (["a", "b"], 1, np.random.default_rng(0), ValueError, "held_out"),
        (["a", "b"], "0.1", np.random.default_rng(0), TypeError, "held_out"),
        (["a", "b"], 0.5, 42, TypeError, "numpy.random.Generator"),
    ],
)
def test_split_rejects_bad_input(items, held_out, rng, error, message):
    with pytest.raises(error, match=message):
        surnames.split(items, held_out, rng=rng)


def test_a_missing_names_package_is_reported_with_the_fix(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "names" else real(name)
    )
    with pytest.raises(ModuleNotFoundError, match="pip install names"):
        surnames.load()
