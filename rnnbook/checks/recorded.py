"""Checkers that compare with stored outputs of the reference, instead of running it.

The students' repository (scripts/classroom.py) gets these in place of the chapters' checkers, so
the reference functions that only the checkers use are not handed out. Each exercise is a pair of
files in recorded/: its cases and the reference's outputs as JSON, the arrays in an .npz.
"""

import json
from pathlib import Path

import numpy as np

from rnnbook.checks.core import Case, compare, record
from rnnbook.checks.plain_data import decode, encode

RECORDED = Path(__file__).resolve().parent / "recorded"


def checker(exercise_id, folder=RECORDED):
    """check_<name>(fn) for one exercise (id "chNN.name"), from its recorded files."""

    def check(fn):
        data = json.loads((folder / f"{exercise_id}.json").read_text())
        with np.load(folder / f"{exercise_id}.npz", allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        cases = [
            Case(row["label"], tuple(decode(row["args"], arrays)), decode(row["kwargs"], arrays))
            for row in data["cases"]
        ]
        outputs = iter([decode(row["expected"], arrays) for row in data["cases"]])
        compare(
            fn,
            lambda *args, **kwargs: next(outputs),
            cases,
            exercise=data["exercise"],
            rtol=data["rtol"],
            atol=data["atol"],
            read_only={int(k): v for k, v in data["read_only"].items()},
        )

    check.__name__ = f"check_{exercise_id.split('.')[-1]}"
    check.__doc__ = f"Check {exercise_id.split('.')[-1]} against the recorded reference outputs."
    return check


def write(exercise_id, chapter_checker, folder=RECORDED):
    """Record what chapter_checker compares with, as folder/<exercise_id>.json and .npz."""
    recorded = record(chapter_checker)
    arrays = []
    recorded["cases"] = [
        {
            "label": row["label"],
            "args": encode(row["args"], arrays),
            "kwargs": encode(row["kwargs"], arrays),
            "expected": encode(row["expected"], arrays),
        }
        for row in recorded["cases"]
    ]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{exercise_id}.json").write_text(json.dumps(recorded, indent=1) + "\n")
    np.savez(folder / f"{exercise_id}.npz", *arrays)
