"""Chapter 8's checkers reject plausible wrong answers
(the hidden solutions pass them: test_checks_core.py)."""

import numpy as np
import pytest
from messages import naming

from rnnbook.checks import ch08
from rnnbook.checks.core import ExerciseError


def combine_plain_mean(means, counts):
    return np.mean(means, axis=0)


def combine_weighted_sum(means, counts):
    return np.asarray(counts, dtype=float) @ np.asarray(means)


def combine_by_shard_count(means, counts):
    return np.asarray(counts, dtype=float) @ np.asarray(means) / len(counts)


def combine_in_place(means, counts):
    counts = np.asarray(counts, dtype=float)
    means *= (counts / counts.sum())[:, None]
    return means.sum(axis=0)


def combine_skipping_empty_shards_wrongly(means, counts):
    counts = np.asarray(counts, dtype=float)
    kept = counts > 0
    return np.mean(means[kept], axis=0) if not np.all(kept) else counts / counts.sum() @ means


def combine_with_tiny_weight_for_empty_shards(means, counts):
    counts = np.maximum(np.asarray(counts, dtype=float), 1e-6)
    return counts / counts.sum() @ means


def rate_not_scaled(base_rate, base_batch, global_batch, warmup_steps, step):
    return float(base_rate)


def rate_scaled_by_sqrt(base_rate, base_batch, global_batch, warmup_steps, step):
    return float(base_rate * np.sqrt(global_batch / base_batch))


def rate_without_warmup(base_rate, base_batch, global_batch, warmup_steps, step):
    return float(base_rate * global_batch / base_batch)


def rate_warmup_from_zero(base_rate, base_batch, global_batch, warmup_steps, step):
    target = base_rate * global_batch / base_batch
    return float(target * min(1.0, step / warmup_steps)) if warmup_steps else float(target)


def rate_warmup_one_step_late(base_rate, base_batch, global_batch, warmup_steps, step):
    target = base_rate * global_batch / base_batch
    if step > warmup_steps or warmup_steps == 0:
        return float(target)
    return (
        float(base_rate + (target - base_rate) * (step - 1) / warmup_steps) if step else base_rate
    )


@pytest.mark.parametrize(
    ("checker", "wrong", "message"),
    [
        (ch08.check_combine_shard_means, combine_plain_mean, "counts 3 and 9"),
        (ch08.check_combine_shard_means, combine_weighted_sum, "equal counts"),
        (ch08.check_combine_shard_means, combine_by_shard_count, "equal counts"),
        (ch08.check_combine_shard_means, combine_in_place, "changed its argument `means`"),
        (ch08.check_combine_shard_means, combine_skipping_empty_shards_wrongly, "no targets"),
        (ch08.check_combine_shard_means, combine_with_tiny_weight_for_empty_shards, "huge"),
        (ch08.check_scaled_learning_rate, rate_not_scaled, "8 times the base batch, after"),
        (ch08.check_scaled_learning_rate, rate_scaled_by_sqrt, "8 times the base batch, after"),
        (ch08.check_scaled_learning_rate, rate_without_warmup, "at step 0"),
        (ch08.check_scaled_learning_rate, rate_warmup_from_zero, "at step 0"),
        (ch08.check_scaled_learning_rate, rate_warmup_one_step_late, "half-way"),
    ],
)
def test_wrong_answer_fails_with_feedback(checker, wrong, message):
    with pytest.raises(ExerciseError, match=message):
        checker(wrong)


def test_checker_reports_a_wrong_shape():
    with pytest.raises(ExerciseError, match=naming("(1, 5)", "(5,)")):
        ch08.check_combine_shard_means(lambda means, counts: np.mean(means, axis=0, keepdims=True))
