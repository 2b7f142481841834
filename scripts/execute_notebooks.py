"""Re-run notebooks top to bottom in place, so their stored outputs match what nbval will see."""

import sys
from pathlib import Path

import nbclient
import nbformat
import zmq
from traitlets.config import Config


def merge_streams(outputs):
    """Join consecutive prints to the same stream: how the kernel splits them depends on timing."""
    merged = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def execute(path):
    """Execute one notebook in its own folder and write it back, without timing metadata."""
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    # CurveZMQ encryption, which the kernelspec offers: otherwise ipykernel warns on every start
    # that it runs over TCP in plain text
    encryption = "auto" if zmq.has("curve") else "disabled"
    client = nbclient.NotebookClient(
        nb,
        config=Config({"KernelManager": {"transport_encryption": encryption}}),
        timeout=600,
        kernel_name="python3",
        record_timing=False,  # timings differ on every run and would dirty the diff
        resources={"metadata": {"path": str(Path(path).parent)}},
    )
    client.execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
    nbformat.write(nb, path)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: execute_notebooks.py NOTEBOOK.ipynb [...]")
    for name in sys.argv[1:]:
        print(f"executing {name}", flush=True)
        execute(name)
