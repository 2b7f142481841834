"""Real English prose that the book's pinned Keras ships: the docstrings of its layers.

The text is read at run time from the installed Keras package's source files (Apache 2.0), the
documentation of `keras.layers` that `help(keras.layers.LSTM)` shows: no download and no copy in
this repository. The files are parsed, never imported (so reading them does not start
TensorFlow), and the lock pins Keras to one version, so the words, and every count made from them,
are the same on every Python version and every machine. The layers of `keras.layers` are
included, except the data-preprocessing layers, whose docs are about images and text pipelines.
"""

import ast
import functools
import importlib.metadata
import importlib.util
import pathlib
import re

# lower-case letters a-z, keeping apostrophes inside a word (layer's); anything else splits
WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
# a section heading on a line of its own, such as "Args:" or "Call arguments:"
HEADING = re.compile(r"[A-Z][A-Za-z ]*:")
PACKAGE, FOLDER, LEFT_OUT = "keras", "layers", ("preprocessing",)


def version():
    """The version of the installed Keras whose docstrings are the corpus (the lock pins it)."""
    return importlib.metadata.version(PACKAGE)


@functools.cache
def _docs():
    """{topic: docstrings of the module, its public classes and their public methods}."""
    spec = importlib.util.find_spec(PACKAGE)  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the corpus needs the package {PACKAGE!r}; it is not installed")
    root = pathlib.Path(spec.submodule_search_locations[0]) / "src"
    docs = {}
    for path in sorted((root / FOLDER).rglob("*.py")):
        relative = path.relative_to(root).with_suffix("")
        if path.name.endswith("_test.py") or set(relative.parts) & set(LEFT_OUT):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found = [doc for doc in _docstrings(tree) if doc]
        if found:
            docs[".".join(relative.parts)] = "\n\n".join(found)
    return docs


def _docstrings(node):
    """The docstrings of a module or class and, in source order, of its public members."""
    yield ast.get_docstring(node, clean=False)
    for child in node.body:
        if isinstance(child, ast.ClassDef | ast.FunctionDef) and child.name[:1] != "_":
            if isinstance(child, ast.ClassDef):
                yield from _docstrings(child)
            else:
                yield ast.get_docstring(child, clean=False)


def topic_names():
    """The names of all topics (the modules of keras.layers, such as 'layers.rnn.lstm'), sorted."""
    return sorted(_docs())


def text(topics=None):
    """The docstrings of the given topics (all when None), in sorted order, blank-line separated."""
    pages = _docs()
    names = topic_names() if topics is None else topics
    if isinstance(names, str):
        names = [names]  # one topic name, not a sequence of one-letter names
    names = sorted(set(names))
    if not names:
        raise ValueError("topics must name at least one topic (or be None for all)")
    unknown = [name for name in names if name not in pages]
    if unknown:
        raise ValueError(
            f"unknown topics {unknown}; choose from corpus.topic_names(), e.g. {topic_names()[:4]}"
        )
    return "\n\n".join(pages[name] for name in names)


def prose_lines(text_):
    """The lines of `text_` that are prose: no code, no doctest, no headings, no indentation.

    Dropped: code blocks between ``` fences, doctest examples (from a `>>>` line to the next
    blank line, so their printed results go too) and headings such as "Args:".
    """
    kept, in_fence, in_doctest = [], False, False
    for line in text_.split("\n"):
        line = line.strip()
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        if line.startswith(">>>"):
            in_doctest = True
        if not line:
            in_doctest = False
            continue
        if not (in_fence or in_doctest or HEADING.fullmatch(line)):
            kept.append(line)
    return kept


def words(topics=None, prose_only=True):
    """The lower-case words of the topics' docstrings, in order; prose_only drops code.

    A word is a run of letters a-z, with inner apostrophes (typographic ones made plain), so
    "return_sequences" gives "return" and "sequences", "conv2d" gives "conv" and "d", and
    "layer's" stays whole.
    """
    source = text(topics).replace("\u2019", "'")
    lines = prose_lines(source) if prose_only else source.split("\n")
    return WORD.findall("\n".join(lines).lower())
