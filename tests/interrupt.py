"""Kill a long job part-way, as a power cut would, and run it again: the harness of the resume
tests of the pre-training command (test_pretrain.py) and the adding experiment
(test_adding_experiment.py)."""

import signal
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(command, timeout=300):
    """Run `command` to its end from the repository root; it must succeed. Its output."""
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def kill_when(command, ready, timeout=300):
    """Start `command`, SIGKILL it as soon as ready() holds (say, its first checkpoint exists), and
    return its process id. It must still be running then: a job that ended first was not killed
    part-way, and the test could not tell a resume from a fresh run."""
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, "the job ended before it was ready to be killed"
        assert time.monotonic() < deadline, f"not ready after {timeout} s"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the job ended before the kill landed"
    return process.pid
