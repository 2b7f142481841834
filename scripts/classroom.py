"""Make a course's students' repository: the handout, and a CI that grades with the course's grader.

usage: classroom.py DEST [--handout FOLDER] [--grader-repository URL] [--grader-commit SHA]
                        [--course FILE]

DEST (new or empty) receives:
  chapters/          the handout: each notebook with its solutions cut (scripts/student_edition.py);
                     --handout student copies the executed, nbval-checked ones `make student` made
  rnnbook/           the package; its checkers compare with recorded outputs of the reference
                     (rnnbook/checks/recorded.py), so the references only checkers use stay here
  data/, pyproject.toml, the lock, LICENSE, scripts/grade.py and kernels.py (`make check`)
  .ci/run            what CI runs: the course's grader, pinned to one commit, grades chapters/
  .github/workflows/grade.yml, .github/classroom/autograding.json (GitHub Classroom: one test
                     per exercise, with the points of --course FILE, else 1 each)
  README.md, .gitignore, .ci/fetch-grader
and nothing else: no tests (tests/test_checks_* hold near-solutions), no instructors' page, no book.
The grader is this repository at --grader-commit (default: HEAD), fetched from
--grader-repository (default: repository.url in _config.yml).
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import grade
import nbformat
import student_edition
import yaml
from cli import ArgumentParser
from notebook_audit import toc_notebooks

from rnnbook.checks import recorded

ROOT = Path(__file__).resolve().parent.parent

UPSTREAM = "https://github.com/rnnbook/rnnbook"  # the book's own repository, not a course's
LOCKS = ["requirements.txt"]

MAKEFILE = """\
# Your coursework. `make lab` opens the chapters in JupyterLab; `make check` checks every exercise
# here and writes grades/grades.json and grades/grades.csv. That is feedback: your marks come from
# the course's grader (.ci/run, which CI runs on every push), not from the files in this folder.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml requirements.txt | cksum | cut -d' ' -f1)
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)
# JupyterLab refuses to start as root unless told
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help lab check grade

help:
\t@echo "make lab     open the chapters in JupyterLab (LAB_ARGS= passes options)"
\t@echo "make check   check every exercise here (feedback), results in grades/"
\t@echo "make grade   what CI runs: the course's grader checks chapters/ (bash .ci/run)"

$(STAMP):
\ttest -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
\t$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.txt
\t$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
\trm -f $(VENV)/.installed-* && touch $@

lab: $(STAMP)
\t$(BIN)/jupyter lab $(LAB_ROOT) --KernelManager.transport_encryption=auto $(LAB_ARGS) chapters/

check: $(STAMP)
\t$(BIN)/python scripts/grade.py chapters --out grades $(ARGS)

grade:
\tbash .ci/run
"""

CI_RUN = """\
#!/usr/bin/env bash
# What CI runs: the course's grader, at the commit pinned in .ci/grader.env, grades chapters/.
# Only the notebooks are read from this repository; the grader's own Makefile, package and
# checkers come from its checkout in .grader/ (GRADER_DIR=path uses a checkout you already have).
# Results: grades/grades.json and grades/grades.csv. Exit status 0 when every exercise passes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${GRADER_DIR:-}" ]; then
  bash .ci/fetch-grader
  GRADER_DIR=.grader
fi
make -C "$GRADER_DIR" grade DIR="$PWD/chapters" OUT="$PWD/grades"
"""

FETCH_GRADER = """\
#!/usr/bin/env bash
# Check the course's grader out into .grader/ at the commit pinned in .ci/grader.env.
set -euo pipefail
cd "$(dirname "$0")/.."
source .ci/grader.env
if [ ! -d .grader/.git ]; then
  git init --quiet .grader
  git -C .grader remote add origin "$GRADER_REPOSITORY"
fi
git -C .grader fetch --quiet --depth 1 origin "$GRADER_COMMIT"
git -C .grader checkout --quiet --detach "$GRADER_COMMIT"
"""

WORKFLOW = """\
# On every push: the course's grader (pinned in .ci/grader.env) grades the exercises in chapters/.
# The step summary shows the table; grades/ is kept as an artifact. Nothing else runs here: no
# book build and no Pages site, so a red run means exercises that do not pass yet.
name: grade

on:
  push:
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: grade-${{ github.ref }}
  cancel-in-progress: true

jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: Fetch the course's grader at its pinned commit
        run: bash .ci/fetch-grader
      - name: Restore the grader's environment
        id: cache
        uses: actions/cache/restore@v4
        with:
          path: .grader/.venv
          key: "grader-venv-${{ runner.os }}-py3.11-\\
            ${{ hashFiles('.grader/pyproject.toml', '.grader/requirements.txt') }}"
      - name: Grade the exercises
        run: GRADER_DIR=.grader bash .ci/run
      # saved even when grading fails: a students' repository is red until the work is done
      - name: Save the grader's environment
        if: always() && steps.cache.outputs.cache-hit != 'true'
        uses: actions/cache/save@v4
        with:
          path: .grader/.venv
          key: ${{ steps.cache.outputs.cache-primary-key }}
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: grades
          path: grades/
