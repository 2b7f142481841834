"""How make test decides between strict and lax nbval (tests/reference_platform.py)."""

import platform

import pytest
from messages import naming

from tests import reference_platform as rp

HELD = {"TF_ENABLE_ONEDNN_OPTS": "0"}


def test_the_lock_is_read_with_its_markers():
    pins = rp.locked_versions()
    assert pins["numpy"] == "2.4.6" and pins["keras"] == "3.15.1"
    x86 = platform.machine() == "x86_64"
    assert ("tensorflow-cpu" in pins) == x86 and ("tensorflow" in pins) != x86
    assert "pywinpty" not in pins  # only on Windows


def test_every_package_of_pyproject_is_in_the_lock():
    """A dependency added to pyproject.toml without `make lock` would never be installed."""
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((rp.ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in ("chapters", "book", "test", "lab"):
        wanted += project["optional-dependencies"][extra]
    pins = rp.locked_versions()
    for line in wanted:
        requirement = Requirement(line)
        if requirement.name == "rnnbook" or (
            requirement.marker and not requirement.marker.evaluate()
        ):
            continue
        name = rp._normalise(requirement.name)
        assert name in pins, f"{name} is in pyproject.toml but not in the lock: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"the lock's {name}=={pins[name]} does not satisfy pyproject's {requirement}: "
            "run make lock"
        )


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"machine": "arm64", "system": "darwin"}, "darwin on arm64, not Linux on x86-64"),
        ({"machine": "AMD64", "system": "win32"}, "win32 on AMD64"),
        ({"machine": "aarch64", "system": "linux"}, "linux on aarch64"),
        ({"python": (3, 14)}, "Python 3.14"),
    ],
)
def test_other_platforms_are_lax_and_say_why(kwargs, expected):
    strict, why = rp.decide(environ=HELD, **kwargs)
    assert not strict
    assert expected in why and "not the reference platform" in why
    assert "every assert is checked" in why


def test_onednn_left_on_is_not_the_reference():
    strict, why = rp.decide(environ={}, machine="arm64", system="darwin")
    assert not strict and "oneDNN" in why


def test_versions_other_than_the_lock_are_not_the_reference(tmp_path):
    lock = tmp_path / "requirements.txt"
    lock.write_text("numpy==1.0.0 \\\n    --hash=sha256:00\npytest==0.1 ; python_version < '3'\n")
    found = rp._version_differences(lock)
    assert found == [f"numpy {rp.metadata.version('numpy')} installed, 1.0.0 locked"]


def test_the_override_wins_and_a_typo_is_refused():
    assert rp.decide(environ={rp.OVERRIDE: "strict"}, machine="arm64")[0] is True
    assert rp.decide(environ={rp.OVERRIDE: "lax"})[0] is False
    with pytest.raises(ValueError, match=naming("strict, lax or auto", "'strcit'")):
        rp.decide(environ={rp.OVERRIDE: "strcit"})


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the held kernels are x86-64's")
def test_the_kernels_this_run_uses_are_the_held_ones_under_make():
    """make test holds NumPy and OpenBLAS to their AVX2 kernels: the check sees that."""
    import os

    if os.environ.get("OPENBLAS_CORETYPE") != "Haswell":
        pytest.skip("not run through make")
    assert rp._kernel_differences() == []
