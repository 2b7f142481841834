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
from rnnbook.models import ngram_counts as counting

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
    contexts, predicted = counting.windows(*counting.encode(sequences, symbols), order)
    tables, discounts = {}, {}
    orders = [order] if smoothing == "add" else range(1, order + 1)
    for n in orders if order > 0 else []:
        codes = counting.codes(contexts, predicted, n, base)
        if smoothing == "kneser-ney" and n < order:
            # continuation count of h x: the number of distinct y with c(y h x) > 0
            longer = np.sort(counting.codes(contexts, predicted, n + 1, base))
            codes = longer[np.r_[True, longer[1:] != longer[:-1]]] % base**n
        if smoothing == "kneser-ney":
            discounts[n] = counting.kneser_ney_discounts(np.unique(codes, return_counts=True)[1])
        tables[n] = counting.table(codes, base, discounts.get(n))
    return Model(int(order), smoothing, float(alpha), symbols, tables, discounts)


def _probabilities(model, contexts, predicted):
    """P(predicted | contexts) for contexts (M, order) of ids and predicted (M,) ids."""
    size = len(model.symbols)
    base = size + 1
    prob = np.full(len(predicted), 1.0 / size)  # order 0: uniform
    for n, (grams, counts, ctx_keys, totals, set_aside) in model.tables.items():
        codes = counting.codes(contexts, predicted, n, base)
        c_gram = counting.lookup(grams, counts, codes)
        c_ctx = counting.lookup(ctx_keys, totals, codes // base)
        if model.smoothing == "add":
            prob = (c_gram + model.alpha) / (c_ctx + model.alpha * size)
            continue
        discounted = np.maximum(
            c_gram - counting.discount(np.maximum(c_gram, 1), model.discounts[n]), 0
        )
        # what the discounts took from the symbols seen after h goes to the lower order's
        # estimate; an unseen context passes that estimate through unchanged
        mixed = (
            discounted + counting.lookup(ctx_keys, set_aside, codes // base) * prob
        ) / np.maximum(c_ctx, 1)
        prob = np.where(c_ctx > 0, mixed, prob)
    return prob


def log_probs(sequences, model):
    """ln P of every prediction (each symbol, then END): one array of length L + 1 per sequence."""
    ids, lengths = counting.encode(sequences, model.symbols)
    if len(lengths) == 0:
        raise ValueError("sequences must not be empty")
    logp = np.log(_probabilities(model, *counting.windows(ids, lengths, model.order)))
    return np.split(logp, np.cumsum(lengths)[:-1])


def nats_per_symbol(sequences, model):
    """Mean of -ln P over every prediction in `sequences` (symbols and ends): the cross-entropy."""
    return float(-np.concatenate(log_probs(sequences, model)).mean())


def next_probabilities(prefix, model):
    """P(x | prefix) for every symbol x, as (V,) in the order of model.symbols (END last)."""
    ids = np.concatenate(
        [np.zeros(model.order, np.int64), counting.encode([prefix], model.symbols, False)[0]]
    )
    context = np.tile(ids[len(ids) - model.order :], (len(model.symbols), 1))  # (V, order)
    return _probabilities(model, context, np.arange(1, len(model.symbols) + 1))


def context_counts(sequences, model):
    """How often each prediction's context (its n - 1 symbols before) occurred in the training data.

    One integer array per sequence, like `log_probs`. The uniform model (order 0) has no counts.
    """
    if model.order == 0:
        raise ValueError("the uniform model (order 0) counts nothing")
    ids, lengths = counting.encode(sequences, model.symbols)
    if len(lengths) == 0:
        raise ValueError("sequences must not be empty")
    contexts, predicted = counting.windows(ids, lengths, model.order)
    base = len(model.symbols) + 1
    _, _, ctx_keys, totals, _ = model.tables[model.order]
    counts = counting.lookup(
        ctx_keys, totals, counting.codes(contexts, predicted, model.order, base) // base
    )
    return np.split(counts, np.cumsum(lengths)[:-1])


def bits(nats):
    """Nats to bits: divide by ln 2."""
    return nats / math.log(2)


def perplexity(nats):
    """exp(cross-entropy in nats): the number of equally likely choices that are as surprising."""
    return math.exp(nats)
