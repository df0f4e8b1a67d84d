"""`econ fetch all`: every file the real reports need, for a range of years (and partners), in one plan.

What it asks for (each source's own fetcher builds its part):

* **census** — imports and exports by HS10, one file a month (a file a month and partner with
  ``partners``), for the trade panels; imports by NAICS, one file a year, for the pass-through panel.
  Months not yet published (after the month before last) are left out of the plan;
* **hts** — the current revision, and ``hts_revisions`` from the USITC archive;
* **bls** — the flat files of import/export prices (``ei``) and both PPIs (``wp`` commodities, ``pc``
  industries): series, current data, footnotes;
* **bea** — every input-output table (``AllTablesIO.zip``, extracted);
* **usgs** — the Mineral Commodity Summaries salient statistics;
* **comtrade** — world trade in rare earths and magnets (HS 280530 metals, 284610 and 284690 compounds,
  850511 permanent magnets), every reporter, with the World and China as partners, imports and exports, a
  file a year; totals only.

Files already present and valid are kept, so a run stopped by a failure, a daily allowance or Ctrl-C
resumes where it stopped. With ``options.base_url`` every source is fetched from one mirror, each under
its own folder (``<base_url>/census``, ``<base_url>/hts``, ``<base_url>/bls``, ``<base_url>/bls-api``,
``<base_url>/bea``, ``<base_url>/usgs``, ``<base_url>/comtrade``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from econ.errors import ParameterError
from econ.sources.bls import Survey
from econ.sources.fetch import bea, bls, census, comtrade, hts, usgs
from econ.sources.fetch.options import FetchOptions, Option, listing, months, years
from econ.sources.fetch.plan import Download, RateLimit, run

SOURCES: tuple[str, ...] = ("census", "hts", "bls", "bea", "usgs", "comtrade")
LIMITS: dict[str, RateLimit] = {
    **census.LIMITS, **hts.LIMITS, **bls.LIMITS, **bea.LIMITS, **usgs.LIMITS, **comtrade.LIMITS,
}  # fmt: skip
RARE_EARTHS_AND_MAGNETS = ("280530", "284610", "284690", "850511")
BLS_SURVEYS: tuple[Survey, ...] = ("ei", "wp", "pc")

OPTIONS: tuple[Option, ...] = (
    Option("years", "years, e.g. 2017-2026", parse=years, required=True),
    Option("months", "months of each year, e.g. 1-12 (default)", parse=months, default=list(range(1, 13))),
    Option(
        "partners",
        "Census country codes to pull one by one, e.g. 5700,5520 (default: all in one file)",
        parse=listing,
        default=(),
    ),
    Option("sources", f"which sources (default: {','.join(SOURCES)})", parse=listing, default=list(SOURCES)),
    Option(
        "hts_revisions",
        "past HTS revisions too, e.g. '2025 Basic,2025 Revision 19'",
        parse=listing,
        default=(),
    ),
)


def last_published(today: date) -> tuple[int, int]:
    """The last month whose Census trade figures are out on `today`: the month before last (the Census
    releases a month's figures about five weeks after it ends; check the release schedule)."""
    index = today.year * 12 + today.month - 1 - 2
    return index // 12, index % 12 + 1


def plan(
    *,
    years: Sequence[int],
    months: Sequence[int] = tuple(range(1, 13)),
    partners: Sequence[str] = (),
    sources: Sequence[str] = SOURCES,
    hts_revisions: Sequence[str] = (),
    options: FetchOptions | None = None,
    today: date | None = None,
) -> list[Download]:
    """The downloads of every source asked for (see the module docstring)."""
    options = options or FetchOptions()
    unknown = [source for source in sources if source not in SOURCES]
    if unknown or not sources:
        raise ParameterError([("sources", f"{unknown or 'none'}: choose from {', '.join(SOURCES)}")])
    if not years:
        raise ParameterError([("years", "at least one year")])

    def at(source: str) -> FetchOptions:
        base = options.base_url.rstrip("/") + f"/{source}" if options.base_url else None
        return replace(options, base_url=base)

    newest = last_published(today or datetime.now(UTC).date())
    downloads: list[Download] = []
    if "census" in sources:
        for year in years:
            published = [m for m in months if (year, m) <= newest]
            if not published:
                continue
            for dataset in ("imports/hs", "exports/hs"):
                split: list[str | None] = list(partners) or [None]
                for partner in split:
                    downloads += census.plan(
                        dataset, year=year, months=published, level=10, partner=partner, options=at("census")
                    )
            downloads += census.plan(
                "imports/naics", year=year, months=published, span="year", options=at("census")
            )
    if "hts" in sources:
        downloads += hts.plan(revisions=hts_revisions, options=at("hts"))
    if "bls" in sources:
        for survey in BLS_SURVEYS:
            downloads += bls.plan(survey, options=at("bls"))
    if "bea" in sources:
        downloads += bea.plan(options=at("bea"))
    if "usgs" in sources:
        downloads += usgs.plan(options=at("usgs"))
    if "comtrade" in sources:
        for year in years:
            if (year, 12) > newest:
                continue  # a year's annual figures come months after it ends
            downloads += comtrade.plan(
                reporters=["all"],
                partners=["0", "156"],
                commodities=RARE_EARTHS_AND_MAGNETS,
                periods=[str(year)],
                freq="A",
                flows=["M", "X"],
                options=at("comtrade"),
            )
    return downloads


def fetch(
    *,
    years: Sequence[int],
    months: Sequence[int] = tuple(range(1, 13)),
    partners: Sequence[str] = (),
    sources: Sequence[str] = SOURCES,
    hts_revisions: Sequence[str] = (),
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it (``options.dry_run`` prints the plan); returns the paths of the files."""
    options = options or FetchOptions()
    downloads = plan(
        years=years,
        months=months,
        partners=partners,
        sources=sources,
        hts_revisions=hts_revisions,
        options=options,
    )
    return run(downloads, options, LIMITS)
