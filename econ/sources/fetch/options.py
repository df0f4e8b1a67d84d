"""What every fetcher takes (`FetchOptions`), how a fetcher declares its own options (`Option`), and
where files go (`FetchOptions.folder`).

`econ fetch <source>` builds its parser from these declarations (econ.sources.cli): the common flags come
from FetchOptions' fields, the source's from its module's ``OPTIONS``, so a fetcher never touches
argparse and a flag always mirrors a keyword argument of the Python function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from econ.errors import ParameterError


@dataclass(frozen=True)
class FetchOptions:
    """Options every fetcher takes.

    * ``vintage`` — the folder under data/raw/<source>/ (default: the month of the download, ``2026-11``);
    * ``force`` — fetch again files already present (and valid);
    * ``base_url`` — another server for the source (a mirror, a test server); for ``econ fetch all`` the
      root of a mirror with one folder per source (``<base_url>/census``, ``<base_url>/hts``…);
    * ``retries`` (after the first attempt), ``timeout`` (read, seconds), ``connect_timeout``,
      ``backoff`` (seconds before the first retry, doubling), ``max_wait`` (cap on any wait);
    * ``progress`` — a progress bar (default: when stderr is a terminal);
    * ``dry_run`` — print the plan (what would be fetched, what is there) and fetch nothing.

    Keys are not options: they are read from the environment (CENSUS_API_KEY, BLS_API_KEY,
    COMTRADE_API_KEY) when a request is made, so they never sit in an object that could be printed.
    """

    vintage: str | None = None
    force: bool = False
    base_url: str | None = None
    retries: int = 4
    timeout: float = 300.0
    connect_timeout: float = 10.0
    backoff: float = 2.0
    max_wait: float = 60.0
    progress: bool | None = None
    dry_run: bool = False

    def __post_init__(self) -> None:
        problems = []
        if self.retries < 0:
            problems.append(("retries", f"{self.retries} is negative"))
        for name in ("timeout", "connect_timeout"):
            if getattr(self, name) <= 0:
                problems.append((name, f"{getattr(self, name)} seconds is not positive"))
        for name in ("backoff", "max_wait"):
            if getattr(self, name) < 0:
                problems.append((name, f"{getattr(self, name)} is negative"))
        if self.vintage is not None:
            label = self.vintage
            if not label or "/" in label or "\\" in label or label.startswith("."):
                problems.append(("vintage", f"must be a plain folder name, got {label!r}"))
        if problems:
            raise ParameterError(problems, context="fetch options")

    def folder(self, source: str) -> Path:
        """data/raw/<source>/<vintage>/ under ECON_HOME (not created here)."""
        from econ import paths

        return paths.raw_dir(source) / (self.vintage or default_vintage())

    def http(self) -> dict[str, Any]:
        """The keyword arguments of `econ.sources.fetch.http.download` these options set."""
        return {
            "timeout": (self.connect_timeout, self.timeout),
            "retries": self.retries,
            "backoff": self.backoff,
            "max_wait": self.max_wait,
            "force": self.force,
            "progress": False,  # one bar per run (econ.sources.fetch.plan), not one per file
        }


def default_vintage() -> str:
    """The vintage folder of a fetch when none is given: the month of the download, ``"2026-11"``.

    Agencies revise their data (Census each June, BLS for four months after first release), so what was
    downloaded is labelled by when; a month keeps one run's files together across days and lets a
    restarted run resume.
    """
    return datetime.now(UTC).strftime("%Y-%m")


@dataclass(frozen=True)
class Option:
    """One option of one fetcher, declared once: the keyword of its ``plan``/``fetch`` function, and the
    command-line flag built from it (``--`` + the keyword with dashes, unless ``flag`` says otherwise).

    ``parse`` turns the flag's text into the keyword's value (raising ValueError with a plain message);
    ``switch`` makes a flag without a value that stores ``not default``.
    """

    name: str
    help: str
    parse: Callable[[str], Any] = str
    default: Any = None
    required: bool = False
    choices: Sequence[Any] | None = None
    flag: str | None = None
    switch: bool = False

    @property
    def flags(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")


# The flags every `econ fetch <source>` takes, one per FetchOptions field a user sets from the shell.
COMMON_OPTIONS: tuple[Option, ...] = (
    Option("vintage", "folder under data/raw/<source>/ (default: the current month)"),
    Option("force", "fetch again files already present", default=False, switch=True),
    Option("base_url", "another server for this source (a mirror, a test server)"),
    Option("retries", "retries after the first attempt (default: 4)", parse=int, default=4),
    Option("timeout", "read timeout in seconds (default: 300)", parse=float, default=300.0),
    Option(
        "dry_run",
        "print what would be fetched and what is already there; fetch nothing",
        default=False,
        switch=True,
    ),
)
_FIELDS = {field.name for field in fields(FetchOptions)}
assert all(option.name in _FIELDS for option in COMMON_OPTIONS)


def split_options(values: dict[str, Any]) -> tuple[FetchOptions, dict[str, Any]]:
    """Parsed flags → (the FetchOptions, the source's own keyword arguments)."""
    common = {name: value for name, value in values.items() if name in _FIELDS}
    return FetchOptions(**common), {name: value for name, value in values.items() if name not in _FIELDS}


# ----------------------------------------------------------------------------------------------- parsers


def months(text: str) -> list[int]:
    """``"1-12"``, ``"3"``, ``"1,2,6-8"`` → month numbers."""
    found = _ranges(text, what="months", example="1-12 or 1,2,6-8")
    if not found or any(not 1 <= m <= 12 for m in found):
        raise ValueError(f"months must be between 1 and 12; got {text!r}")
    return found


def years(text: str) -> list[int]:
    """``"2017-2026"``, ``"2024"``, ``"2018,2024-2025"`` → years."""
    found = _ranges(text, what="years", example="2017-2026 or 2018,2024")
    if not found or any(not 1900 <= y <= 2100 for y in found):
        raise ValueError(f"years must look like 2017-2026; got {text!r}")
    return found


def listing(text: str) -> list[str]:
    """``"a,b , c"`` → ``["a", "b", "c"]``."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise ValueError("expected a comma-separated list")
    return items


def _ranges(text: str, *, what: str, example: str) -> list[int]:
    found: list[int] = []
    try:
        for part in text.split(","):
            first, _, last = part.strip().partition("-")
            found.extend(range(int(first), int(last or first) + 1))
    except ValueError:
        raise ValueError(f"{what} must look like {example}; got {text!r}") from None
    return found
