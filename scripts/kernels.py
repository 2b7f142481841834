"""A notebook run in a fresh kernel, the one way the scripts run it: make execute
(execute_notebooks.py), make grade (grade.py) and make kernel-cost (kernel_cost.py).
classroom.py copies this file with grade.py into a course's repository."""

import nbclient
import zmq
from jupyter_client.manager import KernelManager
from traitlets.config import Config


def client(nb, folder, timeout, keep=False, **options):
    """An nbclient.NotebookClient for `nb`, run in `folder` (where its relative paths point).

    Its python3 kernel's traffic is encrypted (CurveZMQ) when libzmq can, as the kernelspec
    offers: otherwise ipykernel warns on every start that it runs over TCP in plain text. No
    timing metadata is written (it differs on every run and would dirty a stored notebook).
    keep: the kernel stays up after execute(), for more cells; the caller shuts it down.
    Otherwise execute() shuts it down.
    """
    encryption = "auto" if zmq.has("curve") else "disabled"
    if keep:
        kernel = {"km": KernelManager(kernel_name="python3", transport_encryption=encryption)}
    else:  # nbclient makes the manager, so it owns the kernel and stops it at the end
        config = Config({"KernelManager": {"transport_encryption": encryption}})
        kernel = {"kernel_name": "python3", "config": config}
    return nbclient.NotebookClient(
        nb,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(folder)}},
        **kernel,
        **options,
    )
