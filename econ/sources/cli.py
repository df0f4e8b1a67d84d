"""`econ fetch SOURCE [options]`: download an agency's files into data/raw/<source>/<vintage>/.

    econ fetch census   --dataset imports/hs --year 2024 [--months 1-12] [--level 10] [--commodity 85*]
    econ fetch hts      [--from 0100 --to 9999]
    econ fetch bls      [--survey ei] [--files series,data.0.Current,footnote]
    econ fetch bls      --series EIUCOCHNTOT,EIUIR --start-year 2018 --end-year 2025      (API v2)
    econ fetch comtrade --reporter 842 --partner 156 --cmd 8505,2846 --period 2023,2024 [--freq A]
    econ fetch bea | usgs  [...]                            (options defined by those modules)

Every source takes ``--vintage`` (default: the current month, e.g. 2026-11), ``--force`` (fetch again what
is already there), ``--base-url`` (another server, e.g. a mirror) and ``--retries``/``--timeout``. A file
already present is not fetched again. Keys come from CENSUS_API_KEY, BLS_API_KEY and COMTRADE_API_KEY.

Exit status: 0 when everything was saved, 3 when the endpoint cannot be reached (offline), 2 for any
other failure (a refused key, an HTTP error after the retries, bad options) — always with one line saying
what to do.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from econ.errors import EconError, OfflineError

SOURCES = ("census", "hts", "bls", "comtrade", "bea", "usgs")


def _months(text: str) -> list[int]:
    """``"1-12"``, ``"3"``, ``"1,2,6-8"`` → month numbers."""
    months: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            months.extend(range(int(first), int(last or first) + 1))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"months must look like 1-12 or 1,2,6-8; got {text!r}") from error
    if not months or any(not 1 <= m <= 12 for m in months):
        raise argparse.ArgumentTypeError(f"months must be between 1 and 12; got {text!r}")
    return months


def _listing(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise argparse.ArgumentTypeError("expected a comma-separated list")
    return items


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--vintage", help="folder under data/raw/<source>/ (default: the current month)")
    parser.add_argument("--force", action="store_true", help="fetch again files already present")
    parser.add_argument("--base-url", help="another server for this source (tests, mirrors)")
    parser.add_argument("--retries", type=int, default=4, help="retries after the first attempt (default: 4)")
    parser.add_argument("--timeout", type=float, default=300.0, help="read timeout in seconds (default: 300)")


def _census(argv: Sequence[str]) -> list[Path]:
    from econ.sources import census

    parser = argparse.ArgumentParser(prog="econ fetch census", description="Census International Trade API")
    parser.add_argument("--dataset", choices=census.DATASETS, default="imports/hs")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument(
        "--months", type=_months, default=list(range(1, 13)), help="e.g. 1-12 (default) or 1,2"
    )
    parser.add_argument("--level", type=int, choices=[2, 4, 6, 10], default=10, help="HS digits (default 10)")
    parser.add_argument("--commodity", help="predicate on the commodity, e.g. 85* or 3251")
    parser.add_argument("--get", type=_listing, help="variables to request (default: what the panels need)")
    _common(parser)
    args = parser.parse_args(argv)
    return census.fetch(
        args.dataset,
        year=args.year,
        months=args.months,
        level=args.level,
        commodity=args.commodity,
        variables=args.get,
        **_fetch_options(args),
    )


def _fetch_options(args: argparse.Namespace) -> dict[str, Any]:
    """The options every fetcher takes, from the flags `_common` adds."""
    return {
        "vintage": args.vintage,
        "force": args.force,
        "base_url": args.base_url,
        "timeout": (10.0, args.timeout),
        "retries": args.retries,
    }


def _hts(argv: Sequence[str]) -> list[Path]:
    from econ.sources import hts

    parser = argparse.ArgumentParser(prog="econ fetch hts", description="USITC HTS, current revision (JSON)")
    parser.add_argument("--from", dest="from_code", default="0100", help="first heading (default 0100)")
    parser.add_argument("--to", dest="to_code", default="9999", help="last heading (default 9999)")
    _common(parser)
    args = parser.parse_args(argv)
    return [
        hts.fetch(
            from_code=args.from_code,
            to_code=args.to_code,
            **_fetch_options(args),
        )
    ]


def _bls(argv: Sequence[str]) -> list[Path]:
    from econ.sources import bls

    parser = argparse.ArgumentParser(
        prog="econ fetch bls", description="BLS flat files, or API v2 with --series"
    )
    parser.add_argument("--survey", choices=bls.SURVEYS, default="ei")
    parser.add_argument("--files", type=_listing, default=["series", "data.0.Current", "footnote"])
    parser.add_argument("--series", type=_listing, help="series ids: use the API v2 instead of flat files")
    parser.add_argument("--start-year", type=int)
    parser.add_argument("--end-year", type=int)
    _common(parser)
    args = parser.parse_args(argv)
    if args.series:
        if args.start_year is None or args.end_year is None:
            parser.error("--series needs --start-year and --end-year")
        return [
            bls.fetch_api(
                args.series,
                start_year=args.start_year,
                end_year=args.end_year,
                **_fetch_options(args),
            )
        ]
    return bls.fetch(
        args.survey,
        files=args.files,
        **_fetch_options(args),
    )


def _comtrade(argv: Sequence[str]) -> list[Path]:
    from econ.sources import comtrade

    parser = argparse.ArgumentParser(prog="econ fetch comtrade", description="UN Comtrade API v1 (totals)")
    parser.add_argument("--reporter", default="842", help="M49 code (default 842, USA)")
    parser.add_argument("--partner", default="156", help="M49 code (default 156, China)")
    parser.add_argument("--cmd", type=_listing, default=["8542"], help="HS codes, comma-separated")
    parser.add_argument("--period", type=_listing, required=True, help="YYYY (annual) or YYYYMM (monthly)")
    parser.add_argument("--freq", choices=comtrade.FREQUENCIES, default="A")
    parser.add_argument("--flow", default="M", help="M imports, X exports (default M)")
    _common(parser)
    args = parser.parse_args(argv)
    return [
        comtrade.fetch(
            reporter=args.reporter,
            partner=args.partner,
            commodities=args.cmd,
            periods=args.period,
            freq=args.freq,
            flow=args.flow,
            **_fetch_options(args),
        )
    ]


def _delegated(source: str) -> Callable[[Sequence[str]], list[Path]]:
    """Sources whose options their own module defines: ``add_fetch_arguments(parser)`` (optional) adds
    them, and ``fetch(**options)`` receives every option as a keyword (vintage, force, base_url, …)."""

    def run(argv: Sequence[str]) -> list[Path]:
        module = importlib.import_module(f"econ.sources.{source}")
        fetch = getattr(module, "fetch", None)
        if fetch is None:
            raise EconError(
                f"fetching {source} is not implemented yet; download its files by hand into "
                f"data/raw/{source}/<vintage>/ (see the README)"
            )
        parser = argparse.ArgumentParser(prog=f"econ fetch {source}")
        _common(parser)
        if hasattr(module, "add_fetch_arguments"):
            module.add_fetch_arguments(parser)
        options = vars(parser.parse_args(argv))
        result = fetch(**options)
        return list(result) if isinstance(result, list | tuple) else [result]

    return run


_RUNNERS: dict[str, Callable[[Sequence[str]], list[Path]]] = {
    "census": _census,
    "hts": _hts,
    "bls": _bls,
    "comtrade": _comtrade,
    "bea": _delegated("bea"),
    "usgs": _delegated("usgs"),
}


def main(source: str, argv: Sequence[str]) -> int:
    """Run ``econ fetch SOURCE argv…``; print the files saved, or one line saying what went wrong."""
    runner = _RUNNERS.get(source)
    if runner is None:
        print(f"econ fetch: unknown source {source!r}; choose one of {', '.join(SOURCES)}", file=sys.stderr)
        return 2
    try:
        paths = runner(list(argv))
    except OfflineError as error:
        print(f"econ fetch {source}: offline: {error}", file=sys.stderr)
        return 3
    except EconError as error:
        print(f"econ fetch {source}: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    folders = sorted({str(path.parent) for path in paths})
    print(f"econ fetch {source}: {len(paths)} file(s) in {', '.join(folders) or '-'}", file=sys.stderr)
    return 0
