"""Shared fixtures.

* `shared_data` — the folder of real agency samples (../shared/data beside the checkout); tests that use
  it skip cleanly where it is absent, as on a user's machine.
* `econ_home` — a fresh, empty ECON_HOME for one test, so nothing touches the checkout's data/ or reports/.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from econ import paths

FIXTURES = Path(__file__).parent / "fixtures"


def _shared_data_dir() -> Path:
    env = os.environ.get("ECON_SHARED_DATA")
    if env:
        return Path(env)
    return paths.checkout().parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    folder = _shared_data_dir()
    if not folder.is_dir():
        pytest.skip(f"real samples not present at {folder}")
    return folder


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture()
def econ_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "econ_home"
    home.mkdir()
    monkeypatch.setenv("ECON_HOME", str(home))
    return home
