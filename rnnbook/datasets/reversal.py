"""The reversal task: read a string of digits, write it backwards (chapter 9's generated data).

Strings of every length are drawn at random; each length has its own training and held-out
strings, and no held-out string occurs in training. Ids follow `VOCAB`: 0 padding, 1 <s>,
2 </s>, then the digits 0-9 as ids 3-12.
"""

import numpy as np

from rnnbook import validate
from rnnbook.datasets import vocab

VOCAB = vocab.Vocab(list("0123456789"))
DIGITS = np.arange(3, 13)  # the ids of the digits 0-9


def make(lengths, train_per_length, test_per_length, rng):
    """Return (train, test): dicts {length: int64 ids (n, length)}, distinct strings, disjoint."""
    rng = validate.generator(rng)
    train_per_length = validate.positive_int(train_per_length, "train_per_length")
    test_per_length = validate.positive_int(test_per_length, "test_per_length")
    train, test = {}, {}
    for length in lengths:
        length = validate.positive_int(length, "length")
        wanted = train_per_length + test_per_length
        if wanted > 10**length:
            raise ValueError(
                f"length {length} has only {10**length} distinct strings; "
                f"{wanted} were asked for (train_per_length + test_per_length)"
            )
        rows = np.empty((0, length), dtype=np.int64)
        while len(rows) < wanted:  # draw more until enough distinct strings, in order drawn
            more = rng.choice(DIGITS, size=(wanted, length))
            rows = np.concatenate([rows, more])
            _, first = np.unique(rows, axis=0, return_index=True)
            rows = rows[np.sort(first)]
        test[length], train[length] = rows[:test_per_length], rows[test_per_length:wanted]
    return train, test


def targets(source):
    """The reversed strings, (N, L) ids."""
    source = _ids(source)
    return source[:, ::-1].copy()


def decoder_io(source):
    """Teacher forcing: the decoder reads (<s>, y_1..y_L) and must predict (y_1..y_L, </s>)."""
    y = targets(source)
    column = np.full((len(y), 1), 0, dtype=np.int64)
    inputs = np.concatenate([column + VOCAB.bos_id, y], axis=1)  # (N, L + 1)
    outputs = np.concatenate([y, column + VOCAB.eos_id], axis=1)  # (N, L + 1)
    return inputs, outputs


def batches(data, batch_size, rng):
    """Endless batches (N, L) of training strings, each of one length chosen at random.

    Every string of one batch has the same length, so nothing needs padding; a length is chosen
    with probability proportional to its number of strings."""
    rng = validate.generator(rng)
    batch_size = validate.positive_int(batch_size, "batch_size")
    lengths = sorted(data)
    counts = np.array([len(data[n]) for n in lengths], dtype=float)
    while True:
        rows = data[lengths[rng.choice(len(lengths), p=counts / counts.sum())]]
        yield rows[rng.choice(len(rows), size=min(batch_size, len(rows)), replace=False)]


def text(ids):
    """The digits of one id sequence as a string, stopping at </s> and skipping <s>."""
    return VOCAB.decode(np.asarray(ids, dtype=np.int64))


def exact_match(predicted, expected):
    """Share of rows whose predicted ids (a list of 1-D arrays) equal the expected row (N, L)."""
    expected = _ids(expected, "expected")
    _same_count(predicted, expected)
    return float(np.mean([np.array_equal(p, e) for p, e in zip(predicted, expected, strict=True)]))


def char_accuracy(predicted, expected):
    """Share of the N L expected characters that the prediction has at the same position.

    A prediction shorter than L misses its last characters; extra characters are not counted."""
    expected = _ids(expected, "expected")
    _same_count(predicted, expected)
    hits = 0
    for p, e in zip(predicted, expected, strict=True):
        n = min(len(p), len(e))
        hits += int(np.sum(np.asarray(p[:n]) == e[:n]))
    return hits / expected.size


def _same_count(predicted, expected):
    if len(predicted) != len(expected):
        raise ValueError(
            f"predicted must hold one sequence per expected row, {len(expected)}; "
            f"got {len(predicted)}"
        )


def _ids(value, name="source"):
    arr = np.asarray(value)
    if arr.ndim != 2 or arr.dtype.kind not in "iu" or arr.size == 0:
        raise ValueError(f"{name} must be integer ids (N, L); got {arr.dtype} {arr.shape}")
    return arr
