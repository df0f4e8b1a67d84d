"""Where things live.

Two roots, kept apart on purpose:

* the **checkout** holds what is versioned: the package, `notebooks/` and `reports/runs.yaml`;
* the **home** holds what is generated: `data/raw`, `data/processed` and `reports/` output.

The home is the checkout unless the environment variable ECON_HOME names another folder, so a second copy
of the data (a test, a scheduled job, a colleague's scenario) can be built anywhere without touching the
checkout. Everything is looked up when called, never cached at import, so tests can set ECON_HOME.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def checkout() -> Path:
    """The source tree: the folder holding pyproject.toml above the package, else the working directory."""
    candidate = _PACKAGE.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd()


def home() -> Path:
    """The root under which data/ and reports/ are written (ECON_HOME, else the checkout)."""
    env = os.environ.get("ECON_HOME")
    return Path(env).expanduser().resolve() if env else checkout()


def raw_dir(source: str | None = None) -> Path:
    """data/raw, or data/raw/<source> — immutable inputs in the agencies' formats."""
    base = home() / "data" / "raw"
    return base / source if source else base


def demo_dir() -> Path:
    """data/raw/demo — the synthetic demo world, written in the same raw formats."""
    return raw_dir("demo")


def processed_dir() -> Path:
    """data/processed — Parquet panels and their manifest.json."""
    return home() / "data" / "processed"


def reports_dir() -> Path:
    """reports/ under the home — rendered HTML, run JSON, index and manifest."""
    return home() / "reports"


def notebooks_dir() -> Path:
    """notebooks/ in the checkout — the versioned sources of every report."""
    return checkout() / "notebooks"


def runs_file() -> Path:
    """reports/runs.yaml in the checkout — the named runs and grids."""
    return checkout() / "reports" / "runs.yaml"
