"""Grade students' notebooks on the book's coding exercises, without trusting the notebooks.

The exercises come from a manifest (rnnbook/checks/exercises.toml: notebook, function, checker),
not from the student's check cells. Each notebook is copied alone into a scratch folder and run in
its own kernel; then, for every exercise, this process calls the checker itself. The student's
function stays in the kernel: the checker's inputs go there and only plain numbers come back, so
nothing the notebook does (redefining a checker, patching NumPy) reaches the comparison. An
exercise fails when its function is missing, is or calls the package code the reference answer
runs on, when its check cell was deleted or changed, or when its answer is wrong; a stub that still
raises NotImplementedError is "not attempted". Only the notebooks are read from a student's folder.

usage:
  grade.py FOLDER [--out DIR] [--select PATTERN ...] [--require PATTERN ...] [--course FILE]
      FOLDER holds one student's notebooks (directly or in chapters/), or one folder per student.
      Writes DIR/grades.json and DIR/grades.csv (default DIR: _build/grades), prints a table, and
      appends it to $GITHUB_STEP_SUMMARY when that is set. Exit status 0 only when every required
      exercise of every student passes.
  grade.py --write-manifest           rewrite the manifest from the chapters' solution/check cells
  grade.py --autograding FILE [--course FILE]
      write GitHub Classroom's autograding.json from the manifest, for a students' repository
      made by scripts/classroom.py (which writes the same file itself; --setup and --runner
      change the commands)
  grade.py --passed ID [--results F]  exit 0 when exercise ID passed in a grades.json (Classroom)
"""

import argparse
import ast
import contextlib
import csv
import fnmatch
import importlib
import inspect
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import kernels
import nbclient
import nbformat
import numpy as np

from rnnbook.checks import plain_data

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "rnnbook" / "checks" / "exercises.toml"
PASS = "pass"
NOT_ATTEMPTED = "not attempted"
WRONG = "wrong"
MISSING = "missing"
REFERENCE = "uses reference"
CHECK_CELL = "check cell changed"
ERROR = "error"
CELL_TIMEOUT = 300  # seconds for one cell of a student's notebook
CALL_TIMEOUT = 60  # seconds for one call of a student's function


# --- the manifest -------------------------------------------------------------------------------


def load_manifest(path=MANIFEST):
    """The exercises in book order: id, notebook, function, checker, check_cell, points."""
    with open(path, "rb") as f:
        return tomllib.load(f)["exercise"]


def manifest_from_chapters(notebooks):
    """The exercises of these notebooks: `solution` cells define them, `check` cells check them."""
    exercises = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        checks = [c.source for c in nb.cells if "check" in c.metadata.get("tags", [])]
        for cell in nb.cells:
            if "solution" not in cell.metadata.get("tags", []):
                continue
            for function in _defined_functions(cell.source):
                calls = [s for s in checks if f"check_{function}({function})" in s]
                if len(calls) != 1:
                    raise ValueError(
                        f"{path.name}: {function} needs exactly one check cell calling"
                        f" check_{function}({function}); found {len(calls)}"
                    )
                module = calls[0].split(f".check_{function}(")[0].split()[-1]
                exercises.append(
                    {
                        "id": f"{module}.{function}",
                        "notebook": path.name,
                        "function": function,
                        "checker": f"{module}.check_{function}",
                        "check_cell": calls[0],
                        "points": 1,
                    }
                )
    return exercises


def _defined_functions(source):
    return [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]


def write_manifest(exercises, path=MANIFEST):
    """TOML, one [[exercise]] table each; strings written as JSON, which TOML reads the same."""
    lines = [
        "# The book's coding exercises, made from the chapters by `python scripts/grade.py"
        " --write-manifest`.",
        "# scripts/grade.py grades these and nothing else; tests/test_grade.py checks that this"
        " file matches the chapters.",
    ]
    for exercise in exercises:
        lines.append("\n[[exercise]]")
        for key, value in exercise.items():
            lines.append(f"{key} = {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n")


