"""The Binder launch button's configuration: what repo2docker would build from this repository."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_binder_installs_the_lock_then_the_package_on_a_supported_python():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert "colab_url" not in config["launch_buttons"]  # Colab has no repository, so no package
    # repo2docker reads the root files only when there is no binder/ folder
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "requirements.txt").read_text(encoding="utf-8").count("--hash=sha256:") > 100
    post_build = ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111, "postBuild must be executable"
    lines = post_build.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "python -m pip install --no-deps --no-build-isolation -e ." in lines
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    version = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert version, runtime
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    minimum = re.search(r">=\s*(\d+)\.(\d+)", project["requires-python"]).groups()
    assert tuple(map(int, version.groups())) >= tuple(map(int, minimum))
