"""Real English prose that ships with Python itself: the language reference's help topics.

`pydoc_data.topics.topics` is part of CPython's standard library (PSF licence): about 80
sections of the Python Language Reference and Library Reference as plain text, the pages
`help("for")` shows. No download and no copy in this repository. The text changes a little
between Python versions, so counts measured on one version can differ on another.
"""

import re

# lower-case letters a-z, keeping apostrophes inside a word (clause's); anything else splits
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def topic_names():
    """The names of all help topics, sorted."""
    from pydoc_data.topics import topics

    return sorted(topics)


def text(topics=None):
    """The text of the given help topics (all when None), in sorted order, blank-line separated."""
    from pydoc_data.topics import topics as pages

    names = topic_names() if topics is None else topics
    if isinstance(names, str):
        names = [names]  # one topic name, not a sequence of one-letter names
    names = sorted(set(names))
    if not names:
        raise ValueError("topics must name at least one help topic (or be None for all)")
    unknown = [name for name in names if name not in pages]
    if unknown:
        raise ValueError(
            f"unknown help topics {unknown}; choose from corpus.topic_names(), "
            f"e.g. {topic_names()[:4]}"
        )
    return "\n\n".join(pages[name] for name in names)


def words(topics=None, prose_only=True):
    """The lower-case words of the help topics, in order; prose_only drops indented lines.

    Indented lines are mostly code examples, grammar rules and tables; the prose starts at
    the margin. A word is a run of letters a-z, with inner apostrophes (typographic ones
    made plain), so "__init__" gives "init", "x2" gives "x" and "clause's" stays whole.
    """
    lines = text(topics).replace("\u2019", "'").lower().splitlines()
    if prose_only:
        lines = [line for line in lines if line[:1].strip()]
    return WORD.findall("\n".join(lines))