"""

README = """\
# Coursework: recurrent neural networks

The chapters of *Recurrent Neural Networks: from Scratch and in Keras*, with their coding exercises
left for you. Each exercise is a function to write in a cell that raises `NotImplementedError`, and
the cell after it checks your function (do not change or delete the check cells: the grader checks
that they are there as handed out).

```bash
make lab     # JupyterLab on chapters/ (needs Python 3.11.5 or newer and make)
make check   # check every exercise here; results in grades/grades.csv
```

Write each exercise with NumPy: a function that is, or calls, the `rnnbook` functions the answer
is built on fails as "uses reference". On every push, CI grades `chapters/` with the course's
grader (`.ci/run`); its summary lists each exercise that does not pass yet and why. The marks
come from the course's grader on your notebooks, not from the files in this repository.

Code: MIT licence (LICENSE); the book's text and figures: see LICENSE.
"""

GITIGNORE = ".venv/\n.grader/\ngrades/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n"


def course_repository():
    """The course's repository from _config.yml (a fork sets its own)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config.get("repository", {}).get("url", "")


def github_https(url):
    """https://github.com/owner/name for the ssh or https address of a GitHub repository."""
    url = url.strip().removesuffix("/").removesuffix(".git")
    if url.startswith("git@github.com:"):
        url = "https://github.com/" + url.removeprefix("git@github.com:")
    return url


def check_config(config_text, origin):
    """What a course's fork left as the book's own: [problem, ...] (none when all is set).

    repository.url must be the fork's git remote `origin`, html.baseurl the GitHub Pages address
    of that repository, and launch_buttons.jupyterhub_url, if set, not the book's (it has none)."""
    config = yaml.safe_load(config_text)
    repository = github_https(config.get("repository", {}).get("url", ""))
    problems = []
    if origin and github_https(origin) != repository:
        problems.append(
            f"repository.url is {repository}, but this clone's origin is {github_https(origin)}"
        )
    owner_name = repository.removeprefix("https://github.com/").split("/")
    if len(owner_name) == 2:
        pages = f"https://{owner_name[0].lower()}.github.io/{owner_name[1]}/"
        baseurl = config.get("html", {}).get("baseurl", "")
        if baseurl and baseurl != pages:
            problems.append(
                f"html.baseurl is {baseurl}; the Pages address of {repository} is {pages}"
            )
    hub = config.get("launch_buttons", {}).get("jupyterhub_url", "")
    if "rnnbook.org" in hub:
        problems.append(f"launch_buttons.jupyterhub_url {hub} is not a hub; set your own or none")
    return problems


def origin_url():
    done = subprocess.run(
        ["git", "-C", str(ROOT), "remote", "get-url", "origin"], capture_output=True, text=True
    )
    return done.stdout.strip() if done.returncode == 0 else None


def git(*args):
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


def copy_package(dest, exercises):
    """rnnbook/ without caches; chapter checkers replaced by recorded ones."""
    shutil.copytree(
        ROOT / "rnnbook",
        dest / "rnnbook",
        ignore=shutil.ignore_patterns("__pycache__", "ch[0-9][0-9].py", "recorded"),
    )
    by_module = {}
    for exercise in exercises:
        module, name = exercise["checker"].split(".")
        by_module.setdefault(module, []).append((exercise["id"], name))
    folder = dest / "rnnbook" / "checks" / "recorded"
    for module, checks in by_module.items():
        chapter = __import__(f"rnnbook.checks.{module}", fromlist=["_"])
        lines = [
            f'"""Checkers for {module}: they compare with recorded outputs of the reference."""',
            "",
            "from rnnbook.checks.recorded import checker",
            "",
        ]
        for exercise_id, name in checks:
            recorded.write(exercise_id, getattr(chapter, name), folder)
            lines.append(f'{name} = checker("{exercise_id}")')
        (dest / "rnnbook" / "checks" / f"{module}.py").write_text("\n".join(lines) + "\n")


