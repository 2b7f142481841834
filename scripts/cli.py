"""The scripts' argument parser: argparse, but a mistake is answered in one line.

argparse prints its whole usage text before the error; a reader who typed one wrong word needs the
error, and `--help` still prints the usage. scripts/grade.py keeps its own copy of this class,
because a course's repository gets it with kernels.py only (scripts/classroom.py).
"""

import argparse


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        self.refuse(f"{message} (--help lists the options)")

    def refuse(self, message):
        """Exit with status 2 and one line: what was expected and what arrived."""
        self.exit(2, f"{self.prog}: error: {message}\n")


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
