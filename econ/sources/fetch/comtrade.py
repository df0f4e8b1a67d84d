"""Fetch UN Comtrade API v1 answers into data/raw/comtrade/<vintage>/, totals only.

Endpoint (base overridable with ``options.base_url`` or ECON_COMTRADE_URL)::

    https://comtradeapi.un.org/data/v1/get/C/<freq>/HS?reporterCode=842&partnerCode=156&period=2024&…

with the subscription key (COMTRADE_API_KEY) in the ``Ocp-Apim-Subscription-Key`` header; without a key
the public preview ``…/public/v1/preview/C/<freq>/HS`` answers, at most 500 records a query. Every query
asks for totals only (second partner 0, customs C00, transport 0), so nothing double counts. A free key
allows 500 queries a day of up to 100,000 records each (as Comtrade's documentation and comtradr state
it; check). Each answer is parsed with `econ.sources.comtrade.read` before it is kept; a preview answer
of exactly 500 records is refused as probably cut (set the key, or ask for less).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from econ.errors import FetchError, ParameterError
from econ.sources import comtrade
from econ.sources.fetch import checks
from econ.sources.fetch.http import Body, Check
from econ.sources.fetch.options import FetchOptions, Option, listing
from econ.sources.fetch.plan import Download, Key, RateLimit, run

SOURCE = "comtrade"
DEFAULT_BASE_URL = "https://comtradeapi.un.org"
PREVIEW_RECORDS = 500
LIMIT = RateLimit(
    interval=1.0,
    per_day=500,
    per_day_without_key=None,
    key_variable="COMTRADE_API_KEY",
    basis="Comtrade free tier: 500 calls a day (check); preview limits unpublished; one a second is ours",
)

LIMITS = {SOURCE: LIMIT}

OPTIONS: tuple[Option, ...] = (
    Option(
        "reporters",
        "M49 codes, comma-separated, or all (default 842, USA)",
        parse=listing,
        default=["842"],
        flag="--reporter",
    ),
    Option(
        "partners",
        "M49 codes, comma-separated (default 156, China; 0 is the World)",
        parse=listing,
        default=["156"],
        flag="--partner",
    ),
    Option("commodities", "HS codes, comma-separated", parse=listing, default=["8542"], flag="--cmd"),
    Option(
        "periods",
        "YYYY (annual) or YYYYMM (monthly), comma-separated",
        parse=listing,
        required=True,
        flag="--period",
    ),
    Option("freq", "A (annual, default) or M", choices=comtrade.FREQUENCIES, default="A"),
    Option(
        "flows",
        "M imports, X exports, comma-separated (default M)",
        parse=listing,
        default=["M"],
        flag="--flow",
    ),
)


def endpoint(freq: comtrade.Frequency = "M", *, public: bool = False, base_url: str | None = None) -> str:
    """``<base>/data/v1/get/C/<freq>/HS``, or the keyless ``<base>/public/v1/preview/C/<freq>/HS``."""
    base = (base_url or os.environ.get("ECON_COMTRADE_URL") or DEFAULT_BASE_URL).rstrip("/")
    middle = "public/v1/preview" if public else "data/v1/get"
    return f"{base}/{middle}/C/{freq}/HS"


def plan(
    *,
    reporters: Sequence[str] = ("842",),
    partners: Sequence[str] = ("156",),
    commodities: Sequence[str] = ("8542",),
    periods: Sequence[str] = ("2024",),
    freq: comtrade.Frequency = "A",
    flows: Sequence[str] = ("M",),
    options: FetchOptions | None = None,
) -> list[Download]:
    """One query for every reporter, partner, commodity, period and flow asked for (``reporters=["all"]``
    leaves the reporter out: every reporter), saved as
    ``comtrade_<freq>_<reporters>_<partners>_<flows>_<commodities>_<periods>.json``."""
    options = options or FetchOptions()
    problems = []
    if freq not in comtrade.FREQUENCIES:
        problems.append(("freq", f"{freq!r} is not A or M"))
    pattern = r"\d{6}" if freq == "M" else r"\d{4}"
    bad = [p for p in periods if not re.fullmatch(pattern, str(p))]
    if bad or not periods:
        problems.append(
            ("periods", f"{bad or 'none'}: expected {'YYYYMM' if freq == 'M' else 'YYYY'} values")
        )
    everyone = [code.lower() for code in reporters] == ["all"]
    for name, values in (("reporters", [] if everyone else reporters), ("partners", partners)):
        wrong = [value for value in values if not re.fullmatch(r"\d{1,3}", str(value))]
        if wrong or (name == "partners" and not values):
            problems.append((name, f"{wrong or 'none'}: M49 numeric codes such as 842"))
    bad_cmd = [c for c in commodities if not re.fullmatch(r"\d{2,6}|TOTAL", str(c))]
    if bad_cmd or not commodities:
        problems.append(("commodities", f"{bad_cmd or 'none'}: expected HS codes of 2–6 digits or TOTAL"))
    bad_flow = [f for f in flows if f not in ("M", "X", "RM", "RX")]
    if bad_flow or not flows:
        problems.append(("flows", f"{bad_flow or 'none'}: M, X, RM or RX"))
    if problems:
        raise ParameterError(problems, context="comtrade fetch")
    keyed = bool(os.environ.get("COMTRADE_API_KEY"))
    params = {
        "partnerCode": ",".join(partners),
        "partner2Code": "0",
        "customsCode": "C00",
        "motCode": "0",
        "flowCode": ",".join(flows),
        "cmdCode": ",".join(commodities),
        "period": ",".join(str(p) for p in periods),
    }
    if not everyone:
        params["reporterCode"] = ",".join(reporters)
    who = "all" if everyone else "-".join(reporters)
    span = f"{periods[0]}-{periods[-1]}" if len(periods) > 1 else str(periods[0])
    what = "-".join(commodities)[:40]
    name = f"comtrade_{freq}_{who}_{'-'.join(partners)}_{'-'.join(flows)}_{what}_{span}.json"
    reader = checks.with_reader("Comtrade", "Comtrade records", comtrade.read)
    check = reader if keyed else _preview_check(reader)
    return [
        Download(
            SOURCE,
            f"{who} from {','.join(partners)} {','.join(commodities)} {span}"
            + ("" if keyed else f" (keyless preview: at most {PREVIEW_RECORDS} records)"),
            endpoint(freq, public=not keyed, base_url=options.base_url),
            options.folder(SOURCE) / name,
            params=params,
            key=Key("COMTRADE_API_KEY", header="Ocp-Apim-Subscription-Key"),
            check=check,
        )
    ]


def _preview_check(reader: Check) -> Check:
    def check(body: Body) -> None:
        reader(body)
        records = comtrade.read(body.path, totals_only=False)
        if len(records) >= PREVIEW_RECORDS:
            raise FetchError(
                f"the keyless preview answered {len(records)} records, its cap: the answer is probably cut; "
                "set COMTRADE_API_KEY or ask for fewer periods or commodities"
            )

    return check


def fetch(
    *,
    reporters: Sequence[str] = ("842",),
    partners: Sequence[str] = ("156",),
    commodities: Sequence[str] = ("8542",),
    periods: Sequence[str] = ("2024",),
    freq: comtrade.Frequency = "A",
    flows: Sequence[str] = ("M",),
    options: FetchOptions | None = None,
) -> list[Path]:
    """`plan` and run it; returns the path saved."""
    options = options or FetchOptions()
    downloads = plan(
        reporters=reporters,
        partners=partners,
        commodities=commodities,
        periods=periods,
        freq=freq,
        flows=flows,
        options=options,
    )
    return run(downloads, options, LIMITS)
