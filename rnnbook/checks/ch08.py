"""Checkers for chapter 8 (training on several devices)."""

import numpy as np

from rnnbook.checks.core import Case, compare
from rnnbook.models import parallel


def check_combine_shard_means(fn):
    """combine_shard_means(means, counts) against parallel.combine, the token-weighted mean."""
    rng = np.random.default_rng(801)
    cases = [
        Case("two shards with equal counts", (rng.normal(size=(2, 5)), np.array([10, 10]))),
        Case("two shards with counts 3 and 9", (rng.normal(size=(2, 5)), np.array([3, 9]))),
        Case(
            "four shards of a 64-name batch",
            (rng.normal(size=(4, 7)), np.array([117, 126, 112, 122])),
        ),
        Case("one shard", (rng.normal(size=(1, 4)), np.array([5]))),
        Case("a shard with no targets (count 0)", (rng.normal(size=(3, 4)), np.array([4, 0, 6]))),
        Case("counts as a plain list", (rng.normal(size=(3, 2)), [1, 2, 3])),
        Case(
            "an empty shard whose arbitrary mean is huge",
            (np.array([[1.0, 2.0], [1e6, -1e6], [3.0, 4.0]]), np.array([4, 0, 6])),
        ),
    ]
    compare(
        fn,
        lambda means, counts: parallel.combine(list(means), counts),
        cases,
        exercise="combine_shard_means",
        read_only={0: "means", 1: "counts"},
    )


def check_scaled_learning_rate(fn):
    """scaled_learning_rate(...) against parallel.scaled_learning_rate (linear rule, warm-up)."""
    cases = [
        Case("the base batch itself, after warm-up", (0.1, 256, 256, 5, 10)),
        Case("8 times the base batch, after warm-up", (0.1, 256, 2048, 5, 10)),
        Case("8 times the base batch, at step 0", (0.1, 256, 2048, 5, 0)),
        Case("8 times the base batch, half-way through warm-up", (0.1, 256, 2048, 10, 5)),
        Case("the last step of warm-up", (0.1, 256, 2048, 10, 9)),
        Case("the first step after warm-up", (0.1, 256, 2048, 10, 10)),
        Case("no warm-up (warmup_steps = 0)", (0.05, 32, 128, 0, 0)),
        Case("a global batch smaller than the base batch", (0.2, 128, 64, 4, 2)),
    ]
    compare(fn, parallel.scaled_learning_rate, cases, exercise="scaled_learning_rate")