def choose(exercises, select=(), require=(), course=None):
    """Keep the selected exercises; mark which are required (default: all) and their points."""
    points = {}
    if course:
        with open(course, "rb") as f:
            settings = tomllib.load(f)
        require = [*require, *settings.get("required", [])]
        points = settings.get("points", {})
        unknown = [
            p
            for p in [*require, *points]
            if not any(fnmatch.fnmatchcase(e["id"], p) for e in exercises)
        ]
        if unknown:
            raise SystemExit(f"{course}: no exercise matches {unknown}")
    chosen = []
    for exercise in exercises:
        if select and not any(fnmatch.fnmatchcase(exercise["id"], p) for p in select):
            continue
        required = not require or any(fnmatch.fnmatchcase(exercise["id"], p) for p in require)
        chosen.append({**exercise, "required": required, "points": points.get(exercise["id"], 1)})
    if not chosen:
        raise SystemExit(f"no exercise matches --select {list(select)}")
    return chosen


# --- the student's functions, in their kernel ---------------------------------------------------

# Defined in the student's kernel after their notebook ran. It calls one function on arguments this
# process pickled, and writes back plain data only (rnnbook.checks.plain_data.encode): JSON for the
# structure, arrays in an .npz read without pickle. It also records which rnnbook functions ran
# during the call, for compare() to judge.
KERNEL_HELPER = (
    "import numpy as np\n\n"
    + inspect.getsource(plain_data.encode)
    + r"""

def __rnnbook_grader_call__(name, args_path, out_path):
    import json, pickle, sys
    arrays, calls, result = [], set(), {}

    def profile(frame, event, arg):
        module = frame.f_globals.get("__name__")
        if event == "call" and isinstance(module, str) and module.split(".")[0] == "rnnbook":
            calls.add(module + "." + frame.f_code.co_qualname)

    fn = globals().get(name)
    if args_path is None:
        module = getattr(fn, "__module__", None)
        result = {"defined": name in globals(), "callable": callable(fn),
                  "module": module if isinstance(module, str) else None,
                  "qualname": str(getattr(fn, "__qualname__", ""))}
    else:
        with open(args_path, "rb") as f:
            args, kwargs = pickle.load(f)
        sys.setprofile(profile)
        try:
            with np.errstate(over="raise", invalid="raise", divide="raise"):
                result["value"] = encode(fn(*args, **kwargs), arrays)
        except Exception as err:
            result["error"] = [type(err).__name__, str(err)]
        finally:
            sys.setprofile(None)
        result["args"] = encode(list(args), arrays)
        result["calls"] = sorted(calls)
    with open(out_path + ".json", "w") as f:
        json.dump(result, f)
    np.savez(out_path + ".npz", *arrays)
"""
)


