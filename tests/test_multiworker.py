"""rnnbook.experiments.multiworker: two processes train as one; a failure stops all, no hang."""

import json
import os
import socket
import time

import numpy as np
import pytest

from rnnbook.experiments import distributed, multiworker
from rnnbook.models import parallel

TINY = distributed.Setup(units=8, embed_dim=4, batch_size=8, steps=3, names=64)


def gone(proc):
    """True when the worker and every process in its group have ended and been reaped."""
    if proc.returncode is None:
        return False
    try:
        os.killpg(proc.pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_two_workers_train_as_one_batch():
    (losses_0, weights_0), (losses_1, weights_1) = multiworker.run(TINY, 2, timeout=150)
    assert np.array_equal(losses_0, losses_1)
    assert np.array_equal(parallel.flatten(weights_0), parallel.flatten(weights_1))
    losses, params = distributed.numpy_sgd(TINY)
    assert np.max(np.abs(losses_0 - losses)) < 1e-5
    assert np.max(np.abs(parallel.flatten(weights_0) - parallel.flatten(params))) < 1e-5


def test_a_worker_whose_port_is_taken_fails_clearly_and_stops_the_other():
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    blocker.bind((multiworker.HOST, 0))
    blocker.listen()
    try:
        ports = [multiworker.free_ports(1)[0], blocker.getsockname()[1]]
        launch = multiworker.start(TINY, 2, timeout=150, ports=ports)
        start = time.monotonic()
        with pytest.raises(multiworker.WorkerError, match=r"worker 1 of 2 exited with code"):
            launch.result()
        assert time.monotonic() - start < 100  # it did not wait for the timeout
    finally:
        blocker.close()
    assert all(gone(p) for p in launch.procs)


def test_workers_past_the_timeout_are_stopped():
    launch = multiworker.start(TINY, 2, timeout=1.0)
    start = time.monotonic()
    with pytest.raises(multiworker.WorkerError, match=r"had not finished after 1 s"):
        launch.result()
    assert time.monotonic() - start < 10
    assert all(gone(p) for p in launch.procs)


def test_a_worker_that_cannot_start_at_all(tmp_path):
    with pytest.raises(multiworker.WorkerError, match="worker 0 could not start"):
        multiworker.run(TINY, 2, python=str(tmp_path / "no-such-python"))


def test_a_worker_needs_tf_config(monkeypatch, tmp_path):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(SystemExit, match="a worker needs TF_CONFIG"):
        multiworker.main([str(tmp_path / "out.npz"), "{}"])


def test_tf_config_and_ports():
    config = json.loads(multiworker.tf_config([1234, 1235], 1))
    assert config == {
        "cluster": {"worker": ["127.0.0.1:1234", "127.0.0.1:1235"]},
        "task": {"type": "worker", "index": 1},
    }
    with pytest.raises(ValueError, match=r"index must be in \[0, 2\); got 2"):
        multiworker.tf_config([1234, 1235], 2)
    ports = multiworker.free_ports(3)
    assert len(set(ports)) == 3
    with pytest.raises(ValueError, match="one port per worker"):
        multiworker.start(TINY, 2, ports=[1234])
    with pytest.raises(ValueError, match="timeout must be positive"):
        multiworker.start(TINY, 2, timeout=0)


def test_chosen_ports_taken_in_the_meantime_are_chosen_again(monkeypatch):
    blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    blocker.bind((multiworker.HOST, 0))
    blocker.listen()
    real, calls = multiworker.free_ports, []

    def first_taken(count):  # as if another program took a port right after it was chosen
        calls.append(count)
        ports = real(count)
        return [blocker.getsockname()[1], *ports[1:]] if len(calls) == 1 else ports

    monkeypatch.setattr(multiworker, "free_ports", first_taken)
    try:
        (losses_0, _), (losses_1, _) = multiworker.run(TINY, 2, timeout=150)
    finally:
        blocker.close()
    assert calls == [2, 2] and np.array_equal(losses_0, losses_1)