def build(dest, handout=None, grader_repository=None, grader_commit=None, course=None):
    """Write the students' repository into dest (new or empty); `course`: a course.toml whose
    points go into Classroom's autograding.json (scripts/grade.py --course)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise SystemExit(f"{dest} is not empty; give a new folder")
    grader_repository = grader_repository or course_repository()
    grader_commit = grader_commit or git("rev-parse", "HEAD")
    if not grader_repository or grader_repository.rstrip("/") == UPSTREAM:
        print(
            f"warning: the grader's repository is {grader_repository or 'not set'}; set"
            " repository.url in _config.yml to your course's fork (or pass"
            " --grader-repository)",
            file=sys.stderr,
        )
    exercises = grade.load_manifest()
    (dest / "chapters").mkdir(parents=True)
    for path in toc_notebooks():
        if handout:
            shutil.copy(Path(handout) / path.name, dest / "chapters" / path.name)
        else:
            nb = student_edition.student_copy(nbformat.read(path, as_version=4))
            nbformat.write(nb, dest / "chapters" / path.name)
    copy_package(dest, exercises)
    shutil.copytree(ROOT / "data", dest / "data")
    (dest / "scripts").mkdir()
    for script in ("grade.py", "kernels.py"):  # the grader and how it runs a notebook
        shutil.copy(ROOT / "scripts" / script, dest / "scripts" / script)
    for name in ["pyproject.toml", "LICENSE", *LOCKS]:
        shutil.copy(ROOT / name, dest / name)
    (dest / "Makefile").write_text(MAKEFILE)
    (dest / "README.md").write_text(README)
    (dest / ".gitignore").write_text(GITIGNORE)
    (dest / ".ci").mkdir()
    (dest / ".ci" / "run").write_text(CI_RUN)
    (dest / ".ci" / "fetch-grader").write_text(FETCH_GRADER)
    for script in ("run", "fetch-grader"):
        (dest / ".ci" / script).chmod(0o755)
    (dest / ".ci" / "grader.env").write_text(
        "# the course's grader: its repository and the commit that grades (remade by"
        " `make classroom`)\n"
        f"GRADER_REPOSITORY={grader_repository}\nGRADER_COMMIT={grader_commit}\n"
    )
    (dest / ".github" / "workflows").mkdir(parents=True)
    (dest / ".github" / "workflows" / "grade.yml").write_text(WORKFLOW)
    (dest / ".github" / "classroom").mkdir()
    config = grade.autograding(grade.choose(exercises, course=course))
    (dest / ".github" / "classroom" / "autograding.json").write_text(
        json.dumps(config, indent=2) + "\n"
    )
    return grader_repository, grader_commit


def dest_problem(dest):
    """Why `dest` cannot receive the students' repository, or None."""
    expected = "DEST (make classroom DIR=) must be a new or empty folder"
    if dest is None:
        return f"{expected}, for the students' repository; none was given"
    if dest.exists() and not dest.is_dir():
        return f"{expected}; {dest} is a file"
    if dest.exists() and any(dest.iterdir()):
        return f"{expected}; {dest} holds {len(list(dest.iterdir()))} files or folders"
    return None


def main(argv=None):
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=lambda text: Path(text) if text else None, nargs="?")
    parser.add_argument(
        "--check", action="store_true", help="only check the arguments (make classroom does first)"
    )
    parser.add_argument(
        "--check-config",
        action="store_true",
        help="only check that _config.yml names this fork (repository, baseurl, hub)",
    )
    parser.add_argument("--handout", type=Path, help="executed handout notebooks (student/)")
    parser.add_argument("--grader-repository")
    parser.add_argument("--grader-commit")
    parser.add_argument(
        "--course", type=Path, help="course.toml: its [points] go into Classroom's autograding.json"
    )
    args = parser.parse_args(argv)
    problem = dest_problem(args.dest)
    if problem and not args.check_config:
        parser.refuse(problem)
    if args.course:  # refuse a wrong course file before any work
        if not args.course.is_file():
            parser.refuse(f"--course must be a course.toml file; {args.course} is not one")
        grade.choose(grade.load_manifest(), course=args.course)
    origin = origin_url()
    problems = check_config((ROOT / "_config.yml").read_text(), origin)
    if args.check_config or not args.grader_repository:
        for problem in problems:
            print(f"_config.yml: {problem}", file=sys.stderr)
        if origin is None:
            print("no git remote `origin` here: the repository address is not checked")
        if problems:
            return 1
        if args.check_config:
            print("_config.yml names this repository")
            return 0
    if args.check:
        return 0
    changed = git(
        "status", "--porcelain", "--", "scripts/grade.py", "scripts/kernels.py", "rnnbook/checks"
    )
    if changed and not args.grader_commit:
        print(
            "warning: the grader's files differ from HEAD; CI will grade with HEAD:\n" + changed,
            file=sys.stderr,
        )
    repository, commit = build(
        args.dest, args.handout, args.grader_repository, args.grader_commit, args.course
    )
    print(f"wrote {args.dest}: graded by {repository} at {commit[:12]}")
    print(
        "next: start a new repository there (git init), commit, push; see chapters/instructors.md"
    )


if __name__ == "__main__":
    sys.exit(main())
