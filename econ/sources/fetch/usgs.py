"""Fetch USGS Mineral Commodity Summaries data-release files into data/raw/usgs/<vintage>/.

ScienceBase serves a catalog item's files at ``<base>/<item id>?name=<file name>`` (base overridable with
``options.base_url`` or ECON_USGS_URL). The MCS 2025 release (DOI 10.5066/P13XCP3R) is a parent item with
one child item per commodity and one for the cross-commodity tables; look the item id up on
https://www.sciencebase.gov/catalog/ (the file list is on each item's page). The default item below is
the grouped salient-statistics item as third parties list it — not verified from here (check): pass
``item`` and ``names`` for any other file. Each body is checked by its suffix (a zip's members against
their checksums, a CSV parsed whole) before it is kept; with ``extract``, a zip's CSVs are written beside
it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from econ.errors import ParameterError
from econ.sources.fetch import checks
from econ.sources.fetch.options import FetchOptions, Option, listing
from econ.sources.fetch.plan import Download, RateLimit, run

SOURCE = "usgs"
DEFAULT_BASE_URL = "https://www.sciencebase.gov/catalog/file/get"
MCS2025_SALIENT_ITEM = "6793e234d34e72688d6b71e7"
MCS2025_SALIENT_FILES: tuple[str, ...] = ("Salient_Commodity_Data_Release_Grouped.zip",)
LIMIT = RateLimit(interval=1.0, basis="no limit published by ScienceBase; one request a second is ours")

LIMITS = {SOURCE: LIMIT}

OPTIONS: tuple[Option, ...] = (
    Option("item", "ScienceBase item id (24 hex digits)", default=MCS2025_SALIENT_ITEM),
    Option("names", "file names within the item", parse=listing, default=list(MCS2025_SALIENT_FILES)),
    Option("extract", "keep a zip without writing its CSVs", default=True, switch=True, flag="--no-extract"),
)


def plan(
    *,
    item: str = MCS2025_SALIENT_ITEM,
    names: Sequence[str] = MCS2025_SALIENT_FILES,
    extract: bool = True,
    options: FetchOptions | None = None,
) -> list[Download]:
    """One download per file of the ScienceBase item."""
    options = options or FetchOptions()
    problems = []
    if not re.fullmatch(r"[0-9a-f]{24}", item):
        problems.append(("item", f"{item!r} is not a ScienceBase item id (24 hex digits)"))
    bad = [name for name in names if "/" in name or name.startswith(".") or not name]
    if bad or not names:
        problems.append(("names", f"{bad or 'none'}: plain file names"))
    if problems:
        raise ParameterError(problems, context="usgs fetch")
    base = (options.base_url or os.environ.get("ECON_USGS_URL") or DEFAULT_BASE_URL).rstrip("/")
    folder = options.folder(SOURCE)
    return [
        Download(
            SOURCE,
            f"MCS {name}",
            f"{base}/{item}",
            folder / name,
            params={"name": name},
            check=checks.by_suffix("ScienceBase"),
            extract=(".csv",) if extract and name.lower().endswith(".zip") else (),
        )
        for name in names
    ]


def fetch(
    *,
    item: str = MCS2025_SALIENT_ITEM,
    names: Sequence[str] = MCS2025_SALIENT_FILES,
    extract: bool = True,
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it; returns the paths saved, extracted CSVs included."""
    options = options or FetchOptions()
    return run(plan(item=item, names=names, extract=extract, options=options), options, LIMITS)
