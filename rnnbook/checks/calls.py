"""Which rnnbook functions a student's code ran: a student may not call the reference answer's own
package code, or any checker."""

import sys


def package_calls(fn, *args, **kwargs):
    """Call fn; return (its result, the set of rnnbook functions that ran, as 'module.qualname')."""
    calls = set()

    def profile(frame, event, arg):
        if event == "call" and is_package_code(frame.f_globals.get("__name__")):
            calls.add(f"{frame.f_globals['__name__']}.{frame.f_code.co_qualname}")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return result, calls


def local_call(fn):
    """A function of this process: called as it is (the grader traces its calls in the kernel)."""
    return lambda *args, **kwargs: (fn(*args, **kwargs), set())


def is_package_code(module):
    return isinstance(module, str) and (module == "rnnbook" or module.startswith("rnnbook."))


def borrowed(student_calls, reference_calls):
    """Package functions the student's code ran that it may not: the reference's, any checker."""
    return {
        name
        for name in student_calls
        if name in reference_calls or name.startswith("rnnbook.checks.")
    }
