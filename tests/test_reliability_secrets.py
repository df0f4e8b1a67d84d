"""Secrets: an API key given to `econ fetch` (from the environment) reaches the agency and nothing else —
no file under data/ or reports/, no line of output or log — through fetch, build and report in one home.

(That a parameter containing <script> renders as text in a report is tested where reports are built:
tests/test_reports_build.py::test_parameter_with_script_is_escaped and
tests/test_reports_units.py::test_html_is_self_contained_escaped_and_carries_provenance.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from pytest_httpserver import HTTPServer

pytestmark = pytest.mark.slow

KEY = "SECRET-econ-test-key-123"
OTHER_KEYS = {"BLS_API_KEY": "SECRET-bls-test-key-456", "COMTRADE_API_KEY": "SECRET-comtrade-test-key-789"}
FIXTURES = Path(__file__).parent / "fixtures"


def _forms(secret: str) -> set[bytes]:
    """The key as it could appear anywhere: raw, URL-encoded, and the tell-tale prefix of each."""
    forms = {secret, quote(secret, safe=""), quote_plus(secret)}
    return {form.encode() for form in forms} | {secret[:14].encode()}  # "SECRET-econ-te" — part of it


def econ(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ECON_HOME": str(home), "CENSUS_API_KEY": KEY, **OTHER_KEYS}
    return subprocess.run(
        [sys.executable, "-m", "econ.cli", "-v", *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_key_used_for_fetch_then_found_nowhere(tmp_path: Path, httpserver: HTTPServer) -> None:
    home = tmp_path / "home"
    body = (FIXTURES / "census" / "imports_hs10_2024.json").read_bytes()
    httpserver.expect_request("/ts/imports/hs").respond_with_data(body, content_type="application/json")
    # an agency that echoes the key back in an error page (some do): the message must not repeat it
    httpserver.expect_request("/echo/imports/hs").respond_with_data(f"invalid key {KEY}", status=400)

    outputs = []
    steps = [
        ("fetch", "census", "--year", "2024", "--months", "1-2", "--vintage", "v", "--base-url",
         httpserver.url_for("/ts")),
        ("demo", "--scale", "0.03"),
        ("build",),
        ("report", "tariff_timeline"),
    ]  # fmt: skip
    for args in steps:
        done = econ(home, *args)
        outputs.append((args, done))
        assert done.returncode == 0, f"econ {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
    failing = ("--debug", "fetch", "census", "--year", "2024", "--months", "3", "--vintage", "v",
               "--base-url", httpserver.url_for("/echo"))  # fmt: skip
    done = econ(home, *failing)
    outputs.append((failing, done))
    assert done.returncode == 2 and "HTTP 400" in done.stderr and "invalid key REDACTED" in done.stderr

    # The key did go where it belongs: to the agency, on every request.
    assert len(httpserver.log) == 3
    assert all(request.args.get("key") == KEY for request, _ in httpserver.log)
    fetched = home / "data" / "raw" / "census" / "v"
    assert (fetched / "imports_hs10_2024-01.json").read_bytes() == body
    assert (home / "reports" / "tariff_timeline.html").is_file()

    # …and nowhere else: not in any file written under the home (data, reports, sidecars, lock)…
    secrets = _forms(KEY) | {form for key in OTHER_KEYS.values() for form in _forms(key)}
    files = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.name.endswith(".meta") for path in files)  # the fetch sidecar was written, and checked
    assert any(path.suffix == ".parquet" for path in files)
    leaks = [str(path) for path in files for secret in secrets if secret in path.read_bytes()]
    assert leaks == []
    assert not [path for path in files for secret in secrets if secret.decode() in str(path)]
    # …nor in anything printed or logged at INFO level (stdout, stderr: progress, log lines, errors).
    for args, done in outputs:
        for stream in (done.stdout, done.stderr):
            assert not [s for s in secrets if s.decode() in stream], f"econ {' '.join(args)} printed a key"
    # the sidecar records the request, with the key replaced
    meta = next(path for path in files if path.name == "imports_hs10_2024-01.json.meta").read_text()
    assert "key=REDACTED" in meta
