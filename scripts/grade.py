"""Grade a student's notebooks: run each and report, exercise by exercise, what the checkers say.

usage: grade.py [FOLDER]   (default: student). Exits with status 1 unless every check passes.
"""

import sys
from pathlib import Path

import nbclient
import nbformat


def grade(path):
    """Run one notebook in memory (the file is unchanged); return [(exercise, passed, feedback)]."""
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        allow_errors=True,  # a failed check must not stop the checks after it
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "check" not in cell.metadata.get("tags", []):
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        exercise = cell.source.strip().splitlines()[-1]
        feedback = f"{errors[0].ename}: {errors[0].evalue}" if errors else "correct"
        results.append((exercise, not errors, feedback))
    return results


def main(folder):
    """Grade every notebook in folder and print one line per exercise."""
    paths = sorted(Path(folder).glob("*.ipynb"))
    if not paths:
        sys.exit(f"no notebooks in {folder}/; make one with `make student`")
    passed = total = 0
    for path in paths:
        for exercise, ok, feedback in grade(path):
            total += 1
            passed += ok
            print(
                f"{'PASS' if ok else 'FAIL'}  {path.name}  {exercise}"
                + ("" if ok else f"\n      {feedback}")
            )
    print(f"{passed} of {total} checked exercises pass")
    return 0 if passed == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "student"))
