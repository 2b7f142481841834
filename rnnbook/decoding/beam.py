"""Beam search: the most likely sequences under any model that predicts one symbol at a time."""

import numpy as np

from rnnbook import validate


def take(state, rows):
    """Rows `rows` of every array in `state` (an array, None, or a tuple, list or dict of them)."""
    if state is None:
        return None
    if isinstance(state, dict):
        return {key: take(value, rows) for key, value in state.items()}
    if isinstance(state, tuple | list):
        return type(state)(take(value, rows) for value in state)
    return np.take(state, rows, axis=0)


def search(step, state, start_id, end_id, beam_width, max_length, min_length=0):
    """The beam_width most likely sequences that end with end_id, as [(ids, log_prob)], best first.

    step(ids, state) -> (log_probs, state): for B hypotheses whose last symbols are ids (B,), the
    log-probabilities (B, V) of the next symbol and the state after reading ids. `state` is what
    the first call gets, for one hypothesis (B = 1): an array with B on its first axis, a tuple,
    list or dict of such arrays, or None. Each returned ids is a tuple without start_id and
    end_id, at least min_length and at most max_length long (ending earlier is not allowed);
    log_prob includes the probability of ending. At every step
    the beam_width best unfinished hypotheses are kept; the search stops when the worst of the
    beam_width best finished ones is at least as likely as the best unfinished one, since a
    longer hypothesis can only be less likely. The list is empty if nothing can end in time.
    """
    if not callable(step):
        raise TypeError(f"step must be a function step(ids, state); got {type(step).__name__}")
    start_id = validate.integer(start_id, "start_id", 0)
    end_id = validate.integer(end_id, "end_id", 0)
    beam_width = validate.positive_int(beam_width, "beam_width")
    max_length = validate.integer(max_length, "max_length", 0)
    min_length = validate.integer(min_length, "min_length", 0)
    if min_length > max_length:
        raise ValueError(f"min_length must be at most max_length={max_length}; got {min_length}")
    prefixes, scores = [()], np.zeros(1)  # the unfinished hypotheses, (B,)
    last = np.array([start_id])
    finished = []
    for length in range(max_length + 1):
        log_probs, state = step(last, state)
        log_probs = validate.array(log_probs, "log_probs", "B V", finite=False, B=len(last))
        if end_id >= log_probs.shape[1]:
            raise ValueError(
                f"end_id must be below the vocabulary size {log_probs.shape[1]}; got {end_id}"
            )
        if np.any(np.isnan(log_probs)) or np.any(log_probs > 1e-9):
            raise ValueError("log_probs must be log-probabilities: <= 0, -inf allowed, no NaN")
        total = scores[:, None] + log_probs  # (B, V): the score of every one-symbol extension
        if length >= min_length:
            ends = zip(prefixes, total[:, end_id], strict=True)
            finished += [(p, float(s)) for p, s in ends if s > -np.inf]
        # sorted is stable: among equal scores the earlier finished comes first
        finished = sorted(finished, key=lambda item: -item[1])[:beam_width]
        if length == max_length:
            break
        total[:, end_id] = -np.inf  # ending was handled above
        flat = total.ravel()
        keep = min(beam_width, int(np.sum(flat > -np.inf)))
        if keep == 0:
            break
        best = np.argsort(-flat, kind="stable")[:keep]  # ties: lower hypothesis, then lower id
        rows, last = np.divmod(best, log_probs.shape[1])
        prefixes = [prefixes[r] + (int(i),) for r, i in zip(rows, last, strict=True)]
        scores = flat[best]
        state = take(state, rows)
        if len(finished) == beam_width and finished[-1][1] >= scores[0]:
            break
    return finished
