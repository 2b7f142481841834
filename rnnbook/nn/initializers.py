"""Weight initialisers, the same rules Keras uses by default."""

import numpy as np

from rnnbook import validate


def glorot_uniform(shape, rng):
    """Uniform on [-l, l], l = sqrt(6 / (fan_in + fan_out)): keeps activation variance steady."""
    validate.generator(rng)
    fan_in, fan_out = shape[0], shape[-1]
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape)


def orthogonal(shape, rng, gain=1.0):
    """A random (semi-)orthogonal matrix: singular values all 1, so h W keeps its norm."""
    validate.generator(rng)
    rows, cols = shape
    a = rng.standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # makes the distribution uniform over orthogonal matrices
    if rows < cols:
        q = q.T
    return gain * q
