"""The adding problem: remember two marked numbers across a long sequence and add them."""

import numpy as np

from rnnbook import validate


def make(n, length, rng):
    """n sequences x (n, length, 2) and their targets y (n,).

    Feature 0 holds numbers uniform on [0, 1]; feature 1 is 0 except at two marked steps, one
    drawn uniformly from each half of the sequence; y is the sum of the two marked numbers.
    The task follows Hochreiter and Schmidhuber (1997) as restated by Le, Jaitly and Hinton
    (2015), with the markers split across the halves as in Arjovsky, Shah and Bengio (2016).
    Predicting 1 every time scores a mean squared error of 1/6, the variance of the sum.
    """
    n = validate.positive_int(n, "n")
    length = validate.positive_int(length, "length")
    validate.generator(rng)
    if length < 2:
        raise ValueError(f"length must be at least 2, room for the two markers; got {length}")
    half = length // 2
    values = rng.uniform(0.0, 1.0, size=(n, length))
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, length, size=n)
    rows = np.arange(n)
    markers = np.zeros((n, length))
    markers[rows, first] = markers[rows, second] = 1.0
    x = np.stack([values, markers], axis=-1)  # (n, length, 2)
    y = values[rows, first] + values[rows, second]  # (n,)
    return x, y


def baseline_mse(y):
    """The mean squared error of always predicting 1, the mean of the target (about 1/6)."""
    y = validate.array(y, "y", "N")
    return float(np.mean((y - 1.0) ** 2))
