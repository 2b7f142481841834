"""Data parallelism from scratch: shard a batch, combine the shards' gradients, ring all-reduce.

Every worker holds the same parameters and computes the gradient of its own shard of the batch;
an all-reduce leaves every worker with the same combination of all shards' gradients.
"""

import numpy as np

from rnnbook import validate
from rnnbook.models import charlm


def shard_rows(batch_size, workers):
    """Row slices giving each of `workers` shards a contiguous, near-equal part of the batch."""
    batch_size = validate.positive_int(batch_size, "batch_size")
    workers = validate.positive_int(workers, "workers")
    if workers > batch_size:
        raise ValueError(f"workers must be at most the batch size {batch_size}; got {workers}")
    edges = np.linspace(0, batch_size, workers + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True)]


def combine(shard_values, weights):
    """sum_k weights[k] * shard_values[k] / sum(weights), leaf by leaf (dicts of arrays or arrays).

    With weights = the number of targets in each shard, per-shard means combine into the mean
    over the whole batch.
    """
    weights = np.asarray(weights, dtype=np.float64)
    if weights.ndim != 1 or len(weights) != len(shard_values) or len(weights) == 0:
        raise ValueError(
            f"weights must be one number per shard ({len(shard_values)}); got shape {weights.shape}"
        )
    if np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError(f"weights must be >= 0 with a positive sum; got {weights}")
    share = weights / weights.sum()
    first = shard_values[0]
    if isinstance(first, dict):
        return {k: combine([v[k] for v in shard_values], weights) for k in first}
    return sum(s * np.asarray(v) for s, v in zip(share, shard_values, strict=True))


def sharded_loss_and_grads(inputs, targets, params, mask, workers, weighting="tokens"):
    """Each shard's charlm.loss_and_grads, combined as an all-reduce would: (loss, grads, tokens).

    weighting "tokens" weights each shard's mean by its number of targets (the full-batch mean);
    "shards" averages the shard means equally, which is right only when shards hold equal counts.
    """
    if weighting not in ("tokens", "shards"):
        raise ValueError(f'weighting must be "tokens" or "shards"; got {weighting!r}')
    mask = np.asarray(mask)
    if mask.shape != np.shape(inputs):
        raise ValueError(f"mask must have the shape of inputs {np.shape(inputs)}; got {mask.shape}")
    losses, grads, tokens = [], [], []
    for rows in shard_rows(len(mask), workers):
        loss, grad = charlm.loss_and_grads(inputs[rows], targets[rows], params, mask[rows])
        losses.append(loss)
        grads.append(grad)
        tokens.append(int(mask[rows].sum()))
    weights = tokens if weighting == "tokens" else np.ones(len(tokens))
    return float(combine(losses, weights)), combine(grads, weights), tokens


def flatten(tree):
    """All arrays of a nested dict, in order, as one 1-D float64 vector (what is all-reduced)."""
    if isinstance(tree, dict):
        return np.concatenate([flatten(v) for v in tree.values()])
    return np.asarray(tree, dtype=np.float64).ravel()


def unflatten(vector, like):
    """The inverse of flatten: arrays shaped like the leaves of `like`, filled from `vector`."""
    vector = np.asarray(vector)
    if vector.shape != (flatten(like).size,):
        raise ValueError(f"vector must be ({flatten(like).size},); got shape {vector.shape}")
    out, start = {}, 0
    for key, value in like.items():
        size = flatten(value).size
        part = vector[start : start + size]
        nested = isinstance(value, dict)
        out[key] = unflatten(part, value) if nested else part.reshape(np.shape(value))
        start += size
    return out


def ring_all_reduce(vectors):
    """Sum K workers' vectors (K, P) as a ring does: (sums (K, P), bytes each worker sent (K,)).

    Each vector is cut into K chunks. In K - 1 reduce-scatter steps every worker sends one chunk to
    the next worker on the ring, which adds it to its own; worker k then holds the full sum of chunk
    k + 1. In K - 1 all-gather steps these finished chunks travel once around the ring. Every
    message is a real copy, and its bytes are counted.
    """
    vectors = validate.array(vectors, "vectors", "K P")
    workers = len(vectors)
    if workers > vectors.shape[1]:
        raise ValueError(f"vectors need at least K = {workers} values each; got {vectors.shape[1]}")
    chunks = [np.array_split(v.copy(), workers) for v in vectors]  # chunks[k][c]: worker k's copy
    sent = np.zeros(workers, dtype=np.int64)
    for phase in ("reduce-scatter", "all-gather"):
        for step in range(workers - 1):
            # every worker sends at once; messages are copied first, as a network would
            messages = []
            for k in range(workers):
                c = (k - step + (1 if phase == "all-gather" else 0)) % workers
                messages.append((c, chunks[k][c].copy()))
                sent[k] += messages[-1][1].nbytes
            for k, (c, message) in enumerate(messages):
                receiver = chunks[(k + 1) % workers]
                if phase == "reduce-scatter":
                    receiver[c] += message
                else:
                    receiver[c] = message
    return np.stack([np.concatenate(c) for c in chunks]), sent


def gather_bytes(vector_size, workers, itemsize=8):
    """Bytes worker 0 sends when all send it their vectors and it sends each of them the sum."""
    return (validate.positive_int(workers, "workers") - 1) * vector_size * itemsize


def ring_seconds(nbytes, workers, latency, bandwidth):
    """Time of a ring all-reduce of nbytes: 2 (K - 1) messages of nbytes / K, one after another."""
    workers = validate.positive_int(workers, "workers")
    if nbytes < 0 or latency < 0 or bandwidth <= 0:
        raise ValueError(
            f"need nbytes >= 0, latency >= 0, bandwidth > 0; got {nbytes}, {latency}, {bandwidth}"
        )
    return 2 * (workers - 1) * (latency + nbytes / workers / bandwidth)


def step_seconds(compute, workers, nbytes, latency, bandwidth):
    """Modelled time of one data-parallel step: compute / K, then a ring all-reduce."""
    if compute < 0:
        raise ValueError(f"compute must be >= 0 seconds; got {compute}")
    return compute / validate.positive_int(workers, "workers") + ring_seconds(
        nbytes, workers, latency, bandwidth
    )


def scaled_learning_rate(base_rate, base_batch, global_batch, warmup_steps, step):
    """The linear scaling rule with gradual warm-up (Goyal et al. 2017) at update `step` (0-based).

    The rate grows linearly from base_rate, tuned for base_batch, to base_rate * global_batch /
    base_batch over warmup_steps updates, and stays there.
    """
    base_batch = validate.positive_int(base_batch, "base_batch")
    global_batch = validate.positive_int(global_batch, "global_batch")
    if base_rate <= 0 or warmup_steps < 0 or step < 0:
        raise ValueError(
            "need base_rate > 0, warmup_steps >= 0, step >= 0; "
            f"got {base_rate}, {warmup_steps}, {step}"
        )
    target = base_rate * global_batch / base_batch
    if step >= warmup_steps:
        return float(target)
    return float(base_rate + (target - base_rate) * step / warmup_steps)
