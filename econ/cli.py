"""The `econ` command.

    econ demo    [--seed N] [--scale S] [--set NAME=VALUE ...]    write the synthetic demo world
    econ fetch   SOURCE [options]                                 download an agency's files
    econ build   [--data demo|real] [--force] [--jobs N] [--scheduler ADDRESS]  raw files -> panels
    econ report  [RUN ...] [--data demo|real] [--jobs N] [--dry-run] ...   run notebooks, render HTML

Flags mirror the keyword arguments of the functions they call. Every failure prints one line on stderr
and no traceback (`econ --debug ...` shows it):

* errors of the project's own kind (`econ.errors.EconError`: bad input, bad parameters, a locked home, a
  failed download) and operating-system errors (a folder that cannot be created or written) exit with
  status 2; a bad option on the command line exits 2 too (argparse);
* `econ fetch` exits 3 when offline; `econ report` exits 1 when a run failed;
* anything else is a bug in econ: one line saying so, status 1.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from econ.errors import EconError

log = logging.getLogger("econ")


def _parse_assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value.strip()


def _cmd_demo(args: argparse.Namespace) -> int:
    from econ import demo

    world = demo.write(seed=args.seed, scale=args.scale, overrides=dict(args.set or []), world=args.world)
    rows = f"{world.rows:,} import rows; " if world.rows else ""
    print(f"{world.world} demo world written to {world.folder} ({rows}truth in truth.json)")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from econ import panel
    from econ.panel import coverage

    manifest = panel.build(
        dataset=args.data,
        force=args.force,
        vintage=args.vintage,
        strict=args.strict,
        jobs=args.jobs,
        scheduler=args.scheduler,
    )
    for line in manifest.summary_lines():
        print(line)
    for line in coverage.lines(manifest.coverage):
        print(f"  coverage: {line}")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    # jsonschema (under nbformat) imports rfc3987_syntax when installed, which compiles a grammar for
    # seconds; it only checks "iri" formats, which no notebook schema uses (econ.reports.worker does the
    # same in its worker processes)
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from econ import reports

    outcome = reports.run_reports(
        runs=args.runs or None,
        data=args.data,
        jobs=args.jobs,
        force=args.force,
        dry_run=args.dry_run,
        show_code=args.show_code,
        scheduler=args.scheduler,
        dask_workers=args.dask_workers,
    )
    return 0 if outcome.ok else 1


def _cmd_fetch(args: argparse.Namespace) -> int:
    from econ.sources import cli as sources_cli

    return sources_cli.main(args.source, args.options)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="econ",
        description="Economic-impact notebooks: US–China tariffs and critical-mineral export controls.",
    )
    parser.add_argument("--debug", action="store_true", help="show full tracebacks")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress at INFO level")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", help="write the synthetic demo world to data/raw/demo/")
    demo.add_argument("--seed", type=int, default=20250512, help="random seed (default: %(default)s)")
    demo.add_argument("--scale", type=float, default=1.0, help="size multiplier (default: %(default)s)")
    demo.add_argument(
        "--world",
        choices=["calibrated", "structural"],
        default="calibrated",
        help="calibrated (to 2024 figures) or structural (a world the estimators did not write)",
    )
    demo.add_argument(
        "--set",
        type=_parse_assignment,
        action="append",
        metavar="NAME=VALUE",
        help="override a true parameter, e.g. --set passthrough=0.8 (repeatable)",
    )
    demo.set_defaults(handler=_cmd_demo)

    fetch = sub.add_parser("fetch", help="download an agency's files into data/raw/<source>/<vintage>/")
    fetch.add_argument(
        "source", help="census, hts, bls, bea, usgs, comtrade, or all (every file the reports need)"
    )
    fetch.add_argument("options", nargs=argparse.REMAINDER, help="options of that source (see --help)")
    fetch.set_defaults(handler=_cmd_fetch)

    build = sub.add_parser("build", help="read raw files and write processed Parquet panels")
    build.add_argument("--data", choices=["demo", "real"], default="demo", help="dataset to build")
    build.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    build.add_argument(
        "--vintage", metavar="NAME", help="take the real Census files from this vintage folder"
    )
    build.add_argument(
        "--strict", action="store_true", help="a file with no rows, or rows no panel takes, is an error"
    )
    build.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="read files and build years in N processes"
    )
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the file and year tasks on a Dask scheduler (workers must see ECON_HOME)",
    )
    build.set_defaults(handler=_cmd_build)

    report = sub.add_parser("report", help="run the notebooks of reports/runs.yaml and render HTML")
    report.add_argument("runs", nargs="*", metavar="RUN", help="run names (default: all)")
    report.add_argument(
        "--data", choices=["demo", "real"], help="only the runs on this dataset (default: every run)"
    )
    report.add_argument("--jobs", "-j", type=int, default=1, help="local processes (default: %(default)s)")
    report.add_argument("--force", action="store_true", help="run even when nothing changed")
    report.add_argument("--dry-run", action="store_true", help="say what would run or be skipped, and why")
    report.add_argument("--show-code", action="store_true", help="show code cells in the HTML")
    report.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask distributed scheduler")
    report.add_argument("--dask-workers", type=int, metavar="N", help="start a local Dask cluster of N")
    report.set_defaults(handler=_cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Any = args.handler
    try:
        return int(handler(args))
    except KeyboardInterrupt:
        print("econ: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `econ build | head`: the reader left; nothing more to say to it
        # Point stdout at /dev/null so the interpreter's final flush does not fail again (Python's docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:
        if args.debug:
            raise
        print(f"econ: {describe(error, command=args.command)}", file=sys.stderr)
        return 1 if _is_bug(error) else 2


def _is_bug(error: BaseException) -> bool:
    return not isinstance(error, EconError | OSError)


def describe(error: BaseException, *, command: str) -> str:
    """One line for the terminal: what went wrong and, where it helps, what to do."""
    if isinstance(error, EconError):
        text = f"error: {error}"
    elif isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        reason = error.strerror or type(error).__name__
        text = f"error: {where}{reason} — check that ECON_HOME ({_home()}) is a folder you can write to"
    else:
        text = (
            f"internal error, a bug in econ: {type(error).__name__}: {error} "
            f"(`econ --debug {command} ...` shows the traceback; please report it)"
        )
    return " ".join(text.split())  # messages quoting YAML or a file can span lines: keep to one


def _home() -> str:
    from econ import paths

    return str(paths.home())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
