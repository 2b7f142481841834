import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import vocab

NAMES = ["smith", "jones", "ng", "li"]


def test_character_vocabulary_reserves_padding_and_boundaries():
    v = vocab.Vocab.build(NAMES)
    assert v.symbols[:3] == (vocab.PAD, vocab.BOS, vocab.EOS)
    assert (v.pad_id, v.bos_id, v.eos_id, v.unk_id) == (0, 1, 2, None)
    assert len(v) == 3 + len(set("".join(NAMES)))
    # most frequent first (i, n, s twice each), ties in symbol order
    assert v.symbols[3:7] == ("i", "n", "s", "e")


@pytest.mark.parametrize("name", NAMES)
def test_encode_decode_round_trip(name):
    v = vocab.Vocab.build(NAMES)
    ids = v.encode(name, boundaries=True)
    assert ids.dtype == np.int64 and ids[0] == v.bos_id and ids[-1] == v.eos_id
    assert len(ids) == len(name) + 2
    assert v.decode(ids) == name and v.decode(v.encode(name)) == name


def test_decode_skips_padding_and_stops_at_the_end_symbol():
    v = vocab.Vocab.build(NAMES)
    ids = np.concatenate([v.encode("li", boundaries=True), v.encode("ng"), [0, 0]])
    assert v.decode(ids) == "li"
    assert v.decode(np.array([], dtype=int)) == ""


def test_word_vocabulary_counts_limits_and_maps_unknown_words():
    texts = [["the", "cat", "sat"], ["the", "dog", "sat"], ["a", "cat"]]
    v = vocab.Vocab.build(texts, min_count=2, boundaries=False, unknown=True)
    assert v.symbols == (vocab.PAD, vocab.UNK, "cat", "sat", "the")
    assert v.unk_id == 1 and v.bos_id is None
    assert list(v.encode(["the", "dog"])) == [4, 1]
    assert list(v.encode("the dog")) == [4, 1]
    assert v.decode(v.encode("the cat sat")) == "the cat sat"
    assert vocab.Vocab.build(texts, max_size=1).symbols[3:] == ("cat",)


def test_unknown_symbol_raises_clearly_without_an_unknown_token():
    v = vocab.Vocab.build(NAMES)
    with pytest.raises(ValueError, match=naming("'z'", "unknown=True", "'zed'")):
        v.encode("zed")
    with pytest.raises(ValueError, match="unknown symbol 'q'"):
        v["q"]
    assert "s" in v and "q" not in v and v["s"] == 5 and v.symbols[5] == "s"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: vocab.Vocab([]), ValueError, "symbols must not be empty"),
        (lambda: vocab.Vocab(["a", "a"]), ValueError, r"distinct; repeated: \['a'\]"),
        (lambda: vocab.Vocab(["a", ""]), TypeError, "non-empty strings; got ''"),
        (lambda: vocab.Vocab(["a", 3]), TypeError, "got 3"),
        (lambda: vocab.Vocab(["a", "<s>"]), ValueError, "reserved"),
        (lambda: vocab.Vocab.build([]), ValueError, "sequences must not be empty"),
        (lambda: vocab.Vocab.build(["ab"], min_count=2), ValueError, "min_count=2"),
        (lambda: vocab.Vocab.build(["ab"], min_count=0), ValueError, "min_count"),
        (lambda: vocab.Vocab.build(["ab"], max_size=0), ValueError, "max_size"),
        (lambda: vocab.Vocab.build(NAMES).encode(""), ValueError, "sequence must not be empty"),
        (
            lambda: vocab.Vocab.build(NAMES, boundaries=False).encode("li", boundaries=True),
            ValueError,
            "built with boundaries=True",
        ),
        (
            lambda: vocab.Vocab.build(NAMES).decode([[1, 2]]),
            ValueError,
            r"ids must be \(T,\); got shape \(1, 2\)",
        ),
        (lambda: vocab.Vocab.build(NAMES).decode([1.0]), TypeError, "integer ids"),
        (
            lambda: vocab.Vocab.build(NAMES).decode([99]),
            ValueError,
            r"ids must lie in \[0, 14\); got 99",
        ),
    ],
)
def test_vocabulary_rejects_bad_input(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_pad_batch_pads_at_the_end_and_masks_the_padding():
    ids, mask = vocab.pad_batch([[5, 6, 7], [8], np.array([9, 10])])
    assert ids.shape == mask.shape == (3, 3) and ids.dtype == np.int64 and mask.dtype == bool
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0], [9, 10, 0]]
    assert mask.sum(axis=1).tolist() == [3, 1, 2]
    assert vocab.pad_batch([[1]], pad_id=7)[0].tolist() == [[1]]
    assert vocab.pad_batch([[1], [2, 3]], pad_id=7)[0].tolist() == [[1, 7], [2, 3]]


@pytest.mark.parametrize(
    ("sequences", "pad_id", "message"),
    [
        ([], 0, "sequences must not be empty"),
        ([[1], []], 0, r"sequences\[1\] must be a non-empty 1-D"),
        ([[1], [[2]]], 0, r"sequences\[1\].*shape \(1, 1\)"),
        ([[1.5]], 0, r"sequences\[0\].*float64"),
        ([[1]], -1, "pad_id must be an integer >= 0; got -1"),
        ([[1]], 0.0, "pad_id"),
    ],
)
def test_pad_batch_rejects_bad_input(sequences, pad_id, message):
    with pytest.raises(ValueError, match=message):
        vocab.pad_batch(sequences, pad_id)


def test_batches_cover_every_sequence_once_shuffled_by_the_generator():
    sequences = [np.full(n, n) for n in range(1, 11)]  # the first id tells which sequence it is
    seen = [b[0][:, 0] for b in vocab.batches(sequences, 3, np.random.default_rng(0))]
    assert [len(s) for s in seen] == [3, 3, 3, 1]
    assert sorted(np.concatenate(seen)) == list(range(1, 11))
    again = [b[0][:, 0] for b in vocab.batches(sequences, 3, np.random.default_rng(0))]
    other = [b[0][:, 0] for b in vocab.batches(sequences, 3, np.random.default_rng(1))]
    assert np.array_equal(np.concatenate(seen), np.concatenate(again))
    assert not np.array_equal(np.concatenate(seen), np.concatenate(other))
    in_order = [b[0][:, 0] for b in vocab.batches(sequences, 4, None, drop_last=True)]
    assert np.concatenate(in_order).tolist() == list(range(1, 9))


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (([], 2, None), ValueError, "sequences must not be empty"),
        (([[1]], 0, None), ValueError, "batch_size must be a positive integer"),
        (([[1]], 2, 0), TypeError, "numpy.random.Generator"),
        (([[1]], 2, None, -1), ValueError, "pad_id"),
    ],
)
def test_batches_reject_bad_input_at_the_call(args, error, message):
    with pytest.raises(error, match=message):
        vocab.batches(*args)
