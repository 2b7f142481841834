import itertools
import re

import numpy as np
import pytest
from messages import naming

from rnnbook.datasets import reber

# an independent description of the same languages, derived by hand from the automaton:
# from state 3 the string loops through X T* V P and leaves by S or by X T* V V
AFTER_3 = "(XT*VP)*(S|XT*VV)"
PLAIN = f"B(TS*X{AFTER_3}|PT*V(V|P{AFTER_3}))E"
REGEX = {False: re.compile(PLAIN), True: re.compile(f"B(T{PLAIN}T|P{PLAIN}P)E")}


@pytest.mark.parametrize("embedded", [False, True])
def test_every_sample_is_grammatical_and_matches_the_regex(embedded):
    rng = np.random.default_rng(0)
    for _ in range(2000):
        string = reber.sample(rng, embedded)
        assert reber.is_grammatical(string, embedded)
        assert REGEX[embedded].fullmatch(string)


def test_all_short_strings_are_judged_as_the_regex_judges_them():
    # all 19,608 strings of 2 to 7 symbols from B to E (any other fails at its first or last)
    for length in range(0, 6):
        for middle in itertools.product(reber.SYMBOLS, repeat=length):
            string = "B" + "".join(middle) + "E"
            expected = REGEX[False].fullmatch(string) is not None
            assert reber.is_grammatical(string, embedded=False) == expected, string


@pytest.mark.parametrize("embedded", [False, True])
def test_every_one_symbol_edit_of_a_sample_is_judged_as_the_regex_judges_it(embedded):
    rng = np.random.default_rng(1)
    for _ in range(100):
        s = reber.sample(rng, embedded)
        edits = {s[:i] + s[i + 1 :] for i in range(len(s))}
        for i, c in itertools.product(range(len(s) + 1), reber.SYMBOLS):
            edits |= {s[:i] + c + s[i:], s[:i] + c + s[i + 1 :]}
        for edit in edits:
            expected = REGEX[embedded].fullmatch(edit) is not None
            assert reber.is_grammatical(edit, embedded) == expected, edit


@pytest.mark.parametrize(
    "string", ["BTSSXXTVVE", "BPVVE", "BTXSE", "BPTVPSE", "BTSSXXVPXVVE", "BPTTTVPXTVVE"]
)
def test_known_reber_strings_are_accepted(string):
    assert reber.is_grammatical(string, embedded=False)
    assert reber.is_grammatical("BT" + string + "TE") and reber.is_grammatical("BP" + string + "PE")
    assert not reber.is_grammatical(string)


@pytest.mark.parametrize(
    "string", ["", "B", "BE", "BPVE", "BTSSE", "BTXSEE", "TXSE", "BTXSB", "bTXSE", "BTXS E"]
)
def test_known_invalid_strings_are_rejected(string):
    assert not reber.is_grammatical(string, embedded=False)
    assert not reber.is_grammatical(string)


def test_the_embedded_grammar_ties_the_second_symbol_to_the_second_to_last():
    rng = np.random.default_rng(2)
    samples = [reber.sample(rng) for _ in range(2000)]
    assert all(s[1] == s[-2] and s[1] in "TP" for s in samples)
    assert 0.45 < np.mean([s[1] == "T" for s in samples]) < 0.55
    for s in samples[:200]:
        other = "P" if s[1] == "T" else "T"
        assert not reber.is_grammatical(s[:-2] + other + "E")
    # the only thing that decides the second-to-last symbol is the second, 5 or more steps back
    assert reber.next_symbols("BTBTXSE") == {"T"} and reber.next_symbols("BPBTXSE") == {"P"}


@pytest.mark.parametrize("embedded", [False, True])
def test_next_symbols_lists_exactly_the_moves_that_keep_a_string_possible(embedded):
    rng = np.random.default_rng(3)
    for _ in range(200):
        s = reber.sample(rng, embedded)
        for i in range(len(s) + 1):
            allowed = reber.next_symbols(s[:i], embedded)
            assert i == len(s) or s[i] in allowed
            for c in reber.SYMBOLS:
                if c in allowed:
                    reber.next_symbols(s[:i] + c, embedded)
                else:
                    with pytest.raises(ValueError, match="string starts with"):
                        reber.next_symbols(s[:i] + c, embedded)
        assert reber.next_symbols(s, embedded) == set()
    assert reber.next_symbols("", embedded) == {"B"}


def test_bad_input_raises():
    with pytest.raises(TypeError, match="must be a str"):
        reber.is_grammatical(["B", "E"])
    with pytest.raises(TypeError, match="must be a str"):
        reber.next_symbols(None)
    with pytest.raises(TypeError, match="numpy.random.Generator"):
        reber.sample(0)
    with pytest.raises(ValueError, match=naming("'BX'")):
        reber.next_symbols("BX")
