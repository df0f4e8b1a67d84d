"""Fetch BLS price indexes into data/raw/bls/<vintage>/: the time.series flat files, or API v2 answers.

* Flat files ``<survey>.<file>`` from https://download.bls.gov/pub/time.series/<survey>/ (base overridable
  with ``options.base_url`` or ECON_BLS_URL): ``ei.series``, ``ei.data.0.Current``, ``ei.footnote``, the
  same for ``pc`` and ``wp``. BLS refuses requests without a User-Agent it can contact: set
  ECON_CONTACT_EMAIL (it is appended to the User-Agent) if the server answers 403. Each file is checked by
  its header and its last line before it is kept.
* API v2 (``series=[...]``): POST https://api.bls.gov/publicAPI/v2/timeseries/data/ (base overridable
  with ECON_BLS_API_URL), the key (BLS_API_KEY) in the body. BLS allows 25 series and 10 years a query,
  25 queries a day without a key; 50 series, 20 years and 500 queries with one — the plan splits the
  series and years into queries that fit, each saved as
  ``api_<first series>_<n>_<start>-<end>.json`` and parsed with `econ.sources.bls.read_api` before it is
  kept (a refusal such as "daily threshold reached" is not saved).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from econ.errors import ParameterError
from econ.sources import bls
from econ.sources.fetch import checks
from econ.sources.fetch.options import FetchOptions, Option, listing
from econ.sources.fetch.plan import Download, Key, RateLimit, run

SOURCE = "bls"
API_SOURCE = "bls-api"
DEFAULT_FLAT_URL = "https://download.bls.gov/pub/time.series"
DEFAULT_API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
DEFAULT_FILES = ("series", "data.0.Current", "footnote")
LIMIT = RateLimit(interval=1.0, basis="download.bls.gov publishes no rate; one file a second is ours")
API_LIMIT = RateLimit(
    interval=0.5,
    per_day=500,
    per_day_without_key=25,
    key_variable="BLS_API_KEY",
    basis="BLS API v2: 500 queries a day with a registration key, 25 without",
)
LIMITS = {SOURCE: LIMIT, API_SOURCE: API_LIMIT}
# Series and years one API query may ask for, with and without a key.
API_SERIES = {True: 50, False: 25}
API_YEARS = {True: 20, False: 10}

OPTIONS: tuple[Option, ...] = (
    Option("survey", "ei (default), pc or wp", choices=bls.SURVEYS, default="ei"),
    Option(
        "files",
        "flat files, default series,data.0.Current,footnote",
        parse=listing,
        default=list(DEFAULT_FILES),
    ),
    Option("series", "series ids: use the API v2 instead of flat files", parse=listing),
    Option("start_year", "first year (API)", parse=int),
    Option("end_year", "last year (API)", parse=int),
)

# What the header of each kind of flat file must name.
_REQUIRED = {
    "series": ("series_id", "series_title"),
    "footnote": ("footnote_code", "footnote_text"),
    "data": ("series_id", "year", "period", "value"),
}


def flat_url(survey: str, *, base_url: str | None = None) -> str:
    base = base_url or os.environ.get("ECON_BLS_URL") or DEFAULT_FLAT_URL
    return f"{base.rstrip('/')}/{survey}/"


def plan(
    survey: bls.Survey = "ei",
    *,
    files: Sequence[str] = DEFAULT_FILES,
    series: Sequence[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    options: FetchOptions | None = None,
) -> list[Download]:
    """Flat files of one survey; or, with ``series``, the API queries for those series and years."""
    options = options or FetchOptions()
    if series:
        return plan_api(series, start_year=start_year, end_year=end_year, options=options)
    if survey not in bls.SURVEYS:
        raise ParameterError(
            [("survey", f"{survey!r} is not one of {', '.join(bls.SURVEYS)}")], context="bls fetch"
        )
    bad = [name for name in files if not re.fullmatch(r"[A-Za-z0-9_.]+", name) or ".." in name]
    if bad or not files:
        raise ParameterError([("files", f"{bad or 'none'}: BLS file names such as data.0.Current")])
    folder = options.folder(SOURCE)
    url = flat_url(survey, base_url=options.base_url)
    downloads = []
    for name in files:
        kind = name.split(".")[0]
        check = checks.bls_flat_file(_REQUIRED.get(kind, ()))
        downloads.append(
            Download(
                SOURCE, f"{survey} {name}", url + f"{survey}.{name}", folder / f"{survey}.{name}", check=check
            )
        )
    return downloads


def plan_api(
    series: Sequence[str],
    *,
    start_year: int | None,
    end_year: int | None,
    options: FetchOptions | None = None,
) -> list[Download]:
    """API v2 queries for `series` over ``start_year``–``end_year``, split to fit BLS's limits."""
    options = options or FetchOptions()
    problems = []
    if not series:
        problems.append(("series", "at least one series id"))
    if start_year is None or end_year is None:
        problems.append(("start_year", "the API needs --start-year and --end-year"))
    elif start_year > end_year:
        problems.append(("start_year", f"{start_year} is after end_year {end_year}"))
    if problems:
        raise ParameterError(problems, context="bls fetch (API)")
    assert start_year is not None and end_year is not None
    keyed = bool(os.environ.get("BLS_API_KEY"))
    ids = [item.strip() for item in series]
    url = options.base_url or os.environ.get("ECON_BLS_API_URL") or DEFAULT_API_URL
    folder = options.folder(SOURCE)
    check = checks.with_reader("the BLS API", "an API v2 answer that succeeded", _api_answer)
    downloads = []
    per, years = API_SERIES[keyed], API_YEARS[keyed]
    for start in range(0, len(ids), per):
        chunk = ids[start : start + per]
        for first in range(start_year, end_year + 1, years):
            last = min(end_year, first + years - 1)
            body = {"seriesid": chunk, "startyear": str(first), "endyear": str(last)}
            name = f"api_{re.sub(r'[^A-Za-z0-9]', '', chunk[0])}_{len(chunk)}_{first}-{last}.json"
            downloads.append(
                Download(
                    API_SOURCE,
                    f"{len(chunk)} series {first}–{last}",
                    url,
                    folder / name,
                    method="POST",
                    json_body=body,
                    key=Key("BLS_API_KEY", json_field="registrationkey"),
                    check=check,
                )
            )
    return downloads


def _api_answer(path: Path) -> None:
    """Parse an API answer; one that did not succeed (daily limit, bad key, bad series) is refused."""
    bls.read_api(path, periods="all")


def fetch(
    survey: bls.Survey = "ei",
    *,
    files: Sequence[str] = DEFAULT_FILES,
    series: Sequence[str] | None = None,
    start_year: int | None = None,
    end_year: int | None = None,
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it; returns the paths saved."""
    options = options or FetchOptions()
    downloads = plan(
        survey, files=files, series=series, start_year=start_year, end_year=end_year, options=options
    )
    return run(downloads, options, LIMITS)
