"""The scripts' command lines: argparse, but a mistake is answered in one line.

`ArgumentParser` is rnnbook.jobs' (the package's long jobs use it too); scripts/grade.py keeps its
own copy of it, because a course's repository gets grade.py with kernels.py only
(scripts/classroom.py).
"""

import argparse

from rnnbook.jobs import ArgumentParser

__all__ = ["ArgumentParser", "positive"]


def positive(kind):
    """An argparse type: a number of `kind` (int or float) above 0, or a one-line error."""

    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            what = "an integer" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {what}; got {text!r}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"expected a positive number; got {text!r}")
        return value

    return parse
