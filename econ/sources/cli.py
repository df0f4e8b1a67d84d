"""`econ fetch SOURCE [options]`: download an agency's files into data/raw/<source>/<vintage>/.

    econ fetch census   --year 2024 [--dataset imports/hs] [--months 1-12] [--level 10] [--commodity 85*]
                        [--partner 5700] [--span month|year] [--get VAR,VAR,…]
    econ fetch hts      [--from 0100 --to 9999] [--revisions '2025 Basic,2025 Revision 19'] [--no-current]
    econ fetch bls      [--survey ei] [--files series,data.0.Current,footnote]
    econ fetch bls      --series EIUCOCHNTOT,EIUIR --start-year 2018 --end-year 2025      (API v2)
    econ fetch comtrade --reporter 842 --partner 156 --cmd 8505,2846 --period 2023,2024 [--freq A] [--flow M]
    econ fetch bea      [--names AllTablesIO.zip] [--no-extract]
    econ fetch usgs     [--item ID] [--names FILE,…] [--no-extract]
    econ fetch all      --years 2017-2026 [--months 1-12] [--partners 5700,5520] [--sources census,hts,…]

Every source also takes the flags of `econ.sources.fetch.FetchOptions`: ``--vintage`` (default: the
current month, e.g. 2026-11), ``--force`` (fetch again what is already there), ``--base-url`` (another
server, e.g. a mirror), ``--retries``, ``--timeout`` and ``--dry-run`` (print the plan, fetch nothing).
The flags are built from each fetcher's declared ``OPTIONS``: this module is the only one that knows
argparse. Keys come from CENSUS_API_KEY, BLS_API_KEY and COMTRADE_API_KEY.

Exit status: 0 when everything was saved (or the plan printed), 3 when the endpoint cannot be reached
(offline), 2 for any other failure (a refused key, an HTTP error after the retries, bad options, some
files failed) — always with one line saying what to do.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from econ.errors import EconError, OfflineError
from econ.sources.fetch import SOURCES, fetcher
from econ.sources.fetch.options import COMMON_OPTIONS, Option, split_options


def build_parser(source: str) -> argparse.ArgumentParser:
    """The parser of ``econ fetch <source>``: the source's OPTIONS, then the common ones."""
    module = fetcher(source)
    summary = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else None
    parser = argparse.ArgumentParser(prog=f"econ fetch {source}", description=summary)
    for option in (*module.OPTIONS, *COMMON_OPTIONS):
        _add(parser, option)
    return parser


def _add(parser: argparse.ArgumentParser, option: Option) -> None:
    if option.switch:
        parser.add_argument(
            option.flags,
            dest=option.name,
            action="store_false" if option.default else "store_true",
            default=option.default,
            help=option.help,
        )
        return
    parser.add_argument(
        option.flags,
        dest=option.name,
        type=_argument_type(option.parse),
        default=option.default,
        required=option.required,
        choices=option.choices,
        help=option.help,
    )


def _argument_type(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """`parse`, its ValueError shown by argparse as the option's own message."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    convert.__name__ = getattr(parse, "__name__", "value")
    return convert


def main(source: str, argv: Sequence[str]) -> int:
    """Run ``econ fetch SOURCE argv…``; print the files saved (or the plan), or one line saying what went
    wrong."""
    if source not in SOURCES:
        print(f"econ fetch: unknown source {source!r}; choose one of {', '.join(SOURCES)}", file=sys.stderr)
        return 2
    parser = build_parser(source)
    values = vars(parser.parse_args(list(argv)))
    try:
        options, arguments = split_options(values)
        paths: list[Path] = fetcher(source).fetch(**arguments, options=options)
    except OfflineError as error:
        print(f"econ fetch {source}: offline: {error}", file=sys.stderr)
        return 3
    except EconError as error:
        print(f"econ fetch {source}: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    if options.dry_run:
        return 0
    for path in paths:
        print(path)
    folders = sorted({str(path.parent) for path in paths})
    print(f"econ fetch {source}: {len(paths)} file(s) in {', '.join(folders) or '-'}", file=sys.stderr)
    return 0
