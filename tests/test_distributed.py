"""rnnbook.experiments.distributed: mirrored training equals NumPy's full-batch SGD; devices split
early only.

TensorFlow fixes its devices when it first runs, and other test files in this process may have
started it, so the TensorFlow part runs in a fresh Python process.
"""

import json
import subprocess
import sys

import numpy as np
import pytest
from messages import naming

from rnnbook.experiments import distributed
from rnnbook.models import charlm, parallel

TINY = distributed.Setup(units=8, embed_dim=4, batch_size=8, steps=3, names=64)

SCRIPT = """
import json, sys
import numpy as np
from rnnbook import backend
from rnnbook.experiments import distributed
setup = distributed.Setup(**json.loads(sys.argv[1]))
tf, keras = backend.load_keras(0, threads=1)
distributed.split_cpu(tf, 2)
distributed.split_cpu(tf, 2)  # a second call with the same count is harmless
out = {}
for count in (1, 2):
    losses, params = distributed.train(tf, keras, distributed.mirrored(tf, count), setup)
    out[count] = {"losses": losses.tolist(),
                  "weights": np.concatenate([w.ravel() for p in params.values()
                                             for w in p.values()]).tolist()}
for call in (lambda: distributed.split_cpu(tf, 3), lambda: distributed.devices(tf, 5)):
    try:
        call()
    except (RuntimeError, ValueError) as err:
        out.setdefault("errors", []).append(str(err))
_, params32, batches = distributed.data(setup)
out["fit"] = {}
for count in (1, 2):
    fitted = distributed.fit_step(
        tf, keras, distributed.mirrored(tf, count), params32, *batches[0], setup.learning_rate
    )
    out["fit"][count] = np.concatenate([w.ravel() for p in fitted.values()
                                        for w in p.values()]).tolist()
out["cured"] = {}
for count in (1, 2):
    fitted = distributed.fit_step(
        tf, keras, distributed.mirrored(tf, count), params32, *batches[0], setup.learning_rate,
        global_weights=True,
    )
    out["cured"][count] = np.concatenate([w.ravel() for p in fitted.values()
                                          for w in p.values()]).tolist()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def trained():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(TINY.__dict__)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_one_and_two_devices_follow_numpy(trained):
    losses, params = distributed.numpy_sgd(TINY)
    weights = parallel.flatten(params)
    for count in ("1", "2"):
        assert np.max(np.abs(np.array(trained[count]["losses"]) - losses)) < 1e-5
        assert np.max(np.abs(np.array(trained[count]["weights"]) - weights)) < 1e-5
    assert np.allclose(trained["1"]["weights"], trained["2"]["weights"], rtol=0, atol=1e-6)


def test_model_fit_averages_a_masked_loss_per_replica(trained):
    """One device: the full batch's gradient; two: the plain mean of the two shards' means."""
    _, params32, batches = distributed.data(TINY)
    params = {
        layer: {k: w.astype(np.float64) for k, w in p.items()} for layer, p in params32.items()
    }
    start = parallel.flatten(params)
    x, y, m = batches[0]
    full = parallel.flatten(charlm.loss_and_grads(x, y, params, m)[1])
    plain = parallel.flatten(parallel.sharded_loss_and_grads(x, y, params, m, 2, "shards")[1])
    scale = np.max(np.abs(full))
    assert np.max(np.abs(plain - full)) / scale > 1e-3  # the shards hold different counts
    applied = {c: (start - np.array(w)) / TINY.learning_rate for c, w in trained["fit"].items()}
    assert np.max(np.abs(applied["1"] - full)) / scale < 1e-4
    assert np.max(np.abs(applied["2"] - plain)) / scale < 1e-4


def test_model_fit_with_summed_loss_and_global_weights_applies_the_full_gradient(trained):
    """The cure: reduction="sum" and sample weights m / M give the full batch's gradient."""
    _, params32, batches = distributed.data(TINY)
    start = parallel.flatten(params32).astype(np.float64)
    params = {
        layer: {k: w.astype(np.float64) for k, w in p.items()} for layer, p in params32.items()
    }
    full = parallel.flatten(charlm.loss_and_grads(*batches[0][:2], params, batches[0][2])[1])
    scale = np.max(np.abs(full))
    for count in ("1", "2"):
        applied = (start - np.array(trained["cured"][count])) / TINY.learning_rate
        assert np.max(np.abs(applied - full)) / scale < 1e-4, count


def test_fit_step_checks_shapes():
    x = np.zeros((2, 3), int)
    with pytest.raises(ValueError, match=naming("one shape", "(2, 3)", "(2, 2)")):
        distributed.fit_step(None, None, None, None, x, x, np.zeros((2, 2)), 0.1)


def test_splitting_late_and_too_few_devices_say_why(trained):
    late, missing = trained["errors"]
    assert "cannot split the CPU into 3 devices: TensorFlow has already started with 2" in late
    assert "5 devices wanted; found 2" in missing


def test_data_is_the_same_every_time_and_checks_its_size():
    _, params_a, batches_a = distributed.data(TINY)
    _, params_b, batches_b = distributed.data(TINY)
    assert np.array_equal(parallel.flatten(params_a), parallel.flatten(params_b))
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(batches_a, batches_b, strict=True))
    assert {b[0].shape for b in batches_a} == {batches_a[0][0].shape}  # one width: one graph
    with pytest.raises(ValueError, match=naming("64 names", "8 batches", "9")):
        distributed.data(distributed.Setup(batch_size=8, steps=9, names=64))
