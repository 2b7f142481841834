"""Summarise a pytest JUnit XML report as Markdown: which notebook cells' outputs changed,
which cells raised (an assert of the prose failed), which unit tests failed.

    python scripts/test_report.py _build/newest.xml [--lock-diff OLD NEW] >> "$GITHUB_STEP_SUMMARY"

The weekly workflow (.github/workflows/newest.yml) runs `make test` with the newest releases of
every dependency and writes this summary, so that refreshing the lock is a decision.
"""

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import cli

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)(?:\s*;\s*([^\\\n]+?))?\s*\\?$", re.MULTILINE)


def pins(path):
    """{name: "version" or "version (marker), ..."} of a lock file (a universal lock may pin one
    package at several versions, each for its platforms or Pythons)."""
    found = {}
    for name, version, marker in PIN.findall(Path(path).read_text()):
        found.setdefault(name.lower(), []).append(f"{version} ({marker})" if marker else version)
    return {name: ", ".join(versions) for name, versions in found.items()}


def lock_changes(old, new):
    """Markdown lines: every package whose locked version differs between two locks."""
    before, after = pins(old), pins(new)
    lines = []
    for name in sorted(before.keys() | after.keys()):
        if before.get(name) != after.get(name):
            lines.append(f"- {name}: {before.get(name, '(none)')} -> {after.get(name, '(none)')}")
    return lines


def classify(report):
    """(outputs changed, cells raised, other failures): lists of test ids with a reason."""
    changed, raised, other = [], [], []
    for case in ET.parse(report).getroot().iter("testcase"):
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is None:
            continue
        classname = case.get("classname", "")
        if classname.endswith(
            ".ipynb"
        ):  # pytest writes chapters/05_bptt.ipynb as chapters.05_bptt.ipynb
            classname = classname[: -len(".ipynb")].replace(".", "/") + ".ipynb"
        name = f"{classname}::{case.get('name', '')}"
        text = (problem.get("message") or "") + "\n" + (problem.text or "")
        if "Cell outputs differ" in text or "mismatch '" in text:
            kinds = sorted(set(re.findall(r"mismatch '([^']+)'", text)))
            changed.append(f"{name} ({', '.join(kinds) or 'outputs'})")
        elif "ipynb" in name:
            raised.append(name)
        else:
            other.append(name)
    return changed, raised, other


def main(argv=None):
    parser = cli.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="pytest's --junitxml file")
    parser.add_argument("--lock-diff", nargs=2, metavar=("OLD", "NEW"), type=Path)
    args = parser.parse_args(argv)
    for path in [args.report, *(args.lock_diff or [])]:
        if not path.is_file():
            parser.error(f"{path} does not exist")
    try:
        changed, raised, other = classify(args.report)
    except ET.ParseError as error:
        parser.error(f"{args.report} is not a JUnit XML report ({error})")
    out = ["## make test with the newest releases", ""]
    if args.lock_diff:
        changes = lock_changes(*args.lock_diff)
        out += [f"{len(changes)} locked versions would change:", "", *changes, ""]
    out.append(f"{len(changed)} notebook cells print something else:")
    out += [f"- {name}" for name in changed] + [""]
    out.append(f"{len(raised)} notebook cells raised (a claim of the prose no longer holds):")
    out += [f"- {name}" for name in raised] + [""]
    out.append(f"{len(other)} other tests failed:")
    out += [f"- {name}" for name in other]
    print("\n".join(out))
    return 1 if changed or raised or other else 0


if __name__ == "__main__":
    sys.exit(main())
