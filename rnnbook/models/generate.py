"""Using a trained character language model (rnnbook.models.charlm): score, sample and search names.

A name is read as <s>, its characters, then </s>: the model predicts each character and the end
from everything before it. Generation reads <s> (and any prefix), then draws one symbol at a
time, feeding each back in and carrying the LSTM's states, until </s>.
"""

import numpy as np

from rnnbook import validate
from rnnbook.datasets import vocab as vocabulary
from rnnbook.decoding import beam, sampling
from rnnbook.models import charlm
from rnnbook.nn import activations


def teacher_forcing(names, chars):
    """(inputs, targets, mask), each (N, T): inputs <s> + name, targets name + </s>, padded.

    An empty name (a model can generate one) is <s> </s>: one prediction, the end.
    """
    ids = [
        np.concatenate([[chars.bos_id], chars.encode(name) if name else [], [chars.eos_id]])
        for name in names
    ]
    ids, mask = vocabulary.pad_batch([i.astype(np.int64) for i in ids])
    return ids[:, :-1], ids[:, 1:], mask[:, 1:]


def log_likelihoods(names, params, chars, batch_size=512, renormalise=False):
    """ln P(name, then </s>) for each name, (N,), and the number of predictions, len(name) + 1.

    renormalise=True scores each prediction over the symbols a name may contain (padding and
    <s> left out), the distribution `sample` draws from.
    """
    names = list(names)
    if not names:
        raise ValueError("names must not be empty")
    batch_size = validate.positive_int(batch_size, "batch_size")
    # batches of names of similar length, so that little of each batch is padding
    order = np.argsort([len(name) for name in names], kind="stable")
    totals = np.empty(len(names))
    for start in range(0, len(names), batch_size):
        batch = order[start : start + batch_size]
        inputs, targets, mask = teacher_forcing([names[i] for i in batch], chars)
        logits, _, _ = charlm.forward(inputs, params)  # (n, T, V)
        logits = logits.astype(np.float64)
        if renormalise:
            blocked = np.isin(np.arange(len(chars)), _predictable(chars), invert=True)
            logits[..., blocked] = -np.inf
        log_probs = activations.log_softmax(logits)
        picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]  # (n, T)
        totals[batch] = np.sum(np.where(mask, picked, 0.0), axis=1)
    return totals, np.array([len(name) + 1 for name in names])


def nats_per_char(names, params, chars, renormalise=False):
    """The cross-entropy per prediction (characters and ends) of `names`, in nats."""
    log_p, counts = log_likelihoods(names, params, chars, renormalise=renormalise)
    return float(-log_p.sum() / counts.sum())


def step(ids, states, params):
    """Logits (N, V) for the symbol after ids (N,), and the states after reading ids."""
    logits, states, _ = charlm.forward(np.asarray(ids)[:, None], params, states)
    return logits[:, 0], states


def read(prefix, params, chars, count=1):
    """The states after reading <s> and `prefix` (all but its last symbol), and that last id.

    The last symbol is not read, so that the next call to `step` reads it and predicts what
    follows: generation goes on exactly as if the model had produced the prefix itself.
    """
    ids = np.concatenate([[chars.bos_id], chars.encode(prefix)]) if prefix else [chars.bos_id]
    ids = np.tile(np.asarray(ids, dtype=np.int64), (validate.positive_int(count, "count"), 1))
    states = None
    if ids.shape[1] > 1:
        _, states, _ = charlm.forward(ids[:, :-1], params)
    return ids[:, -1], states


def _predictable(chars):
    """The ids a model may produce: everything but padding and <s>."""
    return np.array([i for i in range(len(chars)) if i not in (chars.pad_id, chars.bos_id)])


def sample(
    params, chars, rng, count, *, temperature=1.0, top_k=None, top_p=None, prefix="", max_length=20
):
    """`count` names drawn from the model at once, each starting with `prefix`.

    Each symbol is drawn by sampling.sample from the logits of the symbols a name may contain
    (padding and <s> left out), with the given temperature (0: greedy), top_k and top_p. A name
    stops at </s>; one still going at max_length characters is cut there.
    """
    validate.generator(rng)
    allowed = _predictable(chars)
    last, states = read(prefix, params, chars, count)
    produced = np.zeros((count, 0), dtype=np.int64)
    done = np.zeros(count, dtype=bool)
    while len(prefix) + produced.shape[1] < max_length and not done.all():
        logits, states = step(last, states, params)
        last = allowed[sampling.sample(logits[:, allowed], rng, temperature, top_k, top_p)]  # (N,)
        last = np.where(done, chars.eos_id, last)  # finished names only pad with </s>
        produced = np.column_stack([produced, last])
        done |= last == chars.eos_id
    return [prefix + chars.decode(row) for row in produced]


def most_likely(params, chars, beam_width, *, prefix="", min_length=0, max_length=20):
    """Beam search for the beam_width most likely names starting with prefix: [(name, ln P)].

    ln P is the log-probability of the rest of the name and its end, given the prefix; names
    have min_length to max_length characters, prefix included.
    """
    blocked = np.isin(np.arange(len(chars)), _predictable(chars), invert=True)

    def log_probs(ids, states):
        logits, states = step(ids, states, params)
        with np.errstate(divide="ignore"):
            logp = activations.log_softmax(logits.astype(np.float64))
        return np.where(blocked, -np.inf, logp), states

    last, states = read(prefix, params, chars)
    found = beam.search(
        log_probs,
        states,
        int(last[0]),
        chars.eos_id,
        beam_width,
        max_length - len(prefix),
        max(0, min_length - len(prefix)),
    )
    return [(prefix + chars.decode(np.array(ids, dtype=np.int64)), log_p) for ids, log_p in found]


def hidden_states(names, params, chars):
    """The LSTM's h and c after reading <s> and each character: (h, c), each (N, T, H), and mask.

    Position t holds the states from which the model predicts symbol t + 1 of `teacher_forcing`'s
    targets; mask (N, T) is False past each name's end.
    """
    inputs, _, mask = teacher_forcing(names, chars)
    hs, cs, states = [], [], None
    for t in range(inputs.shape[1]):
        _, states, _ = charlm.forward(inputs[:, t : t + 1], params, states)
        hs.append(states[0])
        cs.append(states[1])
    return np.stack(hs, axis=1), np.stack(cs, axis=1), mask
