"""Loss functions, each returning (loss, gradient of the loss with respect to its first input)."""

import numpy as np

from rnnbook import validate
from rnnbook.nn import activations


def _same_shape(a, b, names):
    if np.shape(a) != np.shape(b):
        raise ValueError(
            f"{names[0]} and {names[1]} must have the same shape; "
            f"got {np.shape(a)} and {np.shape(b)}"
        )


def _floats(value, name):
    """Any non-empty finite array, as float64: a loss sums many terms, float32 loses digits."""
    return validate.array(value, name, dtype=np.float64)


def _weights(mask, shape):
    """Return the 0/1 mask as float64 (all ones when None) and the number of positions it keeps."""
    if mask is None:
        return np.ones(shape), float(np.prod(shape))
    mask = np.asarray(mask)
    if mask.shape != shape:
        raise ValueError(f"mask must have the shape of targets, {shape}; got {mask.shape}")
    if not np.all((mask == 0) | (mask == 1)):
        raise ValueError("mask must hold only 0 and 1 (or False and True)")
    count = float(mask.sum())
    if count == 0:
        raise ValueError("mask must keep at least one position; it is all zeros")
    return mask.astype(np.float64), count


def softmax_cross_entropy(logits, targets, mask=None):
    """Mean of -log softmax(logits)[target] over the unmasked positions, and d loss / d logits.

    logits (..., V), e.g. (N, T, V); targets (...) integer ids in [0, V); mask (...) 0/1,
    with 0 for padded positions. The mean is over the kept positions only, as Keras'
    reduction "mean_with_sample_weight" does.
    """
    logits = _floats(logits, "logits")
    targets = np.asarray(targets)
    if logits.ndim < 1 or targets.shape != logits.shape[:-1]:
        raise ValueError(
            f"targets must be logits' shape without its last axis, "
            f"{logits.shape[:-1]}; got {targets.shape} (logits {logits.shape})"
        )
    targets = validate.ids(targets, "targets", logits.shape[-1])
    weights, count = _weights(mask, targets.shape)
    log_probs = activations.log_softmax(logits)  # (..., V)
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]  # (...)
    loss = -np.sum(picked * weights) / count
    # d(-log p_y)/da = softmax(a) - onehot(y), scaled by each position's share of the mean
    dlogits = np.exp(log_probs)
    np.put_along_axis(
        dlogits,
        targets[..., None],
        np.take_along_axis(dlogits, targets[..., None], axis=-1) - 1.0,
        axis=-1,
    )
    dlogits *= (weights / count)[..., None]
    return float(loss), dlogits


def mean_squared_error(pred, target):
    """Mean of (pred - target)^2 over every element, and d loss / d pred."""
    pred = _floats(pred, "pred")
    target = _floats(target, "target")
    _same_shape(pred, target, ("pred", "target"))
    diff = pred - target
    return float(np.mean(diff**2)), 2.0 * diff / diff.size


def binary_cross_entropy(logits, targets):
    """Mean of -[y log s(z) + (1-y) log(1 - s(z))] for logits z, targets y in [0, 1]; and d/dz."""
    logits = _floats(logits, "logits")
    targets = _floats(targets, "targets")
    _same_shape(logits, targets, ("logits", "targets"))
    if np.any((targets < 0) | (targets > 1)):
        raise ValueError(
            f"targets must lie in [0, 1]; got values from {targets.min()} to {targets.max()}"
        )
    # the same function as the formula above, rewritten so that no exp(|z|) can overflow
    per_element = np.maximum(logits, 0) - logits * targets + np.log1p(np.exp(-np.abs(logits)))
    return float(np.mean(per_element)), (activations.sigmoid(logits) - targets) / logits.size
