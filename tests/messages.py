"""Error messages checked by what they say, not by their wording."""

import re


def naming(*facts):
    """A pattern for pytest.raises(match=...) that a message meets when it holds every fact, in any
    order and whatever the words around them: the argument's name, what was expected, what
    arrived. A message can then be reworded without rewriting its tests, but not lose a fact."""
    return "".join(f"(?=[\\s\\S]*{re.escape(fact)})" for fact in facts)
