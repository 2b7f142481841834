"""tests/messages.py: a message meets naming(...) when it holds every fact, in any order."""

import re

from messages import naming


def test_every_fact_is_needed_and_their_order_is_free():
    message = "x must be (N, D) with D=2; got shape (4, 3)\nsee the docs"
    assert re.search(naming("x", "D=2", "(4, 3)"), message)
    assert re.search(naming("(4, 3)", "x", "D=2"), message)
    assert not re.search(naming("x", "D=2", "(4, 4)"), message)
    assert not re.search(naming("x", "D=3"), message)
    assert not re.search(naming("(4, 3)"), "got 4, 3")  # facts are text, not patterns
