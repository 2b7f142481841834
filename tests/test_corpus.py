import collections
import hashlib
import pathlib
import re

import pytest

from rnnbook.datasets import corpus

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_the_corpus_comes_from_the_keras_the_lock_pins():
    # chapter 4's numbers are made from this exact text: a new Keras must be a deliberate change
    pins = re.findall(r"^keras==(\S+)", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert pins == [corpus.version()]


def test_the_whole_corpus_is_exactly_the_text_chapter_4_was_made_with():
    words = corpus.words()
    assert (len(words), len(set(words))) == (32_951, 1_469)
    digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
    assert digest.startswith("a0d183296343bafd")  # the same under Python 3.11, 3.12 and 3.13
    assert all(corpus.WORD.fullmatch(w) for w in words)
    common = [w for w, _ in collections.Counter(words).most_common(5)]
    assert common[:3] == ["the", "to", "of"]
    assert len(corpus.words(prose_only=False)) > len(words)


def test_one_topic_reads_as_english_prose():
    words = corpus.words("layers.rnn.simple_rnn")
    assert words[:6] == ["cell", "class", "for", "simplernn", "this", "class"]
    assert "dimensionality" in words and "orthogonal" in words
    assert corpus.words(["layers.rnn.lstm"]) == corpus.words(("layers.rnn.lstm",) * 2)
    assert "layer's" in corpus.words()  # an inner apostrophe keeps the word whole


def test_topics_come_in_sorted_order_whatever_order_they_are_asked_in():
    both = ["layers.rnn.simple_rnn", "layers.rnn.lstm"]
    assert corpus.text(both) == corpus.text(both[::-1])
    assert corpus.text(both).startswith(corpus.text("layers.rnn.lstm"))
    names = corpus.topic_names()
    assert names == sorted(names) and "layers.rnn.lstm" in names
    assert not any("preprocessing" in name for name in names)


def test_prose_only_drops_code_doctests_and_headings():
    text = "\n".join(
        [
            "A layer.",
            "",
            "Args:",
            "    units: Positive integer.",
            "",
            ">>> layer = Dense(3)",
            ">>> layer(x).shape",
            "(32, 3)",
            "",
            "```python",
            "model.fit(x)",
            "```",
            "The end.",
        ]
    )
    assert corpus.prose_lines(text) == ["A layer.", "units: Positive integer.", "The end."]
    assert "fit" not in corpus.words() or "fit" in corpus.words(prose_only=False)


def test_the_word_pattern():
    text = "__init__ x2 don't built-in 'quoted' caf\u00e9"
    assert corpus.WORD.findall(text) == ["init", "x", "don't", "built", "in", "quoted", "caf"]


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        (["layers.rnn.lstm", "no-such-topic"], r"unknown topics \['no-such-topic'\]"),
        ([], "at least one topic"),
    ],
)
def test_bad_topics_raise(topics, message):
    with pytest.raises(ValueError, match=message):
        corpus.words(topics)
