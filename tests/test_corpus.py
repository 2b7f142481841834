import collections

import pytest

from rnnbook import corpus


def test_the_whole_corpus_is_a_sizeable_lower_case_word_list():
    words = corpus.words()
    # exact counts depend on the Python version's copy of the docs, so only bounds are tested
    assert 30_000 < len(words) < 60_000
    assert 1_500 < len(set(words)) < 5_000
    assert all(corpus.WORD.fullmatch(w) for w in words)
    common = [w for w, _ in collections.Counter(words).most_common(5)]
    assert common[0] == "the" and {"a", "of", "is"} <= set(common)
    assert len(corpus.words(prose_only=False)) > len(words)


def test_one_topic_reads_as_english_prose():
    words = corpus.words("for")
    assert words[:4] == ["the", "for", "statement", "the"]
    assert "iterator" in words and "clause's" in words  # typographic apostrophe made plain
    assert corpus.words(["for"]) == words == corpus.words(("for", "for"))


def test_topics_come_in_sorted_order_whatever_order_they_are_asked_in():
    assert corpus.text(["while", "for"]) == corpus.text(["for", "while"])
    assert corpus.text(["for", "while"]).startswith(corpus.text("for"))
    assert corpus.topic_names() == sorted(corpus.topic_names()) and "for" in corpus.topic_names()


def test_prose_only_drops_indented_code():
    code = corpus.text("for").splitlines()
    assert any(line.startswith("   for i in range(10):") for line in code)
    assert "print" not in corpus.words("for") and "print" in corpus.words("for", prose_only=False)


def test_the_word_pattern():
    text = "__init__ x2 don't built-in 'quoted' caf\u00e9"
    assert corpus.WORD.findall(text) == ["init", "x", "don't", "built", "in", "quoted", "caf"]


@pytest.mark.parametrize(
    ("topics", "message"),
    [
        (["for", "no-such-topic"], r"unknown help topics \['no-such-topic'\]"),
        ([], "at least one help topic"),
    ],
)
def test_bad_topics_raise(topics, message):
    with pytest.raises(ValueError, match=message):
        corpus.words(topics)
