"""Decide how strictly nbval compares, and say at the end of every run how and how much it did.
A mistyped option or path is refused in one line before anything starts."""

import contextlib
import time
from queue import Empty

import notebook_audit  # scripts/, on the import path by pyproject.toml
import pytest

from tests import reference_platform

_DECISION = pytest.StashKey[str]()
POLL = 1.0  # seconds between checks that the kernel running a cell is still alive


class KernelDied(RuntimeError):
    """The kernel running a notebook's cell exited (crashed, killed, out of memory)."""


def _await_reply(self, msg_id, timeout=None):
    """nbval's RunningKernel.await_reply, but it notices within POLL seconds that the kernel
    died, instead of waiting for the whole cell timeout for a reply that will never come."""
    deadline = None if timeout is None else time.monotonic() + float(timeout)
    while True:
        left = POLL if deadline is None else min(POLL, deadline - time.monotonic())
        try:
            msg = self.get_message(stream="shell", timeout=max(left, 0.01))
        except Empty:
            if not self.is_alive():
                process = getattr(getattr(self.km, "provisioner", None), "process", None)
                code = getattr(process, "returncode", None)
                with contextlib.suppress(Exception):
                    self.stop()  # close its channels now: left open they delay pytest's exit
                raise KernelDied(
                    "the kernel died while running this cell"
                    + (f" (exit status {code})" if code is not None else "")
                ) from None
            if deadline is not None and time.monotonic() >= deadline:
                raise
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            if msg["content"]["status"] == "aborted":
                raise RuntimeError("Kernel aborted execution request")
            return


def pytest_addoption(parser):
    """A mistyped option is one line, not pytest's usage text (`pytest --help` has that)."""

    def error(message):
        raise pytest.UsageError(f"pytest: {message} (pytest --help lists the options)")

    parser.optparser.error = error


def pytest_configure(config):
    """Paths that do not exist are refused here: under xdist the workers would collect nothing
    and pytest would only say "no tests ran". Then strict nbval on the reference platform, lax
    elsewhere (tests/reference_platform.py)."""
    if not config.option.pyargs and not hasattr(config, "workerinput"):
        for arg in config.args:
            if not (config.invocation_params.dir / arg.split("::")[0]).exists():
                raise pytest.UsageError(f"no file or folder {arg.split('::')[0]} to test")
    if not (config.option.nbval or config.option.nbval_lax):
        return
    from nbval.kernel import RunningKernel

    RunningKernel.await_reply = _await_reply
    try:
        strict, why = reference_platform.decide()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    config.option.nbval, config.option.nbval_lax = strict, not strict
    config.stash[_DECISION] = why


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A dead kernel is reported in one line naming the notebook and the cell; the notebook's
    later cells are reported as not run because of it."""
    report = yield
    if call.excinfo is not None and report.failed:
        error = call.excinfo.value
        if isinstance(error, KernelDied):
            report.longrepr = f"{item.nodeid}: {error}; the notebook's later cells are not run"
            item.parent.stash[_DEAD] = item.nodeid
        elif "Kernel dead on test start" in str(error) and _DEAD in item.parent.stash:
            report.longrepr = (
                f"{item.nodeid}: not run, the kernel died in {item.parent.stash[_DEAD]}"
            )
    return report


_DEAD = pytest.StashKey[str]()


def pytest_terminal_summary(terminalreporter, config):
    """The decision, once, and one line: code cells compared, opted out, printing nothing."""
    nodeids = {
        report.nodeid.split("::")[0]
        for reports in terminalreporter.stats.values()
        for report in reports
        if ".ipynb::" in getattr(report, "nodeid", "")
    }
    if not nodeids:
        return
    notebooks = sorted(config.rootpath / nodeid for nodeid in nodeids)
    total, compared, opted_out, silent = notebook_audit.comparison_counts(notebooks)
    terminalreporter.write_sep("-", "nbval coverage")
    terminalreporter.write_line(f"nbval: {config.stash.get(_DECISION, 'strict')}")
    if config.option.nbval_lax:
        terminalreporter.write_line(
            f"{len(notebooks)} notebooks, {total} code cells run, every assert checked; "
            "no outputs compared"
        )
        return
    terminalreporter.write_line(
        f"{len(notebooks)} notebooks, {total} code cells: outputs of {compared} compared, "
        f"{opted_out} opted out (each says why), {silent} print nothing"
    )
