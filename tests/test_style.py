"""The package, scripts, tests and the notebooks' code cells pass ruff (settings in pyproject.toml).

A reader copies the book's code; it should be as clean as the package it imports."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff(command):
    assert RUFF, "ruff is not installed: it is in the 'test' extra of pyproject.toml"
    result = subprocess.run(
        [RUFF, *command, "--no-cache", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
