"""BEA input-output accounts: the Use, Make and Import tables, their code lists and gross output.

Formats read
------------
* **BEA's xlsx workbooks** (``IOUse_Before_Redefinitions_PRO_Summary.xlsx``, ``IOMake_…``,
  ``ImportMatrices_…``
  and the detail ``…_DET.xlsx``): one sheet per year (sheet name ``"2023"``), a few title rows, then a header
  row of codes (``111CA``, ``3361MV``, ``GFGD``, ``F010``, ``T001``…), often a second header row of names,
  then one row per commodity (Use, Import) or industry (Make) with the code in column A and the name in
  column B. Cells BEA leaves empty or marks ``...`` (not applicable) are zero; any other text in the
  matrix is an error.
* **CSV** with the same matrix: first column the row codes (its header may be ``rownames``, ``Code`` or
  empty), the other headers the column codes — the layout of the real samples in ../shared/data/bea,
  converted from BEA's release of 2024-09-06, whose totals are labelled by name (``Total Intermediate``,
  ``Total Commodity Output``…) rather than by ``T0xx`` code.

Orientation is BEA's own: Use and Import are commodity × industry, Make is industry × commodity.
Values are millions of current dollars.

What comes back (`IOTable`)
---------------------------
``matrix``         the inter-industry block, float64, labelled by BEA codes (scrap ``Used``/``S00401``,
                   noncomparable imports ``Other``/``S00300`` etc. stay in it, as BEA publishes them);
``final_demand``   commodity × final-demand columns (``F010`` personal consumption … ``F050`` imports,
                   negative); empty for Make;
``value_added``    value-added rows (``V001`` compensation, ``V002`` taxes less subsidies, ``V003`` gross
                   operating surplus) × industry; empty for Make and Import;
``row_totals`` / ``column_totals``  the published totals, kept apart so nothing double counts.

Quirk of the real Import table: its ``T004`` column is the sum of the final-demand columns *including*
``F050`` (= −total imports), so it equals −``T001``, not the row's total.

One module of some 470 lines, on purpose: the xlsx and CSV layouts go through one grid parser into the
same blocks; the fetcher lives apart (`econ.sources.fetch.bea`).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import pandas as pd

from econ.errors import InputFormatError

TableKind = Literal["use", "make", "import"]
Level = Literal["summary", "detail"]

_KINDS: tuple[str, ...] = get_args(TableKind)

# Codes: 2–8 letters/digits, e.g. 22, 111CA, 3361MV, GFGD, F010, V001, T001, 1111A0, S00401, Used, Other.
_CODE = re.compile(r"^[A-Za-z0-9]{1,8}$")
_FINAL_DEMAND = re.compile(r"^F[0-9]")
_VALUE_ADDED = re.compile(r"^V00[0-9]")
_TOTAL_CODE = re.compile(r"^T0[0-9]{2}$")
# Cells that BEA leaves for "nothing here"; anything else non-numeric is an error.
_ZERO_MARKERS = frozenset({"", "...", "…", "---", "-", "(D)*"})
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class IOTable:
    """One BEA input-output table, split into its blocks.

    For Use and Import: ``matrix`` is commodity × industry, ``final_demand`` commodity × F-columns.
    For Make: ``matrix`` is industry × commodity.
    """

    kind: TableKind
    level: Level
    year: int | None
    matrix: pd.DataFrame
    final_demand: pd.DataFrame
    value_added: pd.DataFrame
    row_totals: pd.DataFrame
    column_totals: pd.DataFrame
    names: dict[str, str] = field(default_factory=dict)
    source: str | None = None

    @property
    def commodities(self) -> list[str]:
        axis = self.matrix.columns if self.kind == "make" else self.matrix.index
        return [str(code) for code in axis]

    @property
    def industries(self) -> list[str]:
        axis = self.matrix.index if self.kind == "make" else self.matrix.columns
        return [str(code) for code in axis]

    def industry_output(self) -> pd.Series:
        """Total industry output g (Use: intermediate inputs + value added; Make: row sums)."""
        if self.kind == "make":
            return self.matrix.sum(axis=1).rename("industry_output")
        if self.kind == "use":
            inputs = self.matrix.sum(axis=0)
            return (inputs + self.value_added.sum(axis=0).reindex(inputs.index, fill_value=0.0)).rename(
                "industry_output"
            )
        raise ValueError("industry output is not defined by an Import table alone")

    def commodity_output(self) -> pd.Series:
        """Total commodity output q (Use: intermediate + final uses, net of imports; Make: column sums)."""
        if self.kind == "make":
            return self.matrix.sum(axis=0).rename("commodity_output")
        total = self.matrix.sum(axis=1) + self.final_demand.sum(axis=1).reindex(
            self.matrix.index, fill_value=0.0
        )
        return total.rename("commodity_output")


# --------------------------------------------------------------------------------------------------------
# Reading


def read(
    path: str | Path,
    *,
    table: TableKind | Literal["auto"] = "auto",
    year: int | None = None,
    sheet: str | None = None,
) -> IOTable:
    """Read a BEA Use, Make or Import table from BEA's xlsx workbook or a CSV of the same matrix.

    ``table="auto"`` takes the kind from the file name (``Use``, ``Make``, ``Import``). In a workbook,
    ``year`` picks the sheet named after it (``sheet`` names one directly); without either, the latest
    year's sheet is read. The level is ``detail`` when the table has more than 100 industries.
    """
    path = Path(path)
    kind = _resolve_kind(path, table)
    if not path.exists():
        raise InputFormatError(path, "file not found", expected=f"a BEA {kind} table (xlsx or csv)")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        grid, sheet_name = _xlsx_grid(path, year=year, sheet=sheet)
        where_prefix = f"sheet {sheet_name!r}"
        sheet_year = _year_from_text(sheet_name)
    elif suffix in {".csv", ".txt"}:
        grid = _csv_grid(path)
        where_prefix = None
        sheet_year = None
    else:
        raise InputFormatError(path, f"unsupported file type {suffix!r}", expected=".xlsx or .csv")
    found_year = sheet_year or year or _year_from_text(path.name)
    return _parse_grid(grid, path=path, kind=kind, year=found_year, where_prefix=where_prefix)


def _resolve_kind(path: Path, table: str) -> TableKind:
    if table == "auto":
        lowered = path.name.lower()
        matches = [kind for kind in _KINDS if kind in lowered]
        if len(matches) != 1:
            raise InputFormatError(
                path,
                "cannot tell from the file name whether this is a Use, Make or Import table",
                expected="table='use', 'make' or 'import'",
            )
        return matches[0]  # type: ignore[return-value]
    if table not in _KINDS:
        raise InputFormatError(path, f"unknown table kind {table!r}", expected="one of use, make, import")
    return table  # type: ignore[return-value]


def _year_from_text(text: str) -> int | None:
    found = _YEAR.findall(text)
    return int(found[0]) if len(found) == 1 else None


def _csv_grid(path: Path) -> list[list[str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputFormatError(path, f"cannot read the file: {error.strerror or error}") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise InputFormatError(path, f"malformed CSV ({error})", where=f"line {reader.line_num}") from error


def _xlsx_grid(path: Path, *, year: int | None, sheet: str | None) -> tuple[list[list[str]], str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputFormatError(path, f"not a readable xlsx workbook ({exc})", expected="BEA's xlsx") from exc
    try:
        names = list(book.sheetnames)
        if sheet is None and year is not None:
            sheet = str(year)
        if sheet is None:
            years = sorted(
                (int(n) for n in names if re.fullmatch(r"(19|20)[0-9]{2}", n.strip())), reverse=True
            )
            sheet = str(years[0]) if years else names[0]
        match = [n for n in names if n.strip() == sheet]
        if not match:
            raise InputFormatError(
                path, f"no sheet named {sheet!r}", where="workbook", expected=f"one of {names}"
            )
        rows = book[match[0]].iter_rows(values_only=True)
        grid = [["" if value is None else _cell_text(value) for value in row] for row in rows]
    finally:
        book.close()
    return grid, match[0]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return repr(value)
    return str(value).strip()


def _parse_grid(
    grid: list[list[str]], *, path: Path, kind: TableKind, year: int | None, where_prefix: str | None
) -> IOTable:
    def where(text: str) -> str:
        return f"{where_prefix}, {text}" if where_prefix else text

    # Keep each row's line number in the file (1-based) for messages; blank rows are dropped.
    numbers = [i + 1 for i, row in enumerate(grid) if any(cell != "" for cell in row)]
    grid = [row for row in grid if any(cell != "" for cell in row)]
    if not grid:
        raise InputFormatError(path, "file is empty", expected=f"a BEA {kind} table")
    header_index = _find_header(grid)
    if header_index is None:
        raise InputFormatError(
            path,
            "no header row of BEA codes found in the first 20 rows",
            where=where("header"),
            expected="a row of codes such as 111CA, 3361MV, GFGD",
        )
    header = grid[header_index]
    body = grid[header_index + 1 :]
    body_lines = numbers[header_index + 1 :]
    # A second header row of names (xlsx) has text where the data have numbers: skip it.
    if body and _looks_like_names_row(body[0], header):
        body, body_lines = body[1:], body_lines[1:]

    first_value = _first_value_column(header, body)
    col_labels = [_clean_label(c) for c in header[first_value:]]
    while col_labels and col_labels[-1] == "":
        col_labels.pop()
    if not col_labels:
        raise InputFormatError(path, "header has no column codes", where=where("header"))
    _check_unique(col_labels, path=path, where=where("header"), axis="column")

    row_labels: list[str] = []
    names: dict[str, str] = {}
    values: list[list[float]] = []
    for line, row in zip(body_lines, body, strict=True):
        label = _clean_label(row[0]) if row else ""
        cells = row[first_value : first_value + len(col_labels)]
        if all(c == "" for c in cells):
            if label == "":
                continue
            break  # footnotes and legends below the matrix end it
        if where_prefix is None and len(row) < first_value + len(col_labels):
            raise InputFormatError(
                path,
                f"row has {len(row)} fields",
                where=f"row {line} ({label})",
                expected=f"{first_value + len(col_labels)} fields as in the header (truncated file?)",
            )
        if not _CODE.match(label) and not _is_total(label):
            raise InputFormatError(
                path, f"row label {label!r} is not a BEA code", where=where(f"row {line}"), expected="a code"
            )
        if first_value > 1 and len(row) > 1 and row[1]:
            names[label] = row[1]
        cells = cells + [""] * (len(col_labels) - len(cells))
        parsed: list[float] = []
        for column, cell in zip(col_labels, cells, strict=True):
            parsed.append(_number(cell, path=path, where=where(f"row {line} ({label}), column {column}")))
        row_labels.append(label)
        values.append(parsed)
    if not row_labels:
        raise InputFormatError(path, "no data rows below the header", where=where("body"))
    _check_unique(row_labels, path=path, where=where("first column"), axis="row")

    frame = pd.DataFrame(np.array(values, dtype="float64"), index=row_labels, columns=col_labels)
    total_rows = [r for r in row_labels if _is_total(r)]
    total_cols = [c for c in col_labels if _is_total(c)]
    va_rows = [r for r in row_labels if _VALUE_ADDED.match(r)]
    fd_cols = [c for c in col_labels if _FINAL_DEMAND.match(c)]
    core_rows = [r for r in row_labels if r not in total_rows and r not in va_rows]
    core_cols = [c for c in col_labels if c not in total_cols and c not in fd_cols]
    if kind == "make" and (fd_cols or va_rows):
        raise InputFormatError(
            path,
            "final-demand columns or value-added rows in what was read as a Make table",
            where=where("header"),
            expected="a Make table (industry × commodity) — pass table='use' or 'import'",
        )
    if not core_rows or not core_cols:
        raise InputFormatError(path, "no inter-industry block found", where=where("body"))

    row_axis, col_axis = ("industry", "commodity") if kind == "make" else ("commodity", "industry")
    matrix = _named(frame.loc[core_rows, core_cols], row_axis, col_axis)
    final_demand = _named(frame.loc[core_rows, fd_cols], row_axis, "final_use")
    value_added = _named(frame.loc[va_rows, core_cols], "value_added", col_axis)
    row_totals = _named(frame.loc[total_rows, core_cols + fd_cols], "total", col_axis)
    column_totals = _named(frame.loc[core_rows + va_rows, total_cols], row_axis, "total")
    industries = len(matrix.index if kind == "make" else matrix.columns)
    level: Level = "detail" if industries > 100 else "summary"
    return IOTable(
        kind=kind,
        level=level,
        year=year,
        matrix=matrix,
        final_demand=final_demand,
        value_added=value_added,
        row_totals=row_totals,
        column_totals=column_totals,
        names=names,
        source=str(path),
    )


def _named(frame: pd.DataFrame, index: str, columns: str) -> pd.DataFrame:
    frame = frame.copy()
    frame.index = pd.Index([str(x) for x in frame.index], dtype=object, name=index)
    frame.columns = pd.Index([str(x) for x in frame.columns], dtype=object, name=columns)
    return frame


def _clean_label(text: str) -> str:
    # BEA's xlsx pads some codes and appends footnote markers such as "F040 /1/".
    text = re.sub(r"\s*/[0-9]+/\s*$", "", str(text)).strip()
    return text


def _is_total(label: str) -> bool:
    return bool(_TOTAL_CODE.match(label)) or label.lower().startswith("total")


def _find_header(grid: Sequence[Sequence[str]]) -> int | None:
    """The first row whose cells (after the first) are mostly BEA codes; data rows hold numbers instead."""
    for index, row in enumerate(grid[:20]):
        filled = [_clean_label(cell) for cell in row[1:] if cell != ""]
        codes = [cell for cell in filled if _CODE.match(cell) or _is_total(cell)]
        decimals = [cell for cell in filled if "." in cell and _is_number(cell)]
        if len(codes) >= 3 and len(codes) > len(filled) / 2 and not decimals:
            return index
    return None


def _looks_like_names_row(row: Sequence[str], header: Sequence[str]) -> bool:
    cells = [c for c in row[2:] if c != ""]
    if not cells:
        return False
    text = sum(1 for c in cells if not _is_number(c) and c not in _ZERO_MARKERS)
    return text > len(cells) / 2


def _first_value_column(header: Sequence[str], body: Sequence[Sequence[str]]) -> int:
    """Column 1 when the file has only codes; 2 when column B holds the names (BEA's xlsx)."""
    sample = [row for row in body[:10] if len(row) > 2]
    if sample and sum(1 for row in sample if row[1] and not _is_number(row[1])) > len(sample) / 2:
        return 2
    return 1


def _is_number(cell: str) -> bool:
    try:
        float(cell.replace(",", ""))
    except ValueError:
        return False
    return True


def _number(cell: str, *, path: Path, where: str) -> float:
    text = cell.strip()
    if text in _ZERO_MARKERS:
        return 0.0
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise InputFormatError(
            path, f"value {cell!r} is not a number", where=where, expected="a number"
        ) from None


def _check_unique(labels: Sequence[str], *, path: Path, where: str, axis: str) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise InputFormatError(
                path, f"duplicated {axis} code {label!r}", where=where, expected=f"each {axis} code once"
            )
        seen.add(label)


# --------------------------------------------------------------------------------------------------------
# Code lists and gross output


def read_codes(path: str | Path) -> pd.DataFrame:
    """A BEA code–name list (``Summary_IndustryCodeName_2017.csv``): columns ``code`` and ``name`` (str)."""
    path = Path(path)
    grid = _csv_grid(path) if path.exists() else None
    if not grid:
        raise InputFormatError(path, "file is missing or empty", expected="a CSV of BEA codes and names")
    header, rows = grid[0], grid[1:]
    if len(header) < 2 or "code" not in header[0].lower():
        raise InputFormatError(
            path, f"unexpected header {header!r}", where="row 1", expected="<…Code>,<…Name>"
        )
    codes: list[str] = []
    names: list[str] = []
    for number, row in enumerate(rows, start=2):
        if not any(row):
            continue
        if len(row) < 2 or not _CODE.match(row[0]):
            raise InputFormatError(path, f"bad row {row!r}", where=f"row {number}", expected="code,name")
        codes.append(row[0])
        names.append(row[1])
    _check_unique(codes, path=path, where="column 1", axis="row")
    return pd.DataFrame({"code": pd.Series(codes, dtype="str"), "name": pd.Series(names, dtype="str")})


def read_gross_output(path: str | Path) -> pd.DataFrame:
    """BEA gross output by industry and year (``Summary_GrossOutput_IO_17sch.csv``: one row per industry,
    one column per year), returned long: ``industry`` (str), ``year`` (int64), ``gross_output`` (float64,
    $ millions)."""
    path = Path(path)
    grid = _csv_grid(path) if path.exists() else None
    if not grid:
        raise InputFormatError(path, "file is missing or empty", expected="industries × years")
    header = grid[0]
    years: list[int] = []
    for column, text in enumerate(header[1:], start=2):
        if not re.fullmatch(r"(19|20)[0-9]{2}", text):
            raise InputFormatError(
                path, f"column header {text!r}", where=f"row 1, column {column}", expected="a year"
            )
        years.append(int(text))
    records: list[tuple[str, int, float]] = []
    seen: set[str] = set()
    for number, row in enumerate(grid[1:], start=2):
        if not any(row):
            continue
        code = row[0]
        if not _CODE.match(code):
            raise InputFormatError(
                path, f"industry code {code!r}", where=f"row {number}", expected="a BEA code"
            )
        if code in seen:
            raise InputFormatError(path, f"duplicated industry {code!r}", where=f"row {number}")
        seen.add(code)
        if len(row) != len(header):
            raise InputFormatError(
                path, f"{len(row)} fields", where=f"row {number}", expected=f"{len(header)} fields"
            )
        for y, cell in zip(years, row[1:], strict=True):
            records.append((code, y, _number(cell, path=path, where=f"row {number} ({code}), year {y}")))
    frame = pd.DataFrame.from_records(records, columns=["industry", "year", "gross_output"])
    frame["industry"] = frame["industry"].astype("str")
    frame["year"] = frame["year"].astype("int64")
    frame["gross_output"] = frame["gross_output"].astype("float64")
    return frame
