"""Character n-gram count models (add-alpha and interpolated Kneser-Ney) and how to score them.

A model of order n predicts each symbol of a sequence, and then the end of the sequence, from
the n - 1 symbols before it; the first ones see start markers in front. Order 0 is the uniform
model. A sequence of L symbols makes L + 1 predictions, the last being END, and every score here
is per prediction, the same unit as the recurrent model's cross-entropy.
"""

import math
from dataclasses import dataclass

import numpy as np

from rnnbook import validate

END = "</s>"  # the symbol predicted after the last character


@dataclass(frozen=True)
class Model:
    """A fitted count model. Ids: 0 is "start" (context only), k + 1 is symbols[k]."""

    order: int
    smoothing: str  # "add" or "kneser-ney"
    alpha: float  # add-alpha pseudo-count, for smoothing "add"
    symbols: tuple  # the V predictable symbols, END last
    tables: dict  # n -> (grams, counts, contexts, context_totals, context_types), codes sorted
    discounts: dict  # n -> Kneser-Ney's absolute discount for order n


def _encode(sequences, symbols, end=True):
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


def _windows(ids, lengths, width):
    """(contexts (M, width), predicted (M,)): each prediction and the `width` ids before it."""
    # lay the sequences end to end, each after `width` start ids (0), in one flat array
    first = np.cumsum(lengths + width) - lengths  # where each sequence's first id goes
    where = np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(len(ids))
    flat = np.zeros(len(ids) + width * len(lengths), dtype=np.int64)
    flat[where] = ids
    return flat[where[:, None] - width + np.arange(width)], ids


def _codes(contexts, predicted, n, base):
    """The n-gram ending at each prediction (its last n - 1 context ids, then it) as an integer."""
    code = np.zeros(len(predicted), dtype=np.int64)
    for column in range(contexts.shape[1] - (n - 1), contexts.shape[1]):
        code = code * base + contexts[:, column]  # most distant symbol most significant
    return code * base + predicted


