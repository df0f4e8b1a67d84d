"""A fetch as a plan: the list of `Download` s a fetcher wants, then one way to run it.

Every fetcher builds a plan (``plan(...) -> list[Download]``); `run` prints it (``dry_run``) or carries it
out: files already present and valid are kept, the others downloaded through `econ.sources.fetch.http`,
each agency's `RateLimit` respected (a pause between requests, a daily allowance), one progress bar over
the files. A failure of one file does not stop the others (a long run resumes where it failed on the next
call); offline stops at once. Keys are looked up in the environment only when a request is made, so a
plan never holds one.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from econ import atomic
from econ.errors import FetchError, OfflineError
from econ.sources.fetch import http
from econ.sources.fetch.options import FetchOptions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    """An agency's limits on requests, as it publishes them (``basis`` says where, or that the number is
    our own politeness): ``interval`` seconds between two requests; ``per_day`` requests a day with a key
    in ``key_variable``, ``per_day_without_key`` without one (None: no published cap)."""

    interval: float = 1.0
    per_day: int | None = None
    per_day_without_key: int | None = None
    key_variable: str | None = None
    basis: str = ""

    def daily(self) -> int | None:
        """The daily allowance that applies now (whether the key is set)."""
        keyed = bool(self.key_variable and os.environ.get(self.key_variable))
        return self.per_day if keyed or not self.key_variable else self.per_day_without_key


@dataclass(frozen=True)
class Key:
    """Where a request carries the key held in the environment variable ``variable``: a query
    parameter, a header or a JSON body field (exactly one)."""

    variable: str
    param: str | None = None
    header: str | None = None
    json_field: str | None = None


@dataclass(frozen=True)
class Download:
    """One file to fetch: ``what`` it is in a few words (one line of the plan), the request, where it
    goes, the check its body must pass, and zip member suffixes to extract beside it."""

    source: str
    what: str
    url: str
    dest: Path
    params: Mapping[str, str] = field(default_factory=dict)
    method: http.Method = "GET"
    json_body: Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    key: Key | None = None
    check: http.Check | None = field(default=None, compare=False, repr=False)
    extract: tuple[str, ...] = ()

    def shown_url(self) -> str:
        """The URL with its query, as a plan shows it (no key: keys are added only when sending)."""
        import requests

        return requests.Request(self.method, self.url, params=dict(self.params)).prepare().url or self.url

    def send(self, options: FetchOptions, *, throttle: http.Throttle | None = None) -> Path:
        params, headers = dict(self.params), dict(self.headers)
        body = dict(self.json_body) if self.json_body is not None else None
        secret = os.environ.get(self.key.variable) if self.key else None
        if self.key and secret:
            if self.key.param:
                params[self.key.param] = secret
            if self.key.header:
                headers[self.key.header] = secret
            if self.key.json_field and body is not None:
                body[self.key.json_field] = secret
        return http.download(
            self.url,
            self.dest,
            params=params,
            secret_params=(self.key.param,) if self.key and self.key.param else (),
            headers=headers,
            secret_headers=(self.key.header,) if self.key and self.key.header else (),
            method=self.method,
            json_body=body,
            secret_json=(self.key.json_field,) if self.key and self.key.json_field else (),
            check=self.check,
            throttle=throttle,
            **options.http(),
        )


class _Pacer:
    """Spaces the requests to one agency by its interval and counts them against its daily allowance."""

    def __init__(self, source: str, limit: RateLimit) -> None:
        self.source, self.limit = source, limit
        self.allowance = limit.daily()
        self.sent = 0
        self.last: float | None = None

    def __call__(self) -> None:
        if self.allowance is not None and self.sent >= self.allowance:
            keyed = f" (set {self.limit.key_variable} for more)" if self.limit.key_variable else ""
            raise _DailyLimitError(
                f"{self.source}: stopped at {self.allowance:,} requests, the agency's daily allowance"
                f"{keyed}; run the same command tomorrow to continue where it stopped"
            )
        if self.last is not None:
            pause = self.limit.interval - (time.monotonic() - self.last)
            if pause > 0:
                time.sleep(pause)
        self.last = time.monotonic()
        self.sent += 1


class _DailyLimitError(FetchError):
    pass


def run(
    downloads: Sequence[Download],
    options: FetchOptions,
    limits: Mapping[str, RateLimit],
    *,
    out: Any = None,
) -> list[Path]:
    """Carry out a plan and return the paths of the files it holds (extracted zip members included).

    With ``options.dry_run`` print the plan to `out` (default stdout) and return []. Otherwise fetch what
    is missing (or invalid, or everything with ``force``); raise FetchError naming how many files failed
    and the first reason once every other file has been tried, OfflineError at once when offline."""
    if options.dry_run:
        print_plan(downloads, limits, out=out or sys.stdout)
        return []
    pacers = {source: _Pacer(source, limit) for source, limit in limits.items()}
    saved: list[Path] = []
    failed: list[str] = []
    bar = _files_bar(len(downloads), options.progress)
    try:
        for download in downloads:
            if bar is not None:
                bar.set_postfix_str(download.source, refresh=False)
            try:
                path = download.send(options, throttle=pacers.get(download.source))
            except OfflineError:
                raise
            except _DailyLimitError as error:
                left = len(downloads) - len(saved) - len(failed)
                raise FetchError(f"{error} ({left:,} files left; {len(saved):,} saved)") from None
            except FetchError as error:
                failed.append(str(error))
                log.warning("%s", error)
            else:
                saved.append(path)
                if download.extract:
                    saved += extract_zip(path, path.parent, suffixes=download.extract, force=options.force)
            if bar is not None:
                bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    if failed and len(downloads) == 1:
        raise FetchError(failed[0])
    if failed:
        raise FetchError(
            f"{len(failed):,} of {len(downloads):,} files failed ({len(saved):,} saved; run again to retry "
            f"the others); first: {failed[0]}"
        )
    return saved


def _files_bar(total: int, progress: bool | None) -> Any:
    show = sys.stderr.isatty() if progress is None else progress
    if not show or total == 0:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="econ fetch", file=sys.stderr)


def print_plan(downloads: Sequence[Download], limits: Mapping[str, RateLimit], *, out: Any) -> None:
    """What a run would do, source by source: files present and to fetch, requests against the daily
    allowance, then one line per file (``+`` to fetch, ``=`` present)."""
    by_source: dict[str, list[Download]] = {}
    for download in downloads:
        by_source.setdefault(download.source, []).append(download)
    total_todo = 0
    for source, items in by_source.items():
        todo = [item for item in items if not item.dest.exists()]
        total_todo += len(todo)
        limit = limits.get(source, RateLimit())
        allowance = limit.daily()
        days = f", about {-(-len(todo) // allowance)} day(s) at {allowance:,} a day" if allowance else ""
        keyed = ""
        if limit.key_variable:
            keyed = f"; {limit.key_variable} {'set' if os.environ.get(limit.key_variable) else 'not set'}"
        folders = sorted({str(item.dest.parent) for item in items})
        print(
            f"{source}: {len(items):,} file(s) in {', '.join(folders)} — {len(items) - len(todo):,} present, "
            f"{len(todo):,} to fetch ({len(todo):,} request(s){days}; one every {limit.interval:g} s{keyed})",
            file=out,
        )
        for item in items:
            mark = "=" if item.dest.exists() else "+"
            print(f"  {mark} {item.dest.name}  {item.what}  {item.method} {item.shown_url()}", file=out)
    print(f"plan: {len(downloads):,} file(s), {total_todo:,} to fetch; nothing fetched (--dry-run)", file=out)


def extract_zip(path: Path, folder: Path, *, suffixes: Iterable[str], force: bool) -> list[Path]:
    """Extract the members of a downloaded zip whose names end in `suffixes` into `folder` (flat, each
    written atomically; a member already there is kept unless `force`). Returns the extracted paths."""
    import zipfile

    wanted = {suffix.lower() for suffix in suffixes}
    saved: list[Path] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                if member.endswith("/") or Path(member).suffix.lower() not in wanted:
                    continue
                target = folder / Path(member).name
                if not target.exists() or force:
                    atomic.write_bytes(target, archive.read(member))
                saved.append(target)
    except zipfile.BadZipFile as exc:
        raise FetchError(f"{path}: the zip could not be opened ({exc}); fetch again with --force") from exc
    return saved
