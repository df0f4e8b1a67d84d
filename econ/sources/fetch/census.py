"""Fetch Census International Trade API responses into data/raw/census/<vintage>/.

Endpoints (the base overridable with ``options.base_url`` or ECON_CENSUS_URL)::

    https://api.census.gov/data/timeseries/intltrade/imports/hs   (exports/hs, imports/naics, exports/naics)

One request per month (``time=2024-12``) — the API serves large HS10 × country tables more reliably that
way and a failed run resumes at the missing month — or, with ``span="year"``, one per year
(``time=from 2024-01 to 2024-12``), as the NAICS tables are small. A ``partner`` (``CTY_CODE=5700``)
splits the pull by country, one file each. Files hold the API's answer unchanged; a query that matches
nothing (HTTP 204) is saved as an empty file, which `econ.sources.census.read` reads as zero rows and
reports. A body the reader refuses (cut short, an HTML page for a bad key) is not saved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, get_args

from econ.errors import ParameterError
from econ.sources import census
from econ.sources.fetch import checks
from econ.sources.fetch.options import FetchOptions, Option, listing, months
from econ.sources.fetch.plan import Download, Key, RateLimit, run

SOURCE = "census"
DEFAULT_BASE_URL = "https://api.census.gov/data/timeseries/intltrade"
# Census: "up to 500 queries per IP address per day" without a key; no cap published with one. The pause
# is our own courtesy.
LIMIT = RateLimit(
    interval=0.2,
    per_day=None,
    per_day_without_key=500,
    key_variable="CENSUS_API_KEY",
    basis="api.census.gov: 500 queries a day per IP without a key (check); pause: ours",
)
Span = Literal["month", "year"]
SPANS: tuple[str, ...] = get_args(Span)

LIMITS = {SOURCE: LIMIT}

OPTIONS: tuple[Option, ...] = (
    Option(
        "dataset",
        "imports/hs (default), exports/hs, imports/naics or exports/naics",
        choices=census.DATASETS,
        default="imports/hs",
    ),
    Option("year", "the year", parse=int, required=True),
    Option("months", "e.g. 1-12 (default) or 1,2", parse=months, default=list(range(1, 13))),
    Option(
        "level",
        "HS digits: 2, 4, 6 or 10 (default 10; ignored for NAICS)",
        parse=int,
        choices=(2, 4, 6, 10),
        default=10,
    ),
    Option("commodity", "predicate on the commodity, e.g. 85* or 3251"),
    Option("partner", "a Census country code (CTY_CODE), e.g. 5700 for China: one file per partner"),
    Option(
        "span",
        "month (one request per month, default) or year (one per year)",
        choices=SPANS,
        default="month",
    ),
    Option("variables", "variables to request (default: what the panels need)", parse=listing, flag="--get"),
)


def endpoint(dataset: census.Dataset, *, base_url: str | None = None) -> str:
    """The URL of one dataset: ``base_url`` (else ECON_CENSUS_URL, else the Census API) + ``/dataset``."""
    if dataset not in census.DATASETS:
        raise ParameterError([("dataset", f"{dataset!r} is not one of {', '.join(census.DATASETS)}")])
    base = base_url or os.environ.get("ECON_CENSUS_URL") or DEFAULT_BASE_URL
    return f"{base.rstrip('/')}/{dataset}"


def plan(
    dataset: census.Dataset = "imports/hs",
    *,
    year: int,
    months: Sequence[int] = tuple(range(1, 13)),
    level: Literal[2, 4, 6, 10] | None = 10,
    commodity: str | None = None,
    partner: str | None = None,
    span: Span = "month",
    variables: Sequence[str] | None = None,
    options: FetchOptions | None = None,
) -> list[Download]:
    """The downloads of one dataset for one year: one per month (or one for the year with
    ``span="year"``, covering ``months``), each checked by `econ.sources.census.read` before it is kept.

    ``level`` filters HS rows with ``COMM_LVL=HS<level>`` (NAICS files hold every level the API has);
    ``commodity`` adds a predicate on the commodity variable (``"85*"``, ``"3251"``); ``partner`` one on
    ``CTY_CODE``. The key (CENSUS_API_KEY) is added when the request is sent.
    """
    options = options or FetchOptions()
    problems = []
    if dataset not in census.DATASETS:
        problems.append(("dataset", f"{dataset!r} is not one of {', '.join(census.DATASETS)}"))
    if level not in (None, 2, 4, 6, 10):
        problems.append(("level", f"{level!r} is not 2, 4, 6 or 10"))
    bad_months = [m for m in months if not 1 <= int(m) <= 12]
    if bad_months or not months:
        problems.append(("months", f"{bad_months or 'none'}: months are 1–12"))
    if not 2010 <= int(year) <= 2100:
        problems.append(("year", f"{year!r} is outside the API's range (2010 onwards)"))
    if span not in SPANS:
        problems.append(("span", f"{span!r} is not month or year"))
    if partner is not None and not re.fullmatch(r"[0-9A-Z-]{1,4}", str(partner)):
        problems.append(("partner", f"{partner!r} is not a Census country code such as 5700"))
    if problems:
        raise ParameterError(problems, context="census fetch")

    url = endpoint(dataset, base_url=options.base_url)
    names = list(variables or census.DEFAULT_VARIABLES[dataset])
    commodity_variable = names[0] if names and names[0] in census.COMMODITY_VARIABLES else None
    folder = options.folder(SOURCE)
    hs_level = level if dataset.endswith("/hs") else None
    check = checks.with_reader(
        "the Census API",
        "a Census API response",
        lambda path: census.read(path, keep_aggregates=True),
        empty_if_204=True,
        page_means="the API key is missing or invalid (set CENSUS_API_KEY to the key from "
        "https://api.census.gov/data/key_signup.html)",
    )
    first, last = min(months), max(months)
    if span == "year":
        labels = [(f"from {year:04d}-{first:02d} to {year:04d}-{last:02d}", f"{year:04d}")]
    else:
        labels = [(f"{year:04d}-{m:02d}", f"{year:04d}-{m:02d}") for m in months]
    downloads = []
    for time_predicate, label in labels:
        params: dict[str, str] = {"get": ",".join(names), "time": time_predicate}
        if hs_level:
            params["COMM_LVL"] = f"HS{hs_level}"
        if commodity and commodity_variable:
            params[commodity_variable] = commodity
        if partner:
            params["CTY_CODE"] = str(partner)
        name = census.file_name(dataset, label, level=hs_level, partner=partner)
        what = f"{dataset} {label}" + (f" partner {partner}" if partner else "")
        downloads.append(
            Download(
                SOURCE,
                what,
                url,
                folder / name,
                params=params,
                key=Key("CENSUS_API_KEY", param="key"),
                check=check,
            )
        )
    return downloads


def fetch(
    dataset: census.Dataset = "imports/hs",
    *,
    year: int,
    months: Sequence[int] = tuple(range(1, 13)),
    level: Literal[2, 4, 6, 10] | None = 10,
    commodity: str | None = None,
    partner: str | None = None,
    span: Span = "month",
    variables: Sequence[str] | None = None,
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it; returns the paths of the files (see `econ.sources.fetch.plan.run`)."""
    options = options or FetchOptions()
    downloads = plan(
        dataset,
        year=year,
        months=months,
        level=level,
        commodity=commodity,
        partner=partner,
        span=span,
        variables=variables,
        options=options,
    )
    return run(downloads, options, LIMITS)