class Kernel:
    """One student notebook, run in a scratch folder, whose kernel stays up for the checks."""

    def __init__(self, notebook, scratch):
        self.scratch = scratch
        self.nb = nbformat.read(notebook, as_version=4)
        self.client = kernels.client(
            self.nb,
            notebook.parent,
            timeout=CELL_TIMEOUT,
            keep=True,  # the grader's calls run in it after the notebook; close() stops it
            interrupt_on_timeout=True,
            allow_errors=True,  # a failing cell must not stop the cells after it
        )
        self.calls = 0

    def run(self):
        """Execute every cell; return the errors other than the stubs' NotImplementedError."""
        try:
            self.client.execute()
        except nbclient.exceptions.CellTimeoutError:
            return [f"a cell ran for more than {CELL_TIMEOUT} s"]
        except Exception as err:  # the kernel died, for example
            return [f"the notebook stopped: {type(err).__name__}: {str(err).splitlines()[0]}"]
        errors = []
        for cell in self.nb.cells:
            for output in cell.get("outputs", []):
                if output.output_type == "error" and output.ename != "NotImplementedError":
                    errors.append(f"{output.ename}: {output.evalue}")
        self.nb.cells.append(nbformat.v4.new_code_cell(""))  # where the grader's calls run
        self._run(KERNEL_HELPER)
        return errors

    def _run(self, code):
        cell = nbformat.v4.new_code_cell(code)
        self.client.execute_cell(cell, len(self.nb.cells) - 1)
        return cell

    def ask(self, name, args=None, kwargs=None):
        """Run the helper in the kernel; return its JSON answer and the arrays."""
        self.calls += 1
        out = str(self.scratch / f"call{self.calls}")
        args_path = None
        if args is not None:
            args_path = str(self.scratch / f"args{self.calls}.pkl")
            with open(args_path, "wb") as f:
                pickle.dump((args, kwargs), f)
        self.client.timeout = CALL_TIMEOUT
        try:
            cell = self._run(f"__rnnbook_grader_call__({name!r}, {args_path!r}, {out!r})")
        except Exception as err:  # the kernel died, or did not answer in time
            first = str(err).splitlines()[0] if str(err) else ""
            raise RuntimeError(
                f"the grader could not call {name} ({type(err).__name__} {first})"
            ) from err
        errors = [o for o in cell.outputs if o.output_type == "error"]
        if errors or not Path(out + ".json").exists():
            what = f"{errors[0].ename}: {errors[0].evalue}" if errors else "no answer"
            raise RuntimeError(f"the grader could not call {name} in the kernel ({what})")
        answer = json.loads(Path(out + ".json").read_text())
        with np.load(out + ".npz", allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        return answer, arrays

    def close(self):
        with contextlib.suppress(Exception):
            self.client.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.client.km.shutdown_kernel(now=True)


class StudentFunction:
    """The student's function as the checkers see it: called here, run in the student's kernel."""

    def __init__(self, kernel, name):
        self.kernel, self.name = kernel, name

    def __call__(self, *args, **kwargs):
        return self.traced_call(*args, **kwargs)[0]

    def traced_call(self, *args, **kwargs):
        """(result, rnnbook functions it ran); its changes to array arguments are copied back."""
        answer, arrays = self.kernel.ask(self.name, args, kwargs)
        for mine, theirs in zip(args, plain_data.decode(answer["args"], arrays), strict=True):
            if isinstance(mine, np.ndarray) and np.shape(theirs) == mine.shape:
                mine[...] = theirs
        if "error" in answer:
            ename, message = answer["error"]
            if ename == "NotImplementedError":
                raise NotImplementedError(message)
            raise type(ename, (Exception,), {})(message)
        return plain_data.decode(answer["value"], arrays), set(answer["calls"])


# --- grading ------------------------------------------------------------------------------------


def student_notebooks(folder):
    """The folder that holds a student's notebooks: the folder itself or its chapters/."""
    for candidate in (folder, folder / "chapters"):
        if any(candidate.glob("*.ipynb")):
            return candidate
    return None


def students(folder):
    """[(name, notebook folder or None)]: one student, or one per sub-folder (a class)."""
    if student_notebooks(folder):
        return [(folder.resolve().name, student_notebooks(folder))]
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    found = [(p.name, student_notebooks(p)) for p in subfolders]
    if not any(nb for _, nb in found):
        return [(folder.resolve().name, None)]  # nothing to grade: every exercise is missing
    return found


def run_checker(exercise, fn):
    """(status, message) from calling the exercise's checker on fn; its printing is dropped."""
    from rnnbook.checks.core import ExerciseError, ReferenceUsed

    module, name = exercise["checker"].split(".")
    checker = getattr(importlib.import_module(f"rnnbook.checks.{module}"), name)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            checker(fn)
    except NotImplementedError:
        return NOT_ATTEMPTED, "the function still raises NotImplementedError"
    except ReferenceUsed as err:
        return REFERENCE, str(err)
    except ExerciseError as err:
        return WRONG, str(err)
    except RuntimeError as err:
        return ERROR, str(err)
    return PASS, "agrees with the reference on every input"


def grade_notebook(path, exercises, scratch):
    """Run one student notebook and grade its exercises: (results, notebook record)."""
    nb = nbformat.read(path, as_version=4)
    sources = {c.source.strip() for c in nb.cells if c.cell_type == "code"}
    start = time.perf_counter()
    work = scratch / path.stem
    (work / "chapters").mkdir(parents=True)
    (work / "data").symlink_to(ROOT / "data")  # chapters read ../data, as in the book
    shutil.copy(path, work / "chapters" / path.name)
    kernel = Kernel(work / "chapters" / path.name, work)
    results = []
    try:
        errors = kernel.run()
        record = {"notebook": path.name, "errors": errors[:5]}
        for exercise in exercises:
            t0 = time.perf_counter()
            status, message = grade_exercise(kernel, exercise, errors)
            if exercise["check_cell"].strip() not in sources and status != MISSING:
                changed = (
                    f"the check cell `{exercise['check_cell'].strip().splitlines()[0]}` was"
                    " deleted or changed"
                )
                if status == REFERENCE:
                    message = f"{message}; and {changed}"
                else:
                    detail = message if status == PASS else f"{status}: {message}"
                    status, message = CHECK_CELL, f"{changed} (the function itself: {detail})"
            results.append(result(exercise, status, message, time.perf_counter() - t0))
    finally:
        kernel.close()
    record["seconds"] = round(time.perf_counter() - start, 1)
    return results, record


def grade_exercise(kernel, exercise, notebook_errors):
    """(status, message) for one exercise in a notebook that has run."""
    name = exercise["function"]
    try:
        probe, _ = kernel.ask(name)
    except RuntimeError as err:
        return ERROR, str(err)
    if not probe["defined"] or not probe["callable"]:
        reason = f"the notebook defines no function {name}"
        if notebook_errors:
            reason += f" (its first error: {notebook_errors[0]})"
        return MISSING, reason
    module = probe["module"] or ""
    if module.split(".")[0] == "rnnbook":
        return REFERENCE, f"{name} is {module}.{probe['qualname']} from the package, not yours"
    return run_checker(exercise, StudentFunction(kernel, name))


def result(exercise, status, message, seconds):
    return {
        "id": exercise["id"],
        "notebook": exercise["notebook"],
        "function": exercise["function"],
        "required": exercise["required"],
        "points": exercise["points"],
        "status": status,
        "passed": status == PASS,
        "message": message,
        "seconds": round(seconds, 2),
    }


def grade_student(name, folder, exercises):
    """Every chosen exercise of one student, in manifest order."""
    results, notebooks = [], []
    by_notebook = {}
    for exercise in exercises:
        by_notebook.setdefault(exercise["notebook"], []).append(exercise)
    with tempfile.TemporaryDirectory(prefix="grade-") as scratch:
        for notebook, group in by_notebook.items():
            path = folder / notebook if folder else None
            if path is None or not path.exists():
                where = f"{folder}/" if folder else "the folder"
                results += [
                    result(e, MISSING, f"no notebook {notebook} in {where}", 0) for e in group
                ]
                continue
            print(f"running {name}/{notebook}", file=sys.stderr, flush=True)
            graded, record = grade_notebook(path, group, Path(scratch))
            results += graded
            notebooks.append(record)
    required = [r for r in results if r["required"]]
    return {
        "student": name,
        "folder": str(folder) if folder else None,
        "passed": sum(r["passed"] for r in results),
        "exercises_graded": len(results),
        "required_passed": sum(r["passed"] for r in required),
        "required": len(required),
        "points": sum(r["points"] for r in results if r["passed"]),
        "max_points": sum(r["points"] for r in results),
        "ok": all(r["passed"] for r in required),
        "notebooks": notebooks,
        "exercises": results,
    }


def grader_version():
    """Which grader gave the marks: its commit, and whether its files differ from that commit."""

    def git(*args):
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else None

    grader = ["scripts/grade.py", "scripts/kernels.py", "rnnbook"]
    changed = git("status", "--porcelain", "--", *grader)
    return {"commit": git("rev-parse", "HEAD"), "grader_files_changed": bool(changed)}


def write_results(report, out):
    """grades.json (everything) and grades.csv (one row per student and exercise)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "grades.json").write_text(json.dumps(report, indent=1) + "\n")
    fields = ["student", "id", "notebook", "function", "required", "points", "status"]
    fields += ["passed", "message", "seconds"]
    with open(out / "grades.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fields)
        writer.writeheader()
        for student in report["students"]:
            for row in student["exercises"]:
                writer.writerow({"student": student["student"], **row})


def summary(report):
    """A Markdown table: one row per student, then every exercise that did not pass."""
    lines = [
        "| student | required passed | points | verdict |",
        "|---|---|---|---|",
    ]
    for s in report["students"]:
        verdict = "PASS" if s["ok"] else "FAIL"
        lines.append(
            f"| {s['student']} | {s['required_passed']} of {s['required']} |"
            f" {s['points']} of {s['max_points']} | {verdict} |"
        )
    failing = [(s["student"], r) for s in report["students"] for r in s["exercises"]]
    failing = [(name, r) for name, r in failing if not r["passed"]]
    if failing:
        lines += ["", "| student | exercise | status | why |", "|---|---|---|---|"]
        for name, r in failing:
            why = r["message"].replace("|", "\\|").replace("\n", " ")
            lines.append(f"| {name} | {r['id']} | {r['status']} | {why} |")
    return "\n".join(lines) + "\n"


def grade(folder, out, exercises):
    """Grade a student's or a class's folder; write the results; return the exit status."""
    # every checker is loaded before any student's code runs (which could rewrite files on disk)
    for exercise in exercises:
        importlib.import_module(f"rnnbook.checks.{exercise['checker'].split('.')[0]}")
    report = {
        "grader": grader_version(),
        "exercises": [e["id"] for e in exercises],
        "required": [e["id"] for e in exercises if e["required"]],
        "students": [grade_student(n, f, exercises) for n, f in students(folder)],
    }
    write_results(report, out)
    for s in report["students"]:
        for r in s["exercises"]:
            flag = "PASS" if r["passed"] else "FAIL"
            optional = "" if r["required"] else " (not required)"
            print(f"{flag}  {s['student']}  {r['id']}{optional}")
            if not r["passed"]:
                print(f"      {r['status']}: {r['message']}")
    table = summary(report)
    print(table)
    print(f"results: {out / 'grades.json'} and {out / 'grades.csv'}")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a") as f:
            f.write("## Exercises\n\n" + table)
    return 0 if all(s["ok"] for s in report["students"]) else 1


# --- GitHub Classroom ---------------------------------------------------------------------------


# In a students' repository made by `make classroom` (scripts/classroom.py): .ci/run fetches the
# course's grader into .grader/ with its own environment and grades chapters/ into grades/. The
# runner must be that environment's Python: a Classroom runner's system python3 has neither NumPy
# nor nbclient, which this file imports.
CLASSROOM_SETUP = "bash .ci/run > grades.log 2>&1 || true"
CLASSROOM_RUNNER = ".grader/.venv/bin/python .grader/scripts/grade.py"


def autograding(
    exercises, setup=CLASSROOM_SETUP, results="grades/grades.json", runner=CLASSROOM_RUNNER
):
    """Classroom's autograding.json: the first test grades everything once, each test reads one."""
    tests = []
    for i, exercise in enumerate(exercises):
        tests.append(
            {
                "name": exercise["id"],
                "setup": setup if i == 0 else "",
                "run": f"{runner} --passed {exercise['id']} --results {results}",
                "input": "",
                "output": "",
                "comparison": "included",
                "timeout": 60 if i == 0 else 1,
                "points": exercise["points"],
            }
        )
    return {"tests": tests}


def passed(exercise_id, results):
    """Exit status for one exercise of the (single) student in a grades.json."""
    path = Path(results)
    if not path.exists():
        print(f"no results at {path}: the grading step did not run")
        return 1
    report = json.loads(path.read_text())
    for student in report["students"]:
        for r in student["exercises"]:
            if r["id"] == exercise_id:
                print(f"{'PASS' if r['passed'] else 'FAIL'}  {r['id']}: {r['message']}")
                return 0 if r["passed"] else 1
    print(f"{exercise_id} was not graded")
    return 1


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a mistake is answered in one line (a course's repository gets this file and
    kernels.py only, so it does not share scripts/cli.py)."""

    def error(self, message):
        self.refuse(f"{message} (--help lists the options)")

    def refuse(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def folder_problem(folder, exercises):
    """Why `folder` is not a student's notebooks (nor a class of them), or None when it is."""
    if folder is None:
        return "give FOLDER, a student's notebooks (or a class: one folder per student)"
    expected = "FOLDER (make grade DIR=) must hold a student's notebooks, or one folder per student"
    if not folder.exists():
        return f"{expected}; {folder} does not exist"
    if not folder.is_dir():
        return f"{expected}; {folder} is a file"
    wanted = {e["notebook"] for e in exercises}
    found = {p.name for _, nb in students(folder) if nb for p in nb.glob("*.ipynb")}
    if found & wanted:
        return None
    if found:
        return (
            f"{expected}; the notebooks in {folder} ({', '.join(sorted(found)[:3])}"
            f"{', ...' if len(found) > 3 else ''}) are none of the book's"
            f" ({', '.join(sorted(wanted)[:2])}, ...)"
        )
    kinds = sorted({p.suffix or p.name for p in folder.iterdir() if p.is_file()})
    folders = sum(p.is_dir() for p in folder.iterdir())
    return (
        f"{expected}; {folder} has no notebook (.ipynb), directly, in chapters/ or in a"
        f" sub-folder (it has {folders} sub-folders and {', '.join(kinds[:6]) or 'no'} files)"
    )


def main(argv=None):
    parser = ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, help="a student's or a class's folder")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "grades")
    parser.add_argument("--select", action="append", default=[], help="grade only these ids")
    parser.add_argument("--require", action="append", default=[], help="ids that must pass")
    parser.add_argument("--course", type=Path, help="TOML file: required = [...], [points]")
    parser.add_argument("--write-manifest", action="store_true")
    parser.add_argument("--autograding", type=Path, help="write Classroom's autograding.json")
    parser.add_argument("--setup", default=CLASSROOM_SETUP, help="for --autograding")
    parser.add_argument("--passed", metavar="ID")
    parser.add_argument("--results", default="grades/grades.json")
    parser.add_argument("--runner", default=CLASSROOM_RUNNER, help="for --autograding")
    args = parser.parse_args(argv)
    if args.write_manifest:
        from notebook_audit import toc_notebooks  # beside this file in the book's repository

        write_manifest(manifest_from_chapters(toc_notebooks()))
        print(f"wrote {MANIFEST.relative_to(ROOT)}")
        return 0
    if args.passed:
        return passed(args.passed, args.results)
    exercises = choose(load_manifest(), args.select, args.require, args.course)
    if args.autograding:
        args.autograding.parent.mkdir(parents=True, exist_ok=True)
        config = autograding(exercises, args.setup, args.results, args.runner)
        args.autograding.write_text(json.dumps(config, indent=2) + "\n")
        return 0
    problem = folder_problem(args.folder, exercises)
    if problem:
        parser.refuse(problem)
    if args.out.exists() and not args.out.is_dir():
        parser.refuse(
            f"--out must be a folder for grades.json and grades.csv; {args.out} is a file"
        )
    return grade(args.folder, args.out, exercises)


if __name__ == "__main__":
    sys.exit(main())
