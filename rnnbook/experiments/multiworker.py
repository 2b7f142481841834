"""Train with MultiWorkerMirroredStrategy in several processes on this machine (127.0.0.1 only).

`run(setup, workers)` starts `python -m rnnbook.experiments.multiworker` once per worker, each
with its own TF_CONFIG, waits for all of them within a timeout, and stops every one of them if
any fails: a worker that hangs leaves the others waiting indefinitely inside an all-reduce
(collective ops have no time limit by default), and a dead one is detected only after the
strategy's health checks time out, so the harness enforces its own deadline.
"""

import argparse
import dataclasses
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rnnbook import validate

HOST = "127.0.0.1"  # loopback only: nothing leaves this machine
BIND_FAILURE = ("Address already in use", "Could not start gRPC server", "Failed to bind")


class WorkerError(RuntimeError):
    """A worker failed or did not finish in time; the message holds what it printed."""


def free_ports(count):
    """`count` distinct ports that were free a moment ago (held open together while chosen)."""
    sockets = []
    try:
        for _ in range(validate.positive_int(count, "count")):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind((HOST, 0))  # the kernel picks an unused port
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def tf_config(ports, index):
    """The TF_CONFIG of worker `index` in a cluster of workers at HOST:ports."""
    workers = [f"{HOST}:{int(p)}" for p in ports]
    if not 0 <= index < len(workers):
        raise ValueError(f"index must be in [0, {len(workers)}); got {index}")
    return json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})


def run(setup, workers=2, *, timeout=120.0, ports=None, python=sys.executable):
    """Train `setup` in `workers` processes; a list with each worker's (losses, params).

    Raises WorkerError, after stopping every worker, if one exits with an error or if they have
    not all finished after `timeout` seconds. Ports are chosen here unless given; if a chosen
    port was taken in the moment between choosing and starting, the run is tried once more.
    """
    return start(setup, workers, timeout=timeout, ports=ports, python=python).result()


def start(setup, workers=2, *, timeout=120.0, ports=None, python=sys.executable):
    """Start the workers of `run` and return at once; `.result()` waits for them (a Launch)."""
    workers = validate.positive_int(workers, "workers")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive seconds; got {timeout}")
    if ports is not None and len(ports) != workers:
        raise ValueError(f"ports must hold one port per worker ({workers}); got {ports}")
    return Launch(setup, workers, timeout, ports, python)


class Launch:
    """Worker processes training one setup together; result() waits, stop() ends them."""

    def __init__(self, setup, workers, timeout, ports, python):
        self._args = setup, workers, python
        self._chosen = ports is None  # ports picked here may be retried once
        self._deadline = time.monotonic() + timeout
        self.timeout = timeout
        self.procs, self._logs = [], []
        self._folder = tempfile.TemporaryDirectory(prefix="rnnbook-workers-")
        self._spawn(free_ports(workers) if ports is None else list(ports))

    def _spawn(self, ports):
        setup, workers, python = self._args
        folder = Path(self._folder.name)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", TF_ENABLE_ONEDNN_OPTS="0")
        fields = json.dumps(dataclasses.asdict(setup))
        self.procs, self._logs = [], []
        try:
            for index in range(workers):
                log = open(folder / f"worker{index}.log", "wb")  # a file: a pipe could fill up
                self._logs.append(log)
                env["TF_CONFIG"] = tf_config(ports, index)
                out = str(folder / f"{index}.npz")
                self.procs.append(
                    subprocess.Popen(
                        [python, "-m", "rnnbook.experiments.multiworker", out, fields],
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,  # its own process group, stopped as one
                    )
                )
        except OSError as err:
            self.stop()
            self._folder.cleanup()
            raise WorkerError(f"worker {len(self.procs)} could not start: {err}") from err

    def result(self):
        """Each worker's (losses, params), once all have finished; or WorkerError."""
        try:
            try:
                _wait(self.procs, Path(self._folder.name), self._deadline, self.timeout)
            except WorkerError as err:
                if not (self._chosen and any(text in str(err) for text in BIND_FAILURE)):
                    raise
                self.stop()  # a chosen port was taken meanwhile: once more, on new ports
                self._chosen = False
                self._spawn(free_ports(len(self.procs)))
                _wait(self.procs, Path(self._folder.name), self._deadline, self.timeout)
            folder = Path(self._folder.name)
            return [_load(folder / f"{index}.npz") for index in range(len(self.procs))]
        finally:
            self.stop()
            self._folder.cleanup()

    def stop(self):
        """Kill every worker still running (with anything it started) and reap it."""
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGKILL)  # the group this worker leads, nothing else
                except ProcessLookupError:
                    pass
            p.wait()
        for log in self._logs:
            log.close()

    def __del__(self):
        self.stop()


def _wait(procs, folder, deadline, timeout):
    """Return when every worker has exited with 0; raise WorkerError at the first that did not."""
    while True:
        codes = [p.poll() for p in procs]
        for index, code in enumerate(codes):
            if code not in (None, 0):
                raise WorkerError(
                    f"worker {index} of {len(procs)} exited with code {code}; the others were "
                    f"stopped. It printed:\n{_tail(folder / f'worker{index}.log')}"
                )
        if all(code == 0 for code in codes):
            return
        if time.monotonic() > deadline:
            waiting = [i for i, code in enumerate(codes) if code is None]
            raise WorkerError(
                f"workers {waiting} of {len(procs)} had not finished after {timeout:g} s; all "
                f"were stopped. Worker {waiting[0]} printed:\n"
                f"{_tail(folder / f'worker{waiting[0]}.log')}"
            )
        time.sleep(0.05)


def _tail(path, lines=15):
    text = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return "\n".join(text[-lines:]) or "(nothing)"


def _load(path):
    with np.load(path) as saved:
        params = {}
        for key in saved.files:
            if key != "losses":
                layer, name = key.split("/")
                params.setdefault(layer, {})[name] = saved[key]
        return saved["losses"], params


def main(argv=None):
    """A worker: read TF_CONFIG, train under MultiWorkerMirroredStrategy, save to `out`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="where to save this worker's losses and weights (.npz)")
    parser.add_argument("setup", help="rnnbook.experiments.distributed.Setup's fields as JSON")
    args = parser.parse_args(argv)
    if "TF_CONFIG" not in os.environ:
        raise SystemExit(
            "a worker needs TF_CONFIG; start workers with rnnbook.experiments.multiworker.run"
        )
    from rnnbook import backend  # TensorFlow only now, after TF_CONFIG is set
    from rnnbook.experiments import distributed

    setup = distributed.Setup(**json.loads(args.setup))
    tf, keras = backend.load_keras(setup.seed, threads=1)  # one thread: workers share 2 cores
    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    losses, params = distributed.train(tf, keras, strategy, setup)
    arrays = {f"{layer}/{k}": w for layer, p in params.items() for k, w in p.items()}
    np.savez(args.out, losses=losses, **arrays)


if __name__ == "__main__":
    main()
