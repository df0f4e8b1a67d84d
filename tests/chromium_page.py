"""Open a report page in headless Chromium as a reader would, and say what rendered (for the report tests).

The page's own Content-Security-Policy admits only its own scripts, so the probe that reads the page
after it has loaded is added to the policy by its hash (in a copy of the page: the report is untouched).
The probe waits for the charts to draw, then writes into the title: how many images there are and how
many decoded, how many charts and how many drawn, and which images lack alt text. Console messages
(errors, refused scripts) come back from Chromium's log.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)

PROBE = """window.addEventListener('load', function () { setTimeout(function () {
  var imgs = Array.prototype.slice.call(document.images);
  var shown = imgs.filter(function (i) { return i.offsetParent !== null; });
  var charts = document.querySelectorAll('.econ-chart');
  var drawn = document.querySelectorAll('.econ-chart.econ-drawn svg');
  document.title = 'PROBE:' + JSON.stringify({
    images: imgs.length,
    decoded: imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length,
    shown: shown.length,
    charts: charts.length,
    drawn: drawn.length,
    no_alt: imgs.filter(function (i) { return !i.getAttribute('alt'); }).length
  });
}, 1500); });"""


@dataclass(frozen=True)
class Rendered:
    images: int
    decoded: int
    shown: int
    charts: int
    drawn: int
    no_alt: int
    console: list[str]


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def open_page(page: Path, *, width: int = 1400, screenshot: Path | None = None) -> Rendered:
    """Load `page` in headless Chromium and report what rendered (see the module docstring)."""
    text = page.read_text(encoding="utf-8")
    probed = re.sub(
        r"script-src ([^;\"]*)",
        lambda match: f"script-src {_hash(PROBE)} {match.group(1).replace(chr(39) + 'none' + chr(39), '')}",
        text,
        count=1,
    )
    at = probed.rindex("</body>")  # the last: the chart library's text may hold the string too
    probed = probed[:at] + f"<script>{PROBE}</script>" + probed[at:]
    with tempfile.TemporaryDirectory(prefix="econ-chromium-") as scratch:
        copy = Path(scratch) / page.name
        copy.write_text(probed, encoding="utf-8")
        profile = Path(scratch) / "profile"
        command = [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            f"--window-size={width},3000",
            "--virtual-time-budget=20000",
            "--dump-dom",
            copy.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
        if screenshot is not None:
            shot = [str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},3000",
                    f"--screenshot={screenshot}", "--virtual-time-budget=20000", page.as_uri()]  # fmt: skip
            subprocess.run(shot, capture_output=True, text=True, timeout=180, check=False)
        shutil.rmtree(profile, ignore_errors=True)
    found = re.search(r"<title>PROBE:(\{.*?\})</title>", done.stdout)
    if not found:
        raise AssertionError(f"the probe did not run in {page.name}: {done.stderr[-3000:]}")
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    return Rendered(**json.loads(found.group(1).replace("&quot;", '"')), console=console)
