"""Fetch USITC HTS exports into data/raw/hts/<vintage>/.

* The current revision, from the REST service (base overridable with ``options.base_url`` or
  ECON_HTS_URL)::

      https://hts.usitc.gov/reststop/exportList?from=0100&to=9999&format=JSON

  saved as ``hts_current_<from>_<to>.json`` (the service does not say which revision it serves: pass
  ``revision=`` to `econ.sources.hts.read`). A third party reports (June 2026) that the service now wants
  dotted leaf numbers and ``styles=true`` (``from=0101.21.00&to=9999.00.00``) and answers HTTP 400
  otherwise (check): ``--from``/``--to`` take either.
* Past revisions (``revisions=["2025 Revision 19", "2026 Basic"]``), from the USITC's static archive
  (base overridable with ECON_HTS_ARCHIVE_URL)::

      https://www.usitc.gov/sites/default/files/tata/hts/hts_2025_revision_19_json.json
      https://www.usitc.gov/sites/default/files/tata/hts/hts_2026_basic_edition_json.json

  saved as ``hts_2025_revision_19.json`` / ``hts_2026_basic_edition.json`` (names `read` takes the
  revision from). That host has been reported to refuse automated clients (HTTP 403) since June 2026
  (check); the files can then be saved by hand from https://hts.usitc.gov/download/archive under the
  same names.

Each body is parsed with `econ.sources.hts.read` before it is kept; an answer cut short is not saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from econ.errors import ParameterError
from econ.sources import hts
from econ.sources.fetch import checks
from econ.sources.fetch.options import FetchOptions, Option, listing
from econ.sources.fetch.plan import Download, RateLimit, run

SOURCE = "hts"
DEFAULT_BASE_URL = "https://hts.usitc.gov/reststop"
DEFAULT_ARCHIVE_URL = "https://www.usitc.gov/sites/default/files/tata/hts"
LIMIT = RateLimit(interval=1.0, basis="no limit published by the USITC; one request a second is ours")

LIMITS = {SOURCE: LIMIT}

OPTIONS: tuple[Option, ...] = (
    Option("from_code", "first heading (default 0100)", default="0100", flag="--from"),
    Option("to_code", "last heading (default 9999)", default="9999", flag="--to"),
    Option("revisions", "past revisions too, e.g. '2025 Basic,2025 Revision 19'", parse=listing, default=()),
    Option(
        "current",
        "skip the current revision (with --revisions)",
        default=True,
        switch=True,
        flag="--no-current",
    ),
)

_REVISION = re.compile(r"^\s*((?:19|20)\d{2})\s+(?:(basic)(?:\s+edition)?|rev(?:ision)?\s*(\d+))\s*$", re.I)
_HEADING = re.compile(r"^\d{4}(?:\.\d{2}){0,3}$")


def endpoint(*, base_url: str | None = None) -> str:
    """The export URL: ``base_url`` (else ECON_HTS_URL, else the USITC REST service) + ``/exportList``."""
    base = base_url or os.environ.get("ECON_HTS_URL") or DEFAULT_BASE_URL
    return f"{base.rstrip('/')}/exportList"


def archive_name(revision: str) -> tuple[str, str]:
    """``"2025 Revision 19"`` → (the archive's file name, the name saved under):
    (``hts_2025_revision_19_json.json``, ``hts_2025_revision_19.json``); ``"2026 Basic"`` →
    (``hts_2026_basic_edition_json.json``, ``hts_2026_basic_edition.json``)."""
    found = _REVISION.match(revision)
    if not found:
        raise ParameterError([("revisions", f"{revision!r} is not like '2025 Revision 19' or '2026 Basic'")])
    year = found.group(1)
    stem = f"hts_{year}_basic_edition" if found.group(2) else f"hts_{year}_revision_{int(found.group(3))}"
    return f"{stem}_json.json", f"{stem}.json"


def plan(
    *,
    from_code: str = "0100",
    to_code: str = "9999",
    revisions: Sequence[str] = (),
    current: bool = True,
    options: FetchOptions | None = None,
) -> list[Download]:
    """The current revision's export (headings ``from_code``–``to_code``) unless ``current=False``, and
    each of ``revisions`` from the archive."""
    options = options or FetchOptions()
    problems = [
        (name, f"{value!r} is not a heading such as 0100 or 0101.21.00")
        for name, value in (("from_code", from_code), ("to_code", to_code))
        if not _HEADING.fullmatch(str(value))
    ]
    if problems:
        raise ParameterError(problems, context="hts fetch")
    folder = options.folder(SOURCE)
    check = checks.with_reader("the HTS service", "an HTS JSON export", hts.read)
    downloads = []
    if current:
        label = f"{from_code}_{to_code}".replace(".", "")
        downloads.append(
            Download(
                SOURCE,
                f"current revision, headings {from_code}–{to_code}",
                endpoint(base_url=options.base_url),
                folder / f"hts_current_{label}.json",
                params={"from": from_code, "to": to_code, "format": "JSON"},
                check=check,
            )
        )
    archive = (os.environ.get("ECON_HTS_ARCHIVE_URL") or DEFAULT_ARCHIVE_URL).rstrip("/")
    if options.base_url:  # a mirror serves the archive beside the REST service
        archive = options.base_url.rstrip("/") + "/archive"
    for revision in revisions:
        remote, local = archive_name(revision)
        downloads.append(
            Download(SOURCE, f"HTS {revision}", f"{archive}/{remote}", folder / local, check=check)
        )
    return downloads


def fetch(
    *,
    from_code: str = "0100",
    to_code: str = "9999",
    revisions: Sequence[str] = (),
    current: bool = True,
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it; returns the paths saved."""
    options = options or FetchOptions()
    downloads = plan(
        from_code=from_code, to_code=to_code, revisions=revisions, current=current, options=options
    )
    return run(downloads, options, LIMITS)
