"""Checks a downloaded body must pass before it is renamed into the cache: each parses the body against
its format, so that a cut-off answer, an agency's error page served with status 200 or a broken archive
is refused — never cached — and a file already cached that fails the same check is fetched again.

Where the project has a reader for the format (Census, HTS, Comtrade, the BLS API), the check *is* the
reader: a body the build would refuse is refused here, with the reader's one-line reason. Large flat files
(BLS ``*.data.*``) are checked by their header and their last line, which is what a cut leaves wrong.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from econ.errors import EconError, FetchError
from econ.sources.fetch.http import Body, Check


def is_web_page(path: Path) -> bool:
    """Whether a file is an HTML page (an agency's error or login page served with status 200) rather
    than the file asked for."""
    with open(path, "rb") as handle:
        head = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html")) or (head.startswith(b"<") and b"<html" in head)


def _not_a_page(body: Body, agency: str) -> None:
    if is_web_page(body.path):
        raise FetchError(f"{agency} answered with a web page instead of the file asked for")


def with_reader(
    agency: str,
    what: str,
    read: Callable[[Path], Any],
    *,
    empty_if_204: bool = False,
    page_means: str | None = None,
) -> Check:
    """A check that parses the body with a project reader: `read(path)` must not raise. An empty body is
    accepted only when the server said 204 No Content (``empty_if_204``): the agency's "no rows". A web
    page instead of data is refused saying ``page_means`` (what such a page means from this agency)."""

    def check(body: Body) -> None:
        if body.path.stat().st_size == 0:
            if empty_if_204 and body.status == 204:
                return
            said = f"HTTP {body.status}" if body.status else "no recorded status"
            raise FetchError(f"{agency} answered with an empty body ({said}, not 204 No Content)")
        if page_means and is_web_page(body.path):
            raise FetchError(f"{agency} answered with a web page instead of data: {page_means}")
        _not_a_page(body, agency)
        try:
            read(body.path)
        except EconError as error:
            reason = getattr(error, "problem", None) or str(error)
            where = getattr(error, "where", None)
            raise FetchError(
                f"{agency} answered with something that is not {what}: {reason}"
                + (f" ({where})" if where else "")
            ) from None

    return check


def json_answer(path: Path, agency: str) -> Any:
    """A downloaded JSON answer, parsed; an answer that is not JSON (an error page, a cut-off body) is a
    FetchError naming the agency."""
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise FetchError(f"{agency} answered with something other than JSON ({error})") from error


def bls_flat_file(required: Sequence[str]) -> Check:
    """A BLS time.series flat file: tab-separated, its header naming `required` columns, and a last line
    as complete as the header (a body cut short leaves a partial last line)."""

    def check(body: Body) -> None:
        _not_a_page(body, "BLS")
        with open(body.path, "rb") as handle:
            first = handle.readline()
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - 65536))
            tail = handle.read()
        header = [name.strip() for name in first.decode("utf-8-sig", errors="replace").split("\t")]
        missing = [name for name in required if name not in header]
        if missing:
            raise FetchError(
                f"BLS answered with something other than the flat file asked for: its first line "
                f"{first[:80]!r} lacks {', '.join(missing)}"
            )
        if size > len(first):
            if not tail.endswith(b"\n"):
                raise FetchError("the BLS flat file ends in the middle of a line — cut short")
            lines = [line for line in tail.splitlines() if line.strip()]
            fields = lines[-1].count(b"\t") + 1 if lines else len(header)
            if fields != len(header):
                raise FetchError(
                    f"the BLS flat file's last line has {fields} fields, its header {len(header)} — cut short"
                )

    return check


def archive(agency: str) -> Check:
    """A zip (or an xlsx, which is one) whose every member reads back with its checksum."""

    def check(body: Body) -> None:
        _not_a_page(body, agency)
        try:
            with zipfile.ZipFile(body.path) as opened:
                names = opened.namelist()
                bad = opened.testzip()
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise FetchError(f"{agency} answered with a broken archive ({error})") from None
        if bad is not None:
            raise FetchError(f"{agency} answered with a broken archive (member {bad!r} fails its checksum)")
        if not names:
            raise FetchError(f"{agency} answered with an empty archive")
        if body.path.suffix.lower() == ".xlsx" and "xl/workbook.xml" not in names:
            raise FetchError(f"{agency} answered with a zip that is not an Excel workbook")

    return check


def text_table(agency: str) -> Check:
    """A CSV (UTF-8 or cp1252, a BOM allowed): every line parses, and there is a header and a row."""

    def check(body: Body) -> None:
        _not_a_page(body, agency)
        raw = body.path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("cp1252", errors="replace")
        try:
            rows = [row for row in csv.reader(io.StringIO(text, newline=""), strict=True) if row]
        except csv.Error as error:
            raise FetchError(f"{agency} answered with a malformed CSV ({error}) — cut short?") from None
        if len(rows) < 2:
            raise FetchError(f"{agency} answered with a CSV without data rows")

    return check


def by_suffix(agency: str) -> Check:
    """The check a file's suffix calls for: zip/xlsx archives, CSV tables, JSON, XML; else not a page."""

    def check(body: Body) -> None:
        suffix = Path(body.name).suffix.lower().lstrip(".")
        if suffix in ("zip", "xlsx"):
            archive(agency)(body)
        elif suffix == "csv":
            text_table(agency)(body)
        elif suffix == "json":
            _not_a_page(body, agency)
            json_answer(body.path, agency)
        elif suffix == "xml":
            try:
                ElementTree.parse(body.path)
            except ElementTree.ParseError as error:
                raise FetchError(f"{agency} answered with malformed XML ({error})") from None
        else:
            _not_a_page(body, agency)

    return check
