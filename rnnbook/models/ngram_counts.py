"""Counting the n-grams of rnnbook.models.ngram: sequences as ids, n-grams as integer codes,
and sorted tables of counts that a model looks its probabilities up in.

Ids: 0 is "start" (context only), k + 1 is symbols[k], and the last symbol is the end (END in
rnnbook.models.ngram); an n-gram is the integer whose base-(V + 1) digits are its ids, the most
distant symbol most significant.
"""

import numpy as np


def encode(sequences, symbols, end=True):
    """(ids, lengths): every sequence's ids end to end, END after each unless end is False."""
    ids = {s: k + 1 for k, s in enumerate(symbols)}
    sequences = list(sequences)
    lengths = np.array([len(s) + end for s in sequences], dtype=np.int64)
    if end and np.any(lengths == 1):
        raise ValueError("sequences must not contain an empty sequence")
    if all(isinstance(s, str) for s in sequences) and all(len(s) == 1 for s in symbols[:-1]):
        # strings of one-character symbols: translate all of them at once
        chars = np.frombuffer("".join(sequences).encode("utf-32-le"), dtype=np.uint32)
        known = np.array([ord(s) for s in symbols[:-1]], dtype=np.uint32)
        order = np.argsort(known)
        at = np.minimum(np.searchsorted(known[order], chars), len(known) - 1)
        bad = known[order][at] != chars
        if np.any(bad):
            raise ValueError(f"unknown symbol {chr(chars[np.argmax(bad)])!r} in the sequences")
        letters = order[at] + 1
    else:
        try:
            letters = np.array([ids[x] for s in sequences for x in s], dtype=np.int64)
        except KeyError as error:
            raise ValueError(f"unknown symbol {error.args[0]!r} in the sequences") from None
    if not end:
        return letters.astype(np.int64), lengths
    out = np.full(lengths.sum(), len(symbols), dtype=np.int64)
    is_end = np.zeros(len(out), dtype=bool)
    is_end[np.cumsum(lengths) - 1] = True
    out[~is_end] = letters
    return out, lengths


def windows(ids, lengths, width):
    """(contexts (M, width), predicted (M,)): each prediction and the `width` ids before it."""
    # lay the sequences end to end, each after `width` start ids (0), in one flat array
    first = np.cumsum(lengths + width) - lengths  # where each sequence's first id goes
    where = np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(len(ids))
    flat = np.zeros(len(ids) + width * len(lengths), dtype=np.int64)
    flat[where] = ids
    return flat[where[:, None] - width + np.arange(width)], ids


def codes(contexts, predicted, n, base):
    """The n-gram ending at each prediction (its last n - 1 context ids, then it) as an integer."""
    code = np.zeros(len(predicted), dtype=np.int64)
    for column in range(contexts.shape[1] - (n - 1), contexts.shape[1]):
        code = code * base + contexts[:, column]  # most distant symbol most significant
    return code * base + predicted


def table(codes, base, discounts=None):
    """Distinct grams and their counts; per context, its total count and the mass set aside.

    The mass set aside in context h is the sum of D(c(h x)) over the symbols x seen after h
    (zero without discounts), which interpolation hands to the lower order.
    """
    grams, counts = np.unique(codes, return_counts=True)
    contexts, first = np.unique(grams // base, return_index=True)
    totals = np.add.reduceat(counts, first)
    if discounts is None:
        return grams, counts, contexts, totals, np.zeros(len(contexts))
    return grams, counts, contexts, totals, np.add.reduceat(discount(counts, discounts), first)


def discount(counts, discounts):
    """D(c): discounts[0] for c = 1, discounts[1] for c = 2, discounts[2] for c >= 3."""
    return np.asarray(discounts)[np.minimum(counts, 3) - 1]


def kneser_ney_discounts(counts):
    """Chen and Goodman's estimates of D1, D2, D3+ from the numbers n_k of grams seen k times.

    Where the data are too few for the estimates to make sense (some n_k is zero, or a D_k falls
    outside (0, k]), the middling (0.5, 1.0, 1.5) is used instead.
    """
    n1, n2, n3, n4 = (np.sum(counts == k) for k in (1, 2, 3, 4))
    if min(n1, n2, n3, n4) > 0:
        y = n1 / (n1 + 2 * n2)
        d = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
        if all(0 < d_k <= k for k, d_k in enumerate(d, start=1)):
            return tuple(float(d_k) for d_k in d)
    return (0.5, 1.0, 1.5)


def lookup(keys, values, queries):
    """values[i] where keys[i] == query, 0 where the query is absent; keys sorted."""
    where = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[where] == queries, values[where], 0)
