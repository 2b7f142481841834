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