def _table(codes, base, discounts=None):
    """Distinct grams and their counts; per context, its total count and the mass set aside.

    The mass set aside in context h is the sum of D(c(h x)) over the symbols x seen after h
    (zero without discounts), which interpolation hands to the lower order.
    """
    grams, counts = np.unique(codes, return_counts=True)
    contexts, first = np.unique(grams // base, return_index=True)
    totals = np.add.reduceat(counts, first)
    if discounts is None:
        return grams, counts, contexts, totals, np.zeros(len(contexts))
    return grams, counts, contexts, totals, np.add.reduceat(_discount(counts, discounts), first)


def _discount(counts, discounts):
    """D(c): discounts[0] for c = 1, discounts[1] for c = 2, discounts[2] for c >= 3."""
    return np.asarray(discounts)[np.minimum(counts, 3) - 1]


def _kneser_ney_discounts(counts):
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


def _lookup(keys, values, queries):
    """values[i] where keys[i] == query, 0 where the query is absent; keys sorted."""
    where = np.minimum(np.searchsorted(keys, queries), len(keys) - 1)
    return np.where(keys[where] == queries, values[where], 0)


def fit(sequences, order, *, smoothing="add", alpha=1.0, symbols=None):
    """Count the n-grams of `sequences` (strings, or lists of symbols) for a model of `order`.

    smoothing "add": P(x | h) = (c(h x) + alpha) / (c(h) + alpha V), with V predictable symbols.
    smoothing "kneser-ney": Chen and Goodman's modified, interpolated Kneser-Ney,
        P(x | h) = max(c(h x) - D(c(h x)), 0) / c(h) + gamma(h) P(x | h'),
        gamma(h) = sum over x with c(h x) > 0 of D(c(h x)), divided by c(h),
    where h' is h without its oldest symbol and an unseen h (c(h) = 0) passes P(x | h') through.
    Each order n has three discounts, D(1) = D1, D(2) = D2 and D(k) = D3+ for k >= 3, estimated
    from its own counts of counts n_k (the number of grams seen exactly k times): with
    Y = n1 / (n1 + 2 n2), D1 = 1 - 2 Y n2 / n1, D2 = 2 - 3 Y n3 / n2, D3+ = 3 - 4 Y n4 / n3.
    The highest order counts c(h x) as how often h x occurs; every lower order uses instead the
    continuation count N1+(. h' x) = |{y : c(y h' x) > 0}|, the number of distinct symbols seen
    before h' x (and c(h') = the sum of those over x).
    """
    sequences = list(sequences)
    if not sequences:
        raise ValueError("sequences must not be empty")
    validate.integer(order, "order")  # 0 is the uniform model
    if smoothing not in ("add", "kneser-ney"):
        raise ValueError(f"smoothing must be 'add' or 'kneser-ney'; got {smoothing!r}")
    if smoothing == "add":
        validate.number(alpha, "alpha", 0, low_open=True)
    if smoothing == "kneser-ney" and order < 1:
        raise ValueError(f"kneser-ney needs order >= 1; got {order}")
    if symbols is None:
        symbols = sorted({s for sequence in sequences for s in sequence})
    symbols = (*[s for s in symbols if s != END], END)
    base = len(symbols) + 1
    if base ** max(order, 1) >= 2**62:
        raise ValueError(f"order {order} is too high for {len(symbols)} symbols (int64 codes)")
    contexts, predicted = _windows(*_encode(sequences, symbols), order)
    tables, discounts = {}, {}
    orders = [order] if smoothing == "add" else range(1, order + 1)
    for n in orders if order > 0 else []:
        codes = _codes(contexts, predicted, n, base)
        if smoothing == "kneser-ney" and n < order:
            # continuation count of h x: the number of distinct y with c(y h x) > 0
            longer = np.sort(_codes(contexts, predicted, n + 1, base))
            codes = longer[np.r_[True, longer[1:] != longer[:-1]]] % base**n
        if smoothing == "kneser-ney":
            discounts[n] = _kneser_ney_discounts(np.unique(codes, return_counts=True)[1])
        tables[n] = _table(codes, base, discounts.get(n))
    return Model(int(order), smoothing, float(alpha), symbols, tables, discounts)


def _probabilities(model, contexts, predicted):
    """P(predicted | contexts) for contexts (M, order) of ids and predicted (M,) ids."""
    size = len(model.symbols)
    base = size + 1
    prob = np.full(len(predicted), 1.0 / size)  # order 0: uniform
    for n, (grams, counts, ctx_keys, totals, set_aside) in model.tables.items():
        codes = _codes(contexts, predicted, n, base)
        c_gram = _lookup(grams, counts, codes)
        c_ctx = _lookup(ctx_keys, totals, codes // base)
        if model.smoothing == "add":
            prob = (c_gram + model.alpha) / (c_ctx + model.alpha * size)
            continue
        discounted = np.maximum(c_gram - _discount(np.maximum(c_gram, 1), model.discounts[n]), 0)
        # what the discounts took from the symbols seen after h goes to the lower order's
        # estimate; an unseen context passes that estimate through unchanged
        mixed = (discounted + _lookup(ctx_keys, set_aside, codes // base) * prob) / np.maximum(
            c_ctx, 1
        )
        prob = np.where(c_ctx > 0, mixed, prob)
    return prob


def log_probs(model, sequences):
    """ln P of every prediction (each symbol, then END): one array of length L + 1 per sequence."""
    ids, lengths = _encode(sequences, model.symbols)
    if len(lengths) == 0:
        raise ValueError("sequences must not be empty")
    logp = np.log(_probabilities(model, *_windows(ids, lengths, model.order)))
    return np.split(logp, np.cumsum(lengths)[:-1])


def nats_per_symbol(model, sequences):
    """Mean of -ln P over every prediction in `sequences` (symbols and ends): the cross-entropy."""
    return float(-np.concatenate(log_probs(model, sequences)).mean())


def next_probabilities(model, prefix):
    """P(x | prefix) for every symbol x, as (V,) in the order of model.symbols (END last)."""
    ids = np.concatenate(
        [np.zeros(model.order, np.int64), _encode([prefix], model.symbols, False)[0]]
    )
    context = np.tile(ids[len(ids) - model.order :], (len(model.symbols), 1))  # (V, order)
    return _probabilities(model, context, np.arange(1, len(model.symbols) + 1))


def context_counts(model, sequences):
    """How often each prediction's context (its n - 1 symbols before) occurred in the training data.

    One integer array per sequence, like `log_probs`. The uniform model (order 0) has no counts.
    """
    if model.order == 0:
        raise ValueError("the uniform model (order 0) counts nothing")
    ids, lengths = _encode(sequences, model.symbols)
    if len(lengths) == 0:
        raise ValueError("sequences must not be empty")
    contexts, predicted = _windows(ids, lengths, model.order)
    base = len(model.symbols) + 1
    _, _, ctx_keys, totals, _ = model.tables[model.order]
    counts = _lookup(ctx_keys, totals, _codes(contexts, predicted, model.order, base) // base)
    return np.split(counts, np.cumsum(lengths)[:-1])


def bits(nats):
    """Nats to bits: divide by ln 2."""
    return nats / math.log(2)


def perplexity(nats):
    """exp(cross-entropy in nats): the number of equally likely choices that are as surprising."""
    return math.exp(nats)
