"""The fast way through large Census API files: DuckDB parses the JSON, Arrow carries the columns.

`econ.sources.census.read` is the careful reader: it judges every quirk of the format (module docstring
there) and names the row and field of anything wrong. It builds Python objects for every cell, which is
about 10 seconds for an 80 MB monthly file — two hours for the 9 GB of a full HS10 pull. `read_rows` does
the same work in DuckDB's JSON parser and Arrow's kernels (about a second for the same file) for files
that hold nothing to judge, and says so by returning None otherwise; the caller then reads the file the
careful way, which raises or notes exactly what it always did. So a file is never read differently for
being large: the fast way either gives the rows the careful way gives, or declines.

What makes it decline (each checked over the whole file before any row is kept):

* anything DuckDB cannot read as an array of arrays (empty, HTML, truncated, a header without rows);
* a header the careful reader would refuse or that needs its handling: no commodity, CTY_CODE or
  ``time`` column (``YEAR`` and ``MONTH`` files go the careful way);
* a row whose width differs from the header's; the header's row found more than once;
* a value cell that is not blank and not a number; a ``time`` that is not ``YYYY-MM``;
* a CTY_CODE missing (the careful reader fills it by name, and says so) or neither a country nor one of
  the API's groupings;
* a key (commodity, partner, month and the other non-value columns) repeated within the file.

The rows it gives are those `econ.panel.census_files` keeps: single countries (CTY_CODE of four digits
not starting with 0, SUMMARY_LVL ``DET`` where present), columns named and typed as the careful reader
names and types them, value suffixes removed, months as timestamps, ``source_file`` last.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from econ.sources.census import _COUNTRY, _LABELS, _NUMERIC, _RENAME, COMMODITY_VARIABLES

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_GROUPING = re.compile(r"^(-|0\d{3}|\dXXX)$")
_SUFFIX = re.compile(r"_(mo|yr)$")
# Enough of the file to hold the header row of any Census response (a few dozen names).
_HEADER_BYTES = 1 << 16


@dataclass(frozen=True)
class BulkRows:
    """One file's rows the fast way: the table, the names of its value columns and its commodity codes'
    lengths (what `econ.panel.census_files.classify` needs to sort the file)."""

    table: pa.Table
    code_lengths: frozenset[int]
    reader_columns: tuple[str, ...]
    """The names the careful reader gives the same columns (``con_val_mo``: suffixes kept)."""


def read_rows(path: Path, *, source_file: str, threads: int = 1) -> BulkRows | None:
    """The single-country rows of one Census API file, or None where the careful reader must judge it."""
    import duckdb

    header = _header(path)
    if header is None:
        return None
    first: dict[str, int] = {}
    for position, name in enumerate(header):
        first.setdefault(name, position + 1)  # DuckDB lists count from 1
    commodity = next((name for name in COMMODITY_VARIABLES if name in first), None)
    if commodity is None or "CTY_CODE" not in first or "time" not in first:
        return None
    reader_columns = ["commodity", "partner", "partner_name", "period"]
    labels: list[tuple[str, str]] = [  # (output name, SQL)
        ("commodity", f"j[{first[commodity]}]"),
        ("partner", f"j[{first['CTY_CODE']}]"),
        ("partner_name", f"j[{first['CTY_NAME']}]" if "CTY_NAME" in first else "NULL::VARCHAR"),
        ("period", f"j[{first['time']}]"),
    ]
    skip = {commodity, "CTY_CODE", "CTY_NAME", "time", "YEAR", "MONTH"}
    monthly = any(_NUMERIC.match(name) and name.endswith("_MO") for name in first)
    for name, position in first.items():
        if name in skip:
            continue
        reader_columns.append(_RENAME.get(name, name.lower()))
        label = _SUFFIX.sub("", reader_columns[-1])
        if monthly and _NUMERIC.match(name) and name.endswith("_YR"):
            continue  # a monthly file's year-to-date values: the panel is monthly (as the careful way)
        if _NUMERIC.match(name):
            labels.append((label, f"TRY_CAST(NULLIF(trim(j[{position}]), '') AS DOUBLE)"))
        else:
            labels.append((label, f"j[{position}]"))
    if len({label for label, _ in labels}) != len(labels):
        return None  # CON_VAL_MO beside CON_VAL_YR: one name after the suffixes go; the careful way
    not_numbers = " OR ".join(
        f"(j[{first[name]}] IS NOT NULL AND trim(j[{first[name]}]) <> '' AND "
        f"TRY_CAST(trim(j[{first[name]}]) AS DOUBLE) IS NULL)"
        for name in first
        if name not in skip and _NUMERIC.match(name)
    )
    select = ", ".join(f"{sql} AS {_identifier(label)}" for label, sql in labels)
    # One pass over the file: every row with its width and whether a value cell is not a number; the
    # header is row 0 (DuckDB keeps the file's order) and is checked and dropped here.
    query = (
        f"SELECT {select}, len(j) AS _width, ({not_numbers or 'false'}) AS _not_a_number FROM "
        f"(SELECT json AS j FROM read_json({_quote(str(path))}, format='array', records=false, "
        "columns={'json': 'VARCHAR[]'}))"
    )
    connection = duckdb.connect(config={"threads": max(1, threads), "preserve_insertion_order": True})
    try:
        table = connection.sql(query).to_arrow_table()
    except duckdb.Error:
        return None  # not an array of arrays of text: the careful reader says what it is
    finally:
        connection.close()
    if table.num_rows < 2 or table.column("commodity")[0].as_py() != commodity:
        return None
    widths = pc.min_max(table.column("_width"))
    if widths["min"].as_py() != len(header) or widths["max"].as_py() != len(header):
        return None
    table = table.slice(1)
    if pc.any(table.column("_not_a_number")).as_py():
        return None
    table = table.drop_columns(["_width", "_not_a_number"])
    return _keep_countries(table, source_file=source_file, reader_columns=tuple(reader_columns))


def _keep_countries(table: pa.Table, *, source_file: str, reader_columns: tuple[str, ...]) -> BulkRows | None:
    """Single countries, months as timestamps, `source_file` added; None where a cell needs judging."""
    partner = table.column("partner")
    codes = pc.unique(partner).to_pylist()
    if any(code is None or (not _COUNTRY.match(code) and not _GROUPING.match(code)) for code in codes):
        return None
    months = pc.dictionary_encode(table.column("period")).combine_chunks()
    labels = months.dictionary.to_pylist()
    if any(label is None or not _MONTH.match(label) for label in labels):
        return None
    if _repeats_a_key(table):
        return None
    # The file's handful of months parsed once each, then spread over the rows.
    firsts = pa.array(
        [dt.datetime(int(label[:4]), int(label[5:]), 1) for label in labels], pa.timestamp("us")
    )
    table = table.set_column(table.column_names.index("period"), "period", firsts.take(months.indices))
    countries = pa.array([c for c in codes if _COUNTRY.match(c)], pa.string())
    single = pc.is_in(table.column("partner"), value_set=countries)
    if "summary_lvl" in table.column_names:
        single = pc.and_kleene(single, pc.fill_null(pc.equal(table.column("summary_lvl"), "DET"), False))
    table = table.filter(single)
    lengths = frozenset(
        int(n) for n in pc.unique(pc.utf8_length(pc.unique(table.column("commodity")))).to_pylist()
    )
    table = table.append_column("source_file", pa.array([source_file] * table.num_rows, pa.string()))
    # the careful reader's text comes through pandas' Arrow strings: large ones, so the parts agree
    schema = pa.schema(
        [pa.field(f.name, pa.large_string()) if pa.types.is_string(f.type) else f for f in table.schema]
    )
    return BulkRows(table=table.cast(schema), code_lengths=lengths, reader_columns=reader_columns)


def _repeats_a_key(table: pa.Table) -> bool:
    """A (commodity, partner, month, other non-value, non-label columns) key on two rows of the file."""
    import polars as pl

    key = [
        name
        for name in table.column_names
        if name in ("commodity", "partner", "period")
        or not (_LABELS.match(name) or pa.types.is_floating(table.schema.field(name).type))
    ]
    frame = pl.from_arrow(table.select(key))
    assert isinstance(frame, pl.DataFrame)
    return bool(frame.is_duplicated().any())


def _header(path: Path) -> list[str] | None:
    """The file's header row (its first inner array), when it is a list of non-empty texts."""
    try:
        with path.open("rb") as file:
            start = file.read(_HEADER_BYTES).decode("utf-8-sig", errors="strict")
    except (OSError, UnicodeDecodeError):
        return None
    text = start.lstrip()
    if not text.startswith("["):
        return None
    inner = text[1:].lstrip()
    try:
        header, _ = json.JSONDecoder().raw_decode(inner)
    except json.JSONDecodeError:
        return None
    if not isinstance(header, list) or not all(isinstance(name, str) and name for name in header):
        return None
    return header


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
