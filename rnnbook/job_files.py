"""The files the book's long jobs write and read.

- `atomic_path` and `write_text`: a result file is written under a temporary name in its own folder
  and renamed onto its real name only once complete, so an interrupted run leaves either the old
  file or the new one, never a broken one.
- `save_arrays` and `load_arrays`: .npz files of plain arrays only, marked with the kind of file
  they are; loading never unpickles (`allow_pickle=False`) and refuses a corrupt file, a file of
  another kind, or a file that needs pickle, with one line that names the file and what was
  expected.
"""

import contextlib
import os
import zipfile
import zlib
from pathlib import Path

import numpy as np

KIND_KEY = "__kind__"  # the array in every file save_arrays writes that says what the file is


class JobFileError(ValueError):
    """A file a job reads is missing parts, corrupt, of another kind, or would need pickle."""


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to `path`; on success it is renamed onto `path`.

    The temporary name keeps the suffix (np.savez adds ".npz" to a name without it). If the
    block raises, or the process is killed, `path` is untouched; a killed run may leave the
    temporary file (a name starting with "." and containing ".tmp-"), which the next run of the
    same job removes.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.stem}.tmp-*{path.suffix}"):
        with contextlib.suppress(OSError):
            if not _pid_alive(stale):
                stale.unlink()
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        yield tmp
        with open(tmp, "rb+") as handle:  # on disk before the rename makes it the real file
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _pid_alive(stale):
    """Whether the process that named this temporary file still runs (then leave the file)."""
    try:
        pid = int(stale.stem.rsplit(".tmp-", 1)[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_text(path, text):
    """Write `text` to `path` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def save_arrays(path, arrays, kind):
    """Write {name: array} and the file's kind to the .npz file `path`, compressed, atomically."""
    if KIND_KEY in arrays:
        raise ValueError(f"{KIND_KEY!r} is reserved for the file's kind")
    out = {KIND_KEY: np.array(kind)}
    for name, value in arrays.items():
        array = np.asarray(value)
        if array.dtype.hasobject:
            raise TypeError(f"{name} would need pickle (dtype object); store plain arrays only")
        out[name] = array
    with atomic_path(path) as tmp:
        np.savez_compressed(tmp, **out)


def load_arrays(path, kind, required=(), remedy=""):
    """{name: array} from a file `save_arrays` wrote as `kind`, or JobFileError in one line.

    A file without the kind marker (written before there was one) is accepted when it holds
    every name in `required`. `remedy` is appended to every message (for example the command
    that remakes the file).
    """
    path = Path(path)
    tail = f"; {remedy}" if remedy else ""
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist{tail}")
    with open(path, "rb") as handle:
        magic = handle.read(6)
        if not magic.startswith(b"PK"):  # every .npz is a zip archive
            what = {b"\x93NUMPY": "a single .npy array", b"\x80": "a pickle"}.get(
                magic if magic == b"\x93NUMPY" else magic[:1], "not a zip archive"
            )
            raise JobFileError(f"{path} is {what}, not an .npz archive of {kind}{tail}")
        handle.seek(0)
        arrays = _read_npz(handle, path, kind, tail)
    found = arrays.pop(KIND_KEY, None)
    if found is not None and (found.dtype.kind != "U" or str(found) != kind):
        raise JobFileError(f"{path} is a file of {found}, not of {kind}{tail}")
    missing = [name for name in required if name not in arrays]
    if missing:
        raise JobFileError(
            f"{path} is not a file of {kind}: it lacks {', '.join(missing[:3])}"
            f"{' and more' if len(missing) > 3 else ''}{tail}"
        )
    return arrays


def _read_npz(handle, path, kind, tail):
    try:
        with np.load(handle, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except ValueError as error:
        if "allow_pickle" in str(error):
            raise JobFileError(
                f"{path} holds a pickled (object) array; refusing to load it, since unpickling "
                f"can run any code. Expected plain arrays of {kind}{tail}"
            ) from None
        raise JobFileError(f"{path} is not a readable .npz file ({error}){tail}") from None
    except (
        OSError,
        EOFError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        KeyError,
    ) as error:
        raise JobFileError(
            f"{path} is corrupt or not an .npz file ({type(error).__name__}: {error}){tail}"
        ) from None
