"""rnnbook.models.parallel: shard gradients equal the full batch's; the ring sums, counts bytes."""

import numpy as np
import pytest
from messages import naming

from rnnbook.models import charlm, parallel


@pytest.fixture(scope="module")
def batch():
    rng = np.random.default_rng(0)
    params = charlm.init(9, 3, 5, rng)
    lengths = rng.integers(2, 8, size=12)  # names of different lengths: shards differ in counts
    mask = np.arange(8)[None, :] < lengths[:, None]
    inputs = rng.integers(1, 9, size=mask.shape)
    targets = np.where(mask, rng.integers(1, 9, size=mask.shape), 0)
    return params, inputs, targets, mask


def test_shard_rows_cover_the_batch_once():
    for n, k in [(10, 3), (64, 4), (5, 5), (7, 1)]:
        rows = np.concatenate([np.arange(n)[s] for s in parallel.shard_rows(n, k)])
        assert np.array_equal(rows, np.arange(n))
    with pytest.raises(ValueError, match="at most the batch size 3; got 4"):
        parallel.shard_rows(3, 4)


@pytest.mark.parametrize("workers", [1, 2, 3, 5])
def test_token_weighted_shards_equal_the_full_batch(batch, workers):
    params, inputs, targets, mask = batch
    loss, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    shard_loss, shard_grads, tokens = parallel.sharded_loss_and_grads(
        inputs, targets, params, mask, workers
    )
    assert sum(tokens) == mask.sum()
    assert abs(shard_loss - loss) < 1e-12
    assert np.max(np.abs(parallel.flatten(shard_grads) - parallel.flatten(grads))) < 1e-12


def test_plain_mean_of_shards_is_not_the_full_batch(batch):
    params, inputs, targets, mask = batch
    _, grads = charlm.loss_and_grads(inputs, targets, params, mask)
    _, plain, tokens = parallel.sharded_loss_and_grads(inputs, targets, params, mask, 3, "shards")
    assert len(set(tokens)) > 1
    assert np.max(np.abs(parallel.flatten(plain) - parallel.flatten(grads))) > 1e-6


def test_combine_rejects_bad_weights():
    with pytest.raises(ValueError, match=naming("weights", "per shard (2)", "(3,)")):
        parallel.combine([np.ones(2), np.ones(2)], [1, 2, 3])
    with pytest.raises(ValueError, match="positive sum"):
        parallel.combine([np.ones(2)], [0])


def test_flatten_and_unflatten_are_inverse(batch):
    params = batch[0]
    back = parallel.unflatten(parallel.flatten(params), params)
    assert np.array_equal(parallel.flatten(back), parallel.flatten(params))
    assert back["rnn"]["kernel"].shape == params["rnn"]["kernel"].shape
    with pytest.raises(ValueError, match="vector must be"):
        parallel.unflatten(np.ones(3), params)


@pytest.mark.parametrize("workers", [1, 2, 3, 4, 7])
def test_ring_all_reduce_sums_and_every_worker_agrees(workers):
    vectors = np.random.default_rng(workers).normal(size=(workers, 23))
    summed, sent = parallel.ring_all_reduce(vectors)
    assert np.all(summed == summed[0])
    assert np.allclose(summed[0], vectors.sum(axis=0), rtol=1e-13, atol=1e-13)
    # 2 (K - 1) messages of about P / K values, 8 bytes each
    assert np.all(np.abs(sent - 2 * (workers - 1) * 23 / workers * 8) <= 2 * (workers - 1) * 8)


def test_ring_leaves_its_input_alone_and_checks_it():
    vectors = np.arange(12.0).reshape(3, 4)
    copy = vectors.copy()
    parallel.ring_all_reduce(vectors)
    assert np.array_equal(vectors, copy)
    with pytest.raises(ValueError, match="at least K = 3 values each; got 2"):
        parallel.ring_all_reduce(np.ones((3, 2)))


def test_ring_bytes_stay_below_twice_the_vector():
    vector = np.ones((32, 1000))
    sent = [parallel.ring_all_reduce(vector[:k])[1].max() for k in (2, 4, 8, 16, 32)]
    assert all(s < 2 * 1000 * 8 for s in sent) and sent[-1] > 0.9 * 2 * 1000 * 8
    assert parallel.gather_bytes(1000, 32) == 31 * parallel.gather_bytes(1000, 2)


def test_time_model():
    assert parallel.ring_seconds(1000, 1, 1e-3, 1e6) == 0
    # 2 (K - 1) = 6 messages, each 1 ms latency plus 250 bytes at 1e6 bytes/s
    assert np.isclose(parallel.ring_seconds(1000, 4, 1e-3, 1e6), 6 * (1e-3 + 250e-6))
    assert np.isclose(parallel.step_seconds(0.4, 4, 1000, 1e-3, 1e6), 0.1 + 6 * 1.25e-3)
    with pytest.raises(ValueError, match="bandwidth > 0"):
        parallel.ring_seconds(1000, 2, 1e-3, 0)


def test_scaled_learning_rate():
    assert parallel.scaled_learning_rate(0.1, 256, 2048, 10, 0) == 0.1
    assert np.isclose(parallel.scaled_learning_rate(0.1, 256, 2048, 10, 5), 0.45)
    assert np.isclose(parallel.scaled_learning_rate(0.1, 256, 2048, 10, 10), 0.8)
    assert np.isclose(parallel.scaled_learning_rate(0.1, 256, 2048, 0, 0), 0.8)
    with pytest.raises(ValueError, match=naming("base_batch", "positive integer")):
        parallel.scaled_learning_rate(0.1, 0, 2048, 10, 0)
