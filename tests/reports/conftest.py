"""The report tests read the session's demo warehouse (tests/conftest.py: demo_build)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DemoBuild

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


@pytest.fixture(scope="session")
def published_db(demo_build: DemoBuild) -> Path:
    path = demo_build.settings.latest_path
    assert path.is_file()
    return path


def find_or_install_chromium() -> str:
    """The Chromium binary; installs the Debian package when missing and we are root.
    Fails the calling test with the reason when it can be neither found nor installed
    (.ci/run installs it; by hand: apt-get install chromium)."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail(
            "chromium is not installed and cannot be installed here (needs root and apt-get):"
            " run `apt-get install chromium`"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode != 0:
            pytest.fail(f"installing chromium failed ({' '.join(cmd)}): {done.stderr[-500:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.fail("apt-get installed chromium but no chromium binary is on PATH")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    return find_or_install_chromium()
