"""Delayed recall: at every step, output the bit that was read `delay` steps earlier.

The simplest task whose difficulty is one number, the length of memory it needs: a network
that keeps the last `delay` bits solves it exactly, one that keeps fewer can do no better than
chance on the bits it has lost. Chapter 5 uses it to measure truncated backpropagation.
"""

import numpy as np

from rnnbook import validate


def make(n, length, delay, rng):
    """n streams of random bits: (x, y, mask) with x (n, length, 2), y and mask (n, length).

    x is the one-hot code of each bit; y[:, t] is the bit at t - delay; the first `delay` steps
    have no such bit, so their mask is 0 (and their y is 0, a placeholder the mask hides).
    """
    n = validate.positive_int(n, "n")
    length = validate.positive_int(length, "length")
    delay = validate.positive_int(delay, "delay")
    validate.generator(rng)
    if length <= delay:
        raise ValueError(f"length must exceed delay={delay}, or no step has a target; got {length}")
    bits = rng.integers(0, 2, size=(n, length))
    x = np.eye(2)[bits]  # (n, length, 2)
    y = np.zeros((n, length), dtype=np.int64)
    y[:, delay:] = bits[:, :-delay]
    mask = np.zeros((n, length))
    mask[:, delay:] = 1.0
    return x, y, mask


def accuracy(logits, y, mask):
    """The share of masked-in steps where the larger logit is the target bit."""
    logits = validate.array(logits, "logits", "N T V", V=2)
    y, mask = np.asarray(y), np.asarray(mask)
    if y.shape != logits.shape[:2] or mask.shape != y.shape:
        raise ValueError(
            f"y and mask must be (N, T) = {logits.shape[:2]}; got {y.shape} and {mask.shape}"
        )
    if mask.sum() == 0:
        raise ValueError("mask must keep at least one step; it is all zeros")
    hits = (logits.argmax(axis=-1) == y) * mask
    return float(hits.sum() / mask.sum())
