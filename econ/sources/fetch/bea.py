"""Fetch BEA's input-output tables into data/raw/bea/<vintage>/.

``AllTablesIO.zip`` bundles every input-output workbook of the current release (Use, Make, Import,
Supply, requirements; summary and detail; one sheet per year), from BEA's "iTables Static Files" folder
(base overridable with ``options.base_url`` or ECON_BEA_URL). Single workbooks are also published per
release under https://apps.bea.gov/industry/release/xlsx/ (``IOUse_Before_Redefinitions_PRO_Summary.xlsx``):
pass ``names`` and a base URL to fetch those. A zip is kept unchanged — after every member has been read
back with its checksum — and, with ``extract``, its xlsx/csv members are written beside it, so that
`econ.sources.bea.read` can open them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from econ.errors import ParameterError
from econ.sources.fetch import checks
from econ.sources.fetch.options import FetchOptions, Option, listing
from econ.sources.fetch.plan import Download, RateLimit, run

SOURCE = "bea"
DEFAULT_BASE_URL = "https://apps.bea.gov/industry/iTables%20Static%20Files/"
ALL_TABLES = "AllTablesIO.zip"
LIMIT = RateLimit(interval=1.0, basis="no limit published for BEA's static files; one a second is ours")

LIMITS = {SOURCE: LIMIT}

OPTIONS: tuple[Option, ...] = (
    Option(
        "names",
        f"files to download (default: {ALL_TABLES}, every input-output table)",
        parse=listing,
        default=[ALL_TABLES],
    ),
    Option(
        "extract", "keep a zip without writing its members", default=True, switch=True, flag="--no-extract"
    ),
)


def plan(
    *, names: Sequence[str] = (ALL_TABLES,), extract: bool = True, options: FetchOptions | None = None
) -> list[Download]:
    """One download per file name; zips are extracted (xlsx and csv members) unless ``extract=False``."""
    options = options or FetchOptions()
    bad = [name for name in names if "/" in name or name.startswith(".") or not name]
    if bad or not names:
        raise ParameterError([("names", f"{bad or 'none'}: plain file names")], context="bea fetch")
    base = (options.base_url or os.environ.get("ECON_BEA_URL") or DEFAULT_BASE_URL).rstrip("/") + "/"
    folder = options.folder(SOURCE)
    return [
        Download(
            SOURCE,
            f"BEA {name}",
            base + name.replace(" ", "%20"),
            folder / name,
            check=checks.by_suffix("BEA"),
            extract=(".xlsx", ".csv") if extract and name.lower().endswith(".zip") else (),
        )
        for name in names
    ]


def fetch(
    *, names: Sequence[str] = (ALL_TABLES,), extract: bool = True, options: FetchOptions | None = None
) -> list[Path]:
    """`plan` and run it; returns the paths saved, extracted members included."""
    options = options or FetchOptions()
    return run(plan(names=names, extract=extract, options=options), options, LIMITS)
