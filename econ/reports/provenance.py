"""Where a report comes from: the git commit of the checkout, whether it had uncommitted changes, and the
versions of the interpreter and the packages that shape its numbers and its page.

Gathered once per build in the parent process and handed to every run (the per-run parts — parameters,
dataset, input hashes, time taken — are added by the runner).
"""

from __future__ import annotations

import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from econ import paths

PACKAGES = (
    "econ",
    "numpy",
    "pandas",
    "pyarrow",
    "polars",
    "scipy",
    "statsmodels",
    "linearmodels",
    "pyfixest",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "ipykernel",
)


def git_state(folder: str | Path | None = None) -> dict[str, Any]:
    """{"commit": sha or None, "dirty": bool or None} for the checkout; None where git cannot tell."""
    where = str(folder or paths.checkout())

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "-C", where, *args], capture_output=True, text=True, timeout=20, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    # Only changes to tracked files make a tree dirty: a clean clone has untracked generated files (the
    # home's lock, data, reports), which change nothing a report says.
    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": commit.strip() if commit else None,
        "dirty": None if status is None else bool(status.strip()),
    }


def package_versions(names: tuple[str, ...] = PACKAGES) -> dict[str, str]:
    """Installed versions of `names` (absent packages are left out), plus the Python version."""
    found = {"python": platform.python_version()}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            continue
    return found


def build_provenance() -> dict[str, Any]:
    """The parts of provenance shared by every run of one build."""
    return {"git": git_state(), "packages": package_versions(), "host": platform.node()}
