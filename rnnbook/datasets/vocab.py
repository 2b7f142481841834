"""Vocabularies of characters or words, and padded, shuffled batches of id sequences."""

import collections

import numpy as np

from rnnbook import validate

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"


class Vocab:
    """A two-way map between symbols and ids: 0 is padding, then <s>, </s> and <unk> if asked."""

    def __init__(self, symbols, *, boundaries=True, unknown=False, sep=""):
        symbols = list(symbols)
        if not symbols:
            raise ValueError("symbols must not be empty")
        bad = [s for s in symbols if not isinstance(s, str) or not s]
        if bad:
            raise TypeError(f"symbols must be non-empty strings; got {bad[0]!r}")
        repeated = [s for s, n in collections.Counter(symbols).items() if n > 1]
        if repeated:
            raise ValueError(f"symbols must be distinct; repeated: {repeated}")
        specials = [PAD] + [BOS, EOS] * bool(boundaries) + [UNK] * bool(unknown)
        if set(specials) & set(symbols):
            raise ValueError(f"symbols must not include the reserved {sorted(set(specials))}")
        self.symbols = tuple(specials + symbols)
        self._ids = {s: i for i, s in enumerate(self.symbols)}
        self.pad_id = 0
        self.bos_id = self._ids.get(BOS)
        self.eos_id = self._ids.get(EOS)
        self.unk_id = self._ids.get(UNK)
        self.sep = sep

    @classmethod
    def build(cls, sequences, *, min_count=1, max_size=None, boundaries=True, unknown=False):
        """A Vocab of the symbols in `sequences`, most frequent first (ties in symbol order).

        Strings are sequences of characters, lists of strings sequences of words, so a word
        vocabulary of one long text is Vocab.build([words]); it decodes with spaces. Keeps the
        symbols seen at least min_count times, and the max_size most frequent of those.
        """
        sequences = list(sequences)
        if not sequences:
            raise ValueError("sequences must not be empty")
        counts = collections.Counter()
        for sequence in sequences:
            counts.update(sequence)
        min_count = validate.positive_int(min_count, "min_count")
        kept = sorted(
            (s for s, n in counts.items() if n >= min_count), key=lambda s: (-counts[s], s)
        )
        if max_size is not None:
            kept = kept[: validate.positive_int(max_size, "max_size")]
        if not kept:
            raise ValueError(f"no symbol occurs min_count={min_count} times or more")
        sep = "" if all(isinstance(s, str) for s in sequences) else " "
        return cls(kept, boundaries=boundaries, unknown=unknown, sep=sep)

    def __len__(self):
        return len(self.symbols)

    def __contains__(self, symbol):
        return symbol in self._ids

    def __repr__(self):
        shown = " ".join(self.symbols[:12]) + (" ..." if len(self) > 12 else "")
        return f"Vocab({len(self)} symbols: {shown})"

    def __getitem__(self, symbol):
        """The id of `symbol`, the <unk> id for an unseen one if the vocabulary has it, or raise."""
        if symbol in self._ids:
            return self._ids[symbol]
        if self.unk_id is not None:
            return self.unk_id
        raise ValueError(
            f"unknown symbol {symbol!r}: not among the {len(self)} symbols and there is no {UNK} "
            "(build the vocabulary with unknown=True to map unseen symbols to it)"
        )

    def encode(self, sequence, boundaries=False):
        """The ids of `sequence` as an int64 array (T,), between <s> and </s> if boundaries."""
        if isinstance(sequence, str) and self.sep:
            sequence = sequence.split()  # a word vocabulary reads a string as words
        if len(sequence) == 0:
            raise ValueError(f"sequence must not be empty; got {sequence!r}")
        if boundaries and self.bos_id is None:
            raise ValueError("boundaries=True needs a vocabulary built with boundaries=True")
        try:
            ids = [self[symbol] for symbol in sequence]
        except ValueError as error:
            raise ValueError(f"{error}; in {sequence!r}") from None
        if boundaries:
            ids = [self.bos_id, *ids, self.eos_id]
        return np.array(ids, dtype=np.int64)

    def decode(self, ids):
        """The text of ids (T,): padding and <s> skipped, stopping at the first </s>."""
        ids = np.asarray(ids)
        if ids.shape == (0,) and ids.dtype.kind in "iu":
            return ""  # nothing to decode
        ids = validate.ids(ids, "ids", len(self), "T")
        out = []
        for i in ids.tolist():
            if i == self.eos_id:
                break
            if i not in (self.pad_id, self.bos_id):
                out.append(self.symbols[i])
        return self.sep.join(out)


def _pad_id(pad_id):
    return validate.integer(pad_id, "pad_id")


def pad_batch(sequences, pad_id=0):
    """Stack id sequences into ids (N, T) padded at the end with pad_id, and mask (N, T) bool."""
    sequences = [np.asarray(s) for s in sequences]
    if not sequences:
        raise ValueError("sequences must not be empty")
    for i, s in enumerate(sequences):
        if s.ndim != 1 or s.size == 0 or s.dtype.kind not in "iu":
            raise ValueError(
                f"sequences[{i}] must be a non-empty 1-D sequence of integer ids; "
                f"got {s.dtype} with shape {s.shape}"
            )
    pad_id = _pad_id(pad_id)
    lengths = np.array([len(s) for s in sequences])
    mask = np.arange(lengths.max()) < lengths[:, None]  # (N, T)
    ids = np.full(mask.shape, pad_id, dtype=np.int64)
    ids[mask] = np.concatenate(sequences)
    return ids, mask


def batches(sequences, batch_size, rng, pad_id=0, drop_last=False):
    """An iterator of (ids, mask) for batch_size sequences at a time, shuffled by rng (or None)."""
    sequences = list(sequences)
    if not sequences:
        raise ValueError("sequences must not be empty")
    batch_size = validate.positive_int(batch_size, "batch_size")
    pad_id = _pad_id(pad_id)
    if rng is None:
        order = np.arange(len(sequences))
    else:
        order = validate.generator(rng).permutation(len(sequences))
    stop = len(order) - len(order) % batch_size if drop_last else len(order)
    # a generator inside, so that bad arguments fail at the call rather than at the first batch
    return (
        pad_batch([sequences[i] for i in order[start : start + batch_size]], pad_id)
        for start in range(0, stop, batch_size)
    )
