"""The foundation's promise: demo → build → report, from the command line, into a fresh ECON_HOME."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def econ(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECON_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", *args], env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("e2e")
    for args in (("demo", "--scale", "0.3"), ("build",), ("report", "tariff_timeline")):
        done = econ(*args, home=home)
        assert done.returncode == 0, f"econ {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return home


def test_report_is_self_contained_and_says_synthetic(home: Path) -> None:
    page = (home / "reports" / "tariff_timeline.html").read_text(encoding="utf-8")
    assert "Synthetic demo data" in page
    assert page.count("data:image/png;base64,") >= 3  # the three figures, embedded
    assert "file://" not in page and str(home) not in page
    assert not re.search(r"""<(?:img|script|link)[^>]+(?:src|href)=["'](?!data:|#)""", page)
    assert "Provenance" in page or "provenance" in page


def test_headline_figures_match_the_calibration(home: Path) -> None:
    record = json.loads((home / "reports" / "tariff_timeline.json").read_text())
    figures = record["headline"]
    # The demo is calibrated to China's 2024 collected rate of 10.9% (FACTS §3); the report must see it.
    assert figures["collected_rate_2024"] == pytest.approx(0.109, abs=0.005)
    assert figures["statutory_peak_month"] == "2025-04"
    assert figures["statutory_rate_peak"] > 1.0  # 125% reciprocal + 20% fentanyl on top of 301 and MFN


def test_index_lists_the_run(home: Path) -> None:
    index = (home / "reports" / "index.html").read_text(encoding="utf-8")
    assert "tariff_timeline.html" in index
    assert "synthetic demo world" in index
    manifest = json.loads((home / "reports" / "manifest.json").read_text())
    assert manifest["runs"]["tariff_timeline"]["status"] == "ok"


def test_cli_errors_are_one_line(tmp_path: Path) -> None:
    done = econ("build", home=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0, done.stderr
    assert "econ demo" in done.stderr
    bad = econ("demo", "--set", "passthru=1", home=tmp_path)
    assert bad.returncode == 2 and "passthru" in bad.stderr and "Traceback" not in bad.stderr
    debug = econ("--debug", "build", home=tmp_path)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
