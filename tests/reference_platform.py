"""Is this the platform whose kernels and versions made the stored notebook outputs?

The stored outputs were made on x86-64 Linux, with NumPy and OpenBLAS held to their AVX2 kernels
and TensorFlow's oneDNN off (the Makefile's settings), and with exactly the versions in the lock
(requirements.txt). There nbval compares every stored output (strict). Anywhere else (an arm64
Mac, Windows, Linux on ARM, an AVX-512 CPU without the Makefile's settings, newer packages) the
last digits of a chaotic training run may differ although every claim of the prose holds: nbval
then runs every notebook and every assert but does not compare printed outputs (lax).

RNNBOOK_OUTPUTS=strict or =lax in the environment overrides the decision (=auto, or unset,
decides).
"""

import os
import platform
import re
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.txt"
OVERRIDE = "RNNBOOK_OUTPUTS"
# Python versions whose outputs were measured to equal the stored ones (chapters/testing.md)
PYTHONS = ((3, 11), (3, 12), (3, 13))
# the NumPy CPU features the Makefile switches off (NPY_DISABLE_CPU_FEATURES) and OpenBLAS' kernel
HELD_OFF = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
OPENBLAS_KERNELS = "Haswell"


def locked_versions(lock=LOCK):
    """{normalised name: version} of the lock's pins that apply to this interpreter and platform."""
    from packaging.markers import Marker

    pins = {}
    for line in lock.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if match:
            name, version, marker = match.groups()
            if marker is None or Marker(marker).evaluate():
                pins[_normalise(name)] = version
    return pins


def _normalise(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def differences(environ=os.environ, machine=None, system=None, python=None, lock=LOCK):
    """Every way this platform differs from the reference one (empty list: it is the reference)."""
    machine = machine or platform.machine()
    system = system or sys.platform
    python = python or sys.version_info[:2]
    found = []
    if system != "linux" or machine != "x86_64":
        found.append(f"{system} on {machine}, not Linux on x86-64")
    if tuple(python) not in PYTHONS:
        found.append(f"Python {python[0]}.{python[1]} (the outputs were checked on 3.11-3.13)")
    if environ.get("TF_ENABLE_ONEDNN_OPTS") != "0":
        found.append("TensorFlow's oneDNN is not switched off (TF_ENABLE_ONEDNN_OPTS=0)")
    if machine == "x86_64":
        found += _kernel_differences()
    found += _version_differences(lock)
    return found


def _kernel_differences():
    import numpy as np
    from threadpoolctl import threadpool_info

    found = []
    features = np._core._multiarray_umath.__cpu_features__
    used = [name for name in HELD_OFF if features.get(name)]
    if used:
        found.append(f"NumPy uses its {'/'.join(used)} kernels (not held off)")
    kernels = {
        info.get("architecture")
        for info in threadpool_info()
        if info.get("internal_api") == "openblas" and "numpy" in info.get("filepath", "")
    }
    if kernels and kernels != {OPENBLAS_KERNELS}:
        found.append(
            f"OpenBLAS uses its {'/'.join(sorted(map(str, kernels)))} kernels, not Haswell"
        )
    return found


def _version_differences(lock):
    if not lock.is_file():
        return [f"no lock at {lock}"]
    found = []
    for name, version in sorted(locked_versions(lock).items()):
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # not needed by the tests (an extra that is not installed)
        if installed != version:
            found.append(f"{name} {installed} installed, {version} locked")
    return found


def decide(environ=os.environ, **kwargs):
    """(strict: bool, one line that says why) for nbval."""
    forced = environ.get(OVERRIDE, "auto").strip().lower()
    if forced not in ("strict", "lax", "auto", ""):
        raise ValueError(f"{OVERRIDE} must be strict, lax or auto; got {forced!r}")
    if forced == "strict":
        return True, f"outputs compared strictly ({OVERRIDE}=strict)"
    if forced == "lax":
        return False, (
            f"outputs NOT compared ({OVERRIDE}=lax): every notebook runs and every assert is "
            "checked"
        )
    found = differences(environ, **kwargs)
    if not found:
        return True, (
            "reference platform (Linux x86-64, AVX2 kernels held, oneDNN off, the locked "
            "versions): every stored output is compared strictly"
        )
    shown = "; ".join(found[:3]) + (f"; and {len(found) - 3} more" if len(found) > 3 else "")
    return False, (
        f"not the reference platform ({shown}): every notebook runs and every assert is "
        "checked, but printed outputs are not compared, since their last digits may differ here"
    )
