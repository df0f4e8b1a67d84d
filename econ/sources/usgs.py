"""USGS Mineral Commodity Summaries (MCS) data release CSVs.

The release (MCS 2025: DOI 10.5066/P13XCP3R, on ScienceBase) ships one salient-statistics CSV per commodity
(``mcs2025-rareee_salient.csv``…) and a few cross-commodity tables (world production and reserves, net import
reliance, major import sources, critical-mineral end uses and salient statistics, price growth).

Cells mix numbers with USGS codes. Every numeric field becomes a float ``value`` with the code kept apart
in a ``…_flag`` column (str, empty when the cell was a plain number):

==========  ==========================================================  =====================
cell        meaning                                                      value, flag
==========  ==========================================================  =====================
``1,300``   a number (thousands separators allowed)                      1300.0, ""
``>95``     more than 95 (also ``<1``)                                   95.0, ">"
``E``       net exporter (net import reliance)                           NaN, "E"
``W``       withheld to avoid disclosing company proprietary data        NaN, "W"
``NA``      not available                                                NaN, "NA"
``XX``      not applicable                                               NaN, "XX"
(empty)     not reported                                                 NaN, ""
==========  ==========================================================  =====================

Encoding: the release says cp1252 with a BOM; the 2025 files in ../shared/data are in fact UTF-8 with a
BOM and CRLF line ends, with non-breaking spaces inside some country names (``United\\xa0States and
Canada``) and trailing spaces in names (``Canada ``, ``Copper ``). The reader accepts either encoding,
replaces non-breaking spaces and strips every cell. Column names differ between commodities (``NIR_pct``,
``NIR_pc``, ``NIR_ct``, ``NIR_Compounds-Metals_t``), so per-commodity files are returned long, one row per
year × variable, with the unit read from the suffix (net import reliance is always percent, whatever the
suffix says).
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Literal, get_args

import pandas as pd

from econ.errors import InputFormatError
from econ.sources.notes import source_file_column

TableKind = Literal[
    "salient",
    "world",
    "net_import_reliance",
    "import_sources",
    "end_uses",
    "critical_minerals_salient",
    "price_growth",
]
_KINDS: tuple[str, ...] = get_args(TableKind)

FLAGS = frozenset({"E", "W", "NA", "XX", "--", "—"})


_UNIT_SUFFIX = {
    "t": "metric tons",
    "kt": "thousand metric tons",
    "kg": "kilograms",
    "g": "grams",
    "dkg": "dollars per kilogram",
    "dlb": "dollars per pound",
    "dg": "dollars per gram",
    "dt": "dollars per metric ton",
    "pct": "percent",
    "pc": "percent",
    "ct": "percent",
}

_NUMBER = re.compile(r"^([<>]=?|~)?\s*(-?[0-9][0-9,]*\.?[0-9]*|-?\.[0-9]+)$")


def parse_value(cell: str) -> tuple[float, str]:
    """One MCS cell → (value, flag). Raises ValueError for text that is neither a number nor a known code."""
    text = cell.replace("\xa0", " ").strip()
    if text == "":
        return math.nan, ""
    if text in FLAGS:
        return math.nan, text
    match = _NUMBER.match(text)
    if match:
        return float(match.group(2).replace(",", "")), (match.group(1) or "")
    raise ValueError(text)


# --------------------------------------------------------------------------------------------------------


def read(path: str | Path, *, kind: TableKind | Literal["auto"] = "auto") -> pd.DataFrame:
    """Read one MCS data-release CSV; ``kind="auto"`` recognises the table from its header.

    Returns (``frame.attrs["usgs_kind"]`` names the kind):

    * ``salient`` (``mcs2025-<code>_salient.csv``): long — ``source``, ``commodity``, ``year`` (int64),
      ``variable`` (the column name as published), ``unit``, ``value`` (float64), ``value_flag``.
    * ``world`` (``MCS2025_World_Data.csv``): ``source``, ``commodity``, ``country``, ``type``, ``unit``,
      ``prod_2023``, ``prod_est_2024``, ``cap_2023``, ``cap_est_2024``, ``reserves_2024`` (float64, each with
      ``…_flag``) and the notes; the ``World total (rounded)`` rows are kept (``is_world_total`` True).
    * ``net_import_reliance`` (Fig. 2): ``commodity``, ``net_import_reliance_pct_2024`` + flag,
      ``major_import_sources_2020_2023`` …
    * ``import_sources`` (Fig. 3), ``end_uses`` (Table 4), ``critical_minerals_salient`` (Table 5),
      ``price_growth`` (Fig. 10): the columns in snake case, numbers as float64 with ``…_flag``.

    Every kind ends with ``source_file`` (category: `path` as given). Names and notes are kept as the file
    has them (non-breaking spaces become spaces, cells are stripped; nothing else changes).
    """
    path = Path(path)
    header, rows = _read_rows(path)
    found = _detect_kind(header, path) if kind == "auto" else kind
    if found not in _KINDS:
        raise InputFormatError(path, f"unknown table kind {found!r}", expected=f"one of {', '.join(_KINDS)}")
    if found == "salient":
        frame = _salient(path, header, rows)
    else:
        numeric = _NUMERIC_COLUMNS[found]
        frame = _wide(path, header, rows, numeric=numeric)
        if found == "world":
            frame["is_world_total"] = frame["country"].str.lower().str.startswith("world total")
    frame["source_file"] = source_file_column(path, len(frame))
    frame.attrs["usgs_kind"] = found
    frame.attrs["source_file"] = str(path)
    return frame


_NUMERIC_COLUMNS: dict[str, tuple[str, ...]] = {
    "world": ("prod_2023", "prod_est_2024", "cap_2023", "cap_est_2024", "reserves_2024"),
    "net_import_reliance": ("import_share_order", "net_import_reliance_pct_2024"),
    "import_sources": ("commodity_count",),
    "end_uses": (),
    "critical_minerals_salient": (
        "primary_prod",
        "secondary_prod",
        "apparent_consumption",
        "net_import_reliance",
        "leading_country_prod",
        "leading_source_precent_world",
        "world_total_prod",
    ),
    "price_growth": ("pch_2023_2024", "cagr_2020_2024"),
}

_REQUIRED: dict[str, tuple[str, ...]] = {
    "world": ("commodity", "country", "type", "unit_meas"),
    "net_import_reliance": ("commodity",),
    "import_sources": ("country",),
    "end_uses": ("critical_mineral", "primary_applications"),
    "critical_minerals_salient": ("critical_mineral", "year"),
    "price_growth": ("critical_mineral_priced",),
}


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    if not path.exists():
        raise InputFormatError(path, "file not found", expected="a USGS MCS data-release CSV")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputFormatError(path, f"cannot read the file: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 as USGS documents; a UTF-8 BOM in front of cp1252 text is dropped first. Five bytes are
        # undefined in cp1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D): they become U+FFFD rather than an error.
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [[cell.replace("\xa0", " ").strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise InputFormatError(path, f"malformed CSV ({error})", where=f"line {reader.line_num}") from error
    rows = [row for row in rows if any(cell != "" for cell in row)]
    if not rows:
        raise InputFormatError(path, "file is empty", expected="a header row and data rows")
    header = rows[0]
    # A trailing comma in the header (the yttrium file) makes an empty, unnamed column: drop it.
    while header and header[-1] == "":
        header = header[:-1]
    if not header:
        raise InputFormatError(path, "header is empty", where="row 1")
    return header, rows[1:]


def _detect_kind(header: list[str], path: Path) -> str:
    names = [_snake(h) for h in header]
    if names[:3] == ["datasource", "commodity", "year"]:
        return "salient"
    if names[:3] == ["source", "commodity", "country"]:
        return "world"
    if "net_import_reliance_pct_2024" in names:
        return "net_import_reliance"
    if "commodity_count" in names:
        return "import_sources"
    if "primary_applications" in names:
        return "end_uses"
    if "critical_mineral_priced" in names:
        return "price_growth"
    if "critical_mineral" in names and "primary_prod" in names:
        return "critical_minerals_salient"
    raise InputFormatError(
        path,
        f"header {header[:4]!r}… is not one of the MCS data-release tables",
        where="row 1",
        expected="DataSource,Commodity,Year,… or SOURCE,COMMODITY,COUNTRY,… or a known figure/table header",
    )


def _snake(name: str) -> str:
    name = re.sub(r"[^0-9A-Za-z]+", "_", name.strip()).strip("_")
    return name.lower()


def _unit(variable: str) -> str:
    if variable.upper().startswith("NIR"):
        return "percent"
    suffix = variable.rsplit("_", 1)[-1] if "_" in variable else ""
    return _UNIT_SUFFIX.get(suffix, "")


def _cell(path: Path, cell: str, *, line: int, column: str) -> tuple[float, str]:
    try:
        return parse_value(cell)
    except ValueError:
        raise InputFormatError(
            path,
            f"value {cell!r} is neither a number nor a USGS code",
            where=f"row {line}, column {column}",
            expected="a number, >N, <N, E, W, NA, XX or empty",
        ) from None


def _salient(path: Path, header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    variables = header[3:]
    if not variables:
        raise InputFormatError(path, "no statistics after Year", where="row 1", expected="variable columns")
    if len(set(variables)) != len(variables):
        raise InputFormatError(path, "duplicated column name", where="row 1", expected="unique column names")
    records: list[tuple[str, str, int, str, str, float, str]] = []
    seen: set[int] = set()
    for line, row in enumerate(rows, start=2):
        if len(row) < len(header) or any(cell != "" for cell in row[len(header) :]):
            raise InputFormatError(
                path,
                f"{len(row)} fields",
                where=f"row {line}",
                expected=f"{len(header)} fields as in the header",
            )
        year_text = row[2]
        match = re.match(r"^((?:19|20)[0-9]{2})", year_text)
        if not match:
            raise InputFormatError(
                path, f"year {year_text!r}", where=f"row {line}, column Year", expected="a year"
            )
        year = int(match.group(1))
        if year in seen:
            raise InputFormatError(
                path, f"year {year} appears twice", where=f"row {line}", expected="one row per year"
            )
        seen.add(year)
        for variable, cell in zip(variables, row[3 : len(header)], strict=True):
            value, flag = _cell(path, cell, line=line, column=variable)
            records.append((row[0], row[1], year, variable, _unit(variable), value, flag))
    frame = pd.DataFrame.from_records(
        records, columns=["source", "commodity", "year", "variable", "unit", "value", "value_flag"]
    )
    for column in ("source", "commodity", "variable", "unit", "value_flag"):
        frame[column] = frame[column].astype("str")
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    return frame


def _wide(path: Path, header: list[str], rows: list[list[str]], *, numeric: tuple[str, ...]) -> pd.DataFrame:
    names = [_snake(h) for h in header]
    if len(set(names)) != len(names):
        raise InputFormatError(
            path, f"duplicated column in {header!r}", where="row 1", expected="unique names"
        )
    kind = _detect_kind(header, path)
    missing = [c for c in (*_REQUIRED.get(kind, ()), *numeric) if c not in names]
    if missing:
        raise InputFormatError(path, f"missing column(s) {missing}", where="row 1", expected="the MCS header")
    columns: dict[str, list[object]] = {name: [] for name in names}
    for name in numeric:
        columns[f"{name}_flag"] = []
    for line, row in enumerate(rows, start=2):
        if len(row) < len(names) or any(cell != "" for cell in row[len(names) :]):
            raise InputFormatError(
                path,
                f"{len(row)} fields",
                where=f"row {line}",
                expected=f"{len(names)} fields as in the header",
            )
        for name, original, cell in zip(names, header, row[: len(names)], strict=True):
            if name in numeric:
                value, flag = _cell(path, cell, line=line, column=original)
                columns[name].append(value)
                columns[f"{name}_flag"].append(flag)
            else:
                columns[name].append(cell)
    frame = pd.DataFrame(columns)
    for name in frame.columns:
        frame[name] = frame[name].astype("float64" if name in numeric else "str")
    return frame
